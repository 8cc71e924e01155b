// MariaDB authentication against real servers: mysql_native_password, client_ed25519 and (11.8) parsec over plain TCP,
// TLS and the unix socket; plugin chains (IDENTIFIED VIA … OR …); PAM, whose 'dialog' plugin binlogsync
// does not speak and whose cleartext mode needs auth.allowCleartextPassword.
// MariaDB 10.11 gets TLS from certificates made here (it has none by default); 11.8 has TLS on by default.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createPublicKey, randomBytes, verify } from 'node:crypto';
import { inspect } from 'node:util';
import { AuthError, ErrorCode, ServerError } from '../../../src/errors.js';
import { parsecResponse } from '../../../src/protocol/auth/parsec.js';
import { connect } from '../../../src/protocol/connect.js';
import type { ConnectOptions, TlsMode } from '../../../src/protocol/options.js';
import { startLocalServer, type LocalServer, type ServerName } from '../../../src/servers/local-server.js';
import { testServerNames } from '../../harness/servers.js';
import { makeTestCerts, sslServerOptions, type TestCerts } from './certs.js';
import { assertNoNewHandles, handleCounts } from './handles.js';

const PW = 'Maria-pässwörd';

async function trySql(server: LocalServer, sql: string): Promise<string | undefined> {
  return server.sql(sql).then(
    () => undefined,
    (e: Error) => e.message.split('\n').find((l) => l.startsWith('ERROR')) ?? e.message,
  );
}

for (const name of [
  'mariadb-10.11',
  'mariadb-11.8',
  'mariadb-10.5',
] as const satisfies readonly ServerName[]) {
  const skip = testServerNames().includes(name) ? false : `${name} is not in BINLOGSYNC_TEST_SERVERS`;

  describe(`${name} authentication`, { skip }, () => {
    let server: LocalServer;
    let certs: TestCerts | undefined;
    let ed25519Missing: string | undefined;

    before(async () => {
      // MariaDB 11.x makes its own self-signed certificate; older ones serve TLS only with one given
      if (name !== 'mariadb-11.8') certs = makeTestCerts();
      server = await startLocalServer(name, { options: certs ? sslServerOptions(certs) : [] });
      await server.sql(
        `CREATE USER 'nat'@'%' IDENTIFIED VIA mysql_native_password USING PASSWORD('${PW}');
         CREATE USER 'natempty'@'%' IDENTIFIED VIA mysql_native_password USING PASSWORD('');`,
      );
      ed25519Missing = await trySql(server, "INSTALL SONAME 'auth_ed25519'");
      if (!ed25519Missing) {
        await server.sql(
          `CREATE USER 'ed'@'%' IDENTIFIED VIA ed25519 USING PASSWORD('${PW}');
           CREATE USER 'chain'@'%' IDENTIFIED VIA ed25519 USING PASSWORD('first-pw') OR mysql_native_password USING PASSWORD('second-pw');`,
        );
      }
    });
    after(async () => {
      await server?.stop();
      certs?.remove();
    });

    function opts(user: string, password: string, how: TlsMode | 'socket'): ConnectOptions {
      return {
        connection:
          how === 'socket' ? { socketPath: server.socket } : { host: server.host, port: server.port },
        auth: { user, password },
        tls: { mode: how === 'socket' ? 'disabled' : how },
      };
    }

    async function login(
      user: string,
      password: string,
      how: TlsMode | 'socket',
      plugin: string,
    ): Promise<void> {
      const before = handleCounts();
      const c = await connect(opts(user, password, how));
      try {
        const r = await c.query(
          "SELECT CURRENT_USER(), VARIABLE_VALUE FROM information_schema.SESSION_STATUS WHERE VARIABLE_NAME = 'SSL_CIPHER'",
        );
        assert.equal(r.rows[0][0], `${user}@%`);
        assert.equal(c.server.authPlugin, plugin);
        assert.equal(c.server.tls, how === 'required');
        assert.equal(r.rows[0][1] !== '', how === 'required', `SSL_CIPHER ${r.rows[0][1]}`);
      } finally {
        await c.close();
      }
      await assertNoNewHandles(before, `${user} ${how}`);
    }

    async function denied(user: string, password: string, how: TlsMode | 'socket'): Promise<AuthError> {
      const err = await connect(opts(user, password, how)).catch((e: unknown) => e);
      assert.ok(err instanceof AuthError && err.code === ErrorCode.ERR_AUTH_FAILED, inspect(err));
      assert.ok(err.cause instanceof ServerError && err.cause.errno === 1045);
      assert.equal(inspect(err, { depth: 10 }).includes(password), false);
      return err;
    }

    for (const how of ['disabled', 'required', 'socket'] as const) {
      test(`mysql_native_password, ${how === 'socket' ? 'unix socket' : `TCP, tls ${how}`}`, async () => {
        await login('nat', PW, how, 'mysql_native_password');
        await login('natempty', '', how, 'mysql_native_password');
        await denied('nat', 'wrong', how);
      });

      test(`client_ed25519, ${how === 'socket' ? 'unix socket' : `TCP, tls ${how}`}`, async (t) => {
        if (ed25519Missing) {
          t.skip(`this ${name} build has no auth_ed25519 plugin: ${ed25519Missing}`);
          return;
        }
        // (an ed25519 account with an empty password stores an empty key that nothing can sign for:
        // MariaDB 10.11's own CLI is denied too, so there is no empty-password case here)
        await login('ed', PW, how, 'client_ed25519');
        const err = await denied('ed', 'wrong', how);
        assert.match(err.message, /Access denied for user 'ed'@'[^']+' \(using password: YES\)$/);
      });
    }

    // parsec: MariaDB 11.6+ (PBKDF2 + stock Ed25519; its ext-salt comes as a bare packet, not AuthMoreData)
    if (name === 'mariadb-11.8') {
      test('parsec: the key the server stored is the one binlogsync derives from the password', async () => {
        await server.sql(
          `INSTALL SONAME 'auth_parsec';
           CREATE USER 'px'@'%' IDENTIFIED VIA parsec USING PASSWORD('${PW}');
           CREATE USER 'pxchain'@'%' IDENTIFIED VIA parsec USING PASSWORD('first-pw') OR mysql_native_password USING PASSWORD('second-pw');`,
        );
        // P<factor>:<base64 salt>:<base64 public key, unpadded> (server_parsec.cc Passwd_as_stored)
        const stored = (
          await server.sql(
            "SELECT JSON_VALUE(Priv, '$.authentication_string') FROM mysql.global_priv WHERE User = 'px'",
          )
        ).trim();
        const m = /^P([0-3]):([^:]+):([^:]+)$/.exec(stored);
        assert.ok(m, stored);
        const scramble = randomBytes(32);
        const reply = parsecResponse(
          Buffer.from(PW),
          scramble,
          Buffer.concat([Buffer.from([0x50, Number(m[1])]), Buffer.from(m[2], 'base64')]),
        );
        const serverKey = createPublicKey({
          key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(m[3], 'base64').toString('base64url') },
          format: 'jwk',
        });
        assert.ok(
          verify(null, Buffer.concat([scramble, reply.subarray(0, 32)]), serverKey, reply.subarray(32)),
        );
      });

      for (const how of ['disabled', 'required', 'socket'] as const) {
        test(`parsec, ${how === 'socket' ? 'unix socket' : `TCP, tls ${how}`}`, async () => {
          await login('px', PW, how, 'parsec');
          await denied('px', 'wrong', how);
        });
      }

      test('a plugin chain (parsec OR mysql_native_password): either password', async () => {
        await login('pxchain', 'first-pw', 'disabled', 'parsec');
        await login('pxchain', 'second-pw', 'disabled', 'mysql_native_password');
        await denied('pxchain', 'third-pw', 'disabled');
      });
    }

    test('a plugin chain (ed25519 OR mysql_native_password): either password, by AuthSwitchRequest', async (t) => {
      if (ed25519Missing) {
        t.skip(`this ${name} build has no auth_ed25519 plugin: ${ed25519Missing}`);
        return;
      }
      await login('chain', 'first-pw', 'disabled', 'client_ed25519');
      await login('chain', 'second-pw', 'disabled', 'mysql_native_password');
      await denied('chain', 'third-pw', 'disabled');
    });

    test("PAM's 'dialog' plugin: ERR_AUTH_PLUGIN_UNSUPPORTED", async (t) => {
      const missing = await trySql(server, "INSTALL SONAME 'auth_pam'");
      if (missing) {
        t.skip(`this ${name} build has no auth_pam plugin: ${missing}`);
        return;
      }
      await server.sql("CREATE USER 'pam'@'%' IDENTIFIED VIA pam USING 'binlogsync-test'");
      const before = handleCounts();
      const err = await connect(opts('pam', PW, 'disabled')).catch((e: unknown) => e);
      assert.ok(err instanceof AuthError && err.code === ErrorCode.ERR_AUTH_PLUGIN_UNSUPPORTED, inspect(err));
      assert.match(err.message, /'dialog'/);
      await assertNoNewHandles(before, 'dialog');
    });
  });
}

describe(
  'mariadb-10.11 PAM with pam_use_cleartext_plugin: mysql_clear_password',
  {
    skip: testServerNames().includes('mariadb-10.11')
      ? false
      : 'mariadb-10.11 is not in BINLOGSYNC_TEST_SERVERS',
  },
  () => {
    let server: LocalServer;
    before(async () => {
      server = await startLocalServer('mariadb-10.11', {
        options: ['--plugin-load-add=auth_pam', '--pam-use-cleartext-plugin=ON'],
      });
      await server.sql("CREATE USER 'pam'@'%' IDENTIFIED VIA pam USING 'binlogsync-test'");
    });
    after(() => server?.stop());

    const opts = (allowCleartextPassword: boolean): ConnectOptions => ({
      connection: { host: server.host, port: server.port },
      auth: { user: 'pam', password: PW, allowCleartextPassword },
      tls: { mode: 'disabled' },
    });

    test('refused by the client unless allowed', async () => {
      const err = await connect(opts(false)).catch((e: unknown) => e);
      assert.ok(err instanceof AuthError && err.code === ErrorCode.ERR_AUTH_INSECURE, inspect(err));
    });

    test('allowed: the server takes the password to PAM (no such PAM service here: access denied)', async () => {
      const err = await connect(opts(true)).catch((e: unknown) => e);
      assert.ok(err instanceof AuthError && err.code === ErrorCode.ERR_AUTH_FAILED, inspect(err));
      assert.match(err.message, /Access denied for user 'pam'/);
      assert.equal(inspect(err, { depth: 10 }).includes(PW), false);
    });
  },
);
