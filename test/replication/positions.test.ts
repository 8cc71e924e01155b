import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LOG_EVENT_ARTIFICIAL_F, PositionTracker } from '../../src/replication/positions.js';

test('a dump from offset 4: fake rotate, then events placed by end_log_pos', () => {
  const t = new PositionTracker('', 4);
  assert.deepEqual(t.place(4, 44, 0, LOG_EVENT_ARTIFICIAL_F), {
    file: '',
    pos: 4,
    next: 4,
    artificial: true,
  });
  t.rotate('binlog.000001', 4);
  assert.deepEqual(t.place(15, 126, 130, 0), { file: 'binlog.000001', pos: 4, next: 130, artificial: false });
  assert.deepEqual(t.place(35, 71, 201, 0), {
    file: 'binlog.000001',
    pos: 130,
    next: 201,
    artificial: false,
  });
});

/** A dump from `pos` of `file`: the fake ROTATE naming it, then the re-sent FORMAT_DESCRIPTION (end_log_pos 0). */
function dumpFromTheMiddle(file: string, pos: number): PositionTracker {
  const t = new PositionTracker(file, pos);
  t.place(4, 44, 0, LOG_EVENT_ARTIFICIAL_F);
  t.rotate(file, pos);
  assert.equal(t.place(15, 126, 0, 0).artificial, true);
  return t;
}

test('a dump from the middle: the re-sent FORMAT_DESCRIPTION (end_log_pos 0) takes no room', () => {
  const t = dumpFromTheMiddle('binlog.000003', 1000);
  assert.deepEqual(t.place(33, 79, 1079, 0), {
    file: 'binlog.000003',
    pos: 1000,
    next: 1079,
    artificial: false,
  });
});

test('MariaDB 11.4+: end_log_pos 0 inside a transaction is carried forward from lengths', () => {
  const t = new PositionTracker('mariadb-bin.000001', 400);
  const gtid = t.place(162, 38, 438, 0);
  const map = t.place(19, 60, 0, 0);
  const rows = t.place(23, 50, 0, 0);
  const xid = t.place(16, 31, 579, 0);
  assert.deepEqual([gtid.pos, map.pos, rows.pos, xid.pos, xid.next], [400, 438, 498, 548, 579]);
});

test('heartbeats never move the position', () => {
  const t = new PositionTracker('b.1', 500);
  assert.equal(t.place(27, 39, 900, 0).artificial, true);
  assert.equal(t.place(41, 50, 900, 0).artificial, true);
  assert.equal(t.nextPos, 500);
});

test('past 4 GiB the carried position wins over the wrapped end_log_pos', () => {
  const t = new PositionTracker('b.1', 2 ** 32 + 100);
  const p = t.place(30, 1000, 1100, 0);
  assert.deepEqual([p.pos, p.next], [2 ** 32 + 100, 2 ** 32 + 1100]);
});

test('an encrypted MariaDB file from the middle: the START_ENCRYPTION re-sent after the FDE takes no room', () => {
  const t = dumpFromTheMiddle('mariadb-bin.000002', 658);
  // as sent: end_log_pos 0, flags LOG_EVENT_IGNORABLE_F (0x80)
  assert.equal(t.place(164, 40, 0, 0x80).artificial, true);
  assert.deepEqual(t.place(16, 31, 689, 0), {
    file: 'mariadb-bin.000002',
    pos: 658,
    next: 689,
    artificial: false,
  });
});

test('the artificial flag on an event that carries data (damage) does not take it out of the file', () => {
  // a source flags only the events it adds to the stream (rotate, re-sent FDE, GTID_LIST…); a rows or
  // XID event flagged so would be dropped as one of those
  const t = new PositionTracker('b.1', 1000);
  for (const code of [2, 16, 19, 23, 30, 33, 162]) {
    const p = t.place(code, 50, t.nextPos + 50, LOG_EVENT_ARTIFICIAL_F);
    assert.equal(p.artificial, false, `code ${code}`);
  }
  assert.equal(t.nextPos, 1350);
  assert.equal(t.place(4, 44, 0, LOG_EVENT_ARTIFICIAL_F).artificial, true);
});

test('carried: where the last event starts by lengths, whatever its end_log_pos says', () => {
  const t = new PositionTracker('b.1', 1000);
  const p = t.place(30, 100, 70_000, 0);
  assert.equal(p.pos, 69_900);
  assert.equal(t.carried, 1000);
});
