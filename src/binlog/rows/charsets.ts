// Character sets of string column values: collation id → character set name, and bytes → JS string.
// Tables generated from the servers (test/integration/rows/collations.gen.ts): collation-table.ts
// (information_schema.COLLATIONS / COLLATION_CHARACTER_SET_APPLICABILITY of MySQL 9.7, MariaDB 10.11 and
// 11.8) and charset-tables.ts (CHARACTER_SETS.MAXLEN, and each single-byte character set's own
// conversion of every byte to utf8mb4: MySQL's latin1 is cp1252 with 0x81 0x8D 0x8F 0x90 0x9D kept as
// U+0081…, see strings/ctype-latin1.cc).
// The East Asian multi-byte sets (gbk, gb2312, big5, sjis, cp932, euckr, ujis, eucjpms, gb18030) use the
// servers' own code tables too (charset-multibyte.ts, test/integration/rows/multibyte.gen.ts): Node's
// TextDecoder for these labels follows ICU's tables, which differ from MySQL's in thousands of codes
// (euc-kr without the UHC hangul, shift_jis swapping 0x1A/0x1C/0x7F, big5 ETEN kana, JIS symbols...).
// UTF-16 goes through TextDecoder, UTF-8 through Buffer, UTF-32 through a decoder of its own.
// A byte that does not start a valid code becomes U+FFFD and decoding resumes at the next byte (as the
// server's own conversion does); decoding never throws for bad bytes.
import { TextDecoder } from 'node:util';
import { DecodeError, ErrorCode } from '../../errors.js';
import { MULTIBYTE_TABLES } from './charset-multibyte.js';
import { CHARSET_MAXLEN, SINGLE_BYTE_CHARSETS } from './charset-tables.js';
import { CHARSET_NAMES, MARIADB_COLLATION_RUNS, MYSQL_COLLATION_RUNS } from './collation-table.js';
import { latin1Text, utf8Text } from './buffer-text.js';

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
 * flavor both servers' ids are searched: no id has different character sets on MySQL 9.7 and MariaDB
 * 10.11/11.8 (the generator checks). Undefined for an id neither server knows.
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

// in range (the row decoders check their lengths): Buffer's decoders directly; else toString's clamping
const utf8: Decode = (buf, start, end) =>
  start <= end && end <= buf.length ? utf8Text(buf, start, end) : buf.toString('utf8', start, end);
const isoLatin1: Decode = (buf, start, end) =>
  start <= end && end <= buf.length ? latin1Text(buf, start, end) : buf.toString('latin1', start, end);

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

/**
 * Code → UTF-16 unit (0: not one character; U+FFFD: one character without a Unicode character): the
 * characters of the base set's table (if any) without its `drop` ranges, U+FFFD for the codes of the
 * set's own `unmapped` ranges that have no character, then the set's own [startCode, characters] runs on
 * top (U+FFFD in a run: unchanged).
 */
function expandCodes(
  runs: readonly (number | string)[],
  base?: Uint16Array,
  drop?: readonly number[],
  unmapped?: readonly number[],
): Uint16Array {
  const t = base ? base.map((c) => (c === 0xfffd ? 0 : c)) : new Uint16Array(0x10000);
  if (drop) for (let i = 0; i < drop.length; i += 2) t.fill(0, drop[i], drop[i + 1] + 1);
  // (the ranges run through codes with a character, the base's included: those keep it)
  if (unmapped) {
    for (let i = 0; i < unmapped.length; i += 2) {
      for (let code = unmapped[i]; code <= unmapped[i + 1]; code++) if (t[code] === 0) t[code] = 0xfffd;
    }
  }
  for (let i = 0; i < runs.length; i += 2) {
    const start = runs[i] as number;
    const chars = runs[i + 1] as string;
    for (let j = 0; j < chars.length; j++) {
      const c = chars.charCodeAt(j);
      if (c !== 0xfffd) t[start + j] = c;
    }
  }
  return t;
}

interface EastAsian {
  high: string;
  double: Uint16Array;
  triple: Uint16Array | undefined;
  /** gb18030 4-byte BMP codes by linear index (0: no character). */
  four: Uint16Array | undefined;
}

/** Lookup arrays of the East Asian sets, built on first use (128 KiB per code table). */
const eastAsianTables = new Map<string, EastAsian>();

function eastAsianOf(name: string): EastAsian {
  let t = eastAsianTables.get(name);
  if (t === undefined) {
    const g = MULTIBYTE_TABLES[name];
    const base = g.base === undefined ? undefined : eastAsianOf(g.base);
    let four: Uint16Array | undefined;
    if (g.four) {
      four = new Uint16Array(GB18030_BMP_CODES);
      for (let i = 0; i < g.four.length; i += 3) {
        for (let k = 0; k < g.four[i + 1]; k++) four[g.four[i] + k] = g.four[i + 2] + k;
      }
    }
    t = {
      high: g.high,
      double: expandCodes(g.double, base?.double, g.drop, g.unmapped),
      triple: g.triple ? expandCodes(g.triple, base?.triple, g.dropTriple, g.unmappedTriple) : undefined,
      four,
    };
    eastAsianTables.set(name, t);
  }
  return t;
}

/** gb18030 4-byte codes 0x81308130..0x8439FE39 (the BMP range, by linear index). */
const GB18030_BMP_CODES = 39420;
/** Linear index of 0x90308130, the first 4-byte code of U+10000..U+10FFFF. */
const GB18030_SUPPLEMENTARY = 189000;

/**
 * An East Asian multi-byte set: ASCII bytes as is; a byte 0x80..0xFF that is a character by itself (sjis
 * half-width katakana); else a 2-byte code (ujis/eucjpms: 0x8F starts a 3-byte code; gb18030: a second
 * byte 0x30..0x39 makes a 4-byte code).
 */
function eastAsian(name: string): Decode {
  return (buf, start, end) => {
    let p = start;
    while (p < end && buf[p] < 0x80) p++;
    if (p === end) return latin1Text(buf, start, end);
    const t = eastAsianOf(name);
    let out = p > start ? latin1Text(buf, start, p) : '';
    while (p < end) {
      const b = buf[p];
      if (b < 0x80) {
        let q = p + 1;
        while (q < end && buf[q] < 0x80) q++;
        out += latin1Text(buf, p, q);
        p = q;
        continue;
      }
      if (t.high.charCodeAt(b - 0x80) !== 0xfffd) {
        out += t.high[b - 0x80];
        p++;
        continue;
      }
      let c = 0;
      let n = 2;
      if (t.four !== undefined && p + 1 < end && buf[p + 1] >= 0x30 && buf[p + 1] <= 0x39) {
        n = 4;
        if (
          p + 3 < end &&
          buf[p + 2] >= 0x81 &&
          buf[p + 2] <= 0xfe &&
          buf[p + 3] >= 0x30 &&
          buf[p + 3] <= 0x39
        ) {
          const idx =
            (((b - 0x81) * 10 + (buf[p + 1] - 0x30)) * 126 + (buf[p + 2] - 0x81)) * 10 + (buf[p + 3] - 0x30);
          if (idx < GB18030_BMP_CODES) c = t.four[idx];
          else if (idx >= GB18030_SUPPLEMENTARY && idx - GB18030_SUPPLEMENTARY <= 0xfffff)
            c = 0x10000 + idx - GB18030_SUPPLEMENTARY;
          // every well-formed 4-byte code is one character to the server ("?" when it has none)
          if (c === 0) c = 0xfffd;
        }
      } else if (b === 0x8f && t.triple !== undefined) {
        n = 3;
        if (p + 2 < end) c = t.triple[(buf[p + 1] << 8) | buf[p + 2]];
      } else if (p + 1 < end) {
        c = t.double[(b << 8) | buf[p + 1]];
      }
      if (c === 0) {
        out += '\ufffd';
        p++;
      } else {
        out += c > 0xffff ? String.fromCodePoint(c) : String.fromCharCode(c);
        p += n;
      }
    }
    return out;
  };
}

/**
 * UCS-2: one 2-byte big-endian unit per character, U+0000..U+FFFF. A surrogate unit is no character in
 * it (the server counts x'D83DDE00' as two and converts each to '?'), so each becomes U+FFFD, as does an
 * odd last byte; UTF-16 would join such a pair into one character.
 */
const ucs2: Decode = (buf, start, end) => {
  let out = '';
  let p = start;
  for (; p + 1 < end; p += 2) {
    const u = (buf[p] << 8) | buf[p + 1];
    out += u >= 0xd800 && u <= 0xdfff ? '\ufffd' : String.fromCharCode(u);
  }
  if (p < end) out += '\ufffd';
  return out;
};

const ASCII = Array.from({ length: 128 }, (_, i) => String.fromCharCode(i)).join('');

/** A single-byte character set: runs of ASCII bytes are sliced natively, other bytes looked up. */
function singleByte(map: string): Decode {
  const asciiLow = map.startsWith(ASCII);
  return (buf, start, end) => {
    let p = start;
    if (asciiLow) {
      while (p < end && buf[p] < 0x80) p++;
      if (p === end) return latin1Text(buf, start, end);
    }
    let out = p > start ? latin1Text(buf, start, p) : '';
    for (; p < end; p++) out += map[buf[p]];
    return out;
  };
}

const DECODERS = new Map<string, Decode>([
  ['utf8mb4', utf8],
  ['utf8mb3', utf8],
  ['utf8', utf8],
  ['binary', isoLatin1],
  ['ucs2', ucs2],
  ['utf16', whatwg('utf-16be')],
  ['utf16le', whatwg('utf-16le')],
  ['utf32', utf32],
  ...Object.keys(MULTIBYTE_TABLES).map((name): [string, Decode] => [name, eastAsian(name)]),
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
  const name = charset.toLowerCase() === 'utf8' ? 'utf8mb3' : charset.toLowerCase();
  if (!Object.hasOwn(CHARSET_MAXLEN, name)) {
    throw new DecodeError(ErrorCode.ERR_UNKNOWN_CHARSET, `unknown character set '${charset}'`);
  }
  return CHARSET_MAXLEN[name];
}
