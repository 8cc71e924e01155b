// Compressed binlogs, decoded inline. MySQL --binlog-transaction-compression=ON writes each transaction as
// one TRANSACTION_PAYLOAD (zstd): the stream delivers the payload, then its inner events in order, each
// with `payload` set. MariaDB --log-bin-compress=ON writes compressed query and rows events. Values equal
// those of the same writes logged uncompressed; and a dump connection killed while the consumer is in
// the middle of a compressed transaction loses and repeats nothing.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { StreamEvent } from '../../../src/replication/stream.js';
import { BinlogSyncer } from '../../../src/replication/syncer.js';
import type { LocalServer } from '../../../src/servers/local-server.js';
import { startTestServer, testServerNames } from '../../harness/servers.js';
import {
  bulkInsertSql,
  collect,
  digitsSql,
  dumpThreads,
  logStatus,
  sleep,
  syncerOptions,
} from './helpers.js';

const COLUMNS =
  '(id INT PRIMARY KEY, n BIGINT, d DECIMAL(20,6), s VARCHAR(200), b BLOB, dt DATETIME(6), j JSON)';

/** The same writes for any table: multi-row inserts, an update, a delete, one big transaction. */
function workload(t: string): string {
  return [
    `INSERT INTO cz.${t} VALUES (1, -9007199254740993, 12345.678901, 'héllo wörld', 0x00ff10, '2024-02-29 23:59:59.123456', '{"a": [1, 2.5, "x"], "b": null}')`,
    `INSERT INTO cz.${t} VALUES (2, 42, -0.000001, REPEAT('abc', 60), REPEAT(0xbeef, 50), '1999-12-31 00:00:00', '[true, false]'), (3, NULL, NULL, NULL, NULL, NULL, NULL)`,
    `BEGIN; UPDATE cz.${t} SET s = CONCAT(s, '!'), n = n + 1 WHERE id <= 2; DELETE FROM cz.${t} WHERE id = 3; COMMIT`,
    bulkInsertSql('cz', t, 1000, 2000, "REPEAT('q', 50)").replace(
      /SELECT (.+?), REPEAT\('q', 50\) FROM/,
      "SELECT $1, $1 * 3, $1 / 7, REPEAT('q', 50), NULL, '2020-01-01 00:00:00', JSON_OBJECT('k', $1) FROM",
    ),
  ].join('; ');
}

type RowsEvent = Extract<StreamEvent, { type: 'write_rows' | 'update_rows' | 'delete_rows' }>;
const isRows = (e: StreamEvent): e is RowsEvent =>
  e.type === 'write_rows' || e.type === 'update_rows' || e.type === 'delete_rows';

/** Every event from `at` to the end of the log (a non-blocking dump). */
async function allEvents(server: LocalServer, at: { file: string; pos: number }): Promise<StreamEvent[]> {
  const syncer = new BinlogSyncer(syncerOptions(server));
  try {
    return await collect(await syncer.startSync(at, { nonBlocking: true }));
  } finally {
    await syncer.close();
  }
}

for (const name of testServerNames()) {
  const mysql = name.startsWith('mysql');
  describe(`compressed binlog on ${name}`, () => {
    let server: LocalServer;
    test('setup', async () => {
      server = await startTestServer(name, {
        options: [
          '--binlog-row-metadata=FULL',
          ...(mysql
            ? ['--binlog-transaction-compression=ON']
            : ['--log-bin-compress=ON', '--log-bin-compress-min-len=10']),
        ],
      });
      await server.sql(
        `CREATE DATABASE cz; ${digitsSql('cz')}; CREATE TABLE cz.c ${COLUMNS}; CREATE TABLE cz.u ${COLUMNS}`,
      );
    });

    test('without FULL row metadata, a table first seen inside a compressed transaction gets its column names', async () => {
      // MINIMAL metadata has no names: the stream looks them up, for table maps inside a payload too
      await server.sql("SET GLOBAL binlog_row_metadata = 'MINIMAL'");
      try {
        await server.sql('CREATE TABLE cz.m (id INT PRIMARY KEY, s VARCHAR(20))');
        const at = await logStatus(server);
        await server.sql(
          "INSERT INTO cz.m VALUES (1, 'one'), (2, 'two'); UPDATE cz.m SET s = 'uno' WHERE id = 1",
        );
        const events = await allEvents(server, at);
        const m = events.filter((e): e is RowsEvent => isRows(e) && e.table === 'm');
        if (mysql)
          assert.ok(
            m.every((e) => e.payload !== undefined),
            'the rows are inside payloads',
          );
        assert.deepEqual(
          m.map((e) => [e.type, e.rows]),
          [
            [
              'write_rows',
              [
                { id: 1, s: 'one' },
                { id: 2, s: 'two' },
              ],
            ],
            ['update_rows', [{ before: { id: 1, s: 'one' }, after: { id: 1, s: 'uno' } }]],
          ],
        );
      } finally {
        await server.sql("SET GLOBAL binlog_row_metadata = 'FULL'");
      }
    });

    test('rows equal to the same writes logged uncompressed', async () => {
      const at = await logStatus(server);
      // a DDL statement long enough to be compressed too (log_bin_compress_min_len=10)
      await server.sql(`${workload('c')}; CREATE TABLE cz.ddl_c (x INT)`);
      // the same writes, uncompressed
      await server.sql(
        mysql
          ? `SET SESSION binlog_transaction_compression = OFF; ${workload('u')}`
          : `SET GLOBAL log_bin_compress = OFF; ${workload('u')}; SET GLOBAL log_bin_compress = ON`,
      );
      const events = await allEvents(server, at);
      const rows = (t: string) =>
        events.filter(isRows).flatMap((e) => (e.table === t ? [{ type: e.type, rows: e.rows }] : []));
      const c = rows('c');
      const u = rows('u');
      assert.ok(c.length >= 5);
      assert.deepEqual(c, u);
      assert.deepEqual(c[0].rows[0], {
        id: 1,
        n: -9007199254740993n,
        d: '12345.678901',
        s: 'héllo wörld',
        b: Buffer.from('00ff10', 'hex'),
        dt: '2024-02-29 23:59:59.123456',
        // MariaDB's JSON is LONGTEXT: the text as stored
        j: mysql ? { a: [1, 2.5, 'x'], b: null } : '{"a": [1, 2.5, "x"], "b": null}',
      });

      const ofTable = (t: string) => events.filter((e) => isRows(e) && e.table === t) as RowsEvent[];
      if (mysql) {
        // every compressed transaction: the payload, then its events in order, all marked with it
        const payloads = events.filter((e) => e.type === 'transaction_payload');
        assert.ok(payloads.length >= 4, `${payloads.length} payloads`);
        for (const p of payloads) {
          const i = events.indexOf(p);
          const inner: StreamEvent[] = [];
          for (let j = i + 1; j < events.length && (events[j] as { payload?: number }).payload === p.pos; j++)
            inner.push(events[j]);
          assert.ok(inner.length >= 4);
          assert.ok(inner[0].type === 'query' && inner[0].query === 'BEGIN');
          assert.equal(inner[1].type, 'table_map');
          assert.equal(inner.at(-1)!.type, 'xid');
          for (const e of inner) assert.deepEqual([e.file, e.pos, e.next], [p.file, p.pos, p.next]);
        }
        assert.ok(ofTable('c').every((e) => e.payload !== undefined));
        assert.ok(ofTable('u').every((e) => e.payload === undefined));
      } else {
        // events whose rows are at least log_bin_compress_min_len bytes are compressed
        assert.ok(ofTable('c').filter((e) => e.compressed === true).length >= 4);
        assert.ok(ofTable('u').every((e) => !e.compressed));
        assert.ok(
          events.some(
            (e) => e.type === 'query' && e.code === 165 && e.query === 'CREATE TABLE cz.ddl_c (x INT)',
          ),
          'a compressed query event (QUERY_COMPRESSED_EVENT)',
        );
      }
    });

    test("exactly once across a dump kill in the middle of a compressed transaction's events", async () => {
      await server.sql('CREATE TABLE cz.big (id INT PRIMARY KEY, v VARCHAR(600))');
      const N = 30_000;
      const syncer = new BinlogSyncer(
        syncerOptions(server, {
          maxBufferedBytes: 64 * 1024,
          // small buffers everywhere, so that the kill cuts the transaction on the wire (MariaDB)
          connection: { highWaterMark: 64 * 1024 },
          reconnect: { initialDelay: 10, maxDelay: 50 },
        }),
      );
      try {
        const stream = await syncer.startSync('now');
        // one transaction of 30000 rows of hashes (about 16 MB, 10 MB compressed), read slowly at first
        const writing = server.sql(
          bulkInsertSql(
            'cz',
            'big',
            1,
            N,
            'CONCAT(SHA2(a.n + 10 * b.n + 100 * c.n + 1000 * d.n + 10000 * e.n, 512), SHA2(RAND(), 224), SHA2(RAND(), 512), SHA2(RAND(), 512))',
          ),
        );
        const ids: number[] = [];
        let rowsEvents = 0;
        let killedAt = -1;
        let killing: Promise<void> | undefined;
        let inPayload = false;
        for await (const ev of stream) {
          if (ev.type !== 'write_rows' || ev.table !== 'big') continue;
          ids.push(...ev.rows.map((r) => r.id as number));
          if (++rowsEvents === 5) {
            // mid-transaction: the consumer has 5 of its row events
            killedAt = ids.length;
            inPayload = ev.payload !== undefined;
            killing = (async () => {
              for (const id of await dumpThreads(server)) await server.sql(`KILL ${id}`);
            })();
          }
          if (!killing || rowsEvents < 50) await sleep(5);
          if (ids.includes(-1)) break;
          if (ids.length === N && killing) {
            await killing;
            await writing;
            await server.sql("INSERT INTO cz.big VALUES (-1, 'end')");
          }
        }
        console.log(
          `# compressed-kill ${JSON.stringify({ server: name, killedAfterRows: killedAt, inPayload, reconnects: stream.reconnects, duplicatesSkipped: stream.duplicatesSkipped })}`,
        );
        assert.ok(killedAt > 0 && killedAt < N, `killed after ${killedAt} rows`);
        assert.ok(stream.reconnects >= 1, 'reconnected');
        if (mysql) assert.ok(inPayload, 'the consumer was among the inner events of a payload');
        else
          assert.ok(stream.duplicatesSkipped > 0, 'the kill cut the transaction: its start was sent again');
        assert.deepEqual(ids, [...Array.from({ length: N }, (_, i) => 1 + i), -1]);
      } finally {
        await syncer.close();
      }
    });
  });
}
