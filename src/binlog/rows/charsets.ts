// Character sets of string column values: collation id → character set name, and bytes → JS string.
// Tables generated from the servers (test/integration/rows/collations.gen.ts): collation-table.ts
// (information_schema.COLLATIONS / COLLATION_CHARACTER_SET_APPLICABILITY of MySQL 9.7, MariaDB 10.11 and
// 11.8) and charset-tables.ts (CHARACTER_SETS.MAXLEN, and each single-byte character set's own
// conversion of every byte to utf8mb4: MySQL's latin1 is cp1252 with 0x81 0x8D 0x8F 0x90 0x9D kept as
// U+0081…, see strings/ctype-latin1.cc).
// Multi-byte character sets other than the Unicode ones go through the WHATWG decoders of TextDecoder
// (gbk, gb18030, big5, shift_jis, euc-kr, euc-jp), whose tables are supersets of MySQL's (the vendor
// extensions cp932/eucjpms/Big5-HKSCS/UHC decode instead of becoming U+FFFD). Bytes that are invalid in
// the character set become U+FFFD; decoding never throws for bad bytes.
import { TextDecoder } from 'node:util';
import { DecodeError, ErrorCode } from '../../errors.js';
import { CHARSET_MAXLEN, SINGLE_BYTE_CHARSETS } from './charset-tables.js';
import { CHARSET_NAMES, MARIADB_COLLATION_RUNS, MYSQL_COLLATION_RUNS } from './collation-table.js';

export type ServerFlavor = 'mysql' | 'mariadb';

/** Collation id → 1 + index into CHARSET_NAMES (0: unknown id). */
function expandRuns(runs: readonly number[]): Uint8Array {
  let max = 0;
  for (let i = 0; i < runs.length; i += 3) max = Math.max(max, runs[i] + runs[i + 1]);
  const table = new Uint8Array(max);
  for (let i = 0; i < runs.length; i += 3) table.fill(runs[i + 2] + 1, runs[i], runs[i] + runs[i + 1]);
  return table;
}

const MYSQL_IDS = expandRuns(MYSQL_COLLATION_RUNS);
const MARIADB_IDS = expandRuns(MARIADB_COLLATION_RUNS);

/**
 * The character set of a collation id (table map / field metadata), for MySQL and MariaDB: e.g. 255 →
 * 'utf8mb4', 8 → 'latin1', 63 → 'binary', 2304 (MariaDB utf8mb4_uca1400_ai_ci) → 'utf8mb4'. Without a
 * flavor both servers' ids are searched (no id means different character sets on MySQL 9.7 and MariaDB
 * 10.11/11.8). Undefined for an id neither server knows.
 */
export function charsetOfCollation(id: number, flavor?: ServerFlavor): string | undefined {
  const n =
    flavor === 'mariadb'
      ? MARIADB_IDS[id]
      : flavor === 'mysql'
        ? MYSQL_IDS[id]
        : MYSQL_IDS[id] || MARIADB_IDS[id];
  return n ? CHARSET_NAMES[n - 1] : undefined;
}

type Decode = (buf: Buffer, start: number, end: number) => string;

const decoders = new Map<string, TextDecoder>();
function whatwg(label: string): Decode {
  return (buf, start, end) => {
    let d = decoders.get(label);
    if (d === undefined) {
      d = new TextDecoder(label, { ignoreBOM: true });
      decoders.set(label, d);
    }
    return d.decode(buf.subarray(start, end));
  };
}

const utf8: Decode = (buf, start, end) => buf.toString('utf8', start, end);
const isoLatin1: Decode = (buf, start, end) => buf.toString('latin1', start, end);

/** UTF-32BE (MySQL utf32): code points above U+10FFFF, surrogates and a trailing partial unit → U+FFFD. */
const utf32: Decode = (buf, start, end) => {
  let out = '';
  let p = start;
  for (; p + 4 <= end; p += 4) {
    const cp = buf.readUInt32BE(p);
    out += cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ? '\ufffd' : String.fromCodePoint(cp);
  }
  return p < end ? out + '\ufffd' : out;
};

const ASCII = Array.from({ length: 128 }, (_, i) => String.fromCharCode(i)).join('');

/** A single-byte character set: runs of ASCII bytes are sliced natively, other bytes looked up. */
function singleByte(map: string): Decode {
  const asciiLow = map.startsWith(ASCII);
  return (buf, start, end) => {
    let p = start;
    if (asciiLow) {
      while (p < end && buf[p] < 0x80) p++;
      if (p === end) return buf.toString('latin1', start, end);
    }
    let out = p > start ? buf.toString('latin1', start, p) : '';
    for (; p < end; p++) out += map[buf[p]];
    return out;
  };
}

const DECODERS = new Map<string, Decode>([
  ['utf8mb4', utf8],
  ['utf8mb3', utf8],
  ['utf8', utf8],
  ['binary', isoLatin1],
  ['ucs2', whatwg('utf-16be')],
  ['utf16', whatwg('utf-16be')],
  ['utf16le', whatwg('utf-16le')],
  ['utf32', utf32],
  ['gbk', whatwg('gbk')],
  ['gb2312', whatwg('gbk')],
  ['gb18030', whatwg('gb18030')],
  ['big5', whatwg('big5')],
  ['sjis', whatwg('shift_jis')],
  ['cp932', whatwg('shift_jis')],
  ['euckr', whatwg('euc-kr')],
  ['ujis', whatwg('euc-jp')],
  ['eucjpms', whatwg('euc-jp')],
  ...Object.entries(SINGLE_BYTE_CHARSETS).map(([name, map]): [string, Decode] => [name, singleByte(map)]),
]);

function decoderOf(charset: string): Decode {
  const d = DECODERS.get(charset) ?? DECODERS.get(charset.toLowerCase());
  if (d === undefined) {
    throw new DecodeError(ErrorCode.ERR_UNKNOWN_CHARSET, `unknown character set '${charset}'`);
  }
  return d;
}

/** True for every character set name decodeText accepts (MySQL/MariaDB names, and 'utf8'). */
export function isKnownCharset(charset: string): boolean {
  return DECODERS.has(charset) || DECODERS.has(charset.toLowerCase());
}

/**
 * Decodes bytes [start, end) of `buf` in a MySQL/MariaDB character set (its server name: 'utf8mb4',
 * 'latin1', 'cp932', …). Invalid bytes become U+FFFD. 'binary' maps each byte to U+0000..U+00FF (binary
 * columns are bytes; callers should not decode them). Throws DecodeError ERR_UNKNOWN_CHARSET for a name
 * that is not a server character set.
 */
export function decodeText(buf: Buffer, start: number, end: number, charset: string): string {
  return decoderOf(charset)(buf, start, end);
}

/** Most bytes one character of the character set takes (CHARACTER_SETS.MAXLEN; 'utf8' is utf8mb3). */
export function maxBytesPerChar(charset: string): number {
  const n =
    CHARSET_MAXLEN[charset] ??
    CHARSET_MAXLEN[charset.toLowerCase() === 'utf8' ? 'utf8mb3' : charset.toLowerCase()];
  if (n === undefined)
    throw new DecodeError(ErrorCode.ERR_UNKNOWN_CHARSET, `unknown character set '${charset}'`);
  return n;
}
