// TRANSACTION_CONTEXT, VIEW_CHANGE and XA_PREPARE (mysql-server control_events.cpp).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventType as T } from '../../../src/binlog/constants.js';
import { decodeOne, le, primedParser } from '../helpers.js';

test('TRANSACTION_CONTEXT', () => {
  const uuid = '8a94f357-aab4-11df-86ab-c80aa9429562';
  const body = Buffer.concat([
    le.u8(uuid.length),
    le.u32(12),
    le.u8(1),
    le.u32(3),
    le.u32(2),
    le.u32(1),
    le.str(uuid),
    Buffer.from([1, 2, 3]),
    le.u16(4),
    le.str('w1w1'),
    le.u16(2),
    le.str('w2'),
    le.u16(3),
    le.str('r1r'),
  ]);
  const ev = decodeOne(primedParser(), T.TRANSACTION_CONTEXT_EVENT, body);
  assert.ok(ev.type === 'transaction_context');
  assert.deepEqual(
    [ev.serverUuid, ev.threadId, ev.gtidSpecified, [...ev.snapshotVersion], ev.writeSet, ev.readSet],
    [uuid, 12, true, [1, 2, 3], ['w1w1', 'w2'], ['r1r']],
  );
});

test('VIEW_CHANGE', () => {
  const id = Buffer.alloc(40);
  id.write('15000000000000001:1');
  const body = Buffer.concat([
    id,
    le.u64(9n),
    le.u32(1),
    le.u16(3),
    le.str('key'),
    le.u32(5),
    le.str('value'),
  ]);
  const ev = decodeOne(primedParser(), T.VIEW_CHANGE_EVENT, body);
  assert.ok(ev.type === 'view_change');
  assert.deepEqual(
    [ev.viewId, ev.seqNumber, ev.certificationInfo],
    ['15000000000000001:1', 9n, [['key', 'value']]],
  );
});

test('XA_PREPARE', () => {
  const body = Buffer.concat([le.u8(1), le.u32(1), le.u32(3), le.u32(2), le.str('gtrbq')]);
  const ev = decodeOne(primedParser(), T.XA_PREPARE_LOG_EVENT, body);
  assert.ok(ev.type === 'xa_prepare');
  assert.deepEqual(
    [ev.onePhase, ev.formatId, ev.gtrid.toString(), ev.bqual.toString()],
    [true, 1, 'gtr', 'bq'],
  );
});
