import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode, ProtocolError } from '../../src/errors.js';
import { decodeEofPacket, decodeOkPacket, isEndOfRows } from '../../src/protocol/ok-packet.js';
import {
  MARIADB_1011_SELECT_WITH_EOF,
  MYSQL_97_SELECT,
  OK_INSERT,
  OK_UPDATE,
} from './server-packets.fixtures.js';

const hex = (h: string): Buffer => Buffer.from(h, 'hex');

test('OK of an INSERT: last insert id above 2^53 is exact', () => {
  assert.deepEqual(decodeOkPacket(hex(OK_INSERT)), {
    affectedRows: 1n,
    lastInsertId: 9007199254740993n,
    status: 2,
    warnings: 0,
    info: '',
  });
});

test('OK of an UPDATE keeps the info text', () => {
  const ok = decodeOkPacket(hex(OK_UPDATE));
  assert.equal(ok.affectedRows, 1n);
  assert.equal(ok.status, 0x22);
  assert.equal(ok.info, 'Rows matched: 1  Changed: 1  Warnings: 0');
});

test('end of rows: OK with 0xfe header (DEPRECATE_EOF) and classic EOF', () => {
  const end = hex(MYSQL_97_SELECT[MYSQL_97_SELECT.length - 1]);
  assert.equal(isEndOfRows(end, true), true);
  assert.equal(decodeOkPacket(end).status, 2);
  const eof = hex(MARIADB_1011_SELECT_WITH_EOF[3]);
  assert.equal(isEndOfRows(eof, false), true);
  assert.deepEqual(decodeEofPacket(eof), { warnings: 0, status: 2 });
});

test('a row that starts with 0xfe (a value of 16 MiB or more) is not the end', () => {
  const row = Buffer.alloc(0xffffff + 10);
  row[0] = 0xfe;
  assert.equal(isEndOfRows(row, true), false);
  assert.equal(isEndOfRows(row, false), false);
  assert.equal(isEndOfRows(hex('0131'), true), false);
  assert.equal(isEndOfRows(Buffer.alloc(0), true), false);
});

test('a truncated OK is ERR_PROTOCOL', () => {
  for (const h of ['00', '00fe0100']) {
    assert.throws(
      () => decodeOkPacket(hex(h)),
      (e) =>
        e instanceof ProtocolError &&
        e.code === ErrorCode.ERR_PROTOCOL &&
        /malformed OK packet/.test(e.message),
    );
  }
});
