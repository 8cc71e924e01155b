import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode, ProtocolError, ServerError } from '../../src/errors.js';
import { decodeErrPacket, isErrPacket } from '../../src/protocol/server-error.js';
import { MYSQL_97_ERR_PARSE } from './server-packets.fixtures.js';

test('ERR packet from MySQL 9.7: errno, SQL state and message verbatim', () => {
  const p = Buffer.from(MYSQL_97_ERR_PARSE, 'hex');
  assert.equal(isErrPacket(p), true);
  const e = decodeErrPacket(p, 'query');
  assert.ok(e instanceof ServerError);
  assert.equal(e.code, ErrorCode.ERR_SERVER);
  assert.equal(e.errno, 1064);
  assert.equal(e.symbol, 'ER_PARSE_ERROR');
  assert.equal(e.sqlState, '42000');
  assert.equal(
    e.serverMessage,
    "You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near 'SELEC 1' at line 1",
  );
  assert.match(e.message, /^query: server error 1064 \(42000\): You have an error/);
});

test('pre-4.1 ERR (no SQL state marker), as sent before the capabilities are agreed', () => {
  const p = Buffer.concat([
    Buffer.from('ff6a04', 'hex'),
    Buffer.from("Host '10.0.0.1' is not allowed to connect"),
  ]);
  const e = decodeErrPacket(p);
  assert.equal(e.errno, 1130);
  assert.equal(e.sqlState, 'HY000');
  assert.equal(e.serverMessage, "Host '10.0.0.1' is not allowed to connect");
});

test('a truncated ERR packet is ERR_PROTOCOL', () => {
  assert.throws(() => decodeErrPacket(Buffer.from('ff28', 'hex')), ProtocolError);
  assert.equal(isErrPacket(Buffer.alloc(0)), false);
});

test('the message is one line: control characters spelled out, a long text cut; serverMessage keeps it whole', () => {
  const text = `line one\nline two\x07\x00${'x'.repeat(600)}`;
  const p = Buffer.concat([Buffer.from('ff2804', 'hex'), Buffer.from('#HY000'), Buffer.from(text)]);
  const e = decodeErrPacket(p, 'binlog dump');
  assert.equal(e.serverMessage, text);
  // eslint-disable-next-line no-control-regex
  assert.doesNotMatch(e.message, /[\x00-\x1f]/);
  assert.match(
    e.message,
    /^binlog dump: server error 1064 \(HY000\): line one line two\\x07\\x00x+… \(619 characters\)$/,
  );
  assert.ok(e.message.length < 600, `${e.message.length} characters`);
});
