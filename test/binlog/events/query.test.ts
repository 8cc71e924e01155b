// QUERY_EVENT with every status variable (statement_events.cpp Query_event; MariaDB log_event.cc), the
// stop-at-unknown-code rule, MariaDB QUERY_COMPRESSED and EXECUTE_LOAD_QUERY.
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { test } from 'node:test';
import { EventType as T } from '../../../src/binlog/constants.js';
import { decodeOne, le, primedParser } from '../helpers.js';

function queryBody(status: Buffer, db: string, query: Buffer | string, extraPost = Buffer.alloc(0)): Buffer {
  const q = typeof query === 'string' ? le.str(query) : query;
  return Buffer.concat([
    le.u32(99), // thread id
    le.u32(3), // exec time
    le.u8(Buffer.byteLength(db)),
    le.u16(1146), // error code
    le.u16(status.length),
    extraPost,
    status,
    le.str(db),
    le.u8(0),
    q,
  ]);
}

test('every MySQL status variable', () => {
  const status = Buffer.concat([
    Buffer.from([0]),
    le.u32(0x4000),
    Buffer.from([1]),
    le.u64(1436549152n),
    Buffer.from([2]),
    le.u8(3),
    le.str('std'),
    le.u8(0),
    Buffer.from([3]),
    le.u16(2),
    le.u16(5),
    Buffer.from([4]),
    le.u16(255),
    le.u16(255),
    le.u16(45),
    Buffer.from([5]),
    le.u8(6),
    le.str('+00:00'),
    Buffer.from([6]),
    le.u8(3),
    le.str('def'),
    Buffer.from([7]),
    le.u16(1),
    Buffer.from([8]),
    le.u16(33),
    Buffer.from([9]),
    le.u64(5n),
    Buffer.from([10]),
    le.u32(1234),
    Buffer.from([11]),
    le.u8(4),
    le.str('root'),
    le.u8(9),
    le.str('localhost'),
    Buffer.from([12]),
    le.u8(2),
    le.str('db1'),
    le.u8(0),
    le.str('db2'),
    le.u8(0),
    Buffer.from([13]),
    Buffer.from([0x40, 0x42, 0x0f]),
    Buffer.from([16]),
    le.u8(1),
    Buffer.from([17]),
    le.u64(77n),
    Buffer.from([18]),
    le.u16(255),
    Buffer.from([19]),
    le.u8(1),
    Buffer.from([20]),
    le.u8(0),
  ]);
  const ev = decodeOne(primedParser(), T.QUERY_EVENT, queryBody(status, 'shop', 'CREATE TABLE x (a INT)'));
  assert.ok(ev.type === 'query');
  assert.deepEqual(
    [ev.threadId, ev.execTime, ev.errorCode, ev.schema, ev.query],
    [99, 3, 1146, 'shop', 'CREATE TABLE x (a INT)'],
  );
  assert.deepEqual(ev.statusVars, {
    flags2: 0x4000,
    sqlMode: 1436549152n,
    catalog: 'def',
    autoIncrementIncrement: 2,
    autoIncrementOffset: 5,
    charsetClient: 255,
    collationConnection: 255,
    collationServer: 45,
    timeZone: '+00:00',
    lcTimeNames: 1,
    charsetDatabase: 33,
    tableMapForUpdate: 5n,
    masterDataWritten: 1234,
    invokerUser: 'root',
    invokerHost: 'localhost',
    updatedDbNames: ['db1', 'db2'],
    microseconds: 1_000_000,
    explicitDefaultsTs: true,
    ddlXid: 77n,
    defaultCollationForUtf8mb4: 255,
    sqlRequirePrimaryKey: 1,
    defaultTableEncryption: 0,
  });
});

test('an unknown status variable stops the parsing, as the server does; the query still decodes', () => {
  const status = Buffer.concat([
    Buffer.from([0]),
    le.u32(1),
    Buffer.from([99, 1, 2, 3]),
    Buffer.from([3]),
    le.u16(9),
    le.u16(9),
  ]);
  const ev = decodeOne(primedParser(), T.QUERY_EVENT, queryBody(status, '', 'BEGIN'));
  assert.ok(ev.type === 'query');
  assert.deepEqual(ev.statusVars, { flags2: 1, unknownCode: 99 });
  assert.equal(ev.query, 'BEGIN');
});

test('"too many databases" (254) in UPDATED_DB_NAMES is null', () => {
  const ev = decodeOne(
    primedParser(),
    T.QUERY_EVENT,
    queryBody(Buffer.from([12, 254]), 'd', 'DROP DATABASE d'),
  );
  assert.ok(ev.type === 'query' && ev.statusVars.updatedDbNames === null);
});

test('MariaDB status variables 128-131 (131 may come before 4, MariaDB 11.5+)', () => {
  const status = Buffer.concat([
    Buffer.from([131]),
    le.u8(1),
    le.u16(45),
    le.u16(224),
    Buffer.from([4]),
    le.u16(45),
    le.u16(45),
    le.u16(8),
    Buffer.from([128]),
    Buffer.from([1, 0, 0]),
    Buffer.from([129]),
    le.u64(4242n),
    Buffer.from([130]),
    le.u8(0x04),
    le.u64(17n),
  ]);
  const ev = decodeOne(
    primedParser('mariadb'),
    T.QUERY_EVENT,
    queryBody(status, 'db', 'ALTER TABLE t ADD c INT'),
  );
  assert.ok(ev.type === 'query');
  assert.deepEqual(ev.statusVars, {
    characterSetCollations: [[45, 224]],
    charsetClient: 45,
    collationConnection: 45,
    collationServer: 8,
    hrnow: 1,
    xid: 4242n,
    gtidFlags3: 4,
    saSeqNo: 17n,
  });
});

test('MariaDB QUERY_COMPRESSED: the query is zlib with the 1-byte header and big-endian length', () => {
  const q = "INSERT INTO t VALUES ('" + 'x'.repeat(300) + "')";
  const z = deflateSync(Buffer.from(q));
  const block = Buffer.concat([Buffer.from([0x82, q.length >> 8, q.length & 0xff]), z]);
  const ev = decodeOne(
    primedParser('mariadb'),
    T.QUERY_COMPRESSED_EVENT,
    queryBody(Buffer.alloc(0), 'db', block),
  );
  assert.ok(ev.type === 'query');
  assert.equal(ev.compressed, true);
  assert.equal(ev.query, q);
});

test('EXECUTE_LOAD_QUERY: the query post-header plus file id, positions and duplicate handling', () => {
  const extra = Buffer.concat([le.u32(5), le.u32(10), le.u32(20), le.u8(1)]);
  const ev = decodeOne(
    primedParser(),
    T.EXECUTE_LOAD_QUERY_EVENT,
    queryBody(Buffer.alloc(0), 'db', "LOAD DATA INFILE 'x' INTO TABLE t", extra),
  );
  assert.ok(ev.type === 'execute_load_query');
  assert.deepEqual(
    [ev.fileId, ev.startPos, ev.endPos, ev.dupHandling, ev.query],
    [5, 10, 20, 1, "LOAD DATA INFILE 'x' INTO TABLE t"],
  );
});
