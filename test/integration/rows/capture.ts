// Captures real row-image bytes of single column values from a running server, with what the server
// itself prints for them: a table (id INT NOT NULL, v <type> NULL) gets one row per value, the rows events
// of that table are read back from the binlog file (binlog-rows.ts), and `SELECT id, <v as text>` gives the
// expected text. Used by values.test.ts and by fixtures.gen.ts (which stores a sample as unit-test fixtures).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import type { LocalServer } from '../../../src/servers/local-server.js';
import { decimalBinarySize } from '../../../src/binlog/rows/decimal.js';
import {
  datetime2BinarySize,
  mariadbDatetimeHiresSize,
  mariadbTimeHiresSize,
  mariadbTimestampHiresSize,
  time2BinarySize,
  timestamp2BinarySize,
} from '../../../src/binlog/rows/temporal.js';
import { normalizeMysqlbinlogDiff } from '../../harness/json-diff-sql.js';
import { currentBinlog, rowsEventsOf } from './binlog-rows.js';

export type Kind =
  | { kind: 'decimal'; precision: number; scale: number }
  | { kind: 'time2' | 'datetime2' | 'timestamp2'; fsp: number }
  | { kind: 'date' | 'year' }
  /** MariaDB with mysql56_temporal_format=OFF: fsp 0 is the old type, 1..6 MariaDB's hires format. */
  | { kind: 'mariadb-time' | 'mariadb-datetime' | 'mariadb-timestamp'; fsp: number }
  | { kind: 'json' }
  /** MySQL 9 VECTOR(dims): a 4-byte length prefix, like JSON. */
  | { kind: 'vector'; dims: number };

export interface Captured {
  kind: Kind;
  sqlType: string;
  /** The SQL expression inserted. */
  sql: string;
  /** The value bytes in the row image (JSON, VECTOR: without the 4-byte length). */
  bytes: Buffer;
  /** What the server prints: SELECT v (temporal, decimal), CAST(v AS CHAR) (JSON); null for SQL NULL. */
  text: string | null;
}

export function sqlTypeOf(k: Kind): string {
  switch (k.kind) {
    case 'decimal':
      return `DECIMAL(${k.precision},${k.scale})`;
    case 'time2':
    case 'mariadb-time':
      return `TIME(${k.fsp})`;
    case 'datetime2':
    case 'mariadb-datetime':
      return `DATETIME(${k.fsp})`;
    case 'timestamp2':
    case 'mariadb-timestamp':
      return `TIMESTAMP(${k.fsp})`;
    case 'date':
      return 'DATE';
    case 'year':
      return 'YEAR';
    case 'json':
      return 'JSON';
    case 'vector':
      return `VECTOR(${k.dims})`;
  }
}

/** Bytes of a fixed-size value, or undefined for JSON (length-prefixed). */
export function sizeOf(k: Kind): number | undefined {
  switch (k.kind) {
    case 'decimal':
      return decimalBinarySize(k.precision, k.scale);
    case 'time2':
      return time2BinarySize(k.fsp);
    case 'datetime2':
      return datetime2BinarySize(k.fsp);
    case 'timestamp2':
      return timestamp2BinarySize(k.fsp);
    case 'mariadb-time':
      return mariadbTimeHiresSize(k.fsp);
    case 'mariadb-datetime':
      return mariadbDatetimeHiresSize(k.fsp);
    case 'mariadb-timestamp':
      return mariadbTimestampHiresSize(k.fsp);
    case 'date':
      return 3;
    case 'year':
      return 1;
    case 'json':
    case 'vector':
      return undefined;
  }
}

let tableNo = 0;

/**
 * Inserts `values` (SQL expressions) into a new table of column type `k` and returns each value's row
 * image bytes with the server's text for it, in insertion order. The session uses sql_mode='' (zero dates)
 * and the server runs with time_zone +00:00.
 */
export async function capture(server: LocalServer, k: Kind, values: readonly string[]): Promise<Captured[]> {
  const table = `t${++tableNo}`;
  const sqlType = sqlTypeOf(k);
  const rows = values.map((v, i) => `(${i + 1}, ${v})`).join(',\n');
  await server.sql(
    `SET SESSION sql_mode=''; ` +
      (server.flavor === 'mysql' ? 'SET SESSION cte_max_recursion_depth = 100000; ' : '') +
      `CREATE DATABASE IF NOT EXISTS cap; ` +
      `CREATE TABLE cap.${table} (id INT NOT NULL PRIMARY KEY, v ${sqlType} NULL); ` +
      `INSERT INTO cap.${table} VALUES ${rows};`,
  );
  const expr =
    k.kind === 'json'
      ? 'HEX(CAST(v AS CHAR))'
      : k.kind === 'vector'
        ? 'VECTOR_TO_STRING(v)'
        : k.kind === 'year'
          ? 'v + 0'
          : 'v';
  const out = await server.sql(`SELECT id, ${expr} FROM cap.${table} ORDER BY id`);
  const texts = new Map<number, string | null>();
  for (const line of out.split('\n')) {
    if (!line) continue;
    const tab = line.indexOf('\t');
    const t = line.slice(tab + 1);
    texts.set(
      Number(line.slice(0, tab)),
      t === 'NULL' ? null : k.kind === 'json' ? Buffer.from(t, 'hex').toString('utf8') : t,
    );
  }
  const size = sizeOf(k);
  const captured: Captured[] = [];
  for (const ev of rowsEventsOf(await currentBinlog(server), 'cap', table)) {
    assert.equal(ev.columnCount, 2);
    const cur = ev.rows;
    while (cur.remaining > 0) {
      cur.need(5);
      const nulls = cur.u8();
      const id = cur.i32();
      let bytes = Buffer.alloc(0);
      if ((nulls & 2) === 0) {
        let n = size;
        if (n === undefined) {
          cur.need(4);
          n = cur.u32();
        }
        bytes = Buffer.from(cur.bytes(n));
      }
      assert.equal(id, captured.length + 1, `${table}: rows out of order or misparsed`);
      captured.push({ kind: k, sqlType, sql: values[id - 1], bytes, text: texts.get(id) ?? null });
    }
  }
  assert.equal(captured.length, values.length, `${table}: ${captured.length} of ${values.length} rows found`);
  return captured;
}

/** A small deterministic PRNG (mulberry32), so that "random" server cases are the same every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const q = (s: string): string => `'${s}'`;

/**
 * Decimal cases: extremes, signs, zeros and seeded random digits for a set of (precision, scale); on
 * MariaDB also scales above MySQL's 30 (MariaDB takes up to 38).
 */
export function decimalCases(mariadb = false): { k: Kind; values: string[]; fixed: number }[] {
  const rnd = prng(1);
  const shapes: [number, number][] = [
    [65, 30],
    [65, 0],
    [10, 2],
    [5, 5],
    [1, 0],
    [9, 0],
    [10, 0],
    [18, 9],
    [19, 9],
    [20, 10],
    [30, 15],
    [4, 2],
    [14, 4],
    [38, 10],
    [12, 12],
    [65, 1],
    [2, 1],
    [17, 8],
    [27, 18],
    [36, 27],
    ...(mariadb
      ? ([
          [65, 38],
          [38, 38],
          [31, 31],
          [40, 35],
        ] as [number, number][])
      : []),
  ];
  return shapes.map(([p, s]) => {
    const nines = '9'.repeat(p - s) + (s ? '.' + '9'.repeat(s) : '');
    const tiny = s ? '0.' + '0'.repeat(s - 1) + '1' : '1';
    const extra = p === 10 && s === 2 ? ['-10.55', '10.55', '0.01', '-12345678.9'] : [];
    const values = [nines, '-' + nines, '0', '-0', tiny, '-' + tiny, ...extra, 'NULL'].map((v) =>
      v === 'NULL' ? v : q(v),
    );
    const fixed = values.length;
    for (let i = 0; i < 12; i++) {
      const intLen = Math.floor(rnd() * (p - s + 1));
      let digits = '';
      for (let j = 0; j < intLen; j++) digits += Math.floor(rnd() * 10);
      let frac = '';
      for (let j = 0; j < s; j++) frac += Math.floor(rnd() * 10);
      const v = (rnd() < 0.5 ? '-' : '') + (digits || '0') + (s ? '.' + frac : '');
      values.push(q(v));
    }
    return { k: { kind: 'decimal', precision: p, scale: s }, values, fixed };
  });
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

function randomTime(rnd: () => number): string {
  const h = Math.floor(rnd() * 839);
  const us = Math.floor(rnd() * 1000000);
  return `${rnd() < 0.5 ? '-' : ''}${pad(h)}:${pad(Math.floor(rnd() * 60))}:${pad(Math.floor(rnd() * 60))}.${pad(us, 6)}`;
}
function randomDatetime(rnd: () => number, minYear = 1000, maxYear = 9999): string {
  const y = minYear + Math.floor(rnd() * (maxYear - minYear + 1));
  return (
    `${pad(y, 4)}-${pad(1 + Math.floor(rnd() * 12))}-${pad(1 + Math.floor(rnd() * 28))} ` +
    `${pad(Math.floor(rnd() * 24))}:${pad(Math.floor(rnd() * 60))}:${pad(Math.floor(rnd() * 60))}.${pad(Math.floor(rnd() * 1000000), 6)}`
  );
}

export const TIME_VALUES = [
  '00:00:00',
  '-00:00:00.000001',
  '-00:00:00.01',
  '-00:00:00.5',
  '-00:00:01',
  '-00:00:01.5',
  '-00:01:00',
  '-00:59:59.999999',
  '-838:59:59',
  '838:59:59',
  '-838:59:58.999999',
  '838:59:58.999999',
  '12:34:56.789012',
  '-12:34:56.789012',
  '-01:00:00.000001',
  '00:00:00.000001',
  '23:59:59.9',
  '-100:00:00.99',
];
export const DATETIME_VALUES = [
  '0000-00-00 00:00:00',
  '2020-00-00 00:00:00',
  '2020-01-00 10:00:00',
  '1000-01-01 00:00:00',
  '9999-12-31 23:59:59.999999',
  '2020-02-29 12:34:56.5',
  '1970-01-01 00:00:00',
  '2038-01-19 03:14:08.000001',
];
export const TIMESTAMP_VALUES = [
  '1970-01-01 00:00:01',
  '2038-01-19 03:14:07.999999',
  '0000-00-00 00:00:00',
  '2000-02-29 23:59:59.123456',
  '1999-12-31 23:59:59.5',
  '2024-02-29 00:00:00.000001',
];

/**
 * Temporal cases for every fsp: edges (negative TIME fractions, zero dates) and seeded random values; on
 * MariaDB also TIMESTAMPs in the epoch's first second (MySQL refuses them; MariaDB keeps the fraction).
 */
export function temporalCases(oldFormat = false, mariadb = false): { k: Kind; values: string[] }[] {
  const rnd = prng(2);
  const out: { k: Kind; values: string[] }[] = [];
  for (let fsp = 0; fsp <= 6; fsp++) {
    const times = [...TIME_VALUES];
    const datetimes = [...DATETIME_VALUES];
    const stamps = [...TIMESTAMP_VALUES];
    if (mariadb && fsp > 0)
      stamps.push('1970-01-01 00:00:00.5', `1970-01-01 00:00:00.${'0'.repeat(fsp - 1)}1`);
    for (let i = 0; i < 10; i++) {
      times.push(randomTime(rnd));
      datetimes.push(randomDatetime(rnd));
      stamps.push(randomDatetime(rnd, 1971, 2037));
    }
    const t = (k: Kind['kind']): Kind => ({ kind: k, fsp }) as Kind;
    out.push({ k: t(oldFormat ? 'mariadb-time' : 'time2'), values: [...times.map(q), 'NULL'] });
    out.push({ k: t(oldFormat ? 'mariadb-datetime' : 'datetime2'), values: [...datetimes.map(q), 'NULL'] });
    out.push({ k: t(oldFormat ? 'mariadb-timestamp' : 'timestamp2'), values: stamps.map(q) });
  }
  if (!oldFormat) {
    out.push({
      k: { kind: 'date' },
      values: [
        '0000-00-00',
        '2020-00-00',
        '2020-01-00',
        '1000-01-01',
        '9999-12-31',
        '2020-02-29',
        '1970-01-01',
      ]
        .map(q)
        .concat('NULL'),
    });
    out.push({ k: { kind: 'year' }, values: ['1901', '2155', '0', '2000', '1999', 'NULL'] });
  }
  return out;
}

/**
 * JSON documents (MySQL): scalars at every integer width, doubles, strings that need escaping, objects and
 * arrays in the small and large (> 64 KiB) formats, deep nesting and opaque values. `value` is given where
 * the text alone cannot say what the JS value is (decimals, opaque values): it is the server's text of that
 * element, which the same test also compares.
 */
export const JSON_RANDOM_DOUBLES = 600;

export function jsonCases(): { sql: string; value?: unknown }[] {
  const j = (text: string): string => `CAST('${text.replace(/\\/g, '\\\\').replace(/'/g, "''")}' AS JSON)`;
  const cases: { sql: string; value?: unknown }[] = [
    '{}',
    '[]',
    'null',
    'true',
    'false',
    '0',
    '-1',
    '1',
    '32767',
    '32768',
    '-32768',
    '-32769',
    '65535',
    '65536',
    '2147483647',
    '2147483648',
    '-2147483648',
    '-2147483649',
    '4294967295',
    '4294967296',
    '9007199254740991',
    '9007199254740992',
    '-9007199254740991',
    '-9007199254740992',
    '9223372036854775807',
    '-9223372036854775808',
    '9223372036854775808',
    '18446744073709551615',
    '1.0',
    '-0.0',
    '0.1',
    '1e300',
    '1e-300',
    '5e-324',
    '1.7976931348623157e308',
    '-1.7976931348623157e308',
    '123456789012345.6',
    '1e15',
    '1e16',
    '1e-7',
    '1e-15',
    '1e-16',
    '0.000001',
    '123456789012345678901234567890',
    '3.0e2',
    '-2.5',
    '1e21',
    '1e22',
    '0.30000000000000004',
    '"a\\"b\\\\c/d"',
    '"tab\\there\\nnew\\r\\b\\f"',
    '"\\u0001\\u001f\\u007f\\u0000"',
    '"é ü 中文 😀 \\u2028"',
    '""',
    '{"": 1}',
    '{"a": 1, "b": [1, 2.5], "c": {"d": null, "e": true, "f": false}}',
    '{"b": 1, "a": 2, "aa": 3, "10": 4, "2": 5, "é": 6, "😀": 7}',
    '[1, -1, 32767, 32768, -32769, 65536, 4294967296, 1.5, "x", null, true, false, [], {}]',
    '{"a": {"b": {"c": {"d": [[[["deep"]]]]}}}}',
    '[[1, [2, [3, [4]]]], {"x": [{"y": {}}]}]',
    '{"__proto__": {"polluted": 1}, "constructor": 2}',
  ].map((t) => ({ sql: j(t) }));
  // Every printable-ASCII and control character inside a string.
  cases.push({
    sql: `JSON_ARRAY(${Array.from({ length: 128 }, (_, i) => `CHAR(${i} USING utf8mb4)`).join(', ')})`,
  });
  // Random doubles from random bit patterns (finite only), and random int64s.
  const rnd = prng(3);
  const doubles: string[] = [];
  const buf = Buffer.alloc(8);
  while (doubles.length < JSON_RANDOM_DOUBLES) {
    buf.writeUInt32LE(Math.floor(rnd() * 2 ** 32), 0);
    buf.writeUInt32LE(Math.floor(rnd() * 2 ** 32), 4);
    const d = buf.readDoubleLE(0);
    if (!Number.isFinite(d)) continue;
    doubles.push(String(d));
    doubles.push(String((rnd() - 0.5) * 10 ** Math.floor(rnd() * 40 - 20)));
  }
  cases.push({ sql: j('[' + doubles.map((d) => (/[.e]/.test(d) ? d : d + '.0')).join(', ') + ']') });
  // Deep nesting: 100 levels is MySQL's maximum.
  cases.push({ sql: j('['.repeat(100) + ']'.repeat(100)) });
  cases.push({ sql: j('{"a": '.repeat(99) + '{}' + '}'.repeat(99)) });
  // Large formats: an object and an array over 64 KiB; int32s inlined in large arrays.
  cases.push({
    sql: `JSON_OBJECT('a', REPEAT('x', 70000), 'b', JSON_ARRAY(1, 2, 3), 'c', 100000, 'd', -100000, 'e', 4000000000)`,
  });
  cases.push({ sql: `CAST(CONCAT('[', REPEAT('100000, -5, 70000, "s", 1.5, ', 4000), 'null]') AS JSON)` });
  cases.push({
    sql: `CAST(CONCAT('{', (SELECT GROUP_CONCAT(CONCAT('"k', n, '": ', n) SEPARATOR ', ') FROM (WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 9000) SELECT n FROM s) x), '}') AS JSON)`,
  });
  // Opaque values.
  cases.push({ sql: `JSON_OBJECT('d', CAST('2020-01-01' AS DATE))`, value: { d: '2020-01-01' } });
  cases.push({ sql: `CAST(CAST('10:11:12.5' AS TIME(1)) AS JSON)`, value: '10:11:12.500000' });
  cases.push({ sql: `CAST(CAST('-838:59:59' AS TIME) AS JSON)`, value: '-838:59:59.000000' });
  cases.push({ sql: `CAST(CAST('-00:00:00.5' AS TIME(1)) AS JSON)`, value: '-00:00:00.500000' });
  cases.push({
    sql: `CAST(CAST('2020-02-29 23:59:59.999999' AS DATETIME(6)) AS JSON)`,
    value: '2020-02-29 23:59:59.999999',
  });
  cases.push({ sql: `CAST(TIMESTAMP'2038-01-19 03:14:07' AS JSON)`, value: '2038-01-19 03:14:07.000000' });
  cases.push({ sql: `CAST(CAST('0000-00-00' AS DATE) AS JSON)` });
  cases.push({
    sql: `JSON_ARRAY(CAST(-1.50 AS DECIMAL(5,2)), CAST(0 AS DECIMAL(65,30)), CAST('99999999999999999999999999999999999.999999999999999999999999999999' AS DECIMAL(65,30)), CAST(-7 AS DECIMAL(1,0)))`,
    value: [
      '-1.50',
      '0.000000000000000000000000000000',
      '99999999999999999999999999999999999.999999999999999999999999999999',
      '-7',
    ],
  });
  cases.push({
    sql: `JSON_ARRAY(CAST('abc' AS BINARY), x'00ff', REPEAT(x'41', 100))`,
    value: [
      'base64:type15:YWJj',
      'base64:type15:AP8=',
      'base64:type15:' + 'QUFB'.repeat(19) + '\n' + 'QUFB'.repeat(14) + 'QQ==',
    ],
  });
  cases.push({ sql: `JSON_ARRAY(b'101', CAST(2020 AS YEAR))` });
  return cases;
}

export interface CapturedDiff {
  /** One JSON column's diffs in a PARTIAL_UPDATE_ROWS after-image: u32 length + diffs. */
  bytes: Buffer;
  /** The column reference mysqlbinlog uses, e.g. "@2". */
  column: string;
  /** What mysqlbinlog -vv prints for the column (normalized with normalizeMysqlbinlogDiff). */
  printed: string;
  /** The UPDATE statement. */
  sql: string;
}

export const PARTIAL_JSON_UPDATES = [
  `UPDATE pj.t SET j = JSON_SET(j, '$.a', 2, '$.b[1]', 'yy'), k = JSON_REMOVE(k, '$[0]') WHERE id = 1`,
  `UPDATE pj.t SET j = JSON_REPLACE(j, '$.c', 'short'), j = JSON_REMOVE(j, '$.b[0]') WHERE id = 1`,
  `UPDATE pj.t SET j = JSON_SET(j, '$.a', 1.5, '$."new key"', CAST('2020-01-01' AS DATE)) WHERE id = 1`,
  `UPDATE pj.t SET j = JSON_SET(j, '$.b', JSON_OBJECT('n', 18446744073709551615)) WHERE id = 1`,
  `UPDATE pj.t SET j = JSON_SET(j, '$.d', 'it''s "quoted" \\\\ back') WHERE id = 1`,
];

/**
 * Runs PARTIAL_JSON_UPDATES with binlog_row_value_options=PARTIAL_JSON and binlog_row_image=MINIMAL on a
 * table (id INT PRIMARY KEY, j JSON, k JSON) and returns each logged JSON diff vector with mysqlbinlog's
 * rendering of it. MySQL only.
 */
export async function capturePartialJson(server: LocalServer): Promise<CapturedDiff[]> {
  await server.sql(
    `CREATE DATABASE IF NOT EXISTS pj; CREATE TABLE pj.t (id INT PRIMARY KEY, j JSON, k JSON);
     INSERT INTO pj.t VALUES (1, '{"a": 1, "b": [1, 2, 3], "c": "xxxxxxxxxxxxxxxxxxxxxxxx", "d": "q\\\\"uote"}', '[1, 2]');`,
  );
  await server.sql(
    `SET SESSION binlog_row_value_options='PARTIAL_JSON'; SET SESSION binlog_row_image='MINIMAL'; ` +
      PARTIAL_JSON_UPDATES.join('; '),
  );
  const raw: { bytes: Buffer; column: string; event: number }[] = [];
  let event = 0;
  for (const ev of rowsEventsOf(await currentBinlog(server), 'pj', 't')) {
    if (ev.type !== 39) continue;
    const cur = ev.rows;
    while (cur.remaining > 0) {
      // before image: null bitmap + the primary key
      cur.need(5);
      cur.u8();
      cur.i32();
      // after image: value_options (lenenc), partial bits (one per JSON column of the table), null bitmap
      assert.equal(cur.lenenc() & 1, 1, 'PARTIAL_JSON_UPDATES');
      cur.need(2);
      const partial = cur.u8();
      const nulls = cur.u8();
      for (let col = 1, img = 0; col <= 2; col++) {
        if (!ev.present[1][col]) continue;
        assert.equal(nulls & (1 << img++), 0);
        assert.ok((partial & (1 << (col - 1))) !== 0, 'the column was logged as a diff');
        const start = cur.pos;
        cur.need(4);
        cur.skip(cur.u32());
        raw.push({ bytes: Buffer.from(cur.buf.subarray(start, cur.pos)), column: `@${col + 1}`, event });
      }
    }
    event++;
  }
  const verbose = execFileSync(server.tools.binlogTool, ['-vv', await currentBinlog(server)], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const printed = [...verbose.matchAll(/###\s+(@\d)=(JSON_[\s\S]*?) \/\* JSON/g)];
  assert.equal(printed.length, raw.length, 'one mysqlbinlog line per logged diff vector');
  return raw.map((r, i) => {
    assert.equal(printed[i][1], r.column);
    return {
      bytes: r.bytes,
      column: r.column,
      printed: normalizeMysqlbinlogDiff(printed[i][2]),
      sql: PARTIAL_JSON_UPDATES[r.event],
    };
  });
}
