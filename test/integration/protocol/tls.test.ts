// TLS modes against real servers: each flavor with certificates made here (a CA, a server certificate
// for localhost / 127.0.0.1, a client certificate), and with its own default certificates (MySQL 9.7's
// auto-generated CA in the datadir, MariaDB 11.8's self-signed one).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { inspect } from 'node:util';
import { AuthError, ErrorCode, TlsError } from '../../../src/errors.js';
import { connect } from '../../../src/protocol/connect.js';
import type { ConnectOptions, TlsOptions } from '../../../src/protocol/options.js';
import { startLocalServer, type LocalServer } from '../../../src/servers/local-server.js';
import { testServerNames } from '../../harness/servers.js';
import { makeTestCerts, sslServerOptions, type TestCerts } from './certs.js';
import { assertNoNewHandles, handleCounts } from './handles.js';

const PW = 'Tls-test-pw';

function tcp(server: LocalServer, tls: TlsOptions, user = 'tlsuser'): ConnectOptions {
  return { connection: { host: server.host, port: server.port }, auth: { user, password: PW }, tls };
}

async function cipherOf(o: ConnectOptions): Promise<string> {
  const before = handleCounts();
  const c = await connect(o);
  try {
    assert.equal(c.server.tls, true);
    const r = await c.query("SHOW SESSION STATUS LIKE 'Ssl_cipher'");
    return r.rows[0][1] ?? '';
  } finally {
    await c.close();
    await assertNoNewHandles(before, 'tls');
  }
}

async function tlsFailure(o: ConnectOptions, message: RegExp): Promise<void> {
  const before = handleCounts();
  const err = await connect(o).catch((e: unknown) => e);
  assert.ok(err instanceof TlsError && err.code === ErrorCode.ERR_TLS, inspect(err));
  assert.match(err.message, message);
  assert.equal(err.message.includes('\n'), false);
  await assertNoNewHandles(before, 'tls failure');
}

const certs: TestCerts = makeTestCerts();
after(() => certs.remove());

for (const name of testServerNames()) {
  describe(`${name} with our certificates`, () => {
    let server: LocalServer;
    before(async () => {
      server = await startLocalServer(name, { options: sslServerOptions(certs) });
      await server.sql(
        `CREATE USER 'tlsuser'@'%' IDENTIFIED BY '${PW}';
         CREATE USER 'x509user'@'%' IDENTIFIED BY '${PW}' REQUIRE X509;`,
      );
    });
    after(() => server?.stop());

    test('required: encrypted, certificate not checked', async () => {
      assert.notEqual(await cipherOf(tcp(server, { mode: 'required' })), '');
      assert.notEqual(await cipherOf(tcp(server, { mode: 'required', ca: certs.otherCa })), '');
    });

    test('verify-ca: passes with the right CA, fails with another one', async () => {
      assert.notEqual(
        await cipherOf(tcp(server, { mode: 'verify-ca', ca: certs.ca, servername: 'wrong.example' })),
        '',
      );
      await tlsFailure(
        tcp(server, { mode: 'verify-ca', ca: certs.otherCa }),
        /TLS handshake with 127\.0\.0\.1:\d+ failed: .*certificate/i,
      );
    });

    test('verify-identity: passes for 127.0.0.1 and localhost, fails for another name', async () => {
      assert.notEqual(await cipherOf(tcp(server, { mode: 'verify-identity', ca: certs.ca })), '');
      assert.notEqual(
        await cipherOf(tcp(server, { mode: 'verify-identity', ca: certs.ca, servername: 'localhost' })),
        '',
      );
      await tlsFailure(
        tcp(server, { mode: 'verify-identity', ca: certs.ca, servername: 'wrong.example' }),
        /Hostname\/IP does not match certificate's altnames: Host: wrong\.example/,
      );
      await tlsFailure(tcp(server, { mode: 'verify-identity', ca: certs.otherCa }), /certificate/i);
    });

    test('a client certificate for a REQUIRE X509 account', async () => {
      assert.notEqual(
        await cipherOf(
          tcp(
            server,
            { mode: 'verify-identity', ca: certs.ca, cert: certs.clientCert, key: certs.clientKey },
            'x509user',
          ),
        ),
        '',
      );
      const err = await connect(tcp(server, { mode: 'verify-identity', ca: certs.ca }, 'x509user')).catch(
        (e: unknown) => e,
      );
      assert.ok(err instanceof AuthError && err.code === ErrorCode.ERR_AUTH_FAILED, inspect(err));
    });

    test('the unix socket: plain by default, TLS on request', async () => {
      const socket = (mode: 'preferred' | 'required'): ConnectOptions => ({
        connection: { socketPath: server.socket },
        auth: { user: 'root' },
        tls: { mode },
      });
      const before = handleCounts();
      const plain = await connect(socket('preferred'));
      assert.equal(plain.server.tls, false);
      await plain.close();
      assert.notEqual(await cipherOf(socket('required')), '');
      await assertNoNewHandles(before, 'socket');
    });
  });
}

describe(
  'mysql-9.7 with its auto-generated certificates',
  {
    skip: testServerNames().includes('mysql-9.7') ? false : 'mysql-9.7 is not in BINLOGSYNC_TEST_SERVERS',
  },
  () => {
    let server: LocalServer;
    before(async () => {
      server = await startLocalServer('mysql-9.7');
      await server.sql(`CREATE USER 'tlsuser'@'%' IDENTIFIED BY '${PW}'`);
    });
    after(() => server?.stop());

    test('verify-ca with the datadir ca.pem passes; verify-identity fails (the certificate names no host)', async () => {
      const ca = readFileSync(join(server.datadir, 'ca.pem'));
      assert.notEqual(await cipherOf(tcp(server, { mode: 'verify-ca', ca })), '');
      await tlsFailure(
        tcp(server, { mode: 'verify-identity', ca }),
        /Hostname\/IP does not match certificate's altnames: IP: 127\.0\.0\.1/,
      );
      await tlsFailure(tcp(server, { mode: 'verify-ca', ca: certs.ca }), /certificate/i);
    });

    test('preferred (the default) encrypts', async () => {
      assert.notEqual(await cipherOf(tcp(server, {})), '');
    });
  },
);

describe(
  'mariadb-11.8 with its default self-signed certificate',
  {
    skip: testServerNames().includes('mariadb-11.8')
      ? false
      : 'mariadb-11.8 is not in BINLOGSYNC_TEST_SERVERS',
  },
  () => {
    let server: LocalServer;
    before(async () => {
      server = await startLocalServer('mariadb-11.8');
      await server.sql(`CREATE USER 'tlsuser'@'%' IDENTIFIED BY '${PW}'`);
    });
    after(() => server?.stop());

    test('preferred and required encrypt; verify-ca cannot pass without its certificate', async () => {
      assert.notEqual(await cipherOf(tcp(server, {})), '');
      assert.notEqual(await cipherOf(tcp(server, { mode: 'required' })), '');
      await tlsFailure(tcp(server, { mode: 'verify-ca', ca: certs.ca }), /certificate/i);
    });
  },
);
