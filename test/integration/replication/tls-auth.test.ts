// Replication over TLS and with every authentication plugin a replication account can have, each account
// granted only REPLICATION SLAVE, REPLICATION CLIENT and SELECT (what binlogsync documents as enough: the
// dump, the current position, and column names from information_schema).
// MySQL 9.7: caching_sha2_password and sha256_password; TLS with the datadir's auto-generated certificates
// (verify-ca with ca.pem). MariaDB: mysql_native_password and ed25519 (INSTALL SONAME 'auth_ed25519');
// TLS with certificates made here (10.11 has none by default).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { AuthError, ErrorCode, ServerError, TlsError } from '../../../src/errors.js';
import type { TlsOptions } from '../../../src/protocol/options.js';
import type { BinlogSyncerOptions } from '../../../src/replication/options.js';
import { BinlogSyncer } from '../../../src/replication/syncer.js';
import type { LocalServer } from '../../../src/servers/local-server.js';
import { startTestServer, testServerNames } from '../../harness/servers.js';
import { makeTestCerts, sslServerOptions } from '../protocol/certs.js';
import { syncerOptions } from './helpers.js';

const PW = 'Repl-pässwörd-1';
const certs = makeTestCerts();
after(() => certs.remove());

let nextId = 1;
/** Follows the source as `user` until it sees the row it inserts; returns what the dump connection used. */
async function replicate(
  server: LocalServer,
  user: string,
  extra: Partial<BinlogSyncerOptions>,
): Promise<{ tls: boolean; plugin: string }> {
  const syncer = new BinlogSyncer(syncerOptions(server, { user, password: PW, ...extra }));
  try {
    const stream = await syncer.startSync('now');
    const info = stream.connectionInfo!;
    const id = nextId++;
    await server.sql(`INSERT INTO ta.t VALUES (${id}, '${user}')`);
    for await (const ev of stream) {
      if (ev.type !== 'write_rows') continue;
      // names from information_schema: the schema lookup connection logs in the same way
      assert.deepEqual(ev.rows, [{ id, who: user }]);
      break;
    }
    return { tls: info.tls, plugin: info.authPlugin };
  } finally {
    await syncer.close();
  }
}

const GRANTS = 'REPLICATION SLAVE, REPLICATION CLIENT, SELECT';

for (const name of testServerNames()) {
  const mysql = name.startsWith('mysql');
  describe(`replication over TLS and per auth plugin on ${name}`, () => {
    let server: LocalServer;
    let ca: TlsOptions['ca'];
    let missing: string | undefined;
    /** What the client side of each plugin is called in the handshake. */
    const clientPlugin = (p: string): string => (p === 'ed25519' ? 'client_ed25519' : p);
    const plugins = mysql
      ? ['caching_sha2_password', 'sha256_password']
      : name === 'mariadb-11.8' // parsec: MariaDB 11.6+
        ? ['mysql_native_password', 'ed25519', 'parsec']
        : ['mysql_native_password', 'ed25519'];

    test('setup: one account per plugin, granted only what replication needs', async () => {
      server = await startTestServer(name, { options: mysql ? [] : sslServerOptions(certs) });
      ca = mysql ? readFileSync(join(server.datadir, 'ca.pem')) : certs.ca;
      if (plugins.includes('parsec')) await server.sql("INSTALL SONAME 'auth_parsec'");
      if (!mysql) {
        missing = await server.sql("INSTALL SONAME 'auth_ed25519'").then(
          () => undefined,
          (e: Error) => e.message.split('\n').find((l) => l.startsWith('ERROR')) ?? e.message,
        );
      }
      await server.sql('CREATE DATABASE ta; CREATE TABLE ta.t (id INT PRIMARY KEY, who VARCHAR(40))');
      for (const p of plugins) {
        if (p === 'ed25519' && missing) continue;
        const ident = mysql
          ? `IDENTIFIED WITH ${p} BY '${PW}'`
          : `IDENTIFIED VIA ${p} USING PASSWORD('${PW}')`;
        await server.sql(`CREATE USER 'r_${p}'@'%' ${ident}; GRANT ${GRANTS} ON *.* TO 'r_${p}'@'%'`);
      }
      await server.sql(
        `CREATE USER 'noslave'@'%' IDENTIFIED BY '${PW}'; GRANT REPLICATION CLIENT, SELECT ON *.* TO 'noslave'@'%'`,
      );
    });

    for (const p of plugins) {
      test(`${p}: over TLS (required, verify-ca)`, async (t) => {
        if (p === 'ed25519' && missing) return t.skip(`no auth_ed25519 in this ${name} build: ${missing}`);
        for (const mode of ['required', 'verify-ca'] as const) {
          assert.deepEqual(await replicate(server, `r_${p}`, { tls: { mode, ca } }), {
            tls: true,
            plugin: clientPlugin(p),
          });
        }
      });

      test(`${p}: over plain TCP`, async (t) => {
        if (p === 'ed25519' && missing) return t.skip(`no auth_ed25519 in this ${name} build: ${missing}`);
        // caching_sha2 / sha256 send the password RSA-encrypted without TLS (the key fetched from the server)
        const auth = mysql ? { allowPublicKeyRetrieval: true } : {};
        assert.deepEqual(await replicate(server, `r_${p}`, { tls: { mode: 'disabled' }, auth }), {
          tls: false,
          plugin: clientPlugin(p),
        });
      });
    }

    test('clear errors: a wrong password, a certificate not from the CA, no REPLICATION SLAVE', async () => {
      const p = plugins[0];
      const wrong = new BinlogSyncer(
        syncerOptions(server, { user: `r_${p}`, password: 'not-the-password', tls: { mode: 'required' } }),
      );
      await assert.rejects(wrong.startSync('now'), (e: unknown) => {
        assert.ok(e instanceof AuthError || e instanceof ServerError, String(e));
        assert.match((e as Error).message, /denied/i);
        assert.doesNotMatch((e as Error).message, /not-the-password/);
        return true;
      });
      const otherCa = new BinlogSyncer(
        syncerOptions(server, {
          user: `r_${p}`,
          password: PW,
          tls: { mode: 'verify-ca', ca: certs.otherCa },
        }),
      );
      await assert.rejects(
        otherCa.startSync('now'),
        (e: unknown) => e instanceof TlsError && e.code === ErrorCode.ERR_TLS && !e.message.includes('\n'),
      );
      // the client's own TLS options refused by OpenSSL (a key that is not the certificate's, a file that
      // is no key): a TlsError too, not Node's bare Error
      for (const key of [readFileSync(certs.serverKeyPath), Buffer.from('not a key')]) {
        const badKey = new BinlogSyncer(
          syncerOptions(server, {
            user: `r_${p}`,
            password: PW,
            tls: { mode: 'verify-ca', ca, cert: certs.clientCert, key },
          }),
        );
        await assert.rejects(badKey.startSync('now'), (e: unknown) => {
          assert.ok(e instanceof TlsError, String(e));
          assert.equal(e.code, ErrorCode.ERR_TLS);
          assert.match(e.message, /^TLS options refused: /);
          return true;
        });
        await badKey.close();
      }
      const noSlave = new BinlogSyncer(syncerOptions(server, { user: 'noslave', password: PW }));
      try {
        await assert.rejects(
          (async () => {
            for await (const ev of await noSlave.startSync('now')) void ev;
          })(),
          (e: unknown) =>
            e instanceof ServerError &&
            [1045, 1227].includes(e.errno) &&
            /REPLICATION SLAVE/.test(e.message) &&
            !e.message.includes(PW),
        );
      } finally {
        await noSlave.close();
      }
    });
  });
}
