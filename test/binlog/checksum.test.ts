// CRC32 of events: the JS path for short events and zlib's for the rest give zlib's value at every
// length, and every event of the recorded fixtures carries the CRC computeEventCrc computes.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import { computeEventCrc } from '../../src/binlog/checksum.js';
import { EventType } from '../../src/binlog/constants.js';
import { FIXTURES, splitEvents } from './helpers.js';

test('every length from 0 to 400 bytes: the same CRC as zlib', () => {
  for (let len = 0; len <= 400; len++) {
    const b = Buffer.alloc(len + 4);
    for (let i = 0; i < len; i++) b[i] = (i * 151 + len * 7) & 0xff;
    if (len > 4) b[4] = EventType.QUERY_EVENT; // not a FORMAT_DESCRIPTION (whose flag byte is special)
    assert.equal(computeEventCrc(b, len), crc32(b.subarray(0, len)), `length ${len}`);
  }
});

test('random bytes: the same CRC as zlib', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      const b = Buffer.from(bytes);
      if (b.length > 4 && b[4] === EventType.FORMAT_DESCRIPTION_EVENT) b[4] = 0;
      return computeEventCrc(b, b.length) === crc32(b);
    }),
    { numRuns: 2000 },
  );
});

test('every event of the recorded fixtures (CRC32 ones) carries the computed CRC', () => {
  let checked = 0;
  for (const file of readdirSync(FIXTURES).filter((f) => f.endsWith('.binlog'))) {
    if (file.includes('nochecksum')) continue;
    for (const ev of splitEvents(file)) {
      const end = ev.buf.length - 4;
      assert.equal(computeEventCrc(ev.buf, end), ev.buf.readUInt32LE(end), `${file} at ${ev.pos}`);
      checked++;
    }
  }
  assert.ok(checked > 100, `${checked} events`);
});
