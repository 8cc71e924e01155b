// The preflight rules against real servers: a well-configured one, one logging statements, and a user
// without privileges. Facts are read through the server's own client here; the CLI reads them through
// binlogsync's protocol client.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { evaluatePreflight, gatherServerFacts, type CheckItem } from '../../src/replication/preflight.js';
import type { LocalServer } from '../../src/servers/local-server.js';
import { startTestServer, testServerNames } from '../harness/servers.js';

function runner(server: LocalServer, user?: string) {
  return async (sql: string) => {
    const out = user ? await server.sql(`${sql}`, { user }) : await server.sql(sql);
    return out
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => l.split('\t').map((c) => (c === 'NULL' ? null : c)));
  };
}
const flavorOf = (name: string) => (name.startsWith('mysql') ? 'mysql' : 'mariadb');
const byName = (items: CheckItem[]) => Object.fromEntries(items.map((i) => [i.name, i]));

for (const name of testServerNames()) {
  describe(`preflight on ${name}`, () => {
    test('well configured: binlog ROW FULL, CRC32, all privileges', async () => {
      const server = await startTestServer(name, {
        // binlog_expire_logs_seconds is MySQL 8+ / MariaDB 10.6+
        options: [
          '--binlog-row-metadata=FULL',
          name === 'mariadb-10.5' ? '--expire-logs-days=7' : '--binlog-expire-logs-seconds=604800',
        ],
      });
      const items = byName(evaluatePreflight(await gatherServerFacts(runner(server))));
      for (const key of [
        'log_bin',
        'binlog_format',
        'binlog_row_image',
        'binlog_row_metadata',
        'binlog_checksum',
        'binlog expiry',
        'server_id',
        'privilege REPLICATION SLAVE',
        'privilege SELECT',
      ]) {
        assert.equal(items[key]?.status, 'ok', `${key}: ${JSON.stringify(items[key])}`);
      }
      if (name.startsWith('mysql')) {
        assert.equal(items.gtid_mode?.status, 'ok');
        assert.equal(items['privilege BACKUP_ADMIN']?.status, 'ok');
      } else {
        assert.equal(items['privilege BACKUP_ADMIN'], undefined, 'MySQL only');
      }
    });

    test('STATEMENT format fails with the fix; a user without grants fails privileges', async () => {
      const server = await startTestServer(name, {
        // no expiry (MariaDB's default; MySQL's is 30 days)
        options: [
          '--binlog-format=STATEMENT',
          '--binlog-row-image=MINIMAL',
          ...(flavorOf(name) === 'mysql' ? ['--binlog-expire-logs-seconds=0'] : []),
        ],
      });
      await server.sql("CREATE USER nopriv@localhost IDENTIFIED BY 'x'");
      const items = byName(evaluatePreflight(await gatherServerFacts(runner(server, 'nopriv:x'))));
      assert.equal(items.binlog_format?.status, 'fail');
      assert.match(items.binlog_format?.fix ?? '', /binlog_format = 'ROW'/);
      assert.equal(items.binlog_row_image?.status, 'warn');
      assert.equal(items['privilege REPLICATION SLAVE']?.status, 'fail');
      assert.match(
        items['privilege REPLICATION SLAVE']?.fix ?? '',
        /^GRANT REPLICATION SLAVE ON \*\.\* TO 'nopriv'@'localhost';$/,
      );
      assert.equal(items['privilege SELECT']?.status, 'warn');
      if (name.startsWith('mysql')) {
        // startSync('now') reads log_status with it; the fix, run as printed, makes the check pass
        const backup = items['privilege BACKUP_ADMIN'];
        assert.equal(backup?.status, 'warn', JSON.stringify(backup));
        await server.sql(backup?.fix ?? '');
        const granted = byName(evaluatePreflight(await gatherServerFacts(runner(server, 'nopriv:x'))));
        assert.equal(granted['privilege BACKUP_ADMIN']?.status, 'ok');
      }

      // the expiry fix, run as printed (its SQL, before the comment), makes that check pass
      const expiry = items['binlog expiry'];
      assert.equal(expiry?.status, 'warn', JSON.stringify(expiry));
      await server.sql((expiry?.fix ?? '').split('--')[0]);
      const after = byName(evaluatePreflight(await gatherServerFacts(runner(server))));
      assert.equal(after['binlog expiry']?.status, 'ok', JSON.stringify(after['binlog expiry']));
      assert.equal(after['binlog expiry']?.value, '7.0 days');
    });
  });
}
