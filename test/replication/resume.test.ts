import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareFiles, ResumeTracker, type TrackedEvent } from '../../src/replication/resume.js';

class ListState {
  items: string[] = [];
  add(g: string) {
    this.items.push(g);
  }
  toString() {
    return this.items.join(',');
  }
}

function feed(t: ResumeTracker, file: string, events: TrackedEvent[]): boolean[] {
  return events.map((ev) => {
    const place = t.placeOf(file, ev);
    if (t.isDuplicate(place, ev)) {
      t.skipped(ev); // as the stream does
      return false;
    }
    t.delivered(file, place, ev);
    return true;
  });
}

const trx = (at: number, gtid: string): TrackedEvent[] => [
  { type: 'gtid', pos: at, next: at + 70, gtid },
  { type: 'query', pos: at + 70, next: at + 150, query: 'BEGIN' },
  { type: 'table_map', pos: at + 150, next: at + 200 },
  { type: 'write_rows', pos: at + 200, next: at + 300 },
  { type: 'xid', pos: at + 300, next: at + 331 },
];

test('the resume point moves only at commits and carries the GTID state', () => {
  const state = new ListState();
  const t = new ResumeTracker({ file: 'b.000001', pos: 4 }, state);
  const events = trx(4, 'u:1');
  feed(t, 'b.000001', events.slice(0, 4));
  assert.deepEqual(t.resumePoint, { file: 'b.000001', pos: 4, gtid: '' });
  assert.equal(t.inTransaction, true);
  feed(t, 'b.000001', events.slice(4));
  assert.deepEqual(t.resumePoint, { file: 'b.000001', pos: 335, gtid: 'u:1' });
});

test('after a reconnect mid-transaction the replayed events already delivered are skipped', () => {
  const t = new ResumeTracker({ file: 'b.000001', pos: 4 });
  const first = trx(4, 'u:1');
  const second = trx(335, 'u:2');
  assert.deepEqual(feed(t, 'b.000001', [...first, ...second.slice(0, 3)]), Array(8).fill(true));
  // connection lost; the dump restarts at the resume point, i.e. the start of the second transaction
  assert.equal(t.resumePoint.pos, 335);
  t.restarted();
  assert.deepEqual(feed(t, 'b.000001', second), [false, false, false, true, true]);
  assert.equal(t.resumePoint.pos, 666);
});

test('replayed events keep the transaction open: the resume point stays at its start, its GTID counts', () => {
  const state = new ListState();
  const t = new ResumeTracker({ file: 'b.000001', pos: 4 }, state);
  const first = trx(4, 'u:1');
  const second = trx(335, 'u:2');
  feed(t, 'b.000001', [...first, ...second.slice(0, 3)]);
  t.restarted();
  // replayed: GTID, BEGIN, TABLE_MAP skipped; the rows event is new
  assert.deepEqual(feed(t, 'b.000001', second.slice(0, 4)), [false, false, false, true]);
  assert.equal(t.inTransaction, true);
  assert.deepEqual(t.resumePoint, { file: 'b.000001', pos: 335, gtid: 'u:1' }, 'not inside the transaction');
  // cut again before the XID: the dump must restart at the transaction's start, not at its rows event
  t.restarted();
  assert.deepEqual(feed(t, 'b.000001', second), [false, false, false, false, true]);
  assert.deepEqual(
    t.resumePoint,
    { file: 'b.000001', pos: 666, gtid: 'u:1,u:2' },
    'the GTID of the replayed transaction',
  );
});

test('a DDL statement without BEGIN is its own transaction; MariaDB standalone too', () => {
  const t = new ResumeTracker({ file: 'm.000001', pos: 4 });
  feed(t, 'm.000001', [
    { type: 'mariadb_gtid', pos: 4, next: 42, gtid: '0-1-1', standalone: true },
    { type: 'query', pos: 42, next: 120, query: 'CREATE TABLE t (a INT)' },
  ]);
  assert.equal(t.resumePoint.pos, 120);
  assert.equal(t.inTransaction, false);
});

test('statement-based DML inside BEGIN … COMMIT, or after a MariaDB GTID event (its BEGIN), does not end the transaction', () => {
  for (const opening of [
    { type: 'query', pos: 4, next: 50, query: 'BEGIN' },
    { type: 'mariadb_gtid', pos: 4, next: 50, gtid: '0-1-1', standalone: false },
  ] as TrackedEvent[]) {
    const t = new ResumeTracker({ file: 'm.000001', pos: 4 });
    feed(t, 'm.000001', [
      opening,
      { type: 'query', pos: 50, next: 100, query: 'INSERT INTO t VALUES (1)' },
      { type: 'query', pos: 100, next: 160, query: 'INSERT INTO t VALUES (2)' },
    ]);
    assert.equal(t.resumePoint.pos, 4, opening.type);
    feed(t, 'm.000001', [{ type: 'query', pos: 160, next: 190, query: 'COMMIT' }]);
    assert.equal(t.resumePoint.pos, 190, opening.type);
  }
});

test('events inside a transaction payload are ordered by their index', () => {
  const t = new ResumeTracker({ file: 'b.000001', pos: 4 });
  const inner = (n: number): TrackedEvent => ({
    type: n === 3 ? 'xid' : 'write_rows',
    pos: 100,
    next: 900,
    payload: 100,
  });
  feed(t, 'b.000001', [
    { type: 'gtid', pos: 4, next: 100, gtid: 'u:5' },
    { type: 'transaction_payload', pos: 100, next: 900 },
    inner(1),
    inner(2),
  ]);
  t.restarted();
  const again = feed(t, 'b.000001', [
    { type: 'gtid', pos: 4, next: 100, gtid: 'u:5' },
    { type: 'transaction_payload', pos: 100, next: 900 },
    inner(1),
    inner(2),
    inner(3),
  ]);
  assert.deepEqual(again, [false, false, false, false, true]);
  assert.equal(t.resumePoint.pos, 900);
});

test('rotation moves the resume point to the next file between transactions', () => {
  const t = new ResumeTracker({ file: 'b.000009', pos: 4 });
  feed(t, 'b.000009', trx(4, 'u:1'));
  t.rotated('b.000010', 4);
  assert.deepEqual(t.resumePoint, { file: 'b.000010', pos: 4 });
  assert.ok(compareFiles('b.000010', 'b.000009') > 0);
  assert.ok(compareFiles('b.1000000', 'b.999999') > 0);
});

test('a transaction cut off by a crash: open while handed out in part; its ROLLBACK counts no GTID', () => {
  const state = new ListState();
  const t = new ResumeTracker({ file: 'b.000001', pos: 4 }, state);
  assert.equal(t.openDelivered, undefined);
  feed(t, 'b.000001', trx(4, '0-1-1'));
  assert.equal(t.openDelivered, undefined, 'whole transactions only');
  const cut = trx(335, '0-1-2').slice(0, 4);
  feed(t, 'b.000001', cut);
  assert.deepEqual(t.openDelivered, { file: 'b.000001', next: 635 });
  // also after a reconnect (the replay has not begun yet)
  t.restarted();
  assert.deepEqual(t.openDelivered, { file: 'b.000001', next: 635 });
  const rollback: TrackedEvent = { type: 'query', query: 'ROLLBACK', pos: 635, next: 635 };
  t.cutOff('b.000001', { file: 'b.000001', pos: 635, sub: 0 }, rollback);
  assert.equal(t.openDelivered, undefined);
  assert.deepEqual(t.resumePoint, { file: 'b.000001', pos: 635, gtid: '0-1-1' });
  t.rotated('b.000002', 4);
  assert.deepEqual(t.resumePoint, { file: 'b.000002', pos: 4, gtid: '0-1-1' });
  // the server gives the cut transaction's GTID to its next one: it counts once delivered
  feed(t, 'b.000002', trx(300, '0-1-2'));
  assert.deepEqual(state.items, ['0-1-1', '0-1-2']);
});

test('a source ROLLBACK statement (not a cut) counts its GTID', () => {
  const state = new ListState();
  const t = new ResumeTracker({ file: 'b.000001', pos: 4 }, state);
  const events = trx(4, '0-1-1');
  events[4] = { type: 'query', pos: 304, next: 335, query: 'ROLLBACK' };
  feed(t, 'b.000001', events);
  assert.deepEqual(state.items, ['0-1-1']);
  assert.equal(t.openDelivered, undefined);
});

test('savepoints inside a transaction do not end it: MySQL (BEGIN) and MariaDB (the GTID event is the BEGIN)', () => {
  for (const start of [
    [
      { type: 'gtid', pos: 4, next: 70, gtid: 'u:1' },
      { type: 'query', pos: 70, next: 120, query: 'BEGIN' },
    ],
    [{ type: 'mariadb_gtid', pos: 4, next: 120, gtid: '0-1-1', standalone: false }],
  ] as TrackedEvent[][]) {
    const state = new ListState();
    const t = new ResumeTracker({ file: 'b.000001', pos: 4 }, state);
    feed(t, 'b.000001', [
      ...start,
      { type: 'query', pos: 120, next: 160, query: 'SAVEPOINT `a`' },
      { type: 'table_map', pos: 160, next: 200 },
      { type: 'write_rows', pos: 200, next: 300 },
      { type: 'query', pos: 300, next: 340, query: 'ROLLBACK TO `a`' },
      { type: 'query', pos: 340, next: 380, query: 'ROLLBACK WORK TO SAVEPOINT b' },
    ]);
    assert.deepEqual(t.resumePoint, { file: 'b.000001', pos: 4, gtid: '' }, 'still at the start');
    assert.deepEqual(t.openDelivered, { file: 'b.000001', next: 380 });
    feed(t, 'b.000001', [{ type: 'xid', pos: 380, next: 411 }]);
    assert.equal(t.resumePoint.pos, 411);
    assert.equal(state.items.length, 1);
  }
});

test('a transaction past the resume point (the source skipped what a GTID state holds): the resume point moves up to its start', () => {
  const state = new ListState();
  state.add('u:1-3');
  const t = new ResumeTracker({ file: 'b.000003', pos: 4, gtid: 'u:1-3' }, state);
  // a dump by GTID: the preamble, then the source leaves out u:1-3 (709..1345) and sends u:4
  feed(t, 'b.000003', [{ type: 'format_description', pos: 4, next: 256 }]);
  feed(t, 'b.000003', [{ type: 'previous_gtids', pos: 256, next: 709 }]);
  assert.deepEqual(t.resumePoint, { file: 'b.000003', pos: 709, gtid: 'u:1-3' });
  feed(t, 'b.000003', [{ type: 'gtid', pos: 1345, next: 1424, gtid: 'u:4' }]);
  assert.deepEqual(t.resumePoint, { file: 'b.000003', pos: 1345, gtid: 'u:1-3' }, 'at the start of u:4');
  feed(t, 'b.000003', [{ type: 'query', pos: 1424, next: 1500, query: 'BEGIN' }]);
  assert.equal(t.resumePoint.pos, 1345, 'not inside it');
  feed(t, 'b.000003', [{ type: 'xid', pos: 1500, next: 1531 }]);
  assert.deepEqual(t.resumePoint, { file: 'b.000003', pos: 1531, gtid: 'u:1-3,u:4' });
});

test('a reconnect by GTID between transactions: the resume point stays where it was through the replay', () => {
  const t = new ResumeTracker({ file: 'b.000005', pos: 4 }, new ListState());
  feed(t, 'b.000005', [...trx(4, 'u:1'), ...trx(400, 'u:2')]);
  const before = t.resumePoint;
  t.restarted(true);
  // the new dump's fake ROTATE names the start of the file, then the preamble comes again
  t.rotated('b.000005', 4);
  assert.deepEqual(t.resumePoint, before, 'not back at 4');
  assert.deepEqual(feed(t, 'b.000005', [{ type: 'format_description', pos: 4, next: 120 }]), [false]);
  assert.deepEqual(t.resumePoint, before);
});

test('nothing is open after a commit, also once a new dump has moved the resume point', () => {
  const t = new ResumeTracker({ file: 'b.000007', pos: 4 }, new ListState());
  feed(t, 'b.000007', trx(4, 'u:1'));
  // a GTID dump starts again in the same file: its fake ROTATE names (file, 4)
  t.restarted();
  t.rotated('b.000007', 4);
  assert.equal(t.openDelivered, undefined);
});

test('a MySQL XA transaction is one transaction up to XA_PREPARE; XA COMMIT is one of its own', () => {
  const state = new ListState();
  const t = new ResumeTracker({ file: 'b.000001', pos: 4 }, state);
  // as MySQL 9.7 logs XA START 'a1'; INSERT; XA END 'a1'; XA PREPARE 'a1'; XA COMMIT 'a1'
  const prepare: TrackedEvent[] = [
    { type: 'gtid', pos: 529, next: 608, gtid: 'u:3' },
    { type: 'query', pos: 608, next: 696, query: "XA START X'6131',X'',1" },
    { type: 'table_map', pos: 696, next: 740 },
    { type: 'write_rows', pos: 740, next: 780 },
    { type: 'query', pos: 780, next: 866, query: "XA END X'6131',X'',1" },
  ];
  // (the transaction starts at 529, past the resume point: the resume point moves up to its start, then
  // stays there while it is open)
  for (const ev of prepare) {
    feed(t, 'b.000001', [ev]);
    assert.deepEqual(t.resumePoint, { file: 'b.000001', pos: 529, gtid: '' }, `after ${ev.type} ${ev.pos}`);
  }
  feed(t, 'b.000001', [{ type: 'xa_prepare', pos: 866, next: 904 }]);
  assert.deepEqual(t.resumePoint, { file: 'b.000001', pos: 904, gtid: 'u:3' });
  feed(t, 'b.000001', [{ type: 'gtid', pos: 904, next: 981, gtid: 'u:4' }]);
  assert.equal(t.resumePoint.pos, 904);
  feed(t, 'b.000001', [{ type: 'query', pos: 981, next: 1070, query: "XA COMMIT X'6131',X'',1" }]);
  assert.deepEqual(t.resumePoint, { file: 'b.000001', pos: 1070, gtid: 'u:3,u:4' });
});

// A dump restarted by GTID can come from other files than the places were taken in: a source rebuilt from
// a backup or failed over keeps its GTIDs and starts its binlog numbering again.
test('by GTID after a reconnect, a source with renumbered files: new transactions are new, whatever their place', () => {
  const t = new ResumeTracker({ file: 'b.000006', pos: 4 }, new ListState());
  assert.deepEqual(feed(t, 'b.000006', [...trx(4, 'u:1'), ...trx(400, 'u:2')]), Array(10).fill(true));
  t.restarted(true);
  // the new source's first file, its preamble (at places already passed in b.000006), then u:3 and u:4
  const preamble: TrackedEvent[] = [{ type: 'format_description', pos: 4, next: 120 }];
  assert.deepEqual(feed(t, 'b.000001', preamble), [false]);
  assert.deepEqual(feed(t, 'b.000001', [...trx(120, 'u:3'), ...trx(500, 'u:4')]), Array(10).fill(true));
  assert.deepEqual(t.resumePoint, { file: 'b.000001', pos: 831, gtid: 'u:1,u:2,u:3,u:4' });
});

test('by GTID after a reconnect mid-transaction: the cut transaction skipped by count on the same or a renumbered source', () => {
  for (const [file, at] of [
    ['b.000006', 400], // the same source: the same places
    ['b.000001', 120], // renumbered: earlier places
  ] as const) {
    const t = new ResumeTracker({ file: 'b.000006', pos: 4 }, new ListState());
    feed(t, 'b.000006', trx(4, 'u:1'));
    assert.deepEqual(feed(t, 'b.000006', trx(400, 'u:2').slice(0, 3)), [true, true, true]);
    t.restarted(true);
    t.restarted(true); // a failed attempt in between changes nothing
    assert.deepEqual(feed(t, file, trx(at, 'u:2')), [false, false, false, true, true], file);
    assert.deepEqual(feed(t, file, trx(at + 400, 'u:3')), Array(5).fill(true));
    assert.equal(t.resumePoint.gtid, 'u:1,u:2,u:3');
  }
});

test('by GTID after a crash: the cut GTID given to another transaction in a later file is a new transaction', () => {
  const t = new ResumeTracker({ file: 'b.000006', pos: 4 }, new ListState());
  feed(t, 'b.000006', trx(4, 'u:1'));
  feed(t, 'b.000006', trx(400, 'u:2').slice(0, 3));
  t.restarted(true);
  // recovery rolled u:2 back; the restarted source's next file has another transaction with GTID u:2
  assert.deepEqual(feed(t, 'b.000007', trx(120, 'u:2')), Array(5).fill(true));
});

test('by position after a reconnect: places decide, as before', () => {
  const t = new ResumeTracker({ file: 'b.000006', pos: 4 }, new ListState());
  feed(t, 'b.000006', trx(4, 'u:1'));
  t.restarted(false);
  assert.deepEqual(feed(t, 'b.000001', trx(120, 'u:2')), Array(5).fill(false));
});
