// Regenerates, from the real servers (each starts in about a second):
//   src/binlog/rows/collation-table.ts  the character set of every collation id
//   src/binlog/rows/charset-tables.ts   bytes per character of every character set, and the Unicode
//                                       character of each byte of every single-byte character set
// Run it after a server upgrade:
//
//   node --import tsx test/integration/rows/collations.gen.ts
//
// Sources: MySQL `information_schema.COLLATIONS` (ID, CHARACTER_SET_NAME); MariaDB the same plus
// `information_schema.COLLATION_CHARACTER_SET_APPLICABILITY`, which on 10.10+ also lists the ids of the
// charset-specific variants of the uca1400 collations (2048 and up) that COLLATIONS does not show;
// `information_schema.CHARACTER_SETS.MAXLEN`; and for each single-byte character set the server's own
// conversion of every byte to utf8mb4 (`CONVERT(... USING utf8mb4)`): a byte the server turns into "?"
// (other than 0x3F itself), into nothing or into U+FFFD has no character and decodes as U+FFFD.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalServer, type ServerName } from '../../../src/servers/local-server.js';

type Table = Map<number, string>;

interface Collected {
  version: string;
  table: Table;
  maxlen: Map<string, number>;
  /** Single-byte charset → 256 characters (U+FFFD where the byte has none). */
  bytes: Map<string, string>;
}

const BYTES_SQL = (cs: string): string =>
  `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 255) ` +
  `SELECT i, IFNULL(HEX(CONVERT(CAST(UNHEX(LPAD(HEX(i), 2, '0')) AS CHAR CHARACTER SET ${cs}) USING utf8mb4)), '') ` +
  `FROM n ORDER BY i`;

async function collect(name: ServerName): Promise<Collected> {
  const server = await startLocalServer(name, { verbose: false });
  try {
    const version = (await server.sql('SELECT VERSION()')).trim();
    const queries = ['SELECT ID, CHARACTER_SET_NAME FROM information_schema.COLLATIONS WHERE ID IS NOT NULL'];
    if (server.flavor === 'mariadb') {
      queries.push(
        'SELECT ID, CHARACTER_SET_NAME FROM information_schema.COLLATION_CHARACTER_SET_APPLICABILITY WHERE ID IS NOT NULL',
      );
    }
    const table: Table = new Map();
    for (const q of queries) {
      for (const line of (await server.sql(q)).split('\n')) {
        if (!line) continue;
        const [id, cs] = line.split('\t');
        const n = Number(id);
        const prev = table.get(n);
        if (prev !== undefined && prev !== cs) throw new Error(`${name}: id ${n} is both ${prev} and ${cs}`);
        table.set(n, cs);
      }
    }
    const maxlen = new Map<string, number>();
    const bytes = new Map<string, string>();
    for (const line of (
      await server.sql('SELECT CHARACTER_SET_NAME, MAXLEN FROM information_schema.CHARACTER_SETS')
    ).split('\n')) {
      if (!line) continue;
      const [cs, n] = line.split('\t');
      maxlen.set(cs, Number(n));
      if (Number(n) !== 1 || cs === 'binary') continue;
      const chars: string[] = [];
      for (const row of (await server.sql(BYTES_SQL(cs))).split('\n')) {
        if (!row) continue;
        const [i, hex] = row.split('\t');
        const ch = Buffer.from(hex, 'hex').toString('utf8');
        const unmapped = ch === '' || (ch === '?' && Number(i) !== 0x3f) || ch === '\ufffd';
        if (!unmapped && [...ch].length !== 1) throw new Error(`${name} ${cs} byte ${i}: ${hex}`);
        chars.push(unmapped ? '\ufffd' : ch);
      }
      if (chars.length !== 256) throw new Error(`${name} ${cs}: ${chars.length} bytes`);
      bytes.set(cs, chars.join(''));
    }
    return { version, table, maxlen, bytes };
  } finally {
    await server.stop();
  }
}

/** Runs of consecutive ids with the same charset: [firstId, count, charsetIndex]. */
function runs(table: Table, names: string[]): number[] {
  const out: number[] = [];
  const ids = [...table.keys()].sort((a, b) => a - b);
  for (let i = 0; i < ids.length;) {
    const cs = table.get(ids[i])!;
    let j = i + 1;
    while (j < ids.length && ids[j] === ids[j - 1] + 1 && table.get(ids[j]) === cs) j++;
    out.push(ids[i], j - i, names.indexOf(cs));
    i = j;
  }
  return out;
}

const mysql = await collect('mysql-9.7');
const maria10 = await collect('mariadb-10.11');
const maria11 = await collect('mariadb-11.8');

// MariaDB 11.8 is a superset of 10.11 except where an id changed meaning, which would be a bug here.
const mariadb: Table = new Map(maria10.table);
for (const [id, cs] of maria11.table) {
  const prev = mariadb.get(id);
  if (prev !== undefined && prev !== cs) throw new Error(`MariaDB id ${id}: ${prev} in 10.11, ${cs} in 11.8`);
  mariadb.set(id, cs);
}

const names = [...new Set([...mysql.table.values(), ...mariadb.values()])].sort();
const conflicts: string[] = [];
for (const [id, cs] of mysql.table) {
  const m = mariadb.get(id);
  if (m !== undefined && m !== cs) conflicts.push(`${id}: MySQL ${cs}, MariaDB ${m}`);
}

const wrap = (nums: number[]): string => {
  const lines: string[] = [];
  for (let i = 0; i < nums.length; i += 30) lines.push('  ' + nums.slice(i, i + 30).join(', ') + ',');
  return lines.join('\n');
};

const text = `// GENERATED by test/integration/rows/collations.gen.ts from the servers' information_schema; do not edit.
//   MySQL ${mysql.version}: ${mysql.table.size} collation ids
//   MariaDB ${maria10.version} + ${maria11.version}: ${mariadb.size} collation ids (incl. COLLATION_CHARACTER_SET_APPLICABILITY)
// Ids whose character set differs between MySQL and MariaDB: ${conflicts.length ? conflicts.join('; ') : 'none'}.

/** Character set names, indexed by the third number of each run below. */
export const CHARSET_NAMES: readonly string[] = ${JSON.stringify(names)};

/** MySQL collation ids as runs of [firstId, count, charset index]. */
export const MYSQL_COLLATION_RUNS: readonly number[] = [
${wrap(runs(mysql.table, names))}
];

/** MariaDB collation ids as runs of [firstId, count, charset index]. */
export const MARIADB_COLLATION_RUNS: readonly number[] = [
${wrap(runs(mariadb, names))}
];
`;

const dir = join(dirname(fileURLToPath(import.meta.url)), '../../../src/binlog/rows');
writeFileSync(join(dir, 'collation-table.ts'), text);
console.log(`collation-table.ts: ${names.length} charsets, conflicts: ${conflicts.length}`);
for (const c of conflicts) console.log('  ' + c);

// Character sets: MAXLEN and the single-byte maps must agree between the servers (MariaDB lacks gb18030).
const maxlen = new Map<string, number>();
const bytes = new Map<string, string>();
const notes: string[] = [];
for (const c of [mysql, maria10, maria11]) {
  for (const [cs, n] of c.maxlen) {
    const prev = maxlen.get(cs);
    if (prev !== undefined && prev !== n) throw new Error(`MAXLEN of ${cs}: ${prev} and ${n}`);
    maxlen.set(cs, n);
  }
  for (const [cs, map] of c.bytes) {
    const prev = bytes.get(cs);
    if (prev !== undefined && prev !== map) {
      const diff = [...prev].map((ch, i) => (ch !== map[i] ? i.toString(16) : '')).filter(Boolean);
      notes.push(`${cs} differs in bytes ${diff.join(',')} (${c.version})`);
      continue;
    }
    bytes.set(cs, map);
  }
}
const lit = (s: string): string =>
  "'" +
  [...s]
    .map((ch) => {
      const c = ch.charCodeAt(0);
      return c >= 0x20 && c < 0x7f && ch !== "'" && ch !== '\\'
        ? ch
        : '\\u' + c.toString(16).padStart(4, '0');
    })
    .join('') +
  "'";
const tables = `// GENERATED by test/integration/rows/collations.gen.ts from the servers; do not edit.
//   MySQL ${mysql.version}, MariaDB ${maria10.version} and ${maria11.version}
//   ${notes.length ? 'Notes: ' + notes.join('; ') : 'The servers agree on every table.'}

/** information_schema.CHARACTER_SETS.MAXLEN: most bytes one character takes. */
export const CHARSET_MAXLEN: Readonly<Record<string, number>> = {
${[...maxlen]
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([cs, n]) => `  ${cs}: ${n},`)
  .join('\n')}
};

/**
 * The character of each byte 0x00..0xFF of the single-byte character sets, as the server converts it to
 * utf8mb4; U+FFFD where the byte has no character.
 */
export const SINGLE_BYTE_CHARSETS: Readonly<Record<string, string>> = {
${[...bytes]
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([cs, m]) => `  ${cs}:\n    ${lit(m)},`)
  .join('\n')}
};
`;
writeFileSync(join(dir, 'charset-tables.ts'), tables);
console.log(`charset-tables.ts: ${maxlen.size} charsets, ${bytes.size} single-byte maps`);
for (const n of notes) console.log('  ' + n);
execFileSync(
  'npx',
  ['prettier', '--write', join(dir, 'collation-table.ts'), join(dir, 'charset-tables.ts')],
  {
    stdio: 'ignore',
  },
);
