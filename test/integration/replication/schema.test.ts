// Column names and types from information_schema when the binlog lacks them (MariaDB's NO_LOG metadata,
// MySQL's MINIMAL): looked up, refreshed after DDL (ADD COLUMN, RENAME COLUMN), never applied to rows
// whose table map they do not fit — another column count or column types (a consumer behind a DDL) —
// and off with schemaLookup: 'off'; generated and invisible columns are in the table map and in information_schema alike; the fields
// information_schema hides (MariaDB's implicit row_start/row_end and long-UNIQUE hashes, MySQL's GIPK when
// show_gipk_in_create_table_and_information_schema is OFF) are named as FULL metadata names them.
import assert from 'node:assert/strict';
import { createServer, connect, type Socket } from 'node:net';
import { describe, test } from 'node:test';
import type { BinlogSyncerOptions } from '../../../src/replication/options.js';
import type { StreamEvent } from '../../../src/replication/stream.js';
import { BinlogSyncer } from '../../../src/replication/syncer.js';
import type { LocalServer } from '../../../src/servers/local-server.js';
import { columnsFor } from '../../fixtures/workload.js';
import { startTestServer, testServerNames } from '../../harness/servers.js';
import { linkSockets, collect, logStatus, syncerOptions } from './helpers.js';

type Row = Record<string, unknown>;

/** Every event of a non-blocking stream from `at`, and the warnings logged meanwhile. */
async function eventsFrom(
  server: LocalServer,
  at: { file: string; pos: number },
  extra: Partial<BinlogSyncerOptions> = {},
): Promise<{ events: StreamEvent[]; warnings: object[] }> {
  const warnings: object[] = [];
  const syncer = new BinlogSyncer(
    syncerOptions(server, {
      ...extra,
      logger: { debug() {}, info() {}, error() {}, warn: (o) => void warnings.push(o) },
    }),
  );
  try {
    return { events: await collect(await syncer.startSync(at, { nonBlocking: true })), warnings };
  } finally {
    await syncer.close();
  }
}

/** The rows of write_rows events, in order, from a non-blocking stream starting at `at`. */
async function rowsFrom(
  server: LocalServer,
  at: { file: string; pos: number },
  extra: Partial<BinlogSyncerOptions> = {},
): Promise<Row[]> {
  const { events } = await eventsFrom(server, at, extra);
  return events.flatMap((e) => (e.type === 'write_rows' ? e.rows : []));
}

/** Per table: its table map's columns (name, signedness, charset) and every row image of its rows events. */
function byTable(events: StreamEvent[]): Map<string, { columns: unknown[]; images: Row[] }> {
  const out = new Map<string, { columns: unknown[]; images: Row[] }>();
  for (const e of events) {
    if (e.type === 'table_map')
      out.set(e.table, {
        columns: e.columns.map((c) => [c.name, c.unsigned ?? null, c.charset ?? null]),
        images: out.get(e.table)?.images ?? [],
      });
    if (e.type === 'write_rows' || e.type === 'delete_rows') out.get(e.table)!.images.push(...e.rows);
    if (e.type === 'update_rows') for (const r of e.rows) out.get(e.table)!.images.push(r.before, r.after);
  }
  return out;
}

/**
 * A TCP proxy to the server that passes everything but a connection's information_schema.COLUMNS query:
 * from then on that connection gets nothing either way (a source that stopped answering it). The
 * server is real; only that one connection is held.
 */
async function stallingProxy(
  target: LocalServer,
): Promise<{ port: number; stalled: () => number; close: () => void }> {
  const sockets = new Set<Socket>();
  let stalled = 0;
  const server = createServer((client: Socket) => {
    const upstream = connect(target.port, target.host);
    sockets.add(client).add(upstream);
    let held = false;
    client.on('data', (d: Buffer) => {
      if (!held && d.includes('information_schema.COLUMNS')) {
        held = true;
        stalled++;
      }
      if (!held) upstream.write(d);
    });
    upstream.on('data', (d: Buffer) => {
      if (!held) client.write(d);
    });
    linkSockets(client, upstream);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    stalled: () => stalled,
    close: () => {
      for (const sock of sockets) sock.destroy();
      server.close();
    },
  };
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

    test('a consumer behind a DDL that moved a column: @N keys for rows of the old order, not swapped names', async () => {
      const at = await logStatus(server);
      await server.sql(
        "CREATE TABLE sc.mv (id INT PRIMARY KEY, a VARCHAR(5), b INT); INSERT INTO sc.mv VALUES (1, 'x', 2); " +
          "ALTER TABLE sc.mv MODIFY b INT AFTER id; INSERT INTO sc.mv VALUES (3, 4, 'y')",
      );
      // information_schema has id, b, a now; the first row was logged as id, a, b
      const rows = await rowsFrom(server, at);
      assert.deepEqual(rows, [
        { '@1': 1, '@2': name.startsWith('mysql') ? 'x' : Buffer.from('x'), '@3': 2 },
        { id: 3, b: 4, a: 'y' },
      ]);
    });

    test('tables whose names differ only in case or accents each get their own columns', async () => {
      // information_schema compared in utf8mb4's default collation took `T` = `t`: both tables' columns
      // came back, fitted neither, and rows lost their names (MariaDB: their text too)
      await server.sql('CREATE DATABASE cs');
      const at = await logStatus(server);
      await server.sql(
        'CREATE TABLE cs.T (id INT PRIMARY KEY, upper_col INT); CREATE TABLE cs.t (id INT PRIMARY KEY, lower_col VARCHAR(5)); ' +
          'CREATE TABLE cs.`café` (id INT PRIMARY KEY, accent VARCHAR(5)); CREATE TABLE cs.cafe (id INT PRIMARY KEY, plain INT); ' +
          "INSERT INTO cs.T VALUES (1, 2); INSERT INTO cs.t VALUES (1, 'x'); INSERT INTO cs.`café` VALUES (1, 'é'); INSERT INTO cs.cafe VALUES (1, 3)",
      );
      const { events, warnings } = await eventsFrom(server, at);
      assert.deepEqual(warnings, []);
      assert.deepEqual(
        events.flatMap((e) => (e.type === 'write_rows' ? [[e.table, e.rows]] : [])),
        [
          ['T', [{ id: 1, upper_col: 2 }]],
          ['t', [{ id: 1, lower_col: 'x' }]],
          ['café', [{ id: 1, accent: 'é' }]],
          ['cafe', [{ id: 1, plain: 3 }]],
        ],
      );
    });

    test('every column type is named: the lookup takes each as logged with its own type code', async () => {
      const mariadb = name.startsWith('mariadb');
      const version = (await server.sql('SELECT VERSION()')).trim();
      const [major, minor] = version.split('.').map(Number);
      const extra = [
        'g GEOMETRY',
        'pt POINT',
        'ls LINESTRING',
        'tt TINYTEXT',
        'lt LONGTEXT',
        'tb TINYBLOB',
        'lb LONGBLOB',
        'nu NUMERIC(5,1)',
        ...(mariadb
          ? [
              'vcz VARCHAR(10) COMPRESSED',
              'txz TEXT COMPRESSED',
              'ip INET6',
              ...(major * 100 + minor >= 1100 ? ['ip4 INET4', 'u UUID'] : []),
              ...(major * 100 + minor >= 1107 ? ['vv VECTOR(2) NOT NULL'] : []),
            ]
          : []),
      ];
      const defs = [...columnsFor(mariadb ? 'mariadb' : 'mysql').map((c) => `${c.name} ${c.ddl}`), ...extra];
      const at = await logStatus(server);
      await server.sql(
        `CREATE TABLE sc.every (${defs.join(', ')}); ` +
          `INSERT INTO sc.every (id${mariadb && defs.some((d) => d.startsWith('vv ')) ? ', vv' : ''}) ` +
          `VALUES (1${mariadb && defs.some((d) => d.startsWith('vv ')) ? ", VEC_FromText('[1,2]')" : ''})`,
      );
      const { events, warnings } = await eventsFrom(server, at);
      assert.deepEqual(warnings, []);
      const rows = events.flatMap((e) => (e.type === 'write_rows' ? e.rows : []));
      assert.equal(rows.length, 1);
      assert.deepEqual(
        Object.keys(rows[0]),
        defs.map((d) => d.split(' ')[0]),
      );
      if (defs.some((d) => d.startsWith('vv '))) {
        // MariaDB logs VECTOR as VARBINARY: with the lookup it comes as float32s, as MySQL's VECTOR does
        const text = (await server.sql('SELECT VEC_ToText(vv) FROM sc.every')).trim();
        assert.ok(rows[0].vv instanceof Float32Array, typeof rows[0].vv);
        assert.deepEqual(Array.from(rows[0].vv), JSON.parse(text) as number[]);
      }
    });

    test('a user allowed one connection: the lookup cannot connect, a warning, every row without names', async () => {
      await server.sql(
        "CREATE TABLE sc.lim (id INT PRIMARY KEY, v VARCHAR(10)); CREATE USER lim@'%' IDENTIFIED BY 'pw' " +
          "WITH MAX_USER_CONNECTIONS 1; GRANT REPLICATION SLAVE, REPLICATION CLIENT, SELECT ON *.* TO lim@'%'",
      );
      const at = await logStatus(server);
      await server.sql("INSERT INTO sc.lim VALUES (1, 'a'); INSERT INTO sc.lim VALUES (2, 'b')");
      const warnings: { msg?: string; err?: string }[] = [];
      const syncer = new BinlogSyncer(
        syncerOptions(server, {
          user: 'lim',
          password: 'pw',
          logger: { debug() {}, info() {}, error() {}, warn: (o, msg) => void warnings.push({ msg, ...o }) },
        }),
      );
      try {
        // a blocking dump, so that its connection is open while the stream looks the table up
        const events = await collect(
          await syncer.startSync(at),
          (e) => e.type === 'write_rows' && e.rows.some((r) => Object.values(r)[0] === 2),
        );
        const rows = events.flatMap((e) => (e.type === 'write_rows' && e.table === 'lim' ? e.rows : []));
        // no names (and on MariaDB no charset either: the VARCHAR's bytes)
        assert.deepEqual(
          rows.map((r) => [Object.keys(r), r['@1'], String(r['@2'] as string | Buffer)]),
          [
            [['@1', '@2'], 1, 'a'],
            [['@1', '@2'], 2, 'b'],
          ],
        );
        const w = warnings.filter((x) => x.msg?.startsWith('schema lookup failed'));
        // one warning: the second table map comes within the pause after the first failure
        assert.equal(w.length, 1, JSON.stringify(warnings));
        assert.match(w[0].err ?? '', /1226|max_user_connections/i);
      } finally {
        await syncer.close();
      }
    });

    test(
      'a lookup that gets no answer: a warning after the read timeout, every row, nothing held up',
      { timeout: 60_000 },
      async () => {
        await server.sql('CREATE TABLE sc.stall (id INT PRIMARY KEY, v VARCHAR(10))');
        const at = await logStatus(server);
        await server.sql("INSERT INTO sc.stall VALUES (1, 'a'), (2, 'b')");
        const proxy = await stallingProxy(server);
        const warnings: { msg?: string; err?: string }[] = [];
        const syncer = new BinlogSyncer(
          syncerOptions(server, {
            port: proxy.port,
            tls: { mode: 'disabled' }, // the proxy reads the queries
            heartbeatPeriod: 500,
            readTimeout: 2000,
            connection: { connectTimeout: 2000 },
            logger: {
              debug() {},
              info() {},
              error() {},
              warn: (o, msg) => void warnings.push({ msg, ...o }),
            },
          }),
        );
        try {
          const t0 = Date.now();
          const events = await collect(await syncer.startSync(at, { nonBlocking: true }));
          const rows = events.flatMap((e) => (e.type === 'write_rows' && e.table === 'stall' ? e.rows : []));
          assert.deepEqual(
            rows.map((r) => [Object.keys(r), r['@1'], String(r['@2'] as string | Buffer)]),
            [
              [['@1', '@2'], 1, 'a'],
              [['@1', '@2'], 2, 'b'],
            ],
          );
          assert.ok(proxy.stalled() >= 1, 'the proxy held a lookup back');
          const w = warnings.filter((x) => x.msg?.startsWith('schema lookup failed'));
          assert.equal(w.length, 1, JSON.stringify(warnings));
          assert.match(w[0].err ?? '', /no answer within 4000 ms/);
          console.log(`# stalled lookup ${JSON.stringify({ server: name, ms: Date.now() - t0 })}`);
        } finally {
          await syncer.close();
          proxy.close();
        }
      },
    );

    test('ENUM members with escaped characters; MariaDB INET6 / INET4 as SELECT shows them (zeros kept)', async () => {
      const mariadb = server.flavor === 'mariadb';
      const inet4 = mariadb && name !== 'mariadb-10.5'; // INET4 is 10.10+
      const at = await logStatus(server);
      await server.sql(
        "CREATE TABLE sc.fx (id INT PRIMARY KEY, e ENUM('a\\nb','c\\\\d','x')" +
          (mariadb ? ', ip INET6' : '') +
          (inet4 ? ', ip4 INET4' : '') +
          ');' +
          `INSERT INTO sc.fx VALUES (1, 'a\\nb'${mariadb ? ", '2001:db8::'" : ''}${inet4 ? ", '10.0.0.0'" : ''}),` +
          ` (2, 'c\\\\d'${mariadb ? ", '::'" : ''}${inet4 ? ", '0.0.0.0'" : ''})`,
      );
      const want = (
        await server.sql(
          'SELECT HEX(e)' +
            (mariadb ? ', CAST(ip AS CHAR)' : '') +
            (inet4 ? ', CAST(ip4 AS CHAR)' : '') +
            ' FROM sc.fx ORDER BY id',
        )
      )
        .trim()
        .split('\n')
        .map((l) => l.split('\t'));
      const rows = (await rowsFrom(server, at)).slice(-2);
      const hex = (v: unknown): string =>
        (typeof v === 'string' ? Buffer.from(v) : Buffer.from(v as Uint8Array)).toString('hex').toUpperCase();
      const got = rows.map((r) => [hex(r.e), ...(mariadb ? [r.ip] : []), ...(inet4 ? [r.ip4] : [])]);
      assert.deepEqual(got, want);
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

    // MariaDB's information_schema leaves out fields its table map has: the implicit row_start/row_end of a
    // system-versioned table and the hash field of each long UNIQUE key. The same tables and statements
    // (at a fixed timestamp) logged once with the default metadata — names from the lookup — and once
    // with binlog_row_metadata=FULL — names and signedness from the server — must decode alike.
    if (name.startsWith('mariadb'))
      test('MariaDB hidden fields (system versioning, long UNIQUE hashes) are named as FULL metadata names them', async () => {
        const tables = [
          'sv (d TIMESTAMP(6) NULL, id INT PRIMARY KEY, v VARCHAR(10) CHARACTER SET utf8mb4) WITH SYSTEM VERSIONING',
          'lu (id INT PRIMARY KEY, b TEXT, v VARCHAR(10), UNIQUE (b), UNIQUE (v, b))',
          'both (id INT PRIMARY KEY, b TEXT, UNIQUE (b)) WITH SYSTEM VERSIONING',
          'hk (id INT PRIMARY KEY, v VARCHAR(10), UNIQUE KEY (v) USING HASH) ENGINE=MyISAM',
          'mem (id INT, v VARCHAR(10), UNIQUE KEY (v) USING HASH) ENGINE=MEMORY',
        ];
        const script = (db: string): string =>
          [
            `CREATE DATABASE ${db}`,
            ...tables.map((t) => `CREATE TABLE ${db}.${t}`),
            // an added column goes before the hidden fields
            `SET SESSION system_versioning_alter_history = KEEP; ALTER TABLE ${db}.sv ADD COLUMN c INT`,
            'SET timestamp = 1700000000.250001',
            `INSERT INTO ${db}.sv (d, id, v, c) VALUES ('2024-01-02 03:04:05.678901', 1, 'é', 5), (NULL, 2, 'b', NULL)`,
            `INSERT INTO ${db}.lu VALUES (1, 'long text', 'x'), (2, 'more', NULL)`,
            `INSERT INTO ${db}.both VALUES (1, 'z')`,
            `INSERT INTO ${db}.hk VALUES (1, 'q')`,
            `INSERT INTO ${db}.mem VALUES (1, 'm')`,
            'SET timestamp = 1700000100.5',
            `UPDATE ${db}.sv SET v = 'b2' WHERE id = 2`,
            `UPDATE ${db}.lu SET b = 'changed' WHERE id = 2`,
            `DELETE FROM ${db}.both WHERE id = 1`,
          ].join('; ');
        const at = await logStatus(server);
        await server.sql(script('hl'));
        await server.sql("SET GLOBAL binlog_row_metadata = 'FULL'");
        let full: StreamEvent[];
        try {
          const mid = await logStatus(server);
          await server.sql(script('hf'));
          full = (await eventsFrom(server, mid, { schemaLookup: 'off' })).events;
        } finally {
          await server.sql("SET GLOBAL binlog_row_metadata = 'NO_LOG'");
        }
        const { events, warnings } = await eventsFrom(server, at);
        assert.deepEqual(warnings, []);
        const looked = byTable(events.filter((e) => !('schema' in e) || e.schema === 'hl'));
        const named = byTable(full.filter((e) => !('schema' in e) || e.schema === 'hf'));
        assert.deepEqual([...looked.keys()].sort(), ['both', 'hk', 'lu', 'mem', 'sv']);
        for (const [table, want] of named) {
          const got = looked.get(table)!;
          assert.deepEqual(got.columns, want.columns, `${table}: table map columns`);
          assert.deepEqual(got.images, want.images, `${table}: rows`);
        }
        assert.deepEqual(
          named.get('both')!.columns.map((c) => (c as string[])[0]),
          ['id', 'b', 'row_start', 'row_end', 'DB_ROW_HASH_1'],
        );
        // and the versions are the ones the server keeps
        const versions = (
          await server.sql('SELECT id, v, c, row_start, row_end FROM hl.sv FOR SYSTEM_TIME ALL')
        )
          .trim()
          .split('\n')
          .sort();
        const decoded = looked
          .get('sv')!
          .images.map((r) =>
            [r.id, r.v, r.c, r.row_start, r.row_end]
              .map((v) => (v === null ? 'NULL' : String(v as string)))
              .join('\t'),
          );
        for (const v of versions) assert.ok(decoded.includes(v), `${v} among ${decoded.join(' | ')}`);
      });

    if (name.startsWith('mysql'))
      test('a generated invisible primary key hidden from information_schema is still named my_row_id', async () => {
        await server.sql('SET GLOBAL show_gipk_in_create_table_and_information_schema = OFF');
        try {
          const at = await logStatus(server);
          await server.sql(
            'SET SESSION sql_generate_invisible_primary_key = ON; CREATE TABLE sc.gipk (v VARCHAR(10), n INT); ' +
              "INSERT INTO sc.gipk VALUES ('a', 1), ('b', -2)",
          );
          assert.equal(
            (
              await server.sql("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_NAME = 'gipk'")
            ).trim(),
            '2',
            'information_schema hides it',
          );
          const rows = await rowsFrom(server, at);
          const want = (await server.sql('SELECT my_row_id, v, n FROM sc.gipk ORDER BY my_row_id'))
            .trim()
            .split('\n')
            .map((l) => l.split('\t'));
          assert.deepEqual(
            rows.map((r) => Object.keys(r)),
            [
              ['my_row_id', 'v', 'n'],
              ['my_row_id', 'v', 'n'],
            ],
          );
          assert.deepEqual(
            rows.map((r) => Object.values(r).map(String)),
            want,
          );
        } finally {
          await server.sql('SET GLOBAL show_gipk_in_create_table_and_information_schema = ON');
        }
      });
  });
}
