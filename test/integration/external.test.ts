// Your own servers: set BINLOGSYNC_TEST_SERVER_URLS to a comma list of mysql://user:password@host:port
// (servers you run, with binlog on and ROW format; the user needs REPLICATION SLAVE, REPLICATION CLIENT
// and the right to create and drop the schema `binlogsync_test`) and this suite runs the main path against
// each of them: log in, check, follow the binlog from now, and decode what it writes. Without the
// variable it is skipped (and says so); the rest of the suite always uses private servers.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { connect } from '../../src/protocol/connect.js';
import { evaluatePreflight, gatherServerFacts } from '../../src/replication/preflight.js';
import { BinlogSyncer } from '../../src/replication/syncer.js';

const urls = (process.env.BINLOGSYNC_TEST_SERVER_URLS ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);

function parse(u: string) {
  const url = new URL(u);
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : 3306,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  };
}

if (urls.length === 0) {
  test(
    'servers of your own (set BINLOGSYNC_TEST_SERVER_URLS to run this suite)',
    { skip: 'BINLOGSYNC_TEST_SERVER_URLS is not set' },
    () => {},
  );
}

for (const u of urls) {
  const t = parse(u);
  describe(`your server ${t.host}:${t.port}`, () => {
    test('logs in, passes the checks, streams and decodes what it writes', async () => {
      const conn = await connect({
        connection: { host: t.host, port: t.port },
        auth: { user: t.user, password: t.password },
      });
      try {
        const items = evaluatePreflight(await gatherServerFacts(async (sql) => (await conn.query(sql)).rows));
        const failed = items.filter((i) => i.status === 'fail');
        assert.deepEqual(
          failed.map((i) => `${i.name}: ${i.fix ?? ''}`),
          [],
        );
        const syncer = new BinlogSyncer({
          ...t,
          serverId: 3_000_000 + Math.floor(Math.random() * 1_000_000),
        });
        try {
          const stream = await syncer.startSync('now');
          await conn.query('DROP DATABASE IF EXISTS binlogsync_test');
          await conn.query('CREATE DATABASE binlogsync_test');
          await conn.query(
            'CREATE TABLE binlogsync_test.t (id INT PRIMARY KEY, v VARCHAR(10), b BIGINT UNSIGNED)',
          );
          await conn.query("INSERT INTO binlogsync_test.t VALUES (1, 'ä€', 18446744073709551615)");
          for await (const ev of stream) {
            if (ev.type === 'write_rows' && ev.schema === 'binlogsync_test') {
              assert.deepEqual(ev.rows, [{ id: 1, v: 'ä€', b: 18446744073709551615n }]);
              break;
            }
          }
        } finally {
          await syncer.close();
          await conn.query('DROP DATABASE IF EXISTS binlogsync_test');
        }
      } finally {
        await conn.close();
      }
    });
  });
}
