// Small events, bytes built from the layouts in mysql-server control_events.h / statement_events.h.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventType as T } from '../../../src/binlog/constants.js';
import { DecodeError, ErrorCode } from '../../../src/errors.js';
import { decodeOne, le, primedParser } from '../helpers.js';

test('INTVAR: type u8 + value u64', () => {
  const ev = decodeOne(
    primedParser(),
    T.INTVAR_EVENT,
    Buffer.concat([le.u8(2), le.u64(18446744073709551615n)]),
  );
  assert.deepEqual(
    [ev.type, ev.type === 'intvar' && ev.name, ev.type === 'intvar' && ev.value],
    ['intvar', 'INSERT_ID', 18446744073709551615n],
  );
});

test('RAND: two u64 seeds', () => {
  const ev = decodeOne(primedParser(), T.RAND_EVENT, Buffer.concat([le.u64(1n), le.u64(2n ** 63n)]));
  assert.ok(ev.type === 'rand');
  assert.equal(ev.seed1, 1n);
  assert.equal(ev.seed2, 2n ** 63n);
});

test('XID, STOP', () => {
  const p = primedParser();
  const x = decodeOne(p, T.XID_EVENT, le.u64(12345678901234n));
  assert.ok(x.type === 'xid' && x.xid === 12345678901234n);
  assert.equal(decodeOne(p, T.STOP_EVENT, Buffer.alloc(0)).type, 'stop');
});

test('INCIDENT: number u16, message length u8, message', () => {
  const ev = decodeOne(
    primedParser(),
    T.INCIDENT_EVENT,
    Buffer.concat([le.u16(1), le.u8(9), le.str('LOST_EVENTS')]).subarray(0, 12),
  );
  assert.ok(ev.type === 'incident');
  assert.equal(ev.incident, 1);
  assert.equal(ev.message, 'LOST_EVEN');
});

test('HEARTBEAT v1: the file name; the position is the header log_pos', () => {
  const ev = decodeOne(primedParser(), T.HEARTBEAT_LOG_EVENT, le.str('binlog.000042'), 1000);
  assert.ok(ev.type === 'heartbeat');
  assert.equal(ev.version, 1);
  assert.equal(ev.logFile, 'binlog.000042');
  assert.equal(ev.sourcePos, ev.logPos);
});

test('HEARTBEAT v2: type/length/value fields (codecs/binary.cpp), unknown fields skipped', () => {
  const body = Buffer.concat([
    Buffer.from([1, 13]),
    le.str('binlog.000042'),
    Buffer.from([9, 2, 0xaa, 0xbb]), // a field from the future
    Buffer.from([2, 4, 0xfd, 0x40, 0x42, 0x0f]), // position 1000000 as a packed integer
    Buffer.from([0]),
  ]);
  const ev = decodeOne(primedParser(), T.HEARTBEAT_LOG_EVENT_V2, body);
  assert.ok(ev.type === 'heartbeat');
  assert.deepEqual([ev.version, ev.logFile, ev.sourcePos], [2, 'binlog.000042', 1_000_000]);
});

test('ROWS_QUERY: the length byte is ignored, the query runs to the end', () => {
  const q = 'INSERT INTO t VALUES (1)'.repeat(12);
  const ev = decodeOne(
    primedParser(),
    T.ROWS_QUERY_LOG_EVENT,
    Buffer.concat([le.u8(q.length % 256), le.str(q)]),
  );
  assert.ok(ev.type === 'rows_query' && ev.query === q);
});

test('IGNORABLE keeps its bytes; truncated fixed fields are ERR_TRUNCATED', () => {
  const p = primedParser();
  const ev = decodeOne(p, T.IGNORABLE_LOG_EVENT, '0102');
  assert.ok(ev.type === 'ignorable' && ev.raw.equals(Buffer.from([1, 2])));
  assert.throws(
    () => decodeOne(p, T.XID_EVENT, '01020304'),
    (e: unknown) => e instanceof DecodeError && e.code === ErrorCode.ERR_TRUNCATED && e.pos === 1000,
  );
});
