// MariaDB events (sql/log_event.h, log_event.cc): GTID with every optional part, GTID_LIST,
// BINLOG_CHECKPOINT, ANNOTATE_ROWS, START_ENCRYPTION.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventType as T } from '../../../src/binlog/constants.js';
import { decodeOne, le, primedParser } from '../helpers.js';

const pad = (b: Buffer, n: number): Buffer => Buffer.concat([b, Buffer.alloc(Math.max(0, n - b.length))]);

test('GTID: standalone DDL, zero-padded to the 19-byte post-header', () => {
  const ev = decodeOne(
    primedParser('mariadb'),
    T.GTID_EVENT,
    pad(Buffer.concat([le.u64(42n), le.u32(3), le.u8(0x21)]), 19),
  );
  assert.ok(ev.type === 'mariadb_gtid');
  assert.deepEqual(
    [ev.gtid, ev.domainId, ev.seqNo, ev.standalone, ev.gtidFlags],
    ['3-7-42', 3, 42n, true, 0x21],
  );
  assert.equal(ev.commitId, undefined);
});

test('GTID: group commit id, XA xid, extra engines, alter seq no and thread id', () => {
  const body = Buffer.concat([
    le.u64(5n),
    le.u32(0),
    le.u8(0x02 | 0x40), // FL_GROUP_COMMIT_ID | FL_PREPARED_XA
    le.u64(900n),
    le.u32(1), // format id
    le.u8(2),
    le.u8(1),
    le.str('abc'),
    le.u8(0x01 | 0x04 | 0x10), // FL_EXTRA_MULTI_ENGINE | FL_COMMIT_ALTER | FL_EXTRA_THREAD_ID
    le.u8(2),
    le.u64(4n),
    le.u32(1234),
  ]);
  const ev = decodeOne(primedParser('mariadb'), T.GTID_EVENT, body);
  assert.ok(ev.type === 'mariadb_gtid');
  assert.equal(ev.commitId, 900n);
  assert.equal(ev.xid?.formatId, 1);
  assert.equal(ev.xid?.gtrid.toString(), 'ab');
  assert.equal(ev.xid?.bqual.toString(), 'c');
  assert.deepEqual([ev.flagsExtra, ev.extraEngines, ev.saSeqNo, ev.threadId], [0x15, 2, 4n, 1234]);
});

test('GTID_LIST: count in the low 28 bits, flags in the high 4', () => {
  const body = Buffer.concat([
    le.u32(2 | (1 << 28)),
    le.u32(0),
    le.u32(1),
    le.u64(10n),
    le.u32(1),
    le.u32(2),
    le.u64(20n),
  ]);
  const ev = decodeOne(primedParser('mariadb'), T.GTID_LIST_EVENT, body);
  assert.ok(ev.type === 'mariadb_gtid_list');
  assert.equal(ev.listFlags, 1);
  assert.equal(ev.gtidListText, '0-1-10,1-2-20');
});

test('BINLOG_CHECKPOINT, ANNOTATE_ROWS, START_ENCRYPTION', () => {
  const p = primedParser('mariadb', { stream: true });
  const c = decodeOne(
    p,
    T.BINLOG_CHECKPOINT_EVENT,
    Buffer.concat([le.u32(17), le.str('mariadb-bin.000003')]).subarray(0, 21),
  );
  assert.ok(c.type === 'mariadb_binlog_checkpoint' && c.binlogFile === 'mariadb-bin.00000');
  const a = decodeOne(p, T.ANNOTATE_ROWS_EVENT, le.str('INSERT INTO t VALUES (1)'));
  assert.ok(a.type === 'mariadb_annotate_rows' && a.query === 'INSERT INTO t VALUES (1)');
  const s = decodeOne(p, T.START_ENCRYPTION_EVENT, Buffer.concat([le.u8(1), le.u32(7), Buffer.alloc(12, 9)]));
  assert.ok(s.type === 'mariadb_start_encryption' && s.keyVersion === 7 && s.nonce.length === 12);
  // in a replication stream the server decrypts: events after it still decode
  assert.equal(decodeOne(p, T.XID_EVENT, le.u64(1n)).type, 'xid');
});
