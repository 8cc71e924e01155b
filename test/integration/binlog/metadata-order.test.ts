// The table map's optional metadata lists one SIGNEDNESS bit per numeric column and one charset per
// character column; which columns count differs from a plain reading of the type codes. YEAR takes a
// signedness bit (MySQL field_common_properties.h has_signedess_information_type; MariaDB's Field_year is
// a Field_tiny), and on MariaDB a GEOMETRY column takes a charset (log_event_server.cc
// is_character_field: a Field_str). A table with YEAR and GEOMETRY before the integers and the text
// columns, logged with MINIMAL and with FULL metadata, decoded from the server's binlog file without any
// schema, must give what SELECT gives.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RowsEvent } from '../../../src/binlog/types.js';
import { readBinlogFile } from '../../../src/file/read-binlog-file.js';
import type { LocalServer } from '../../../src/servers/local-server.js';
import { startTestServer, testServerNames } from '../../harness/servers.js';
import { logStatus } from '../replication/helpers.js';

const COLUMNS = ['y', 'a', 'b', 't', 'name', 'd'];

for (const name of testServerNames()) {
  describe(`table-map metadata order on ${name}`, () => {
    let server: LocalServer;
    test('setup', async () => {
      server = await startTestServer(name);
      await server.sql(
        'CREATE DATABASE mo; CREATE TABLE mo.t (y YEAR, g GEOMETRY, a INT, b INT UNSIGNED, ' +
          't TINYINT UNSIGNED, name VARCHAR(10) CHARACTER SET utf8mb4, d TEXT CHARACTER SET utf8mb4, ' +
          'id INT PRIMARY KEY)',
      );
    });

    for (const meta of ['MINIMAL', 'FULL']) {
      test(`${meta}: YEAR and GEOMETRY first, then signed and unsigned integers and text`, async () => {
        await server.sql(`SET GLOBAL binlog_row_metadata = '${meta}'`);
        const at = await logStatus(server);
        const id = meta === 'FULL' ? 2 : 1;
        await server.sql(
          `INSERT INTO mo.t VALUES (2024, ST_GeomFromText('POINT(1 2)'), -5, 4294967295, 255, 'abc', 'déf', ${id})`,
        );
        const want = (
          await server.sql(
            `SELECT ${COLUMNS.map((c) => `CAST(${c} AS CHAR)`).join(', ')} FROM mo.t WHERE id = ${id}`,
          )
        )
          .trim()
          .split('\t');
        const rows: Record<string, unknown>[] = [];
        for await (const ev of readBinlogFile(server.binlogPath(at.file), { start: at.pos }))
          if (ev.type === 'write_rows' && ev.table === 't')
            rows.push(...(ev as RowsEvent & { rows: Record<string, unknown>[] }).rows);
        assert.equal(rows.length, 1);
        // FULL names the columns; MINIMAL leaves them @1 … (in table order: y, g, a, b, t, name, d, id)
        const at8 = ['@1', '@3', '@4', '@5', '@6', '@7'];
        const got = COLUMNS.map((c, i) => rows[0][meta === 'FULL' ? c : at8[i]]);
        assert.deepEqual(got.map(String), want, JSON.stringify(got));
        assert.deepEqual(
          got.map((v) => typeof v),
          ['number', 'number', 'number', 'number', 'string', 'string'],
          'the charsets reached the text columns',
        );
      });
    }
  });
}
