// LOAD DATA events (load_data_events.h; MySQL 5.0 log_event.cc for the old ones).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventType as T } from '../../../src/binlog/constants.js';
import { decodeOne, le, primedParser } from '../helpers.js';

test('BEGIN_LOAD_QUERY / APPEND_BLOCK: file id and data; EXEC_LOAD / DELETE_FILE: file id', () => {
  const p = primedParser();
  const b = decodeOne(p, T.BEGIN_LOAD_QUERY_EVENT, Buffer.concat([le.u32(3), le.str('1,2\n3,4\n')]));
  assert.ok(b.type === 'begin_load_query' && b.fileId === 3 && b.block.toString() === '1,2\n3,4\n');
  const a = decodeOne(p, T.APPEND_BLOCK_EVENT, Buffer.concat([le.u32(3), le.str('5,6\n')]));
  assert.ok(a.type === 'append_block' && a.block.toString() === '5,6\n');
  const x = decodeOne(p, T.EXEC_LOAD_EVENT, le.u32(3));
  assert.ok(x.type === 'exec_load' && x.fileId === 3);
  const d = decodeOne(p, T.DELETE_FILE_EVENT, le.u32(3));
  assert.ok(d.type === 'delete_file' && d.fileId === 3);
});

test('NEW_LOAD: post-header, length-prefixed sql_ex, fields, table, db, file name', () => {
  const lp = (s: string): Buffer => Buffer.concat([le.u8(s.length), le.str(s)]);
  const body = Buffer.concat([
    le.u32(8),
    le.u32(0),
    le.u32(1),
    le.u8(1),
    le.u8(2),
    le.u32(2),
    lp(','),
    lp('"'),
    lp('\n'),
    lp(''),
    lp('\\'),
    le.u8(0),
    Buffer.from([1, 1]),
    le.str('a\0b\0'),
    le.str('t\0'),
    le.str('db\0'),
    le.str('/tmp/x.csv'),
  ]);
  const ev = decodeOne(primedParser(), T.NEW_LOAD_EVENT, body);
  assert.ok(ev.type === 'new_load');
  assert.deepEqual(
    [ev.threadId, ev.skipLines, ev.fields, ev.table, ev.schema, ev.fileName, ev.fieldTerm.toString()],
    [8, 1, ['a', 'b'], 't', 'db', '/tmp/x.csv', ','],
  );
});
