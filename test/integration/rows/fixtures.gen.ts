// Regenerates test/binlog/rows/values.fixtures.ts: row-image bytes written by real servers, with what the
// server prints for each value, so that the unit tests check the codecs without a server.
//
//   node --import tsx test/integration/rows/fixtures.gen.ts
//
// Sources: capture.ts (MySQL 9.7 for DECIMAL, TIME2/DATETIME2/TIMESTAMP2, DATE, YEAR, JSON, VECTOR and
// partial JSON diffs; MariaDB 11.8 with mysql56_temporal_format=OFF for MariaDB's own TIME/DATETIME/
// TIMESTAMP formats) and CONVERT(... USING <charset>) for text in every character set.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalServer, type LocalServer } from '../../../src/servers/local-server.js';
import {
  capture,
  capturePartialJson,
  DATETIME_VALUES,
  decimalCases,
  jsonCases,
  TIME_VALUES,
  TIMESTAMP_VALUES,
  type Captured,
  type Kind,
} from './capture.js';

const UTC = '--default-time-zone=+00:00';
const lines: string[] = [];
const str = (s: string): string => JSON.stringify(s);
const comment = (s: string): string => s.replace(/\s+/g, ' ').slice(0, 150);

function fixedFixtures(title: string, name: string, items: Captured[], server: string): void {
  lines.push(`/** ${title} (${server}). */`, `export const ${name}: ValueFixture[] = [`);
  for (const c of items) {
    if (c.text === null) continue;
    lines.push(`  // ${c.sqlType} ← ${comment(c.sql)}`);
    lines.push(
      `  { kind: ${JSON.stringify(c.kind)}, hex: '${c.bytes.toString('hex')}', text: ${str(c.text)} },`,
    );
  }
  lines.push('];', '');
}

async function withServer<T>(
  name: 'mysql-9.7' | 'mariadb-11.8',
  options: string[],
  f: (s: LocalServer) => Promise<T>,
): Promise<T> {
  const s = await startLocalServer(name, { options, verbose: false });
  try {
    return await f(s);
  } finally {
    await s.stop();
  }
}

const q = (v: string): string => `'${v}'`;
const temporal = (kinds: (fsp: number) => Kind[]): { k: Kind; values: string[] }[] => {
  const out: { k: Kind; values: string[] }[] = [];
  for (let fsp = 0; fsp <= 6; fsp++) {
    for (const k of kinds(fsp)) {
      const values = /time2|-time$/.test(k.kind)
        ? TIME_VALUES
        : /datetime/.test(k.kind)
          ? DATETIME_VALUES
          : TIMESTAMP_VALUES;
      out.push({ k, values: values.map(q) });
    }
  }
  return out;
};

let mysqlVersion = '';
let mariaVersion = '';
await withServer('mysql-9.7', [UTC], async (s) => {
  mysqlVersion = (await s.sql('SELECT VERSION()')).trim();
  const decimals: Captured[] = [];
  for (const { k, values, fixed } of decimalCases()) {
    decimals.push(...(await capture(s, k, values.slice(0, fixed + 3))));
  }
  fixedFixtures(
    'DECIMAL: extremes, ±0, ±smallest, three random values per (precision, scale)',
    'DECIMAL_FIXTURES',
    decimals,
    mysqlVersion,
  );

  const temporals: Captured[] = [];
  for (const { k, values } of temporal((fsp) => [
    { kind: 'time2', fsp },
    { kind: 'datetime2', fsp },
    { kind: 'timestamp2', fsp },
  ])) {
    temporals.push(...(await capture(s, k, values)));
  }
  temporals.push(
    ...(await capture(
      s,
      { kind: 'date' },
      ['0000-00-00', '2020-00-00', '2020-01-00', '1000-01-01', '9999-12-31'].map(q),
    )),
  );
  temporals.push(...(await capture(s, { kind: 'year' }, ['1901', '2155', '0', '2000'])));
  fixedFixtures(
    'TIME2, DATETIME2, TIMESTAMP2 at every fsp (time_zone +00:00), DATE, YEAR',
    'TEMPORAL_FIXTURES',
    temporals,
    mysqlVersion,
  );

  const cases = jsonCases();
  const json = await capture(
    s,
    { kind: 'json' },
    cases.map((c) => c.sql),
  );
  lines.push(
    `/** JSON documents and CAST(j AS CHAR) (${mysqlVersion}); \`value\` where the text does not say it. */`,
    'export const JSON_FIXTURES: JsonFixture[] = [',
  );
  for (const [i, c] of json.entries()) {
    if (c.bytes.length > 16384) continue; // the > 64 KiB documents stay in the integration test
    lines.push(`  // ${comment(c.sql)}`);
    const value = cases[i].value === undefined ? '' : `, value: ${JSON.stringify(cases[i].value)}`;
    lines.push(`  { hex: '${c.bytes.toString('hex')}', text: ${str(c.text!)}${value} },`);
  }
  lines.push('];', '');

  const vectors = await capture(s, { kind: 'vector', dims: 4 }, [
    `STRING_TO_VECTOR('[1,2.5,-0.375,-0]')`,
    `STRING_TO_VECTOR('[3.4e38,-1.5e-38,0.1,16777217]')`,
  ]);
  fixedFixtures('VECTOR(4) and VECTOR_TO_STRING', 'VECTOR_FIXTURES', vectors, mysqlVersion);

  const diffs = await capturePartialJson(s);
  lines.push(
    `/** PARTIAL_UPDATE_ROWS JSON diff vectors and mysqlbinlog -vv's rendering (${mysqlVersion}). */`,
    'export const JSON_DIFF_FIXTURES: JsonDiffFixture[] = [',
  );
  for (const d of diffs) {
    lines.push(`  // ${comment(d.sql)}`);
    lines.push(`  { hex: '${d.bytes.toString('hex')}', column: '${d.column}', printed: ${str(d.printed)} },`);
  }
  lines.push('];', '');
});

await withServer('mariadb-11.8', [UTC, '--mysql56-temporal-format=OFF'], async (s) => {
  mariaVersion = (await s.sql('SELECT VERSION()')).trim();
  const items: Captured[] = [];
  for (const { k, values } of temporal((fsp) => [
    { kind: 'mariadb-time', fsp },
    { kind: 'mariadb-datetime', fsp },
    { kind: 'mariadb-timestamp', fsp },
  ])) {
    items.push(...(await capture(s, k, values)));
  }
  fixedFixtures(
    'MariaDB TIME/DATETIME/TIMESTAMP without the 5.6 format: fsp 0 old types, 1..6 hires',
    'MARIADB_TEMPORAL_FIXTURES',
    items,
    mariaVersion,
  );
});

// Text in every character set, encoded by the server.
const SAMPLE = 'ASCII ~ Ünïcödé € ™ Ελληνικά Кириллица עברית 中文 繁體 日本語 ｶﾀｶﾅ 한국어 \u00a0 😀 𝄞';
await withServer('mysql-9.7', [], async (s) => {
  const sets = (
    await s.sql(
      "SELECT CHARACTER_SET_NAME FROM information_schema.CHARACTER_SETS WHERE CHARACTER_SET_NAME <> 'binary' ORDER BY 1",
    )
  )
    .split('\n')
    .filter(Boolean);
  lines.push(
    `/** The same text encoded in each character set by ${mysqlVersion}, and converted back to utf8mb4. */`,
    'export const CHARSET_FIXTURES: CharsetFixture[] = [',
  );
  const hex = Buffer.from(SAMPLE).toString('hex');
  for (const cs of sets) {
    const [enc, back] = (
      await s.sql(
        `SELECT HEX(CONVERT(_utf8mb4 X'${hex}' USING ${cs})), HEX(CONVERT(CONVERT(_utf8mb4 X'${hex}' USING ${cs}) USING utf8mb4))`,
      )
    )
      .trim()
      .split('\t');
    lines.push(
      `  { charset: '${cs}', hex: '${enc.toLowerCase()}', text: ${str(Buffer.from(back, 'hex').toString('utf8'))} },`,
    );
  }
  lines.push('];', '');
});

const head = `// GENERATED by test/integration/rows/fixtures.gen.ts from ${mysqlVersion} and ${mariaVersion}; do not edit.
// Each fixture is the value's bytes in a row image (JSON and VECTOR without their 4-byte length) and what
// the server prints for it (SELECT v, CAST(j AS CHAR), VECTOR_TO_STRING, mysqlbinlog -vv).
import type { Kind } from '../../integration/rows/capture.js';

export interface ValueFixture {
  kind: Kind;
  hex: string;
  text: string;
}
export interface JsonFixture {
  hex: string;
  text: string;
  value?: unknown;
}
export interface JsonDiffFixture {
  hex: string;
  column: string;
  printed: string;
}
export interface CharsetFixture {
  charset: string;
  hex: string;
  text: string;
}

`;
const out = join(dirname(fileURLToPath(import.meta.url)), '../../binlog/rows/values.fixtures.ts');
writeFileSync(out, head + lines.join('\n'));
execFileSync('npx', ['prettier', '--write', out], { stdio: 'ignore' });
console.log(`wrote ${out}`);
