// Faults: refused, timeout, hang-ups, garbage, unsupported or insecure auth, sequence errors, aborts.
// The misbehaving server is the FAKE one (fake-server.ts); wrong passwords are tested on real servers
// (connection.test.ts).
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, describe, test } from 'node:test';
import { inspect } from 'node:util';
import {
  AbortError,
  AuthError,
  BinlogSyncError,
  ConnectionError,
  ErrorCode,
  ProtocolError,
  ServerError,
  TimeoutError,
  TlsError,
} from '../../../src/errors.js';
import { connect } from '../../../src/protocol/connect.js';
import type { ConnectOptions } from '../../../src/protocol/options.js';
import { CLIENT, hasFlag } from '../../../src/protocol/capabilities.js';
import { freePort } from '../../../src/servers/local-server.js';
import { MARIADB_1011_SELECT_WITH_EOF } from '../../protocol/server-packets.fixtures.js';
import {
  FAKE_OK,
  fakeAuthSwitch,
  fakeErr,
  fakeGreeting,
  startFakeServer,
  type FakeServer,
  type Script,
} from './fake-server.js';
import { assertNoNewHandles, handleCounts } from './handles.js';

const PASSWORD = 'fake-Pa55word';

const servers: FakeServer[] = [];
after(() => Promise.all(servers.map((s) => s.close())));

async function fake(script: Script): Promise<FakeServer> {
  const s = await startFakeServer(script);
  servers.push(s);
  return s;
}

function options(port: number, extra: Partial<ConnectOptions> = {}): ConnectOptions {
  return {
    connection: { host: '127.0.0.1', port, connectTimeout: 3000 },
    auth: { user: 'u', password: PASSWORD },
    tls: { mode: 'disabled' },
    ...extra,
  };
}

/** connect() must reject with `cls` / `code`; the error never shows the password; no handle remains. */
async function expectFailure(
  opts: ConnectOptions,
  cls: new (...args: never[]) => BinlogSyncError,
  code: string,
  message?: RegExp,
  server?: FakeServer,
): Promise<BinlogSyncError> {
  const before = handleCounts();
  const started = Date.now();
  const err = await connect(opts).then(
    () => assert.fail('connect() resolved'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof cls, `expected ${cls.name}, got ${inspect(err)}`);
  assert.equal(err.code, code);
  if (message) assert.match(err.message, message);
  assert.equal(err.message.includes('\n'), false, 'one-line message');
  assert.equal(
    inspect(err, { depth: 10 }).includes(PASSWORD),
    false,
    'no password in the error or its cause',
  );
  assert.ok(Date.now() - started < 2500, 'fails fast');
  await server?.settled(); // the fake server's own end of the socket
  await assertNoNewHandles(before, code);
  return err;
}

describe('connection faults', () => {
  test('refused: nothing listens on the port', async () => {
    const port = await freePort();
    await expectFailure(
      options(port),
      ConnectionError,
      ErrorCode.ERR_CONNECTION_REFUSED,
      /connection refused by 127\.0\.0\.1:\d+/,
    );
  });

  test('refused: no such unix socket', async () => {
    await expectFailure(
      { connection: { socketPath: '/nonexistent/binlogsync.sock' }, auth: { user: 'u' } },
      ConnectionError,
      ErrorCode.ERR_CONNECTION_REFUSED,
      /unix socket \/nonexistent\/binlogsync\.sock/,
    );
  });

  test('connect timeout: a listener that never answers', async () => {
    const silent = createServer(() => undefined);
    const sockets: import('node:net').Socket[] = [];
    silent.on('connection', (s) => sockets.push(s));
    await new Promise<void>((ok) => silent.listen(0, '127.0.0.1', ok));
    const port = (silent.address() as { port: number }).port;
    const started = Date.now();
    await expectFailure(
      { ...options(port), connection: { host: '127.0.0.1', port, connectTimeout: 300 } },
      TimeoutError,
      ErrorCode.ERR_CONNECT_TIMEOUT,
      /timed out after 300 ms/,
    );
    assert.ok(Date.now() - started >= 290);
    for (const s of sockets) s.destroy();
    await new Promise((ok) => silent.close(ok));
  });

  test('abort while connecting: AbortError with the reason as cause', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((ok) => silent.listen(0, '127.0.0.1', ok));
    const port = (silent.address() as { port: number }).port;
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error('user gave up')), 50);
    const err = await expectFailure(
      { ...options(port), signal: ac.signal },
      AbortError,
      ErrorCode.ERR_ABORTED,
    );
    assert.equal((err.cause as Error).message, 'user gave up');
    const pre = new AbortController();
    pre.abort();
    await expectFailure({ ...options(port), signal: pre.signal }, AbortError, ErrorCode.ERR_ABORTED);
    silent.close();
  });

  test('the server hangs up in the middle of its greeting', async () => {
    const s = await fake((c) => {
      const g = fakeGreeting();
      const frame = Buffer.concat([Buffer.from([g.length, 0, 0, 0]), g]);
      c.sendRaw(frame.subarray(0, 20));
      c.socket.end();
    });
    await expectFailure(
      options(s.port),
      ConnectionError,
      ErrorCode.ERR_CONNECTION_CLOSED,
      /closed the connection during the handshake/,
      s,
    );
  });

  test('the server hangs up after the handshake response', async () => {
    const s = await fake(async (c) => {
      c.send(fakeGreeting(), 0);
      await c.read();
      c.socket.destroy();
    });
    await expectFailure(options(s.port), ConnectionError, ErrorCode.ERR_CONNECTION_CLOSED, undefined, s);
  });

  test('garbage instead of a greeting: an HTTP server', async () => {
    const s = await fake((c) =>
      c.sendRaw(Buffer.from('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n')),
    );
    await expectFailure(options(s.port), ProtocolError, ErrorCode.ERR_PROTOCOL, /exceeds the limit/, s);
  });

  test('garbage instead of a greeting: a well-framed packet of another protocol', async () => {
    const s = await fake((c) => c.send(fakeGreeting({ protocolVersion: 9 }), 0));
    await expectFailure(options(s.port), ProtocolError, ErrorCode.ERR_PROTOCOL, /protocol version 9/, s);
  });

  test('an ERR packet instead of a greeting (too many connections)', async () => {
    const s = await fake((c) => c.send(fakeErr(1040, '08004', 'Too many connections'), 0));
    const err = await expectFailure(
      options(s.port),
      ServerError,
      ErrorCode.ERR_SERVER,
      /Too many connections/,
      s,
    );
    assert.equal((err as ServerError).errno, 1040);
  });

  test('a reply with the wrong sequence id: ERR_PACKET_SEQUENCE', async () => {
    const s = await fake(async (c) => {
      c.send(fakeGreeting(), 0);
      await c.read();
      c.send(FAKE_OK, 9);
    });
    await expectFailure(
      options(s.port),
      ProtocolError,
      ErrorCode.ERR_PACKET_SEQUENCE,
      /sequence id 9, expected 2/,
      s,
    );
  });

  test('an unknown authentication plugin: ERR_AUTH_PLUGIN_UNSUPPORTED', async () => {
    const s = await fake(async (c) => {
      c.send(fakeGreeting(), 0);
      await c.read();
      c.send(fakeAuthSwitch('auth_gssapi_client', Buffer.from('krb\0')), 2);
      await c.read().catch(() => undefined);
    });
    await expectFailure(
      options(s.port),
      AuthError,
      ErrorCode.ERR_AUTH_PLUGIN_UNSUPPORTED,
      /'auth_gssapi_client'/,
      s,
    );
  });

  test('the pre-4.1 password switch: ERR_AUTH_PLUGIN_UNSUPPORTED', async () => {
    const s = await fake(async (c) => {
      c.send(fakeGreeting(), 0);
      await c.read();
      c.send(Buffer.from([0xfe]), 2);
    });
    await expectFailure(
      options(s.port),
      AuthError,
      ErrorCode.ERR_AUTH_PLUGIN_UNSUPPORTED,
      /mysql_old_password/,
      s,
    );
  });

  test('mysql_clear_password is refused unless allowed', async () => {
    const s = await fake(async (c) => {
      c.send(fakeGreeting(), 0);
      await c.read();
      c.send(fakeAuthSwitch('mysql_clear_password', Buffer.alloc(0)), 2);
      await c.read().catch(() => undefined);
    });
    await expectFailure(options(s.port), AuthError, ErrorCode.ERR_AUTH_INSECURE, /allowCleartextPassword/, s);
  });

  test('mysql_clear_password when allowed: the password and a NUL, then OK', async () => {
    const s = await fake(async (c) => {
      c.send(fakeGreeting(), 0);
      const response = await c.read();
      assert.equal(response.seq, 1);
      c.send(fakeAuthSwitch('mysql_clear_password', Buffer.alloc(0)), 2);
      const clear = await c.read();
      assert.equal(clear.seq, 3);
      assert.deepEqual(clear.payload, Buffer.from(`${PASSWORD}\0`));
      c.send(FAKE_OK, 4);
      const quit = await c.read();
      assert.deepEqual([quit.seq, ...quit.payload], [0, 0x01]); // COM_QUIT
      c.socket.end();
    });
    const before = handleCounts();
    const conn = await connect(
      options(s.port, { auth: { user: 'u', password: PASSWORD, allowCleartextPassword: true } }),
    );
    assert.equal(conn.server.authPlugin, 'mysql_clear_password');
    assert.equal(conn.server.serverVersion, '8.0.99-fake');
    await conn.close();
    await s.done();
    assert.deepEqual(s.scriptErrors, []);
    await assertNoNewHandles(before);
  });

  test('TLS required but not offered: ERR_TLS_NOT_SUPPORTED', async () => {
    const s = await fake((c) => c.send(fakeGreeting({ ssl: false }), 0));
    await expectFailure(
      options(s.port, { tls: { mode: 'required' } }),
      TlsError,
      ErrorCode.ERR_TLS_NOT_SUPPORTED,
      /does not offer TLS, and tls.mode is 'required'/,
      s,
    );
  });

  test('TLS preferred but not offered: falls back to plain', async () => {
    const s = await fake(async (c) => {
      c.send(fakeGreeting({ ssl: false }), 0);
      const response = await c.read();
      assert.equal(response.payload.length > 32, true, 'a HandshakeResponse, not an SSLRequest');
      c.send(FAKE_OK, 2);
      await c.read(); // COM_QUIT
    });
    const conn = await connect(options(s.port, { tls: { mode: 'preferred' } }));
    assert.equal(conn.server.tls, false);
    await conn.close();
    await s.done();
    assert.deepEqual(s.scriptErrors, []);
  });

  test('a TLS handshake the server breaks off: ERR_TLS', async () => {
    const s = await fake(async (c) => {
      c.send(fakeGreeting({ ssl: true }), 0);
      const sslRequest = await c.read();
      assert.equal(sslRequest.payload.length, 32);
      c.sendRaw(Buffer.from('this is not a TLS record at all\r\n'));
    });
    await expectFailure(
      options(s.port, { tls: { mode: 'required' } }),
      TlsError,
      ErrorCode.ERR_TLS,
      /TLS handshake with 127\.0\.0\.1:\d+ failed/,
      s,
    );
  });

  test('a malformed result breaks the connection for every later call', async () => {
    const s = await fake(async (c) => {
      c.send(fakeGreeting(), 0);
      await c.read();
      c.send(FAKE_OK, 2);
      await c.read(); // COM_QUERY
      c.send(Buffer.from([0xfc, 0x01]), 1); // column count cut short
      await c.read().catch(() => undefined);
    });
    const before = handleCounts();
    const conn = await connect(options(s.port));
    await assert.rejects(
      conn.query('SELECT 1'),
      (e) => e instanceof ProtocolError && e.code === ErrorCode.ERR_PROTOCOL,
    );
    await assert.rejects(conn.ping(), ProtocolError);
    await conn.close();
    await s.settled();
    await assertNoNewHandles(before);
  });

  test('abort during a query destroys the connection; close() is idempotent', async () => {
    const s = await fake(async (c) => {
      c.send(fakeGreeting(), 0);
      await c.read();
      c.send(FAKE_OK, 2);
      await c.read(); // COM_QUERY, never answered
      await c.read().catch(() => undefined);
    });
    const before = handleCounts();
    const conn = await connect(options(s.port));
    const ac = new AbortController();
    const q = conn.query('SELECT SLEEP(100)', { signal: ac.signal });
    setTimeout(() => ac.abort(), 30);
    await assert.rejects(q, (e) => e instanceof AbortError && e.code === ErrorCode.ERR_ABORTED);
    assert.equal(conn.closed, true);
    await assert.rejects(conn.query('SELECT 1'), AbortError);
    await Promise.all([conn.close(), conn.close()]);
    await s.settled();
    await assertNoNewHandles(before);
  });

  test('a server without CLIENT_DEPRECATE_EOF: EOF packets (bytes recorded from MariaDB 10.11)', async () => {
    const s = await fake(async (c) => {
      c.send(fakeGreeting({ deprecateEof: false }), 0);
      const response = await c.read();
      assert.equal(response.payload.readUInt32LE(0) & CLIENT.CLIENT_DEPRECATE_EOF, 0);
      c.send(FAKE_OK, 2);
      const q = await c.read();
      assert.equal(q.payload.toString('latin1'), '\x03SELECT 1 AS a, NULL AS b');
      MARIADB_1011_SELECT_WITH_EOF.forEach((hex, i) => c.send(Buffer.from(hex, 'hex'), i + 1));
      await c.read(); // COM_QUIT
    });
    const conn = await connect(options(s.port));
    assert.equal(hasFlag(conn.server.capabilities, CLIENT.CLIENT_DEPRECATE_EOF), false);
    const r = await conn.query('SELECT 1 AS a, NULL AS b');
    assert.deepEqual(
      r.columns.map((col) => col.name),
      ['a', 'b'],
    );
    assert.deepEqual(r.rows, [['1', null]]);
    assert.equal(r.status, 2);
    await conn.close();
    await s.done();
    assert.deepEqual(s.scriptErrors, []);
  });

  test('close() after a raw command (a binlog dump, say) destroys at once, without COM_QUIT', async () => {
    const s = await fake(async (c) => {
      c.send(fakeGreeting(), 0);
      await c.read();
      c.send(FAKE_OK, 2);
      const dump = await c.read();
      assert.deepEqual([dump.seq, dump.payload[0]], [0, 0x12]); // COM_BINLOG_DUMP
      // a stream of events that never ends, like a dump thread's
      for (let seq = 1; !c.socket.destroyed && seq < 100_000; seq++) {
        c.send(Buffer.from([0x00, seq & 0xff]), seq & 0xff);
        await new Promise((r) => setTimeout(r, 1));
      }
      await assert.rejects(c.read(), /client closed the connection/);
    });
    const before = handleCounts();
    const conn = await connect(options(s.port));
    await conn.writeCommand(Buffer.from([0x12, 4, 0, 0, 0, 0, 0, 1, 0, 0, 0]));
    assert.deepEqual(await conn.readPacket(), Buffer.from([0x00, 1]));
    assert.deepEqual(await conn.readPacket(), Buffer.from([0x00, 2]));
    const started = Date.now();
    await conn.close();
    assert.ok(Date.now() - started < 200, `close took ${Date.now() - started} ms`);
    await s.done();
    assert.deepEqual(s.scriptErrors, []);
    await s.settled();
    await assertNoNewHandles(before);
  });
});
