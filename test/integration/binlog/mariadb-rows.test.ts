// MariaDB 10.11, 11.8 and 10.5 end to end: every column type with edge values, INSERT/UPDATE/DELETE,
// decoded from the binlog file in the datadir and compared with SELECT and with mariadb-binlog -vv:
// without row metadata (the default: names unknown, integers signed, strings bytes, ENUM/SET as numbers
// — and with a caller-given schema), with binlog_row_metadata=FULL or MINIMAL, MINIMAL and NOBLOB row
// images, no checksums, and compressed events.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startTestServer, testServerNames } from '../../harness/servers.js';
import type { ServerName } from '../../../src/servers/local-server.js';
import type { SchemaColumn } from '../../../src/binlog/options.js';
import type { Row } from '../../../src/binlog/rows/row-types.js';
import { COLUMNS, columnsFor } from '../../fixtures/workload.js';
import {
  assertNoblobWithoutChecksums,
  checkAgainstSelect,
  checkAgainstTool,
  currentBinlog,
  decodeFile,
  referenceOutputOf,
  runWorkload,
  type RunResult,
} from './select-compare.js';
import { compareEvents } from '../../binlog/reference/compare.js';
import { parseMysqlbinlogOutput } from '../../binlog/reference/mysqlbinlog-output.js';

interface Config {
  server: ServerName;
  name: string;
  options: string[];
  check?: (r: RunResult) => void | Promise<void>;
}

const noMetadata = (r: RunResult): void => {
  const cols = r.inserted[0].tableMap.columns;
  assert.equal(cols[1].name, undefined);
  assert.equal(cols[2].unsigned, undefined);
  const row = r.inserted[0].rows[0] as Row;
  assert.equal(row['@3'], -1); // TINYINT UNSIGNED 255, read as signed without metadata (spec §1)
  assert.ok(row['@22'] instanceof Uint8Array); // VARCHAR without a known charset: bytes
  assert.equal(row['@30'], 2); // ENUM index
  assert.equal(row['@31'], 7n); // SET bitmask
};

const withSchema = async (r: RunResult): Promise<void> => {
  // the same file, with what information_schema would tell
  const cols = columnsFor('mariadb');
  const schema = (db: string, table: string): SchemaColumn[] | undefined =>
    db === 'bs' && table === 'types'
      ? cols.map((c) => ({
          name: c.name,
          unsigned: c.ddl.includes('UNSIGNED'),
          charset:
            c.name === 'vl'
              ? 'latin1'
              : c.name === 'v3'
                ? 'utf8mb3'
                : /BINARY|BLOB/.test(c.ddl)
                  ? 'binary'
                  : 'utf8mb4',
          enumValues: c.name === 'e' ? ['a', 'b,c', "x'y"] : undefined,
          setValues: c.name === 's' ? ['p', "q'r", 's'] : undefined,
        }))
      : undefined;
  const evs = await decodeFile(r.path, { values: { schema, json: 'text' } });
  const ins = evs.find((e) => e.type === 'write_rows' && e.table === 'types');
  assert.ok(ins && ins.type === 'write_rows');
  const row = ins.rows[0];
  assert.equal(row.tiu, 255);
  assert.equal(row.biu, 18446744073709551615n);
  assert.equal(row.vc, 'varchar 😀 emoji');
  assert.equal(row.vl, 'latin1 €');
  assert.equal(row.e, 'b,c');
  assert.deepEqual(row.s, ['p', "q'r", 's']);
  assert.ok(row.bn instanceof Uint8Array && row.bn.length === 4);
  assert.equal(Object.keys(row).length, COLUMNS.filter((c) => !c.mysqlOnly).length);
};

const fullMetadata = (r: RunResult): void => {
  const cols = r.inserted[0].tableMap.columns;
  assert.equal(cols[2].name, 'tiu');
  assert.equal(cols[2].unsigned, true);
  const row = r.inserted[0].rows[0] as Row;
  assert.equal(row.vl, 'latin1 €');
  assert.equal(row.e, 'b,c');
};

const CONFIGS: Config[] = [
  {
    server: 'mariadb-10.11',
    name: 'no row metadata (default)',
    options: [],
    check: async (r) => (noMetadata(r), withSchema(r)),
  },
  {
    server: 'mariadb-10.11',
    name: 'binlog_row_metadata=FULL',
    options: ['--binlog-row-metadata=FULL'],
    check: fullMetadata,
  },
  {
    server: 'mariadb-10.11',
    name: 'MINIMAL metadata, MINIMAL image',
    options: ['--binlog-row-metadata=MINIMAL', '--binlog-row-image=MINIMAL'],
    check: (r) => {
      const cols = r.inserted[0].tableMap.columns;
      assert.equal(cols[2].name, undefined); // MINIMAL metadata has no names
      assert.equal(cols[2].unsigned, true); // but signedness
      const vl = columnsFor('mariadb').findIndex((c) => c.name === 'vl');
      assert.equal(cols[vl].charset, 'latin1'); // and charsets
      const u = r.updated[0].rows[0] as { before: Row; after: Row };
      // the before image is the primary key, the after image the three columns the UPDATE sets
      assert.deepEqual(Object.keys(u.before), ['@1']);
      assert.equal(Object.keys(u.after).length, 3, Object.keys(u.after).join());
      assert.deepEqual(Object.keys(r.deleted[0].rows[0]), ['@1']);
    },
  },
  { server: 'mariadb-11.8', name: 'no row metadata (default)', options: [], check: noMetadata },
  {
    server: 'mariadb-11.8',
    name: 'NOBLOB image, no checksum',
    options: ['--binlog-row-image=NOBLOB', '--binlog-checksum=NONE', '--binlog-row-metadata=FULL'],
    check: (r) => {
      assertNoblobWithoutChecksums(r);
    },
  },
  {
    server: 'mariadb-11.8',
    name: 'FULL_NODUP image (every column before, the changed ones after)',
    options: ['--binlog-row-image=FULL_NODUP', '--binlog-row-metadata=FULL'],
    check: (r) => {
      const cols = r.inserted[0].tableMap.columns;
      assert.equal(Object.keys(r.inserted[0].rows[0]).length, cols.length);
      const u = r.updated[0].rows[0] as { before: Row; after: Row };
      assert.equal(Object.keys(u.before).length, cols.length);
      assert.deepEqual(Object.keys(u.after).sort(), ['j', 'ti', 'vc']);
    },
  },
  {
    server: 'mariadb-11.8',
    name: 'FULL metadata, compressed events',
    options: ['--binlog-row-metadata=FULL', '--log-bin-compress=ON', '--log-bin-compress-min-len=10'],
    check: (r) => {
      fullMetadata(r);
      assert.equal(r.inserted[0].compressed, true);
      assert.ok(r.events.some((e) => e.type === 'query' && e.compressed));
    },
  },
  // the oldest MariaDB tested live (end of life): its defaults, and everything it can log
  { server: 'mariadb-10.5', name: 'no row metadata (default)', options: [], check: noMetadata },
  {
    server: 'mariadb-10.5',
    name: 'FULL metadata, compressed events',
    options: ['--binlog-row-metadata=FULL', '--log-bin-compress=ON', '--log-bin-compress-min-len=10'],
    check: (r) => {
      fullMetadata(r);
      assert.equal(r.inserted[0].compressed, true);
    },
  },
];

for (const cfg of CONFIGS) {
  const enabled = testServerNames().includes(cfg.server);
  describe(
    `${cfg.server} binlog rows end to end`,
    { skip: enabled ? false : `${cfg.server} not in BINLOGSYNC_TEST_SERVERS` },
    () => {
      test(cfg.name, async () => {
        const server = await startTestServer(cfg.server, { options: cfg.options });
        const r = await runWorkload(server, 'bs');
        const sel = checkAgainstSelect(r, 'mariadb');
        assert.deepEqual(sel, [], `SELECT differences:\n${sel.join('\n')}`);
        const tool = await checkAgainstTool(server, r);
        assert.deepEqual(tool, [], `mariadb-binlog differences:\n${tool.join('\n')}`);
        await cfg.check?.(r);
        await server.stop();
      });
    },
  );
}

describe(
  'mariadb-11.8 compressed columns',
  {
    skip: testServerNames().includes('mariadb-11.8') ? false : 'mariadb-11.8 not in BINLOGSYNC_TEST_SERVERS',
  },
  () => {
    test('TEXT / VARCHAR / BLOB COMPRESSED values decode to what SELECT returns', async () => {
      const server = await startTestServer('mariadb-11.8', { options: ['--binlog-row-metadata=FULL'] });
      const file = await currentBinlog(server);
      await server.sql(
        'CREATE DATABASE cc; USE cc; CREATE TABLE t (id INT PRIMARY KEY, a TEXT COMPRESSED, b VARCHAR(300) COMPRESSED, d BLOB COMPRESSED); ' +
          "INSERT INTO t VALUES (1, REPEAT('abc', 100), REPEAT('xyz', 50), 'short'), (2, 'x', '', NULL), (3, '', 'é😀', 0x00ff)",
      );
      const sel = await server.sql('SELECT id, HEX(a), HEX(b), HEX(d) FROM cc.t ORDER BY id');
      await server.sql('FLUSH BINARY LOGS');
      const events = await decodeFile(server.binlogPath(file));
      const ins = events.find((e) => e.type === 'write_rows' && e.table === 't');
      assert.ok(ins && ins.type === 'write_rows');
      const hex = (v: unknown): string =>
        v === null
          ? 'NULL'
          : typeof v === 'string'
            ? Buffer.from(v).toString('hex').toUpperCase()
            : Buffer.from(v as Uint8Array)
                .toString('hex')
                .toUpperCase();
      const got = ins.rows
        .map((r) => [(r.id as number).toFixed(0), hex(r.a), hex(r.b), hex(r.d)].join('\t'))
        .join('\n');
      assert.equal(got, sel.trim());
      assert.equal(ins.tableMap.columns[1].realType, 140);
      assert.equal(ins.tableMap.columns[2].realType, 141);
      const tool = compareEvents(
        events,
        parseMysqlbinlogOutput(await referenceOutputOf(server, server.binlogPath(file))),
        { flavor: 'mariadb' },
      );
      assert.deepEqual(tool, []);
      await server.stop();
    });
  },
);
