import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { BinlogSyncError, ErrorCode, ProtocolError } from '../../src/errors.js';
import { PacketReader } from '../../src/protocol/packet-reader.js';
import { MYSQL_97_GREETING_FRAME } from './server-packets.fixtures.js';

const MAX = 0xffffff;

/** A frame built by hand: u24 LE length, sequence id, payload. */
function frame(payload: Buffer, seq: number): Buffer {
  const h = Buffer.alloc(4);
  h.writeUIntLE(payload.length, 0, 3);
  h[3] = seq;
  return Buffer.concat([h, payload]);
}

function collect(max = 1 << 30): { reader: PacketReader; got: Buffer[] } {
  const got: Buffer[] = [];
  return { reader: new PacketReader((p) => got.push(p), max), got };
}

function isSeqError(e: unknown): boolean {
  return e instanceof ProtocolError && e.code === ErrorCode.ERR_PACKET_SEQUENCE;
}

describe('PacketReader', () => {
  // A small stream: the real MySQL 9.7 greeting, an empty payload, a 1-byte one, a 300-byte one.
  const greeting = Buffer.from(MYSQL_97_GREETING_FRAME, 'hex');
  const big = Buffer.alloc(300, 0x61);
  const stream = Buffer.concat([
    greeting,
    frame(Buffer.alloc(0), 1),
    frame(Buffer.from([7]), 2),
    frame(big, 3),
  ]);
  const expected = [greeting.subarray(4), Buffer.alloc(0), Buffer.from([7]), big];

  test('reads a stream split at every byte boundary', () => {
    for (let i = 0; i <= stream.length; i++) {
      const { reader, got } = collect();
      reader.push(stream.subarray(0, i));
      reader.push(stream.subarray(i));
      assert.deepEqual(got, expected, `split at ${i}`);
      assert.equal(reader.pending, 0);
      assert.equal(reader.nextSeq, 4);
    }
  });

  test('reads a stream split at every pair of byte boundaries', () => {
    const small = stream.subarray(0, greeting.length + 4 + 5);
    for (let i = 0; i <= small.length; i++) {
      for (let j = i; j <= small.length; j++) {
        const { reader, got } = collect();
        reader.push(small.subarray(0, i));
        reader.push(small.subarray(i, j));
        reader.push(small.subarray(j));
        assert.deepEqual(got, expected.slice(0, 3), `split at ${i}, ${j}`);
      }
    }
  });

  test('reads a stream fed one byte at a time', () => {
    const { reader, got } = collect();
    for (let i = 0; i < stream.length; i++) reader.push(stream.subarray(i, i + 1));
    assert.deepEqual(got, expected);
  });

  test('a packet inside one chunk is a view of the chunk, not a copy', () => {
    const { reader, got } = collect();
    reader.push(stream);
    assert.equal(got[3].buffer, stream.buffer);
    assert.equal(got[3].byteOffset, stream.byteOffset + stream.length - 300);
  });

  test('joins a split payload of 16 MiB and more, split anywhere', () => {
    const payload = Buffer.alloc(MAX + 10);
    for (let i = 0; i < payload.length; i += 4093) payload[i] = i & 0xff;
    payload[payload.length - 1] = 0x5a;
    const wire = Buffer.concat([
      frame(payload.subarray(0, MAX), 0),
      frame(payload.subarray(MAX), 1),
      frame(Buffer.from([1]), 2),
    ]);
    const cuts = [
      1,
      3,
      4,
      5,
      1000,
      MAX,
      MAX + 3,
      MAX + 4,
      MAX + 5,
      MAX + 8,
      MAX + 13,
      MAX + 14,
      wire.length - 1,
    ];
    for (const cut of cuts) {
      const { reader, got } = collect();
      reader.push(wire.subarray(0, cut));
      reader.push(wire.subarray(cut));
      assert.equal(got.length, 2, `cut at ${cut}`);
      assert.ok(got[0].equals(payload), `cut at ${cut}`);
      assert.deepEqual(got[1], Buffer.from([1]));
      assert.equal(reader.nextSeq, 3);
    }
  });

  test('a payload of exactly 0xffffff bytes ends with an empty packet', () => {
    const payload = Buffer.alloc(MAX, 0x33);
    const { reader, got } = collect();
    reader.nextSeq = 5;
    reader.push(frame(payload, 5));
    assert.equal(got.length, 0, 'waits for the terminating packet');
    reader.push(frame(Buffer.alloc(0), 6));
    assert.equal(got.length, 1);
    assert.ok(got[0].equals(payload));
    assert.equal(reader.nextSeq, 7);
  });

  test('a payload of exactly 2 × 0xffffff bytes', () => {
    const payload = Buffer.alloc(2 * MAX, 0x44);
    const { reader, got } = collect();
    reader.nextSeq = 254; // the sequence id wraps from 255 to 0
    reader.push(frame(payload.subarray(0, MAX), 254));
    reader.push(frame(payload.subarray(MAX), 255));
    reader.push(frame(Buffer.alloc(0), 0));
    assert.equal(got.length, 1);
    assert.equal(got[0].length, 2 * MAX);
    assert.equal(reader.nextSeq, 1);
  });

  test('a wrong sequence id is ERR_PACKET_SEQUENCE, after the packets before it', () => {
    const { reader, got } = collect();
    assert.throws(
      () => reader.push(Buffer.concat([frame(Buffer.from([1]), 0), frame(Buffer.from([0]), 2)])),
      (e) => {
        assert.ok(isSeqError(e));
        assert.match((e as Error).message, /sequence id 2, expected 1/);
        return true;
      },
    );
    assert.deepEqual(got, [Buffer.from([1])]);
  });

  test('a wrong sequence id in the continuation of a split payload', () => {
    const { reader } = collect();
    reader.push(frame(Buffer.alloc(MAX), 0));
    assert.throws(() => reader.push(frame(Buffer.alloc(3), 7)), isSeqError);
  });

  test('sequenceRule: a semi-sync source counts from 1 again after an event that asks for an ACK', () => {
    const { reader, got } = collect();
    reader.sequenceRule = (p) => (p[0] === 0 && p[1] === 0xef && p[2] === 1 ? 1 : undefined);
    const plain = Buffer.from([0, 0xef, 0, 9]);
    const ack = Buffer.from([0, 0xef, 1, 9]);
    reader.nextSeq = 4;
    reader.push(Buffer.concat([frame(plain, 4), frame(ack, 5), frame(plain, 1), frame(plain, 2)]));
    assert.equal(got.length, 4);
    assert.equal(reader.nextSeq, 3);
    // without the rule the same stream is out of order
    const other = collect();
    other.reader.nextSeq = 4;
    assert.throws(
      () => other.reader.push(Buffer.concat([frame(plain, 4), frame(ack, 5), frame(plain, 1)])),
      isSeqError,
    );
  });

  test('an out-of-turn ERR packet is delivered (a server kills idle sessions this way)', () => {
    const { reader, got } = collect();
    reader.nextSeq = 3;
    const err = Buffer.from('ff9f0f234859303030', 'hex');
    reader.push(frame(err, 0));
    assert.deepEqual(got, [err]);
    assert.equal(reader.nextSeq, 1);
  });

  test('a payload above the limit is ERR_PROTOCOL as soon as its header is read', () => {
    const { reader } = collect(1024);
    reader.push(Buffer.from('HTT')); // 3 header bytes: nothing to judge yet
    assert.throws(
      () => reader.push(Buffer.from('P/1.1 400 Bad Request\r\n')),
      (e) =>
        e instanceof ProtocolError &&
        e.code === ErrorCode.ERR_PROTOCOL &&
        /exceeds the limit of 1024/.test(e.message),
    );
  });

  test('random bytes, in random chunks: payloads or a ProtocolError, never another exception', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 8 }), (chunks) => {
        const { reader } = collect(4096);
        try {
          for (const c of chunks) reader.push(Buffer.from(c));
        } catch (e) {
          if (!(e instanceof BinlogSyncError)) throw e;
        }
      }),
    );
  });
});
