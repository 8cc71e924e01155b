// MySQL 9.7 end to end: every column type with edge values, INSERT/UPDATE/DELETE, decoded from the
// binlog file in the datadir and compared with SELECT and with mysqlbinlog -vv, under each of: FULL row
// metadata; MINIMAL metadata + MINIMAL row image; NOBLOB + no checksum; transaction compression;
// PARTIAL_JSON.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startTestServer, testServerNames } from '../../harness/servers.js';
import type { Row } from '../../../src/binlog/rows/row-types.js';
import {
  assertNoblobWithoutChecksums,
  checkAgainstSelect,
  checkAgainstTool,
  runWorkload,
} from './select-compare.js';

const enabled = testServerNames().includes('mysql-9.7');

const CONFIGS: {
  name: string;
  options: string[];
  check?: (r: Awaited<ReturnType<typeof runWorkload>>) => void;
}[] = [
  {
    name: 'FULL metadata, FULL image',
    options: ['--binlog-row-metadata=FULL'],
    check: (r) => {
      const cols = r.inserted[0].tableMap.columns;
      assert.equal(cols[2].name, 'tiu');
      assert.equal(cols[2].unsigned, true);
      const u = r.updated[0].rows[0] as { before: Row; after: Row };
      assert.equal(Object.keys(u.before).length, cols.length);
      assert.equal(Object.keys(u.after).length, cols.length);
    },
  },
  {
    name: 'MINIMAL metadata (default), MINIMAL image',
    options: ['--binlog-row-image=MINIMAL'],
    check: (r) => {
      const cols = r.inserted[0].tableMap.columns;
      assert.equal(cols[2].name, undefined); // MINIMAL metadata has no names
      assert.equal(cols[2].key, '@3');
      assert.equal(cols[2].unsigned, true); // but signedness
      assert.equal(cols[22].charset, 'latin1'); // and charsets
      const u = r.updated[0].rows[0] as { before: Row; after: Row };
      assert.deepEqual(Object.keys(u.before), ['@1']);
      assert.deepEqual(Object.keys(u.after).sort(), ['@2', '@22', '@34'].sort());
      assert.deepEqual(Object.keys(r.deleted[0].rows[0]), ['@1']);
    },
  },
  {
    name: 'NOBLOB image, no checksum, rows_query events',
    options: [
      '--binlog-row-image=NOBLOB',
      '--binlog-checksum=NONE',
      '--binlog-row-metadata=FULL',
      '--binlog-rows-query-log-events=ON',
    ],
    check: (r) => {
      // the statement of each row change, before its rows (as mysqlbinlog -vv shows it, compared above)
      const queries = r.events.flatMap((e) => (e.type === 'rows_query' ? [e.query] : []));
      assert.ok(
        queries.some((q) => q.startsWith('UPDATE types SET ti = ti - 1')),
        queries.join('\n'),
      );
      assertNoblobWithoutChecksums(r);
    },
  },
  {
    name: 'transaction compression',
    options: ['--binlog-transaction-compression=ON', '--binlog-row-metadata=FULL'],
    check: (r) => {
      const payloads = r.events.filter((e) => e.type === 'transaction_payload');
      assert.ok(payloads.length >= 3);
      assert.ok(r.inserted[0].payload !== undefined);
    },
  },
  {
    name: 'PARTIAL_JSON',
    options: [
      '--binlog-row-value-options=PARTIAL_JSON',
      '--binlog-row-image=MINIMAL',
      '--binlog-row-metadata=FULL',
    ],
    check: (r) => {
      assert.equal(r.updated[0].type, 'partial_update_rows');
      const u = r.updated[0].rows[0];
      assert.deepEqual(JSON.parse(JSON.stringify(u.after.j)), {
        json_diff: [{ op: 'replace', path: '$.b.d', value: false, text: 'false' }],
      });
    },
  },
];

describe(
  'mysql-9.7 binlog rows end to end',
  { skip: enabled ? false : 'mysql-9.7 not in BINLOGSYNC_TEST_SERVERS' },
  () => {
    for (const cfg of CONFIGS) {
      test(cfg.name, async () => {
        const server = await startTestServer('mysql-9.7', { options: cfg.options });
        const r = await runWorkload(server, 'bs');
        const sel = checkAgainstSelect(r, 'mysql');
        assert.deepEqual(sel, [], `SELECT differences:\n${sel.join('\n')}`);
        const tool = await checkAgainstTool(server, r);
        assert.deepEqual(tool, [], `mysqlbinlog differences:\n${tool.join('\n')}`);
        cfg.check?.(r);
        await server.stop();
      });
    }
  },
);
