// MariaDB's old temporal formats end to end (--mysql56-temporal-format=OFF): TIME(n), DATETIME(n) and
// TIMESTAMP(n) for n = 0..6 are logged with the old type codes and no metadata, so their width comes from
// the schema. The binlog file is decoded with a schema taken from information_schema (fsp =
// DATETIME_PRECISION) and through the live stream (its own information_schema lookup); every value is
// compared with the server's SELECT CAST(col AS CHAR). Without a schema the decoder must refuse with
// ERR_UNKNOWN_PRECISION. mariadb-binlog -vv is run too: it reads these columns with the fsp-0 widths.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, test } from 'node:test';
import type { SchemaColumn } from '../../../src/binlog/options.js';
import type { BinlogEvent, RowsEvent } from '../../../src/binlog/types.js';
import { DecodeError, ErrorCode } from '../../../src/errors.js';
import { BinlogSyncer } from '../../../src/replication/syncer.js';
import type { LocalServer, ServerName } from '../../../src/servers/local-server.js';
import { startTestServer, testServerNames } from '../../harness/servers.js';
import {
  asTextRow,
  hiresSchema,
  hiresTableSql,
  HIRES_COLUMNS,
  HIRES_TABLE,
  runHiresWorkload,
  type ExpectedRowsEvent,
  type TextRow,
} from '../../fixtures/hires-workload.js';
import { collect, logStatus, syncerOptions } from '../replication/helpers.js';
import { decodeFile } from './select-compare.js';
import { compareEvents } from '../../binlog/reference/compare.js';
import { parseMysqlbinlogOutput } from '../../binlog/reference/mysqlbinlog-output.js';

const DB = 'h';
const OLD_TYPES: Record<string, number> = { t: 11, d: 12, s: 7 }; // MYSQL_TYPE_TIME, _DATETIME, _TIMESTAMP

const CONFIGS: { server: ServerName; name: string; options: string[] }[] = [
  { server: 'mariadb-10.11', name: 'no row metadata (default)', options: [] },
  // FULL metadata gives names, signedness and charsets, but still no fsp for these columns
  { server: 'mariadb-11.8', name: 'binlog_row_metadata=FULL', options: ['--binlog-row-metadata=FULL'] },
  { server: 'mariadb-10.5', name: 'no row metadata (default)', options: [] },
];

function rowsOf(events: readonly BinlogEvent[]): RowsEvent[] {
  return events.filter(
    (e): e is RowsEvent =>
      e.type.endsWith('_rows') && (e as RowsEvent).schema === DB && (e as RowsEvent).table === HIRES_TABLE,
  );
}

/** Differences between decoded rows events and what the server's SELECTs say (value by value). */
function differences(
  events: readonly BinlogEvent[],
  expected: ExpectedRowsEvent[],
): { diffs: string[]; values: number } {
  const got = rowsOf(events);
  const diffs: string[] = [];
  let values = 0;
  if (got.length !== expected.length) diffs.push(`${got.length} rows events, expected ${expected.length}`);
  const cmp = (where: string, ours: Record<string, unknown>, want: Record<string, string | null>): void => {
    const o = asTextRow(ours);
    for (const c of HIRES_COLUMNS) {
      values++;
      if (o[c] !== want[c])
        diffs.push(`${where} ${c}: ours ${JSON.stringify(o[c])}, SELECT ${JSON.stringify(want[c])}`);
    }
  };
  for (let i = 0; i < Math.min(got.length, expected.length); i++) {
    const g = got[i];
    const e = expected[i];
    if (g.type !== e.type) diffs.push(`event ${i}: ${g.type}, expected ${e.type}`);
    if (g.rows.length !== e.rows.length)
      diffs.push(`event ${i}: ${g.rows.length} rows, expected ${e.rows.length}`);
    for (let r = 0; r < Math.min(g.rows.length, e.rows.length); r++) {
      const gr = g.rows[r] as Record<string, unknown>;
      const er = e.rows[r];
      if (e.type === 'update_rows') {
        const u = gr as unknown as { before: Record<string, unknown>; after: Record<string, unknown> };
        const want = er as { before: TextRow; after: TextRow };
        cmp(`event ${i} row ${r} before`, u.before, want.before);
        cmp(`event ${i} row ${r} after`, u.after, want.after);
      } else {
        cmp(`event ${i} row ${r}`, gr, er as TextRow);
      }
    }
  }
  return { diffs, values };
}

function runTool(server: LocalServer, path: string): Promise<{ code: number; out: string; err: string }> {
  return new Promise((ok) => {
    execFile(
      server.tools.binlogTool,
      ['-vv', '--base64-output=decode-rows', path],
      { encoding: 'latin1', maxBuffer: 1 << 26 },
      (err, out, stderr) => ok({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out, err: stderr }),
    );
  });
}

for (const cfg of CONFIGS) {
  const enabled = testServerNames().includes(cfg.server);
  describe(
    `${cfg.server} TIME/DATETIME/TIMESTAMP(0..6) in MariaDB's old formats (mysql56_temporal_format=OFF)`,
    { skip: enabled ? false : `${cfg.server} not in BINLOGSYNC_TEST_SERVERS` },
    () => {
      test(cfg.name, async (t) => {
        const server = await startTestServer(cfg.server, {
          options: ['--default-time-zone=+00:00', '--mysql56-temporal-format=OFF', ...cfg.options],
        });
        const at = await logStatus(server);
        await server.sql(hiresTableSql(DB));
        const expected = await runHiresWorkload(server, DB);
        const schema = await hiresSchema(server, DB);
        assert.deepEqual(
          schema.map((c) => c.fsp),
          [undefined, 0, 1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4, 5, 6],
        );
        // a table with precision 0 only (the common case: tables from before 10.0): no schema needed
        await server.sql(
          `CREATE TABLE ${DB}.z (id INT PRIMARY KEY, t TIME, d DATETIME, s TIMESTAMP NULL);` +
            `SET SESSION sql_mode = ''; SET time_zone = '+00:00';` +
            `INSERT INTO ${DB}.z VALUES (1, '-838:59:59', '0000-00-00 00:00:00', '1970-01-01 00:00:01'),` +
            `(2, '12:34:56', '2024-02-29 13:01:02', '2038-01-19 03:14:07'), (3, '-00:00:01', '9999-12-31 23:59:59', NULL),` +
            `(4, NULL, '2000-00-00 00:00:00', '2020-06-01 12:00:00');` +
            `UPDATE ${DB}.z SET t = '838:59:59', s = '2001-02-03 04:05:06' WHERE id = 2; DELETE FROM ${DB}.z WHERE id = 3`,
        );
        const zWant = (
          await server.sql(
            `SELECT CAST(t AS CHAR), CAST(d AS CHAR), CAST(s AS CHAR) FROM ${DB}.z WHERE id IN (1, 2, 4) ORDER BY id`,
          )
        )
          .trim()
          .split('\n')
          .map((l) => l.split('\t').map((v) => (v === 'NULL' ? null : v)));
        await server.sql('FLUSH BINARY LOGS');
        const path = server.binlogPath(at.file);

        // 1. the file, with the schema from information_schema
        const provider = (db: string, table: string): SchemaColumn[] | undefined =>
          db === DB && table === HIRES_TABLE ? schema : undefined;
        const offline = await decodeFile(path, { values: { schema: provider } });
        const tm = rowsOf(offline)[0].tableMap;
        // what MariaDB's table map says: old type codes, no metadata, whatever the fsp
        for (const c of tm.columns.slice(1)) {
          assert.equal(c.type, OLD_TYPES[HIRES_COLUMNS[c.index][0]], HIRES_COLUMNS[c.index]);
          assert.equal(c.meta, 0, HIRES_COLUMNS[c.index]);
        }
        const file = differences(offline, expected);
        assert.deepEqual(file.diffs, [], `readBinlogFile + schema:\n${file.diffs.join('\n')}`);
        assert.equal(file.values, 22 * (8 + 2 * 3 + 2 * 1 + 2));

        // precision 0 without a schema: read as such, every value as the server's SELECT says
        const zEvents = offline.filter(
          (e): e is RowsEvent => e.type.endsWith('_rows') && (e as RowsEvent).table === 'z',
        );
        assert.deepEqual(
          zEvents.map((e) => e.type),
          ['write_rows', 'update_rows', 'delete_rows'],
        );
        const zRows = zEvents[0].rows as Record<string, unknown>[];
        assert.equal(zRows.length, 4);
        const after = (zEvents[1].rows[0] as { after: Record<string, unknown> }).after;
        const finalRows = [zRows[0], after, zRows[3]];
        assert.deepEqual(
          // t, d, s in column order, after id (keyed by name on 11.8's FULL metadata, @2… on 10.11)
          finalRows.map((r) => Object.values(r).slice(1)),
          zWant,
        );

        // 2. no schema: read as precision 0, which the fractional columns' bytes do not fit
        await assert.rejects(decodeFile(path), (e: unknown) => {
          assert.ok(e instanceof DecodeError, String(e));
          assert.equal(e.code, ErrorCode.ERR_UNKNOWN_PRECISION);
          // t0 (TIME(0)) reads as precision 0; the first fractional column does not
          assert.match(e.message, /`h`\.`t` columns? (t\d \(@\d+\)|@\d+).*MariaDB/);
          assert.match(e.message, /values\.schema \(fsp/);
          return true;
        });

        // 3. the live stream: names and fsp from its own information_schema lookup
        const syncer = new BinlogSyncer(syncerOptions(server));
        let live: BinlogEvent[];
        try {
          const evs = await collect(await syncer.startSync(at, { nonBlocking: true }));
          live = evs.filter((e): e is Extract<typeof e, BinlogEvent> => e.type !== 'raw');
        } finally {
          await syncer.close();
        }
        const stream = differences(live, expected);
        assert.deepEqual(stream.diffs, [], `BinlogSyncer stream:\n${stream.diffs.join('\n')}`);
        assert.equal(stream.values, file.values);

        // 4. the server's own decoder
        const tool = await runTool(server, path);
        if (tool.code === 0) {
          const diffs = compareEvents(offline, parseMysqlbinlogOutput(tool.out), { flavor: 'mariadb' });
          t.diagnostic(`mariadb-binlog -vv decodes the file; ${diffs.length} differences from ours`);
          assert.deepEqual(diffs, []);
        } else {
          const last = tool.out.trimEnd().split('\n').slice(-2).join(' | ');
          t.diagnostic(
            `mariadb-binlog -vv exits ${tool.code} (stderr ${JSON.stringify(tool.err.trim())}); its output ends: ${last}`,
          );
        }
        t.diagnostic(`${cfg.server}: ${file.values} values compared with SELECT, file and stream each`);
        await server.stop();
      });
    },
  );
}
