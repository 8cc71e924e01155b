// The value codecs against real servers: every value is inserted into a real table, its bytes are taken
// from the server's own binlog file and decoded, and the result must equal what the server prints for it
// (SELECT v; CAST(j AS CHAR)); partial JSON updates are compared with mysqlbinlog -vv.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Cursor } from '../../../src/binlog/cursor.js';
import { decodeDecimal } from '../../../src/binlog/rows/decimal.js';
import { decodeVector } from '../../../src/binlog/rows/geometry.js';
import { decodeJsonBinary, decodeJsonDiffs, jsonBinaryToText } from '../../../src/binlog/rows/json-binary.js';
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
import {
  capture,
  capturePartialJson,
  decimalCases,
  JSON_RANDOM_DOUBLES,
  jsonCases,
  temporalCases,
  type Captured,
  type Kind,
} from './capture.js';
import { diffsAsMysqlbinlogPrints } from '../../harness/json-diff-sql.js';
import { currentBinlog, fixChecksum, rowsEventsOf } from './binlog-rows.js';
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

    test('DECIMAL: extremes, signs, zeros and random digits for 20 (precision, scale), MariaDB scales to 38', async () => {
      let n = 0;
      for (const { k, values } of decimalCases(server.flavor === 'mariadb'))
        n += checkAll(await capture(server, k, values));
      counts.decimal = n;
      assert.ok(n > 300);
    });

    test('TIME2 / DATETIME2 / TIMESTAMP2 at every fsp, DATE, YEAR', async () => {
      let n = 0;
      for (const { k, values } of temporalCases(false, server.flavor === 'mariadb'))
        n += checkAll(await capture(server, k, values));
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

      test('crafted DECIMAL images (negative zero) decode as mysqlbinlog -vv prints them', async () => {
        await server.sql(
          'CREATE DATABASE IF NOT EXISTS nz; CREATE TABLE nz.t (id INT NOT NULL, v DECIMAL(10,2)); ' +
            'INSERT INTO nz.t VALUES (1, 0), (2, 0), (3, 0), (4, 0);',
        );
        const file = await currentBinlog(server);
        const [ev] = rowsEventsOf(file, 'nz', 't');
        const images = ['7fffffffff', '7ffffffffe', '8000000000', '7ffffff5c8'];
        const buf = ev.rows.buf;
        for (let i = 0, p = ev.rows.pos; i < images.length; i++, p += 10) {
          assert.equal(buf.readInt32LE(p + 1), i + 1); // null bitmap, id, then the 5-byte value
          Buffer.from(images[i], 'hex').copy(buf, p + 5);
        }
        fixChecksum(buf, ev);
        const dir = mkdtempSync(join(tmpdir(), 'binlogsync-nz-'));
        let verbose: string;
        try {
          writeFileSync(join(dir, 'patched.bin'), buf);
          verbose = execFileSync(server.tools.binlogTool, ['-vv', join(dir, 'patched.bin')], {
            encoding: 'utf8',
          });
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
        const printed = [
          ...verbose.slice(verbose.indexOf('INSERT INTO `nz`.`t`')).matchAll(/###\s+@2=(\S+) \/\* DECIMAL/g),
        ].map((m) => m[1]);
        const mine = images.map((h) => decodeDecimal(new Cursor(Buffer.from(h, 'hex')), 10, 2));
        assert.deepEqual(mine, printed);
        assert.deepEqual(mine, ['-0.00', '-0.01', '0.00', '-10.55']);
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
        const captured = await capturePartialJson(server);
        for (const c of captured) {
          const cur = new Cursor(c.bytes);
          const diffs = decodeJsonDiffs(cur);
          assert.equal(cur.remaining, 0);
          assert.equal(diffsAsMysqlbinlogPrints(diffs, c.column), c.printed, c.sql);
        }
        assert.equal(captured.length, 6);
        counts.jsonDiffVectors = captured.length;
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
        for (const { k, values } of temporalCases(true, true))
          n += checkAll(await capture(server, k, values));
        console.log(`# ${name} (old temporal formats): server-compared values ${n}`);
        assert.ok(n > 400);
      });
    });
  }
}
