// The zstd check before fzstd (src/binlog/events/zstd-guard.ts): the corrupt payload that made fzstd loop
// forever (found by the fuzzer, test/fixtures/fuzz/README.md) is an ERR_DECOMPRESS, and no payload a
// server wrote is refused.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { BinlogParser } from '../../../src/binlog/parser.js';
import { EventType } from '../../../src/binlog/constants.js';
import { zstdFrameProblem } from '../../../src/binlog/events/zstd-guard.js';
import { DecodeError, ErrorCode } from '../../../src/errors.js';
import { FIXTURES, splitEvents } from '../helpers.js';

const FUZZ = join(FIXTURES, '..', 'fuzz');
const SHARED = join(FIXTURES, '..', '..', '..', '..', 'shared', 'fixtures', 'binlogs');

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? walk(join(dir, d.name)) : [join(dir, d.name)],
  );
}

describe('zstd frames checked before fzstd', () => {
  test('the payload fzstd never returned on is an ERR_DECOMPRESS', () => {
    const fde = splitEvents('mysql97-compressed.binlog')[0];
    const p = new BinlogParser({ verifyChecksum: false });
    p.parse(fde.buf, { pos: fde.pos });
    const ev = p.parse(readFileSync(join(FUZZ, 'fzstd-hang-transaction-payload.bin')), { pos: 2219 });
    assert.equal(ev.type, 'transaction_payload');
    assert.throws(
      () => p.payloadEvents(ev),
      (e: unknown) =>
        e instanceof DecodeError &&
        e.code === ErrorCode.ERR_DECOMPRESS &&
        /FSE table with a single symbol/.test(e.message) &&
        e.pos === 2219,
    );
  });

  test('every payload of the recorded and shared fixtures passes the check', (t) => {
    const files = [
      ...readdirSync(FIXTURES)
        .filter((f) => f.endsWith('.binlog'))
        .map((f) => join(FIXTURES, f)),
      ...(existsSync(SHARED) ? walk(SHARED) : []),
    ];
    let payloads = 0;
    for (const path of files) {
      const buf = readFileSync(path);
      if (buf.length < 4 || buf.readUInt32BE(0) !== 0xfe62696e) continue;
      const p = new BinlogParser({ verifyChecksum: false });
      let pos = 4;
      while (pos + 19 <= buf.length) {
        const len = buf.readUInt32LE(pos + 9);
        if (len < 19 || pos + len > buf.length) break;
        const evBuf = buf.subarray(pos, pos + len);
        if (
          buf[pos + 4] === EventType.TRANSACTION_PAYLOAD_EVENT ||
          buf[pos + 4] === EventType.FORMAT_DESCRIPTION_EVENT
        ) {
          const ev = p.parse(evBuf, { pos });
          if (ev.type === 'transaction_payload' && ev.compression === 'zstd') {
            payloads++;
            assert.equal(zstdFrameProblem(ev.data), undefined, `${path}@${pos}`);
            assert.ok(p.payloadEvents(ev).length > 0);
          }
        }
        pos += len;
      }
    }
    t.diagnostic(`${payloads} zstd payloads checked`);
    assert.ok(payloads >= 3, `${payloads} payloads`);
  });
});
