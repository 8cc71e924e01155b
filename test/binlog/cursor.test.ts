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

test('64-bit integers equal Buffer.readBig(U)Int64LE on both sides of the 2^53 fast path', () => {
  const values = [0n, 1n, -1n, 4294967295n, 4294967296n, -4294967296n, -4294967297n];
  for (const e of [52n, 53n, 54n, 63n])
    for (const d of [-1n, 0n, 1n]) values.push(2n ** e + d, -(2n ** e) + d);
  values.push(2n ** 63n - 1n, -(2n ** 63n));
  const buf = Buffer.alloc(8);
  for (const v of values) {
    buf.writeBigInt64LE(BigInt.asIntN(64, v));
    assert.equal(new Cursor(buf).i64(), buf.readBigInt64LE(0), `i64 ${v}`);
    assert.equal(new Cursor(buf).u64(), buf.readBigUInt64LE(0), `u64 ${v}`);
  }
  // random bit patterns, hi words around the cut
  for (let i = 0; i < 2000; i++) {
    buf.writeUInt32LE((Math.random() * 2 ** 32) >>> 0, 0);
    buf.writeInt32LE(((Math.random() * 2 ** 23) | 0) - 2 ** 22, 4);
    assert.equal(new Cursor(buf).i64(), buf.readBigInt64LE(0));
    assert.equal(new Cursor(buf).u64(), buf.readBigUInt64LE(0));
  }
  // past the end: Buffer's RangeError, not a made-up value
  assert.throws(() => new Cursor(Buffer.alloc(7)).i64(), RangeError);
  assert.throws(() => new Cursor(Buffer.alloc(7)).u64(), RangeError);
});
