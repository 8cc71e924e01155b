// MySQL 9.7 authentication: caching_sha2_password (the default) cold and warm, over TLS, the unix socket
// and plain TCP with RSA (key retrieved or given); sha256_password (still shipped). The 9.7 server has no
// mysql_native_password (its plugin dir only holds the client side of it): MariaDB tests that one.
// FLUSH PRIVILEGES empties the caching_sha2 cache ("cold").
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { inspect } from 'node:util';
import { AuthError, ErrorCode, ServerError } from '../../../src/errors.js';
import { connect } from '../../../src/protocol/connect.js';
import type { ConnectOptions } from '../../../src/protocol/options.js';
import { startLocalServer, type LocalServer } from '../../../src/servers/local-server.js';
import { testServerNames } from '../../harness/servers.js';
import { assertNoNewHandles, handleCounts } from './handles.js';

const PW = 'Sha2-pässword!';
const skip = testServerNames().includes('mysql-9.7') ? false : 'mysql-9.7 is not in BINLOGSYNC_TEST_SERVERS';

describe('mysql-9.7 authentication', { skip }, () => {
  let server: LocalServer;
  let rsaKey: string;

  before(async () => {
    server = await startLocalServer('mysql-9.7');
    await server.sql(
      `CREATE USER 'sha2'@'%' IDENTIFIED WITH caching_sha2_password BY '${PW}';
       CREATE USER 'empty'@'%' IDENTIFIED WITH caching_sha2_password BY '';
       CREATE USER 'sha256'@'%' IDENTIFIED WITH sha256_password BY '${PW}';`,
    );
    rsaKey = (await server.sql("SHOW STATUS LIKE 'Caching_sha2_password_rsa_public_key'"))
      .split('\t')[1]
      .replace(/\\n/g, '\n');
  });
  after(() => server?.stop());

  function opts(
    user: string,
    extra: { tls?: ConnectOptions['tls']; auth?: Partial<ConnectOptions['auth']>; socket?: boolean } = {},
  ): ConnectOptions {
    return {
      connection: extra.socket ? { socketPath: server.socket } : { host: server.host, port: server.port },
      auth: { user, password: PW, ...extra.auth },
      tls: extra.tls ?? { mode: 'disabled' },
    };
  }

  /** Connects, checks who the server thinks we are and how we got in, closes; no handle left. */
  async function login(o: ConnectOptions, plugin: string, tls: boolean): Promise<void> {
    const before = handleCounts();
    const c = await connect(o);
    try {
      const r = await c.query(
        "SELECT CURRENT_USER(), (SELECT VARIABLE_VALUE FROM performance_schema.session_status WHERE VARIABLE_NAME = 'Ssl_cipher')",
      );
      assert.equal(r.rows[0][0], `${o.auth.user}@%`);
      assert.equal(c.server.authPlugin, plugin);
      assert.equal(c.server.tls, tls);
      assert.equal((r.rows[0][1] ?? '') !== '', tls, `Ssl_cipher ${r.rows[0][1]}`);
    } finally {
      await c.close();
    }
    await assertNoNewHandles(before, plugin);
  }

  const cold = () => server.sql('FLUSH PRIVILEGES');

  test('the RSA key the server reports is the datadir public_key.pem (which ends with a NUL)', () => {
    const file = readFileSync(join(server.datadir, 'public_key.pem'), 'utf8');
    assert.equal(rsaKey.trimEnd(), file.replace(/\0$/, '').trimEnd());
  });

  describe('caching_sha2_password', () => {
    test('cold, full authentication over TLS (the password in the clear, inside TLS)', async () => {
      await cold();
      await login(opts('sha2', { tls: { mode: 'required' } }), 'caching_sha2_password', true);
    });

    test('cold, full authentication over the unix socket', async () => {
      await cold();
      await login(opts('sha2', { socket: true }), 'caching_sha2_password', false);
    });

    test('cold over plain TCP with neither key nor retrieval: ERR_AUTH_INSECURE, nothing sent', async () => {
      await cold();
      const err = await connect(opts('sha2')).catch((e: unknown) => e);
      assert.ok(err instanceof AuthError && err.code === ErrorCode.ERR_AUTH_INSECURE, inspect(err));
      assert.match(err.message, /^caching_sha2_password needs the password itself here/);
    });

    test('cold over plain TCP, RSA with the key retrieved from the server', async () => {
      await cold();
      await login(opts('sha2', { auth: { allowPublicKeyRetrieval: true } }), 'caching_sha2_password', false);
    });

    test('cold over plain TCP, RSA with the key given by the user (the datadir file as is)', async () => {
      await cold();
      const file = readFileSync(join(server.datadir, 'public_key.pem'));
      await login(opts('sha2', { auth: { serverPublicKey: file } }), 'caching_sha2_password', false);
      await cold();
      await login(opts('sha2', { auth: { serverPublicKey: rsaKey } }), 'caching_sha2_password', false);
    });

    test('warm: the fast path needs no TLS and no key', async () => {
      await cold();
      await login(opts('sha2', { tls: { mode: 'required' } }), 'caching_sha2_password', true);
      // a full authentication would now fail with ERR_AUTH_INSECURE: success proves the fast path
      await login(opts('sha2'), 'caching_sha2_password', false);
    });

    test('a wrong RSA key: the server cannot decrypt, access denied', async () => {
      await cold();
      const wrongKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({
        type: 'spki',
        format: 'pem',
      });
      const err = await connect(opts('sha2', { auth: { serverPublicKey: wrongKey } })).catch(
        (e: unknown) => e,
      );
      assert.ok(err instanceof AuthError && err.code === ErrorCode.ERR_AUTH_FAILED, inspect(err));
      assert.ok(err.cause instanceof ServerError && err.cause.errno === 1045);
    });

    test('a wrong password over TLS: ERR_AUTH_FAILED quoting the server', async () => {
      const err = await connect(
        opts('sha2', { tls: { mode: 'required' }, auth: { password: 'nope' } }),
      ).catch((e: unknown) => e);
      assert.ok(err instanceof AuthError && err.code === ErrorCode.ERR_AUTH_FAILED, inspect(err));
      assert.match(err.message, /Access denied for user 'sha2'@'localhost' \(using password: YES\)$/);
    });

    test('an empty password over plain TCP', async () => {
      await cold();
      await login({ ...opts('empty'), auth: { user: 'empty' } }, 'caching_sha2_password', false);
    });
  });

  describe('sha256_password (reached by AuthSwitchRequest from the caching_sha2 greeting)', () => {
    test('over TLS', async () => {
      await login(opts('sha256', { tls: { mode: 'required' } }), 'sha256_password', true);
    });

    test('over the unix socket: RSA still (the socket is not secure enough for sha256_password)', async () => {
      const err = await connect(opts('sha256', { socket: true })).catch((e: unknown) => e);
      assert.ok(err instanceof AuthError && err.code === ErrorCode.ERR_AUTH_INSECURE, inspect(err));
      await login(
        opts('sha256', { socket: true, auth: { allowPublicKeyRetrieval: true } }),
        'sha256_password',
        false,
      );
    });

    test('over plain TCP, key retrieved', async () => {
      await login(opts('sha256', { auth: { allowPublicKeyRetrieval: true } }), 'sha256_password', false);
    });

    test('over plain TCP, key given (the same key pair as caching_sha2 here)', async () => {
      const key = (await server.sql("SHOW STATUS LIKE 'Rsa_public_key'"))
        .split('\t')[1]
        .replace(/\\n/g, '\n');
      await login(opts('sha256', { auth: { serverPublicKey: key } }), 'sha256_password', false);
    });

    test('over plain TCP without a key: ERR_AUTH_INSECURE', async () => {
      const err = await connect(opts('sha256')).catch((e: unknown) => e);
      assert.ok(err instanceof AuthError && err.code === ErrorCode.ERR_AUTH_INSECURE, inspect(err));
    });
  });
});
