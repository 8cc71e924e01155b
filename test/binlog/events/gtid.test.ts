// GTID (33/34) in every length the servers wrote, GTID_TAGGED (42, mysql::serialization) and
// PREVIOUS_GTIDS untagged and tagged. The tagged bytes are from a MySQL 9.6.0 binlog
// (shared fixture binlog_transaction_with_GTID_TAG.000001); expected values from mysqlbinlog -vv.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventType as T } from '../../../src/binlog/constants.js';
import { decodeOne, le, primedParser } from '../helpers.js';
import { DecodeError, ErrorCode } from '../../../src/errors.js';

const SID = Buffer.from('55778904029911f1b1b84ef0c4956feb', 'hex');

test('GTID 5.6 (flags, sid, gno only) and 8.0.33+ (commit timestamps, length, versions, ticket)', () => {
  const p = primedParser();
  const old = decodeOne(p, T.GTID_LOG_EVENT, Buffer.concat([le.u8(1), SID, le.u64(7n)]));
  assert.ok(old.type === 'gtid');
  assert.equal(old.gtid, '55778904-0299-11f1-b1b8-4ef0c4956feb:7');
  assert.equal(old.lastCommitted, undefined);
  const ts = Buffer.alloc(14);
  ts.writeUIntLE(1770368687207196 % 2 ** 48, 0, 6); // immediate, 7 bytes with bit 55 set: an original follows
  ts[6] = 0x80 + Math.floor(1770368687207196 / 2 ** 48);
  ts.writeUIntLE(1770368687000000 % 2 ** 48, 7, 6);
  ts[13] = Math.floor(1770368687000000 / 2 ** 48);
  const body = Buffer.concat([
    le.u8(0),
    SID,
    le.u64(8n),
    le.u8(2),
    le.u64(3n),
    le.u64(4n),
    ts,
    Buffer.from([0xfc, 0x28, 0x01]), // transaction_length 296 (packed)
    le.u32(0x8000_0000 + 90600),
    le.u32(80040),
    le.u64(12n),
  ]);
  const ev = decodeOne(p, T.GTID_LOG_EVENT, body);
  assert.ok(ev.type === 'gtid');
  assert.deepEqual(
    [
      ev.gno,
      ev.lastCommitted,
      ev.sequenceNumber,
      ev.immediateCommitTimestamp,
      ev.originalCommitTimestamp,
      ev.transactionLength,
      ev.immediateServerVersion,
      ev.originalServerVersion,
      ev.commitGroupTicket,
    ],
    [8n, 3, 4, 1770368687207196, 1770368687000000, 296, 90600, 80040, 12n],
  );
});

test('ANONYMOUS_GTID', () => {
  const ev = decodeOne(
    primedParser(),
    T.ANONYMOUS_GTID_LOG_EVENT,
    Buffer.concat([le.u8(1), Buffer.alloc(16), le.u64(0n)]),
  );
  assert.ok(ev.type === 'anonymous_gtid' && ev.gtid === 'ANONYMOUS');
});

test('GTID_TAGGED (MySQL 9.6.0 bytes)', () => {
  const body = Buffer.from(
    '027800000002aaee25020804650222c503c502e1029cc10311035502dead03040c060a6d7974616708000a040c7f1cf3b814244a0610a10412430f0b',
    'hex',
  );
  const ev = decodeOne(primedParser(), T.GTID_TAGGED_LOG_EVENT, body);
  assert.ok(ev.type === 'gtid_tagged');
  assert.equal(ev.gtid, '55778904-0299-11f1-b1b8-4ef0c4956feb:mytag:3');
  assert.deepEqual(
    [
      ev.tag,
      ev.gno,
      ev.lastCommitted,
      ev.sequenceNumber,
      ev.immediateCommitTimestamp,
      ev.originalCommitTimestamp,
      ev.transactionLength,
      ev.immediateServerVersion,
      ev.originalServerVersion,
    ],
    ['mytag', 3n, 0, 1, 1770368687207196, 1770368687207196, 296, 90600, 90600],
  );
});

// A newer server may add fields: the message header names the last non-ignorable one as its id + 1
// (mysql::serialization find_last_non_ignorable_field_id). The 9.6.0 event above with a field 12 added
// (size 62), once when field 11 is the last non-ignorable one (header 12: decoded, field 12 skipped) and
// once when field 12 is not ignorable (header 13: an error).
test('GTID_TAGGED from a newer server: unknown ignorable fields skipped, an unknown non-ignorable one refused', () => {
  const tail =
    '000002aaee25020804650222c503c502e1029cc10311035502dead03040c060a6d7974616708000a040c7f1cf3b814244a0610a10412430f0b';
  const withField12 = (header: string) => Buffer.from(`027c${header}${tail}180a`, 'hex');
  const ev = decodeOne(primedParser(), T.GTID_TAGGED_LOG_EVENT, withField12('18'));
  assert.ok(ev.type === 'gtid_tagged');
  assert.equal(ev.gtid, '55778904-0299-11f1-b1b8-4ef0c4956feb:mytag:3');
  assert.throws(
    () => decodeOne(primedParser(), T.GTID_TAGGED_LOG_EVENT, withField12('1a')),
    (e: unknown) => e instanceof DecodeError && /unknown non-ignorable field 12/.test(e.message),
  );
});

test('PREVIOUS_GTIDS untagged and tagged (MySQL 9.6.0 bytes)', () => {
  const p = primedParser();
  const untagged = Buffer.concat([
    le.u64(1n),
    SID,
    le.u64(2n),
    le.u64(1n),
    le.u64(14n),
    le.u64(20n),
    le.u64(21n),
  ]);
  const a = decodeOne(p, T.PREVIOUS_GTIDS_LOG_EVENT, untagged);
  assert.ok(a.type === 'previous_gtids');
  assert.equal(a.gtidSetText, '55778904-0299-11f1-b1b8-4ef0c4956feb:1-13:20');
  assert.equal(a.tagged, false);
  const tagged = Buffer.from(
    '010200000000000155778904029911f1b1b84ef0c4956feb00010000000000000001000000000000000e0000000000000055778904029911f1b1b84ef0c4956feb0a6d7974616701000000000000000100000000000000030000000000000000',
    'hex',
  ).subarray(0, -1);
  const b = decodeOne(p, T.PREVIOUS_GTIDS_LOG_EVENT, tagged);
  assert.ok(b.type === 'previous_gtids');
  assert.equal(b.gtidSetText, '55778904-0299-11f1-b1b8-4ef0c4956feb:1-13:mytag:1-2');
  assert.equal(b.tagged, true);
  assert.deepEqual(b.gtidSet[1], {
    uuid: '55778904-0299-11f1-b1b8-4ef0c4956feb',
    tag: 'mytag',
    intervals: [{ start: 1n, end: 2n }],
  });
});

test('PREVIOUS_GTIDS goes through the GTID library: its checks apply', () => {
  const p = primedParser();
  const set = (...iv: bigint[]): Buffer =>
    Buffer.concat([le.u64(1n), SID, le.u64(BigInt(iv.length / 2)), ...iv.map((n) => le.u64(n))]);
  // intervals out of order, empty, or touching the previous one are no encoding a server writes
  for (const iv of [
    [5n, 9n, 1n, 3n],
    [4n, 4n],
    [1n, 5n, 5n, 7n],
  ]) {
    assert.throws(
      () => decodeOne(p, T.PREVIOUS_GTIDS_LOG_EVENT, set(...iv)),
      (e: unknown) => e instanceof DecodeError && e.code === ErrorCode.ERR_BAD_EVENT,
      iv.join(','),
    );
  }
  // a format byte other than 0 (untagged) or 1 (tagged)
  const two = set(1n, 2n);
  two[7] = 2;
  assert.throws(
    () => decodeOne(p, T.PREVIOUS_GTIDS_LOG_EVENT, two),
    (e: unknown) => e instanceof DecodeError && e.code === ErrorCode.ERR_BAD_EVENT,
  );
  const ok = decodeOne(p, T.PREVIOUS_GTIDS_LOG_EVENT, Buffer.concat([le.u64(0n)]));
  assert.ok(ok.type === 'previous_gtids');
  assert.deepEqual([ok.gtidSet, ok.gtidSetText, ok.tagged], [[], '', false]);
});
