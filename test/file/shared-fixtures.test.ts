// Every binlog in ../shared/fixtures/binlogs decodes completely and agrees with the servers' own decoders
// (mysqlbinlog -vv / mariadb-binlog -vv): event types, positions, server ids, GTIDs, queries, table maps
// and every row value. The two files in broken/ fail with a clear DecodeError. Skips when the shared
// fixtures or the reference tools are absent.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { DecodeError, ErrorCode } from '../../src/errors.js';
import { readBinlogFile } from '../../src/file/read-binlog-file.js';
import type { BinlogEvent } from '../../src/binlog/types.js';
import { compareEvents } from '../binlog/reference/compare.js';
import { parseMysqlbinlogOutput } from '../binlog/reference/mysqlbinlog-output.js';
import { referenceOutput, referenceTool, sharedFixturesDir } from '../binlog/reference/tools.js';

const dir = sharedFixturesDir();

async function decodeAll(file: string): Promise<BinlogEvent[]> {
  const out: BinlogEvent[] = [];
  for await (const ev of readBinlogFile(file, { values: { json: 'text' } })) out.push(ev);
  return out;
}

describe(
  'shared fixture binlogs',
  { skip: dir ? false : 'shared fixtures absent (../shared/fixtures/binlogs)' },
  () => {
    const tmp = mkdtempSync(join(tmpdir(), 'binlogsync-fixtures-'));
    after(() => rmSync(tmp, { recursive: true, force: true }));
    const groups: [string, 'mysql' | 'mariadb'][] = [
      ['mysql-5', 'mysql'],
      ['mysql-8-9', 'mysql'],
      ['mariadb', 'mariadb'],
    ];
    for (const [group, groupFlavor] of groups) {
      const files = dir ? readdirSync(join(dir, group)).sort() : [];
      for (const name of files) {
        // mysqlbinlog 8.4+ no longer reads v1 rows events (MySQL 5.5 files): mariadb-binlog still does
        const flavor = name.includes('sakila') ? 'mariadb' : groupFlavor;
        test(
          `${group}/${name} matches ${flavor === 'mysql' ? 'mysqlbinlog' : 'mariadb-binlog'}`,
          {
            skip: referenceTool(flavor) ? false : `${flavor} reference tool not provisioned`,
          },
          async () => {
            let file = join(dir!, group, name);
            if (name.endsWith('.gz')) {
              const plain = join(tmp, name.slice(0, -3));
              writeFileSync(plain, gunzipSync(readFileSync(file)));
              file = plain;
            }
            const ours = await decodeAll(file);
            const ref = parseMysqlbinlogOutput(await referenceOutput(flavor, file));
            assert.ok(ref.length > 0, 'reference printed no events');
            const diffs = compareEvents(ours, ref, { flavor });
            assert.deepEqual(diffs, [], `${diffs.length} difference(s):\n${diffs.join('\n')}`);
            assert.equal(ours.length, ref.length);
          },
        );
      }
    }

    test('broken/binlog_truncated_event.000001: ERR_TRUNCATED at the first event', async () => {
      const file = join(dir!, 'broken', 'binlog_truncated_event.000001');
      await assert.rejects(decodeAll(file), (e: unknown) => {
        assert.ok(e instanceof DecodeError);
        assert.equal(e.code, ErrorCode.ERR_TRUNCATED);
        assert.equal(e.pos, 4);
        assert.equal(e.file, file);
        return true;
      });
    });

    test('broken/binlog_truncated_prev_gtid_event.000001: the FDE decodes, then ERR_TRUNCATED at 120', async () => {
      const file = join(dir!, 'broken', 'binlog_truncated_prev_gtid_event.000001');
      const seen: string[] = [];
      await assert.rejects(
        (async () => {
          for await (const ev of readBinlogFile(file)) seen.push(ev.type);
        })(),
        (e: unknown) => e instanceof DecodeError && e.code === ErrorCode.ERR_TRUNCATED && e.pos === 120,
      );
      assert.deepEqual(seen, ['format_description']);
    });
  },
);
