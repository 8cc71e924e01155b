// The value codecs against real servers: every value is inserted into a real table, its bytes are taken
// from the server's own binlog file and decoded, and the result must equal what the server prints for it
// (SELECT v; CAST(j AS CHAR)); partial JSON updates are compared with mysqlbinlog -vv.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { Cursor } from '../../../src/binlog/cursor.js';
import { decodeDecimal } from '../../../src/binlog/rows/decimal.js';
import { decodeVector } from '../../../src/binlog/rows/geometry.js';
import {
  decodeJsonBinary,
  decodeJsonDiffs,
  jsonBinaryToText,
  type JsonDiff,
} from '../../../src/binlog/rows/json-binary.js';
import {
  decodeDate,
  decodeDatetime2,
  decodeMariadbDatetimeHires,
  decodeMariadbTimeHires,
  decodeMariadbTimestampHires,
  decodeTime2,
  decodeTimestamp2,
  decodeYear,
} from '../../../src/binlog/rows/temporal.js';
import { startLocalServer, type LocalServer } from '../../../src/servers/local-server.js';
import { testServerNames } from '../../harness/servers.js';
import { currentBinlog, rowsEventsOf } from './binlog-rows.js';
import {
  capture,
  decimalCases,
  JSON_RANDOM_DOUBLES,
  jsonCases,
  temporalCases,
  type Captured,
  type Kind,
} from './capture.js';
import { parseJsonText } from '../../harness/json-text.js';

const UTC = '--default-time-zone=+00:00';

function decodeValue(k: Kind, cur: Cursor): unknown {
  switch (k.kind) {
    case 'decimal':
      return decodeDecimal(cur, k.precision, k.scale);
    case 'time2':
      return decodeTime2(cur, k.fsp);
    case 'datetime2':
      return decodeDatetime2(cur, k.fsp);
    case 'timestamp2':
      return decodeTimestamp2(cur, k.fsp);
    case 'mariadb-time':
      return decodeMariadbTimeHires(cur, k.fsp);
    case 'mariadb-datetime':
      return decodeMariadbDatetimeHires(cur, k.fsp);
    case 'mariadb-timestamp':
      return decodeMariadbTimestampHires(cur, k.fsp);
    case 'date':
      return decodeDate(cur);
    case 'year':
      return decodeYear(cur);
    case 'json':
    case 'vector':
      throw new Error(`${k.kind} values are checked separately`);
  }
}

/** Decodes every captured fixed-size value and compares it with the server's text; returns the count. */
function checkAll(captured: Captured[]): number {
  let n = 0;
  for (const c of captured) {
    if (c.text === null) {
      assert.equal(c.bytes.length, 0, `${c.sqlType} ${c.sql}: NULL has no bytes`);
      continue;
    }
    const cur = new Cursor(c.bytes);
    const got = decodeValue(c.kind, cur);
    const want = c.kind.kind === 'year' ? Number(c.text) : c.text;
    assert.equal(got, want, `${c.sqlType} ${c.sql}: bytes ${c.bytes.toString('hex')}`);
    assert.equal(cur.remaining, 0, `${c.sqlType} ${c.sql}: every byte read`);
    n++;
  }
  return n;
}

for (const name of testServerNames()) {
  describe(`row values on ${name}`, () => {
    let server: LocalServer;
    const counts: Record<string, number> = {};
    // startTestServer's own after() would run when this before() hook ends: start and stop here.
    before(async () => {
      server = await startLocalServer(name, { options: [UTC] });
    });
    after(async () => {
      console.log(`# ${name}: server-compared values ${JSON.stringify(counts)}`);
      await server?.stop();
    });

    test('DECIMAL: extremes, signs, zeros and random digits for 20 (precision, scale)', async () => {
      let n = 0;
      for (const { k, values } of decimalCases()) n += checkAll(await capture(server, k, values));
      counts.decimal = n;
      assert.ok(n > 300);
    });

    test('TIME2 / DATETIME2 / TIMESTAMP2 at every fsp, DATE, YEAR', async () => {
      let n = 0;
      for (const { k, values } of temporalCases()) n += checkAll(await capture(server, k, values));
      counts.temporal = n;
      assert.ok(n > 400);
    });

    if (name.startsWith('mysql')) {
      test('JSON: CAST(j AS CHAR) and the parsed value', async () => {
        const cases = jsonCases();
        const captured = await capture(
          server,
          { kind: 'json' },
          cases.map((c) => c.sql),
        );
        let n = 0;
        for (const [i, c] of captured.entries()) {
          assert.notEqual(c.text, null, `${c.sql}: the server stored NULL`);
          const text = jsonBinaryToText(c.bytes, 0, c.bytes.length);
          assert.equal(text, c.text, `${c.sql.slice(0, 200)}: text`);
          const value = decodeJsonBinary(c.bytes, 0, c.bytes.length);
          const want = cases[i].value ?? parseJsonText(c.text!);
          assert.deepStrictEqual(value, want, `${c.sql.slice(0, 200)}: value`);
          n++;
        }
        counts.json = n;
        counts.jsonRandomDoubles = JSON_RANDOM_DOUBLES;
      });

      test('VECTOR: float32 values as VECTOR_TO_STRING prints them', async () => {
        const inputs = ['[1,2.5,-0.375,0,-0]', '[3.4e38,-1.5e-38,0.1,16777217,-123.456]'];
        const captured = await capture(server, { kind: 'vector', dims: 5 }, [
          ...inputs.map((v) => `STRING_TO_VECTOR('${v}')`),
          'NULL',
        ]);
        let n = 0;
        for (const [i, c] of captured.entries()) {
          if (c.text === null) continue;
          const v = decodeVector(c.bytes, 0, c.bytes.length);
          assert.ok(v instanceof Float32Array);
          // The server prints %.5e; the float32 of each input literal must be what was decoded.
          const printed = c.text.slice(1, -1).split(',');
          const literal = inputs[i].slice(1, -1).split(',').map(Number);
          assert.equal(v.length, printed.length);
          for (let j = 0; j < v.length; j++) {
            assert.equal(
              (Object.is(v[j], -0) ? '-' : '') + v[j].toExponential(5).replace(/e([+-])(\d)$/, 'e$10$2'),
              printed[j],
              `${inputs[i]}[${j}]`,
            );
            assert.ok(Object.is(v[j], Math.fround(literal[j])), `${inputs[i]}[${j}]`);
            n++;
          }
        }
        counts.vectorFloats = n;
      });

      test('JSON partial updates (PARTIAL_UPDATE_ROWS_EVENT) match mysqlbinlog -vv', async () => {
        await server.sql(
          `CREATE DATABASE IF NOT EXISTS pj; CREATE TABLE pj.t (id INT PRIMARY KEY, j JSON, k JSON);
           INSERT INTO pj.t VALUES (1, '{"a": 1, "b": [1, 2, 3], "c": "xxxxxxxxxxxxxxxxxxxxxxxx", "d": "q\\\\"uote"}', '[1, 2]');`,
        );
        await server.sql(
          `SET SESSION binlog_row_value_options='PARTIAL_JSON'; SET SESSION binlog_row_image='MINIMAL';
           UPDATE pj.t SET j = JSON_SET(j, '$.a', 2, '$.b[1]', 'yy'), k = JSON_REMOVE(k, '$[0]') WHERE id = 1;
           UPDATE pj.t SET j = JSON_REPLACE(j, '$.c', 'short'), j = JSON_REMOVE(j, '$.b[0]') WHERE id = 1;
           UPDATE pj.t SET j = JSON_SET(j, '$.a', 1.5, '$."new key"', CAST('2020-01-01' AS DATE)) WHERE id = 1;
           UPDATE pj.t SET j = JSON_SET(j, '$.b', JSON_OBJECT('n', 18446744073709551615)) WHERE id = 1;`,
        );
        const got: JsonDiff[][] = [];
        for (const ev of rowsEventsOf(await currentBinlog(server), 'pj', 't')) {
          if (ev.type !== 39) continue;
          const cur = ev.rows;
          while (cur.remaining > 0) {
            // before image: null bitmap + the primary key
            cur.need(5);
            cur.u8();
            cur.i32();
            // after image: value_options, partial bits (one per JSON column of the table), null bitmap
            const options = cur.lenenc();
            assert.equal(options & 1, 1);
            cur.need(2);
            const partial = cur.u8();
            const nulls = cur.u8();
            const present = ev.present[1];
            for (let col = 1, img = 0; col <= 2; col++) {
              if (!present[col]) continue;
              assert.equal(nulls & (1 << img++), 0);
              const isPartial = (partial & (1 << (col - 1))) !== 0;
              assert.ok(isPartial, 'the column was logged as a diff');
              got.push(decodeJsonDiffs(cur));
            }
          }
        }
        // mysqlbinlog -vv prints each column's diffs as nested JSON_REPLACE/INSERT/REMOVE calls.
        const verbose = execFileSync(server.tools.binlogTool, ['-vv', await currentBinlog(server)], {
          encoding: 'utf8',
          maxBuffer: 1 << 26,
        });
        const printed = [...verbose.matchAll(/###\s+@\d=(JSON_[\s\S]*?) \/\* JSON/g)].map((m) =>
          m[1].replace(/\n###\s+/g, ''),
        );
        // mysqlbinlog prints a run of diffs with the same operation as one call: JSON_REPLACE(@2, p1, v1, p2, v2);
        // strings as SQL strings, objects and arrays as CAST('…' AS JSON), other values as their JSON text.
        const sqlValue = (t: string): string =>
          t.startsWith('"')
            ? `'${(JSON.parse(t) as string).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
            : t.startsWith('{') || t.startsWith('[')
              ? `CAST('${t}' AS JSON)`
              : t;
        const mine = got.map((diffs) => {
          let expr = '@?';
          for (let i = 0; i < diffs.length;) {
            const op = diffs[i].op;
            const fn = op === 'remove' ? 'JSON_REMOVE' : op === 'insert' ? 'JSON_INSERT' : 'JSON_REPLACE';
            let args = '';
            for (; i < diffs.length && diffs[i].op === op; i++) {
              const d = diffs[i];
              args += `, '${d.path}'` + (op === 'remove' ? '' : `, ${sqlValue(d.text!)}`);
            }
            expr = `${fn}(${expr}${args})`;
          }
          return expr;
        });
        assert.deepEqual(
          mine,
          printed.map((p) => p.replace(/@\d/, '@?').replace(/,\s*'\$/g, ", '$")),
        );
        assert.equal(got.length, 5);
        counts.jsonDiffs = got.reduce((a, d) => a + d.length, 0);
      });
    }
  });

  if (name.startsWith('mariadb')) {
    describe(`MariaDB pre-5.6 temporal formats on ${name} (mysql56_temporal_format=OFF)`, () => {
      let server: LocalServer;
      before(async () => {
        server = await startLocalServer(name, { options: [UTC, '--mysql56-temporal-format=OFF'] });
      });
      after(() => server?.stop());
      test('TIME / DATETIME / TIMESTAMP at fsp 0 (old types) and 1..6 (MariaDB hires)', async () => {
        let n = 0;
        for (const { k, values } of temporalCases(true)) n += checkAll(await capture(server, k, values));
        console.log(`# ${name} (old temporal formats): server-compared values ${n}`);
        assert.ok(n > 400);
      });
    });
  }
}
