import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { Cursor } from '../../src/binlog/cursor.js';
import { BinlogSyncError, ErrorCode, ProtocolError } from '../../src/errors.js';
import { CLIENT, CLIENT_WANTED, hasFlag } from '../../src/protocol/capabilities.js';
import { decodeGreeting, encodeHandshakeResponse, encodeSslRequest } from '../../src/protocol/handshake.js';
import {
  MARIADB_1011_GREETING_FRAME,
  MARIADB_118_GREETING_FRAME,
  MYSQL_97_GREETING_FRAME,
} from './server-packets.fixtures.js';

const payload = (frameHex: string): Buffer => Buffer.from(frameHex, 'hex').subarray(4);

describe('decodeGreeting', () => {
  test('MySQL 9.7', () => {
    const g = decodeGreeting(payload(MYSQL_97_GREETING_FRAME));
    assert.equal(g.flavor, 'mysql');
    assert.equal(g.serverVersion, '9.7.4-2');
    assert.equal(g.connectionId, 10);
    assert.equal(g.authPluginName, 'caching_sha2_password');
    assert.equal(g.authData.toString('hex'), '7607251006624455' + '122132527206217b4d430c4f');
    assert.equal(g.characterSet, 255);
    assert.equal(g.mariadbCapabilities, 0);
    assert.ok(hasFlag(g.capabilities, CLIENT.CLIENT_SSL));
    assert.ok(hasFlag(g.capabilities, CLIENT.CLIENT_DEPRECATE_EOF));
    assert.ok(hasFlag(g.capabilities, CLIENT.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA));
  });

  test('MariaDB 10.11: the 5.5.5- prefix is dropped, extended capabilities read, no TLS offered', () => {
    const g = decodeGreeting(payload(MARIADB_1011_GREETING_FRAME));
    assert.equal(g.flavor, 'mariadb');
    assert.equal(g.rawServerVersion, '5.5.5-10.11.19-MariaDB-0+deb12u1-log');
    assert.equal(g.serverVersion, '10.11.19-MariaDB-0+deb12u1-log');
    assert.equal(g.connectionId, 6);
    assert.equal(g.authPluginName, 'mysql_native_password');
    assert.equal(g.authData.length, 20);
    assert.equal(g.characterSet, 8);
    assert.equal(g.mariadbCapabilities, 0x1d);
    assert.equal(hasFlag(g.capabilities, CLIENT.CLIENT_SSL), false);
    assert.equal(hasFlag(g.capabilities, CLIENT.CLIENT_LONG_PASSWORD), false);
  });

  test('MariaDB 11.8: no prefix, TLS offered', () => {
    const g = decodeGreeting(payload(MARIADB_118_GREETING_FRAME));
    assert.equal(g.flavor, 'mariadb');
    assert.equal(g.serverVersion, '11.8.9-MariaDB-0+deb13u1 from Debian-log');
    assert.equal(g.rawServerVersion, g.serverVersion);
    assert.ok(hasFlag(g.capabilities, CLIENT.CLIENT_SSL));
    assert.equal(g.mariadbCapabilities, 0x3d);
  });

  test('every strict prefix of a greeting is ERR_PROTOCOL, never a RangeError', () => {
    for (const hex of [MYSQL_97_GREETING_FRAME, MARIADB_1011_GREETING_FRAME]) {
      const full = payload(hex);
      // up to the end of the fixed part (the optional tail may legitimately be absent on old servers)
      for (let n = 0; n < full.length; n++) {
        try {
          decodeGreeting(full.subarray(0, n));
        } catch (e) {
          assert.ok(
            e instanceof ProtocolError && e.code === ErrorCode.ERR_PROTOCOL,
            `prefix ${n}: ${String(e)}`,
          );
        }
      }
      assert.throws(() => decodeGreeting(full.subarray(0, 20)), ProtocolError);
    }
  });

  test('not a v10 greeting', () => {
    assert.throws(
      () => decodeGreeting(Buffer.from('HTTP/1.1 400')),
      /unsupported server greeting: protocol version 72/,
    );
    assert.throws(() => decodeGreeting(Buffer.alloc(0)), /empty packet/);
  });

  test('random bytes throw only BinlogSyncError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (bytes) => {
        const b = Buffer.from(bytes);
        if (b.length > 0) b[0] = 10;
        try {
          decodeGreeting(b);
        } catch (e) {
          if (!(e instanceof BinlogSyncError)) throw e;
        }
      }),
    );
  });
});

describe('HandshakeResponse41', () => {
  const caps = (CLIENT_WANTED | CLIENT.CLIENT_CONNECT_WITH_DB | CLIENT.CLIENT_SSL) >>> 0;

  test('SSLRequest is the 32-byte fixed part', () => {
    const b = encodeSslRequest(caps, 0x40000000, 45);
    assert.equal(b.length, 32);
    assert.equal(b.readUInt32LE(0), caps);
    assert.equal(b.readUInt32LE(4), 0x40000000);
    assert.equal(b[8], 45);
    assert.ok(b.subarray(9).equals(Buffer.alloc(23)));
  });

  test('fields in layout order', () => {
    const auth = Buffer.alloc(300, 7); // longer than a 1-byte length: needs the lenenc form
    const b = encodeHandshakeResponse({
      capabilities: caps,
      maxPacketSize: 1 << 24,
      characterSet: 45,
      user: 'repl',
      authResponse: auth,
      database: 'db',
      authPluginName: 'caching_sha2_password',
      attributes: { _client_name: 'binlogsync', k: 'vé' },
    });
    const c = new Cursor(b);
    c.need(32);
    assert.equal(c.u32(), caps);
    c.skip(28);
    assert.equal(c.cstring(), 'repl');
    assert.ok(c.lenencBytes().equals(auth));
    assert.equal(c.cstring(), 'db');
    assert.equal(c.cstring(), 'caching_sha2_password');
    const attrs = new Cursor(c.lenencBytes());
    const pairs: string[] = [];
    while (attrs.remaining) pairs.push(attrs.utf8(attrs.lenenc()));
    assert.deepEqual(pairs, ['_client_name', 'binlogsync', 'k', 'vé']);
    assert.equal(c.remaining, 0);
  });

  test('without PLUGIN_AUTH_LENENC_CLIENT_DATA the response has a 1-byte length', () => {
    const c2 = (CLIENT.CLIENT_PROTOCOL_41 | CLIENT.CLIENT_SECURE_CONNECTION) >>> 0;
    const r = {
      capabilities: c2,
      maxPacketSize: 0,
      characterSet: 45,
      user: 'u',
      database: undefined,
      authPluginName: 'x',
      attributes: {},
    };
    const b = encodeHandshakeResponse({ ...r, authResponse: Buffer.alloc(20, 1) });
    assert.equal(b.subarray(32).toString('hex'), '7500' + '14' + '01'.repeat(20));
    assert.throws(() => encodeHandshakeResponse({ ...r, authResponse: Buffer.alloc(256) }), ProtocolError);
  });
});
