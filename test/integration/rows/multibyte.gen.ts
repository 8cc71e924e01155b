// Regenerates src/binlog/rows/charset-multibyte.ts: the code → character tables of the East Asian
// multi-byte character sets (gbk, gb2312, big5, sjis, cp932, euckr, ujis, eucjpms, gb18030), taken from the
// server itself: every byte, every 2-byte code 0x8100..0xFEFF, every 3-byte 0x8F code (ujis, eucjpms), and
// every 4-byte gb18030 code of the BMP range, each converted with CONVERT(... USING utf8mb4). A code the
// server turns into "?", nothing (an error) or U+FFFD has no character. Of those, the codes the server
// counts as one character (CHAR_LENGTH 1: its well-formedness check passes, the code has no Unicode
// character, or U+FFFD itself) are listed apart: they decode to one U+FFFD and the text goes on after all
// their bytes. MySQL 9.7 and MariaDB 11.8 give the same characters and the same one-character codes for
// every code (checked here); gb18030 exists on MySQL only.
//
//   node --import tsx test/integration/rows/multibyte.gen.ts
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalServer, type LocalServer, type ServerName } from '../../../src/servers/local-server.js';

const SETS = ['gbk', 'gb2312', 'big5', 'sjis', 'cp932', 'euckr', 'ujis', 'eucjpms', 'gb18030'];

/**
 * code → character (null: no character), for codes lo..hi given by a SQL expression of i; the codes the
 * server counts as one character go into `one` when given.
 */
async function convert(
  server: LocalServer,
  cs: string,
  lo: number,
  hi: number,
  codeSql: string,
  one?: Set<number>,
): Promise<Map<number, string | null>> {
  const depth =
    server.flavor === 'mysql'
      ? 'SET SESSION cte_max_recursion_depth = 1000000; '
      : 'SET SESSION max_recursive_iterations = 1000000; ';
  const out = await server.sql(
    `${depth}WITH RECURSIVE n(i) AS (SELECT ${lo} UNION ALL SELECT i + 1 FROM n WHERE i < ${hi}) ` +
      `SELECT i, IFNULL(HEX(CONVERT(CAST(${codeSql} AS CHAR CHARACTER SET ${cs}) USING utf8mb4)), ''), ` +
      `IFNULL(CHAR_LENGTH(CAST(${codeSql} AS CHAR CHARACTER SET ${cs})), 0) FROM n`,
  );
  const m = new Map<number, string | null>();
  for (const line of out.split('\n')) {
    if (!line) continue;
    const [i, hex, chars] = line.split('\t');
    const t = Buffer.from(hex, 'hex').toString('utf8');
    if (chars === '1') one?.add(Number(i));
    m.set(Number(i), t === '' || t.includes('?') || t.includes('\ufffd') ? null : t);
  }
  return m;
}

const fixed = (width: number): string => `UNHEX(LPAD(HEX(i), ${width * 2}, '0'))`;

interface Tables {
  single: Map<number, string | null>;
  double: Map<number, string | null>;
  triple: Map<number, string | null>;
  four: Map<number, string | null>;
  /** the 2-byte and 3-byte codes the server counts as one character */
  oneDouble: Set<number>;
  oneTriple: Set<number>;
}

async function collect(name: ServerName): Promise<{ version: string; sets: Map<string, Tables> }> {
  const server = await startLocalServer(name, { verbose: false });
  try {
    const version = (await server.sql('SELECT VERSION()')).trim();
    const sets = new Map<string, Tables>();
    for (const cs of SETS) {
      if (!(await server.sql(`SHOW CHARACTER SET LIKE '${cs}'`)).trim()) continue;
      const jis212 = cs === 'ujis' || cs === 'eucjpms';
      const oneDouble = new Set<number>();
      const oneTriple = new Set<number>();
      sets.set(cs, {
        oneDouble,
        oneTriple,
        single: await convert(server, cs, 0, 255, fixed(1)),
        double: await convert(server, cs, 0x8100, 0xfeff, fixed(2), oneDouble),
        triple: jis212
          ? await convert(server, cs, 0x8fa1a1, 0x8ffefe, fixed(3), oneTriple)
          : new Map<number, string | null>(),
        // gb18030 four-byte codes of the BMP range, by linear index (GB 18030 §6.3.3).
        four:
          cs === 'gb18030'
            ? await convert(
                server,
                cs,
                0,
                39419,
                `UNHEX(LPAD(HEX((((0x81 + i DIV 12600) * 256 + 0x30 + (i DIV 1260) MOD 10) * 256 + 0x81 + (i DIV 10) MOD 126) * 256 + 0x30 + i MOD 10), 8, '0'))`,
              )
            : new Map<number, string | null>(),
      });
    }
    return { version, sets };
  } finally {
    await server.stop();
  }
}

const mysql = await collect('mysql-9.7');
const maria = await collect('mariadb-11.8');
for (const [cs, t] of maria.sets) {
  const m = mysql.sets.get(cs)!;
  for (const part of ['single', 'double', 'triple'] as const) {
    for (const [code, ch] of t[part]) {
      if (m[part].get(code) !== ch)
        throw new Error(`${cs} ${code.toString(16)}: MySQL ${m[part].get(code)}, MariaDB ${ch}`);
    }
  }
  for (const part of ['oneDouble', 'oneTriple'] as const) {
    const [a, b] = [[...t[part]].sort(), [...m[part]].sort()];
    if (a.join() !== b.join()) throw new Error(`${cs}: MySQL and MariaDB differ on the one-character codes`);
  }
}

/** A table string literal: characters as they are, except controls, quotes and invisible separators. */
function lit(s: string): string {
  let out = "'";
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c > 0xffff) throw new Error(`astral character U+${c.toString(16)} in a 2-byte table`);
    const escape =
      c < 0x20 ||
      (c >= 0x7f && c < 0xa0) ||
      ch === "'" ||
      ch === '\\' ||
      c === 0x2028 ||
      c === 0x2029 ||
      c === 0xfeff ||
      c === 0xad ||
      (c >= 0x200b && c <= 0x200f);
    out += escape ? '\\u' + c.toString(16).padStart(4, '0') : ch;
  }
  return out + "'";
}

/** Runs [startCode, chars] of codes that have a character; gaps of up to 8 codes are filled with U+FFFD. */
function runs(m: Map<number, string | null>, lead: (code: number) => boolean): (number | string)[] {
  const entries = [...m.entries()].filter(([c, ch]) => ch !== null && lead(c)).sort((a, b) => a[0] - b[0]);
  const out: (number | string)[] = [];
  let start = -1;
  let chars = '';
  let last = -100;
  for (const [code, ch] of entries) {
    if ([...ch!].length !== 1) throw new Error(`code ${code.toString(16)} maps to ${ch}`);
    if (code - last > 9) {
      if (start >= 0) out.push(start, chars);
      start = code;
      chars = '';
    } else {
      chars += '\ufffd'.repeat(code - last - 1);
    }
    chars += ch;
    last = code;
  }
  if (start >= 0) out.push(start, chars);
  return out;
}

/**
 * [first, last] ranges covering the codes the server counts as one character but that have no character
 * (`one` minus `chars`); a range runs through codes that have a character (their runs apply later),
 * never through a code that is not one character.
 */
function unmappedRanges(one: Set<number>, chars: Map<number, string>): number[] {
  const out: number[] = [];
  let first = -1;
  let last = -1;
  for (let code = 0; code <= 0xffff; code++) {
    if (!one.has(code)) {
      if (first >= 0) out.push(first, last);
      first = -1;
    } else if (!chars.has(code)) {
      if (first < 0) first = code;
      last = code;
    }
  }
  if (first >= 0) out.push(first, last);
  return out;
}

/** Sets stored as differences from a similar set: what changes or is added, and what the base has but not they. */
const BASE: Record<string, string> = { gb2312: 'gbk', gb18030: 'gbk', cp932: 'sjis', eucjpms: 'ujis' };

/** [first, last] ranges covering `dropped` codes, running through codes the base has no character for. */
function dropRanges(dropped: Set<number>, base: Map<number, string>): number[] {
  const out: number[] = [];
  let first = -1;
  let last = -1;
  for (let code = 0; code <= 0xffff; code++) {
    if (dropped.has(code)) {
      if (first < 0) first = code;
      last = code;
    } else if (base.has(code) && first >= 0) {
      out.push(first, last);
      first = -1;
    }
  }
  if (first >= 0) out.push(first, last);
  return out;
}

let text = `// GENERATED by test/integration/rows/multibyte.gen.ts from the servers; do not edit.
//   ${mysql.version} and ${maria.version} agree on every valid code of the sets both have.
// Each table is a list of runs: a start code followed by the characters of consecutive codes (U+FFFD:
// no character, or for a set with a \`base\`: the base's character). \`high\` is the character of each single
// byte 0x80..0xFF (U+FFFD: not a character by itself). A set with a \`base\` starts from the base's codes,
// removes the \`drop\` ranges [first, last] and applies its own runs on top. The \`unmapped\` ranges (a set's
// own, complete) hold the codes the server counts as one character that have no character: each decodes to
// one U+FFFD.

export interface MultibyteTables {
  high: string;
  /** The set this one is stored as differences from. */
  base?: string;
  /** 2-byte codes, lead << 8 | trail. */
  double: readonly (number | string)[];
  /** 2-byte codes of the base without a character here, as [first, last] ranges. */
  drop?: readonly number[];
  /** 3-byte codes 0x8F xx yy (JIS X 0212 in ujis / eucjpms), keyed by xx << 8 | yy. */
  triple?: readonly (number | string)[];
  dropTriple?: readonly number[];
  /**
   * 2-byte codes that are one character to the server but have no Unicode character (it prints "?"), as
   * [first, last] ranges that may run through codes with a character.
   */
  unmapped?: readonly number[];
  /** 3-byte codes (keyed as \`triple\`) that are one character without a Unicode character */
  unmappedTriple?: readonly number[];
  /** gb18030 4-byte codes of the BMP range by linear index: runs of [startIndex, count, startCodePoint]. */
  four?: readonly number[];
}

export const MULTIBYTE_TABLES: Readonly<Record<string, MultibyteTables>> = {
`;
/** The valid codes of a set's 2-byte (or 3-byte) table: a byte that is a character by itself never leads. */
function codes(cs: string, part: 'double' | 'triple'): Map<number, string> {
  const t = mysql.sets.get(cs)!;
  const m = new Map<number, string>();
  for (const [code, ch] of t[part]) {
    if (ch === null) continue;
    if (part === 'double' && t.single.get(code >> 8) != null) continue;
    m.set(code & 0xffff, ch);
  }
  return m;
}
const list = (r: (number | string)[]): string =>
  r.map((x) => (typeof x === 'number' ? `0x${x.toString(16)}` : lit(x))).join(',\n      ');
for (const [cs, t] of mysql.sets) {
  for (let i = 0; i < 0x80; i++) {
    if (i !== 0x3f && t.single.get(i) !== String.fromCharCode(i))
      throw new Error(`${cs}: byte ${i} is not ASCII`);
  }
  const high = Array.from({ length: 128 }, (_, i) => t.single.get(0x80 + i) ?? '\ufffd').join('');
  text += `  ${cs}: {\n    high: ${lit(high)},\n`;
  const base = BASE[cs];
  if (base) text += `    base: '${base}',\n`;
  for (const part of ['double', 'triple'] as const) {
    const own = codes(cs, part);
    if (own.size === 0) continue;
    let stored = own;
    if (base) {
      const from = codes(base, part);
      stored = new Map([...own].filter(([code, ch]) => from.get(code) !== ch));
      const dropped = new Set([...from.keys()].filter((code) => !own.has(code)));
      const ranges = dropRanges(dropped, from);
      if (ranges.length) {
        const name = part === 'double' ? 'drop' : 'dropTriple';
        text += `    ${name}: [${ranges.map((x) => `0x${x.toString(16)}`).join(', ')}],\n`;
      }
    }
    text += `    ${part}: [\n      ${list(runs(stored, () => true))},\n    ],\n`;
    const one = new Set([...t[part === 'double' ? 'oneDouble' : 'oneTriple']].map((code) => code & 0xffff));
    const unmapped = unmappedRanges(one, own);
    if (unmapped.length) {
      const name = part === 'double' ? 'unmapped' : 'unmappedTriple';
      text += `    ${name}: [${unmapped.map((x) => `0x${x.toString(16)}`).join(', ')}],\n`;
    }
  }
  if (t.four.size) {
    const four: number[] = [];
    let prev: [number, number, number] | undefined;
    for (const [i, ch] of [...t.four].sort((a, b) => a[0] - b[0])) {
      if (ch === null) continue;
      const cp = ch.codePointAt(0)!;
      if (prev && prev[0] + prev[1] === i && prev[2] + prev[1] === cp) prev[1]++;
      else {
        if (prev) four.push(...prev);
        prev = [i, 1, cp];
      }
    }
    if (prev) four.push(...prev);
    text += `    four: [${four.join(', ')}],\n`;
  }
  text += '  },\n';
}
text += '};\n';

const out = join(dirname(fileURLToPath(import.meta.url)), '../../../src/binlog/rows/charset-multibyte.ts');
writeFileSync(out, text);
execFileSync('npx', ['prettier', '--write', out], { stdio: 'ignore' });
console.log(`wrote ${out}`);
