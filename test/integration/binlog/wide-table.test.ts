// A table of 1,001 columns (InnoDB allows 1,017): the table map's column count, the rows events' width and
// bitmaps take their multi-byte forms past 250 columns, and its optional metadata lists hundreds of
// signedness bits and charsets. Logged with every combination of row metadata (none or MINIMAL, FULL) and
// row image (FULL, MINIMAL), streamed with the schema lookup, the rows — inserts, then an update of a few
// columns far apart — must come out as SELECT gives them, column by column.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Row } from '../../../src/binlog/rows/row-types.js';
import type { LocalServer } from '../../../src/servers/local-server.js';
import { startTestServer, testServerNames } from '../../harness/servers.js';
import { collectFrom, logStatus } from '../replication/helpers.js';

const N = 1000;
const NAMES = ['id', ...Array.from({ length: N }, (_, i) => `c${i}`)];
const TYPES = ['INT', 'VARCHAR(4) CHARACTER SET utf8mb4', 'TINYINT UNSIGNED'];

/** Row `id`'s values as SQL literals: signed, text and unsigned columns in turn, every 7th NULL. */
function values(id: number): string {
  return Array.from({ length: N }, (_, i) => {
    if ((i + id) % 7 === 0) return 'NULL';
    if (i % 3 === 0) return String(-i * id);
    return i % 3 === 1 ? `'${(i * id) % 1000}é'` : String((i * id) % 256);
  }).join(', ');
}

for (const name of testServerNames()) {
  describe(`a table of ${N + 1} columns on ${name}`, () => {
    let server: LocalServer;
    test('setup', async () => {
      server = await startTestServer(name);
      const cols = Array.from({ length: N }, (_, i) => `c${i} ${TYPES[i % 3]}`);
      await server.sql(`CREATE DATABASE w; CREATE TABLE w.t (id INT PRIMARY KEY, ${cols.join(', ')})`);
    });

    const none = name.startsWith('mysql') ? 'MINIMAL' : 'NO_LOG';
    for (const meta of [none, 'FULL'])
      for (const image of ['FULL', 'MINIMAL'])
        test(`metadata ${meta}, row image ${image}: every value as SELECT gives it`, async () => {
          await server.sql(
            `SET GLOBAL binlog_row_metadata = '${meta}'; SET GLOBAL binlog_row_image = '${image}'`,
          );
          const at = await logStatus(server);
          await server.sql(
            `DELETE FROM w.t; INSERT INTO w.t VALUES (1, ${values(1)}), (2, ${values(2)}); ` +
              `UPDATE w.t SET c${N - 1} = NULL, c${N - 3} = 'zz', c1 = NULL, c0 = 5 WHERE id = 2`,
          );
          const want = (await server.sql(`SELECT ${NAMES.join(', ')} FROM w.t ORDER BY id`))
            .trim()
            .split('\n')
            .map((l) => l.split('\t'));
          const events = await collectFrom(server, at);
          // the last image of each row (a MINIMAL update image has only the changed columns)
          const rows = new Map<number, Row>();
          let changes = 0;
          for (const e of events) {
            if (e.type === 'table_map' && e.table === 't') assert.equal(e.columnCount, N + 1);
            if (e.type === 'write_rows' && e.table === 't')
              for (const r of e.rows) {
                rows.set(r.id as number, { ...r });
                changes++;
              }
            if (e.type === 'update_rows' && e.table === 't')
              for (const { before, after } of e.rows) {
                const id = (after.id ?? before.id) as number;
                rows.set(id, { ...rows.get(id), ...after });
                changes++;
              }
          }
          assert.equal(changes, 3);
          assert.equal(want.length, 2);
          for (const w of want) {
            const row = rows.get(Number(w[0]));
            assert.ok(row, `row ${w[0]}`);
            const got = NAMES.map((k) => (row[k] === null ? 'NULL' : String(row[k] as string | number)));
            assert.deepEqual(got, w);
          }
        });
  });
}
