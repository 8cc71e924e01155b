import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChecksumAlg } from '../../src/binlog/constants.js';
import { initialFormat } from '../../src/binlog/context.js';
import { BinlogParser } from '../../src/binlog/parser.js';
import { ServerError } from '../../src/errors.js';
import { isCutOffTail, rollbackEvent, rollbackEventBytes } from '../../src/replication/cut-off.js';
import { primedParser, splitEvents } from '../binlog/helpers.js';

test('the raw ROLLBACK decodes, CRC32 checked, to the ROLLBACK event the stream hands out', () => {
  for (const flavor of ['mysql', 'mariadb'] as const) {
    const parser = primedParser(flavor, { verifyChecksum: true });
    const bytes = rollbackEventBytes(parser.context.format, 1_700_000_000, 42);
    assert.equal(bytes.length, 19 + 13 + 1 + 'ROLLBACK'.length + 4);
    const ev = parser.parse(bytes, { file: 'b.000002', pos: 900 });
    assert.deepEqual({ ...ev, next: 900 }, rollbackEvent('b.000002', 900, 1_700_000_000, 42));
  }
});

test('before any FORMAT_DESCRIPTION the raw ROLLBACK has the v4 layout and the negotiated checksum', () => {
  for (const alg of [ChecksumAlg.CRC32, ChecksumAlg.OFF]) {
    const bytes = rollbackEventBytes(initialFormat(alg), 5, 6);
    // decoded by a parser that knows a real v4 FORMAT_DESCRIPTION with that checksum
    const fde = splitEvents('mysql97-full.binlog')[0].buf;
    const parser = new BinlogParser({ verifyChecksum: true });
    parser.parse(fde, { pos: 4 });
    if (alg === ChecksumAlg.OFF) parser.context.format.checksumAlg = ChecksumAlg.OFF;
    const ev = parser.parse(bytes, { pos: 100 });
    assert.equal(ev.type, 'query');
    assert.equal(ev.type === 'query' && ev.query, 'ROLLBACK');
    assert.equal(ev.flags, 0x20);
    assert.equal(bytes.length, 19 + 13 + 1 + 8 + (alg === ChecksumAlg.CRC32 ? 4 : 0));
  }
});

test('only error 1236 "truncated in the middle of event" is a cut-off tail', () => {
  const cut = new ServerError(
    1236,
    'HY000',
    "binlog truncated in the middle of event; consider out of disk space on master; the first event 'mariadb-bin.000001' at 4",
  );
  assert.equal(isCutOffTail(cut), true);
  assert.equal(
    isCutOffTail(
      new ServerError(1236, 'HY000', 'Could not find first log file name in binary log index file'),
    ),
    false,
  );
  assert.equal(isCutOffTail(new ServerError(1064, 'HY000', 'truncated in the middle of event')), false);
  assert.equal(isCutOffTail(new Error('truncated in the middle of event')), false);
});
