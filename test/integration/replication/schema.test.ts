// Column names and types from information_schema when the binlog lacks them (MariaDB's NO_LOG metadata,
// MySQL's MINIMAL): looked up, refreshed after DDL (ADD COLUMN, RENAME COLUMN), never applied to rows
// whose table map has another column count (a consumer behind a DDL), and off with schemaLookup: 'off';
// generated and invisible columns are in the table map and in information_schema alike.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { BinlogSyncerOptions } from '../../../src/replication/options.js';
import { BinlogSyncer } from '../../../src/replication/syncer.js';
import type { LocalServer } from '../../../src/servers/local-server.js';
import { startTestServer, testServerNames } from '../../harness/servers.js';
import { collect, logStatus, syncerOptions } from './helpers.js';

type Row = Record<string, unknown>;

/** The rows of write_rows events, in order, from a non-blocking stream starting at `at`. */
async function rowsFrom(
  server: LocalServer,
  at: { file: string; pos: number },
  extra: Partial<BinlogSyncerOptions> = {},
): Promise<Row[]> {
  const warnings: object[] = [];
  const syncer = new BinlogSyncer(
    syncerOptions(server, {
      ...extra,
      logger: { debug() {}, info() {}, error() {}, warn: (o) => void warnings.push(o) },
    }),
  );
  try {
    const events = await collect(await syncer.startSync(at, { nonBlocking: true }));
    return events.flatMap((e) => (e.type === 'write_rows' ? e.rows : []));
  } finally {
    await syncer.close();
  }
}

for (const name of testServerNames()) {
  describe(`schema lookup on ${name}`, () => {
    let server: LocalServer;
    test('setup', async () => {
      server = await startTestServer(name); // default binlog_row_metadata: no names in the binlog
      const meta = (await server.sql('SELECT @@binlog_row_metadata')).trim();
      assert.match(meta, /^(MINIMAL|NO_LOG)$/);
      await server.sql(
        "CREATE DATABASE sc; CREATE TABLE sc.t (id INT UNSIGNED PRIMARY KEY, v VARCHAR(10) CHARACTER SET latin1, e ENUM('x','y','z'))",
      );
    });

    test('names, signedness, charsets and ENUM members; refreshed after ADD and RENAME COLUMN', async () => {
      const syncer = new BinlogSyncer(syncerOptions(server));
      try {
        const stream = await syncer.startSync('now');
        const it = stream[Symbol.asyncIterator]();
        const nextRow = async (): Promise<Row> => {
          for (;;) {
            const r = await it.next();
            assert.ok(!r.done);
            if (r.value.type === 'write_rows') return r.value.rows[0];
          }
        };
        await server.sql("INSERT INTO sc.t VALUES (4294967295, 'é', 'y')");
        assert.deepEqual(await nextRow(), { id: 4294967295, v: 'é', e: 'y' });
        await server.sql("ALTER TABLE sc.t ADD COLUMN w INT; INSERT INTO sc.t VALUES (1, 'a', 'x', -7)");
        assert.deepEqual(await nextRow(), { id: 1, v: 'a', e: 'x', w: -7 });
        await server.sql("ALTER TABLE sc.t RENAME COLUMN v TO v2; INSERT INTO sc.t VALUES (2, 'b', 'z', 8)");
        assert.deepEqual(await nextRow(), { id: 2, v2: 'b', e: 'z', w: 8 });
        // what the server has
        assert.equal(
          (await server.sql('SELECT id, v2, e, w FROM sc.t ORDER BY id')).trim(),
          '1\ta\tx\t-7\n2\tb\tz\t8\n4294967295\té\ty\tNULL',
        );
      } finally {
        await syncer.close();
      }
    });

    test("schemaLookup: 'off' keeps @1, @2 … keys", async () => {
      const at = await logStatus(server);
      await server.sql("INSERT INTO sc.t VALUES (3, 'c', 'y', 9)");
      const rows = await rowsFrom(server, at, { schemaLookup: 'off' });
      assert.equal(rows.length, 1);
      assert.deepEqual(Object.keys(rows[0]), ['@1', '@2', '@3', '@4']);
      assert.equal(rows[0]['@4'], 9);
    });

    test('a consumer behind a DDL: @N keys for rows of the old shape, names again after the DDL', async () => {
      const at = await logStatus(server);
      await server.sql(
        "INSERT INTO sc.t VALUES (4, 'd', 'x', 10); ALTER TABLE sc.t DROP COLUMN e; INSERT INTO sc.t VALUES (5, 'e', 11)",
      );
      // information_schema has 3 columns now; the first row was logged with 4
      const rows = await rowsFrom(server, at);
      assert.equal(rows.length, 2);
      assert.deepEqual(Object.keys(rows[0]), ['@1', '@2', '@3', '@4']);
      assert.equal(rows[0]['@1'], 4);
      assert.deepEqual(rows[1], { id: 5, v2: 'e', w: 11 });
    });

    test('generated (VIRTUAL, STORED) and INVISIBLE columns keep their places in the lookup', async () => {
      const at = await logStatus(server);
      await server.sql(
        'CREATE TABLE sc.g (id INT PRIMARY KEY, a INT, v INT AS (a * 2) VIRTUAL, st INT AS (a * 3) STORED, ' +
          "h INT INVISIBLE DEFAULT 7, name VARCHAR(10)); INSERT INTO sc.g (id, a, name) VALUES (1, 5, 'x'), (2, -4, 'y')",
      );
      const rows = await rowsFrom(server, at);
      // what the server has, column by column (the invisible one only when named)
      const want = (await server.sql('SELECT id, a, v, st, h, name FROM sc.g ORDER BY id'))
        .trim()
        .split('\n')
        .map((l) => l.split('\t'));
      assert.equal(rows.length, 2);
      rows.forEach((row, i) => {
        assert.deepEqual(Object.keys(row), ['id', 'a', 'v', 'st', 'h', 'name']);
        assert.deepEqual(Object.values(row).map(String), want[i]);
      });
    });
  });
}
