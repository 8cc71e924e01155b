// The binlogs recorded from the harness's servers (test/fixtures/record-fixtures.ts: MySQL 9.7 with
// FULL/MINIMAL metadata, MINIMAL/NOBLOB row images, no checksum, transaction compression, partial JSON;
// MariaDB 10.11 without metadata, 11.8 with FULL metadata and compressed events) decode completely and
// agree with the reference decoder output recorded beside them. Needs no server or tool.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readBinlogFile } from '../../src/file/read-binlog-file.js';
import type { BinlogEvent } from '../../src/binlog/types.js';
import { compareEvents } from '../binlog/reference/compare.js';
import { parseMysqlbinlogOutput } from '../binlog/reference/mysqlbinlog-output.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'binlogs');

for (const name of readdirSync(dir)
  .filter((f) => f.endsWith('.binlog'))
  .sort()) {
  const flavor = name.startsWith('mariadb') ? 'mariadb' : 'mysql';
  test(`${name} matches its recorded ${flavor === 'mysql' ? 'mysqlbinlog' : 'mariadb-binlog'} output`, async () => {
    const ours: BinlogEvent[] = [];
    for await (const ev of readBinlogFile(join(dir, name), { values: { json: 'text' } })) ours.push(ev);
    const ref = parseMysqlbinlogOutput(
      readFileSync(join(dir, name.replace(/\.binlog$/, '.ref.txt')), 'latin1'),
    );
    assert.ok(ref.length > 5);
    const diffs = compareEvents(ours, ref, { flavor });
    assert.deepEqual(diffs, [], `${diffs.length} difference(s):\n${diffs.join('\n')}`);
    assert.equal(ours.length, ref.length);
    const rows = ours.filter((e) => e.type.endsWith('_rows')).length;
    assert.ok(rows >= 3, `only ${rows} rows events`);
  });
}
