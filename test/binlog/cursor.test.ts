import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Cursor } from '../../src/binlog/cursor.js';
import { DecodeError, ErrorCode } from '../../src/errors.js';

test('fixed-width little-endian readers', () => {
  const c = new Cursor(Buffer.from('0102030405060708ff', 'hex'));
  c.need(9);
  assert.equal(c.u16(), 0x0201);
  assert.equal(c.u24(), 0x050403);
  assert.equal(c.u32(), 0xff080706);
  assert.equal(c.remaining, 0);
});

test('signed readers', () => {
  const c = new Cursor(Buffer.from('ff' + 'feff' + 'fdffff' + 'fcffffff' + 'fbffffffffffffff', 'hex'));
  c.need(c.remaining);
  assert.deepEqual([c.i8(), c.i16(), c.i24(), c.i32(), c.i64()], [-1, -2, -3, -4, -5n]);
});

test('length-encoded integers of every width', () => {
  const c = new Cursor(Buffer.from('fa' + 'fb' + 'fc0001' + 'fd000001' + 'fe0000000001000000', 'hex'));
  assert.deepEqual(
    [c.lenencOrNull(), c.lenencOrNull(), c.lenencOrNull(), c.lenencOrNull(), c.lenencOrNull()],
    [250, null, 256, 65536, 2 ** 32],
  );
});

test('reading past the end throws ERR_TRUNCATED with the absolute offset', () => {
  const c = new Cursor(Buffer.alloc(10), 2, 6, 1000);
  c.skip(3);
  assert.throws(
    () => c.need(2),
    (e: unknown) => e instanceof DecodeError && e.code === ErrorCode.ERR_TRUNCATED && e.offset === 1005,
  );
  assert.throws(() => c.bytes(2), DecodeError);
  assert.throws(() => new Cursor(Buffer.from('fe01', 'hex')).lenenc(), DecodeError);
  assert.throws(() => new Cursor(Buffer.from('6162', 'hex')).cstring(), DecodeError);
});

test('sub-cursor ends where it is told and moves its parent past the block', () => {
  const c = new Cursor(Buffer.from('0102030405', 'hex'));
  const s = c.sub(3);
  assert.equal(c.pos, 3);
  assert.equal(s.remaining, 3);
  assert.throws(() => s.bytes(4), DecodeError);
});
