import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Cursor } from '../../src/binlog/cursor.js';
import { PacketReader } from '../../src/protocol/packet-reader.js';
import { PayloadBuilder, encodeFrames } from '../../src/protocol/packet-writer.js';

const MAX = 0xffffff;

/** [length, sequence id] of each header, walking header, payload view (absent when empty), header… */
function headers(chunks: Buffer[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i < chunks.length; i++) {
    const len = chunks[i].readUIntLE(0, 3);
    out.push([len, chunks[i][3]]);
    if (len > 0) i++;
  }
  return out;
}

describe('encodeFrames', () => {
  test('a small payload is one buffer: header then payload', () => {
    const { chunks, nextSeq } = encodeFrames(Buffer.from('0301', 'hex'), 0);
    assert.deepEqual(chunks, [Buffer.from('020000000301', 'hex')]);
    assert.equal(nextSeq, 1);
  });

  test('an empty payload is one empty packet', () => {
    const { chunks, nextSeq } = encodeFrames(Buffer.alloc(0), 3);
    assert.deepEqual(chunks, [Buffer.from('00000003', 'hex')]);
    assert.equal(nextSeq, 4);
  });

  test('a large payload is written as views, not copied', () => {
    const payload = Buffer.alloc(100_000, 1);
    const { chunks } = encodeFrames(payload, 0);
    assert.equal(chunks.length, 2);
    assert.deepEqual(chunks[0], Buffer.from('a0860100', 'hex'));
    assert.equal(chunks[1].buffer, payload.buffer);
  });

  test('exactly 0xffffff bytes: a full packet and an empty one', () => {
    const payload = Buffer.alloc(MAX, 2);
    const { chunks, nextSeq } = encodeFrames(payload, 0);
    assert.deepEqual(
      chunks.map((c) => c.length),
      [4, MAX, 4],
    );
    assert.deepEqual(headers(chunks), [
      [MAX, 0],
      [0, 1],
    ]);
    assert.equal(nextSeq, 2);
  });

  test('2 × 0xffffff + 3 bytes: two full packets and a 3-byte one, the sequence id wrapping', () => {
    const payload = Buffer.alloc(2 * MAX + 3, 2);
    const { chunks, nextSeq } = encodeFrames(payload, 255);
    assert.deepEqual(headers(chunks), [
      [MAX, 255],
      [MAX, 0],
      [3, 1],
    ]);
    assert.equal(nextSeq, 2);
  });

  test('round trip through PacketReader for sizes around 16 MiB boundaries', () => {
    for (const size of [0, 1, 16384, 16385, MAX - 1, MAX, MAX + 1, 2 * MAX, 2 * MAX + 1]) {
      const payload = Buffer.alloc(size);
      if (size > 0) {
        payload[0] = 0xab;
        payload[size - 1] = 0xcd;
      }
      const { chunks, nextSeq } = encodeFrames(payload, 7);
      const got: Buffer[] = [];
      const reader = new PacketReader((p) => got.push(p), 1 << 30);
      reader.nextSeq = 7;
      for (const c of chunks) reader.push(c);
      assert.equal(got.length, 1, `size ${size}`);
      assert.ok(got[0].equals(payload), `size ${size}`);
      assert.equal(reader.nextSeq, nextSeq);
    }
  });
});

describe('PayloadBuilder', () => {
  test('length-encoded integers of every width read back with the Cursor', () => {
    const values = [0, 250, 251, 0xffff, 0x10000, 0xffffff, 0x1000000, 2 ** 40];
    const b = new PayloadBuilder(4);
    for (const v of values) b.lenenc(v);
    const buf = b.finish();
    assert.equal(buf.length, 1 + 1 + 3 + 3 + 4 + 4 + 9 + 9);
    const c = new Cursor(buf);
    assert.deepEqual(
      values.map(() => c.lenenc()),
      values,
    );
  });

  test('strings, integers and growth', () => {
    const b = new PayloadBuilder(2);
    b.u8(1)
      .u16(0x0302)
      .u32(0x07060504)
      .cstring('é')
      .lenencText('ab')
      .zeros(2)
      .bytes(Buffer.from([9]));
    assert.equal(
      b.finish().toString('hex'),
      '01' + '0203' + '04050607' + 'c3a900' + '026162' + '0000' + '09',
    );
    assert.equal(b.length, 16);
  });
});
