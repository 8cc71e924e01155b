import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { BinlogSyncError, ErrorCode, ProtocolError } from '../../src/errors.js';
import { decodeOkPacket } from '../../src/protocol/ok-packet.js';
import { decodeErrPacket } from '../../src/protocol/server-error.js';
import {
  decodeColumnDefinition,
  decodeTextRow,
  encodeComQuery,
  queryLabel,
} from '../../src/protocol/query.js';
import { MARIADB_1011_SELECT_COLUMN_A, MYSQL_97_SELECT } from './server-packets.fixtures.js';

const hex = (h: string): Buffer => Buffer.from(h, 'hex');

test('column definitions from MySQL 9.7 and MariaDB 10.11', () => {
  assert.deepEqual(decodeColumnDefinition(hex(MYSQL_97_SELECT[1])), {
    schema: '',
    table: '',
    orgTable: '',
    name: 'a',
    orgName: '',
    characterSet: 63,
    columnLength: 2,
    type: 0x08,
    flags: 0x81,
    decimals: 0,
  });
  const d = decodeColumnDefinition(hex(MYSQL_97_SELECT[4]));
  assert.deepEqual([d.name, d.characterSet, d.columnLength, d.type, d.decimals], ['d', 45, 8, 0xfd, 31]);
  const a = decodeColumnDefinition(hex(MARIADB_1011_SELECT_COLUMN_A));
  assert.deepEqual([a.name, a.type, a.columnLength], ['a', 0x03, 1]);
});

test('a text row: strings and NULL, as the mysql CLI shows them (1, NULL, x, é€)', () => {
  assert.deepEqual(decodeTextRow(hex(MYSQL_97_SELECT[5]), 4), ['1', null, 'x', 'é€']);
});

test('a row with too few or too many values is ERR_PROTOCOL', () => {
  const row = hex(MYSQL_97_SELECT[5]);
  for (const n of [3, 5]) {
    assert.throws(
      () => decodeTextRow(row, n),
      (e) => e instanceof ProtocolError && e.code === ErrorCode.ERR_PROTOCOL,
    );
  }
  assert.throws(() => decodeTextRow(hex('ff'), 1), ProtocolError);
});

test('COM_QUERY payload: 0x03 and the UTF-8 text', () => {
  assert.equal(
    encodeComQuery("SELECT 'é'").toString('hex'),
    '03' + Buffer.from("SELECT 'é'").toString('hex'),
  );
});

test('random bytes throw only BinlogSyncError from every result decoder', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 80 }), fc.integer({ min: 1, max: 5 }), (bytes, n) => {
      const b = Buffer.from(bytes);
      for (const decode of [
        () => decodeColumnDefinition(b),
        () => decodeTextRow(b, n),
        () => decodeOkPacket(b),
        () => decodeErrPacket(b),
      ]) {
        try {
          decode();
        } catch (e) {
          if (!(e instanceof BinlogSyncError)) throw e;
        }
      }
    }),
  );
});

test('an error names the query by its first words, never by a literal in it', () => {
  assert.equal(queryLabel('SHOW BINARY LOGS'), 'query (SHOW BINARY LOGS)');
  assert.equal(queryLabel("  SELECT BINLOG_GTID_POS('f', 4) IS NULL"), 'query (SELECT BINLOG_GTID_POS)');
  assert.equal(queryLabel("CREATE USER 'u'@'%' IDENTIFIED BY 'hunter2'"), 'query (CREATE USER)');
  assert.equal(queryLabel("ALTER USER bob IDENTIFIED BY 'hunter2'"), 'query (ALTER USER bob IDENTIFIED)');
  assert.equal(queryLabel('SET @master_binlog_checksum = 1'), 'query (SET)');
  assert.equal(queryLabel("'x'"), 'query');
});
