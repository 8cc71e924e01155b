// DECIMAL / NUMERIC (MYSQL_TYPE_NEWDECIMAL) binary: mysql-server strings/decimal.cc (decimal_bin_size,
// bin2decimal, decimal2string), 8.4 / 9.x; MariaDB strings/decimal.c is the same format.
//   The digits are split at the decimal point; each side is stored as groups of 9 decimal digits in
//   4-byte big-endian words, plus one shorter word for the leftover digits (DIG2BYTES bytes for 0..8
//   digits): the integer side's leftover word comes first (most significant), the fraction side's last.
//   Every word holds its digits as a plain binary number (a leftover fraction word holds the leading
//   digits of its group, e.g. ".25" in DECIMAL(4,2) is the byte 25).
//   Sign: the top bit of the first byte is flipped (1 = non-negative). A negative value has every byte
//   inverted as well, so the encoding sorts as unsigned bytes.
// The value is printed as MySQL prints it (decimal2string): no leading zeros ("0" when the integer part is
// zero), exactly `scale` fraction digits, "-" when the sign bit says negative. The server never stores a
// negative zero (inserting -0 stores 0); a crafted negative-zero image prints as "-0.00", as mysqlbinlog -vv
// and a replica that applies it print it.
import { DecodeError, ErrorCode } from '../../errors.js';
import type { Cursor } from '../cursor.js';

/** Bytes used by a word of 0..9 decimal digits. */
const DIG2BYTES = [0, 1, 1, 2, 2, 3, 3, 4, 4, 4] as const;
/** 10^n for n = 0..9: a word of n digits must stay below POW10[n]. */
const POW10 = [1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000] as const;
const ZEROS = '000000000';

/** Largest precision and scale the servers accept (DECIMAL_MAX_PRECISION; DECIMAL_MAX_SCALE: MySQL 30, MariaDB 38). */
export const DECIMAL_MAX_PRECISION = 65;
export const DECIMAL_MAX_SCALE = 38;

function checkMeta(precision: number, scale: number, offset: number): void {
  if (
    !Number.isInteger(precision) ||
    !Number.isInteger(scale) ||
    precision < 1 ||
    precision > DECIMAL_MAX_PRECISION ||
    scale < 0 ||
    scale > DECIMAL_MAX_SCALE ||
    scale > precision
  ) {
    throw new DecodeError(ErrorCode.ERR_BAD_VALUE, `invalid DECIMAL(${precision},${scale}) metadata`, {
      offset,
    });
  }
}

/** Bytes a DECIMAL(precision, scale) value takes in a row image (decimal_bin_size). */
export function decimalBinarySize(precision: number, scale: number): number {
  checkMeta(precision, scale, 0);
  return binarySize(precision, scale);
}

function binarySize(precision: number, scale: number): number {
  const intg = precision - scale;
  return ((intg / 9) | 0) * 4 + DIG2BYTES[intg % 9] + ((scale / 9) | 0) * 4 + DIG2BYTES[scale % 9];
}

/** Reads an n-byte big-endian word (n = 1..4), inverting it for negative values. */
function word(buf: Buffer, p: number, n: number, mask: number, first: boolean): number {
  let v = 0;
  for (let i = 0; i < n; i++) {
    let b = buf[p + i];
    if (first && i === 0) b ^= 0x80;
    v = v * 256 + (b ^ mask);
  }
  return v;
}

function badDigits(cur: Cursor, start: number, precision: number, scale: number): DecodeError {
  return new DecodeError(
    ErrorCode.ERR_BAD_VALUE,
    `DECIMAL(${precision},${scale}) at offset ${cur.base + start}: a digit group is out of range`,
    { offset: cur.base + start },
  );
}

/**
 * Decodes a DECIMAL(precision, scale) value as an exact string ("-10.55", "0.00").
 * Throws DecodeError ERR_TRUNCATED past the cursor's end, ERR_BAD_VALUE for metadata outside
 * DECIMAL(1..65, 0..30) or a digit group that is not valid decimal.
 */
export function decodeDecimal(cur: Cursor, precision: number, scale: number): string {
  checkMeta(precision, scale, cur.offset);
  return readDecimal(cur, precision, scale);
}

/**
 * The (precision, scale) of a decimal inside a JSON document (opaque NEWDECIMAL): MySQL writes the
 * value's own precision there, which can exceed the column limit (0 AS DECIMAL(65,30) is stored with
 * precision 66). bin2decimal accepts whatever fits its 9-word buffer (DECIMAL_BUFF_LENGTH, 81 digits);
 * returns the value's byte size, or -1 when the pair is not decodable.
 */
export function jsonDecimalBinarySize(precision: number, scale: number): number {
  if (precision < 1 || scale > precision || Math.ceil((precision - scale) / 9) + Math.ceil(scale / 9) > 9)
    return -1;
  return binarySize(precision, scale);
}

/** A decimal inside a JSON document: see jsonDecimalBinarySize (call it first). */
export function decodeJsonDecimal(cur: Cursor, precision: number, scale: number): string {
  return readDecimal(cur, precision, scale);
}

/** '.0'…'.9', '.00'…'.99', … '.0000'…'.9999' (index: the scale): the fractions of smallDecimal */
const DOT_FRACTIONS: (readonly string[] | undefined)[] = [];

/** The table of '.' and `scale` digits, made on first use (the scales of the columns seen). */
function dotFractions(scale: number): readonly string[] {
  return (DOT_FRACTIONS[scale] ??= Array.from(
    { length: POW10[scale] },
    (_, i) => '.' + String(i).padStart(scale, '0'),
  ));
}

/**
 * DECIMAL(p, s) with up to 18 integer digits in one leftover word and one full word, and at most 4
 * fraction digits in one leftover word (e.g. DECIMAL(10,2), DECIMAL(14,4), DECIMAL(19,4)): the integer
 * part as one number (exact below 2^53, so at most 15 digits here), the fraction from a table; the same
 * text as the general path with fewer strings made. Returns undefined for the other layouts.
 */
function smallDecimal(cur: Cursor, intg: number, scale: number): string | undefined {
  const intgX = intg % 9;
  if (intg > 15 || scale > 4 || scale === 0) return undefined;
  const xn = DIG2BYTES[intgX];
  const fn = DIG2BYTES[scale];
  const full = intg >= 9 ? 4 : 0;
  const size = xn + full + fn;
  cur.need(size);
  const buf = cur.buf;
  const p = cur.pos;
  const mask = buf[p] & 0x80 ? 0 : 0xff;
  let q = p;
  let int = 0;
  if (xn > 0) {
    const v = word(buf, q, xn, mask, true);
    if (v >= POW10[intgX]) return undefined;
    int = v;
    q += xn;
  }
  if (full) {
    const v = word(buf, q, 4, mask, xn === 0);
    if (v >= 1000000000) return undefined;
    int = int * 1000000000 + v;
    q += 4;
  }
  const f = word(buf, q, fn, mask, xn === 0 && full === 0);
  if (f >= POW10[scale]) return undefined;
  cur.pos = q + fn;
  const frac = dotFractions(scale)[f];
  return mask !== 0 ? '-' + int + frac : int + frac;
}

function readDecimal(cur: Cursor, precision: number, scale: number): string {
  const intg = precision - scale;
  // an out-of-range digit group takes the general path, which reports it
  const small = smallDecimal(cur, intg, scale);
  if (small !== undefined) return small;
  const intg0 = (intg / 9) | 0;
  const intgX = intg % 9;
  const frac0 = (scale / 9) | 0;
  const fracX = scale % 9;
  const size = intg0 * 4 + DIG2BYTES[intgX] + frac0 * 4 + DIG2BYTES[fracX];
  cur.need(size);
  const buf = cur.buf;
  const start = cur.pos;
  const mask = buf[start] & 0x80 ? 0 : 0xff;
  let p = start;
  let first = true;
  let int = '';

  if (intgX > 0) {
    const n = DIG2BYTES[intgX];
    const v = word(buf, p, n, mask, first);
    first = false;
    p += n;
    if (v >= POW10[intgX]) throw badDigits(cur, start, precision, scale);
    if (v !== 0) int = String(v);
  }
  for (let i = 0; i < intg0; i++) {
    const v = word(buf, p, 4, mask, first);
    first = false;
    p += 4;
    if (v >= 1000000000) throw badDigits(cur, start, precision, scale);
    if (int.length > 0) {
      const s = String(v);
      int += ZEROS.slice(s.length) + s;
    } else if (v !== 0) {
      int = String(v);
    }
  }
  if (int.length === 0) int = '0';

  let frac = '';
  for (let i = 0; i < frac0; i++) {
    const v = word(buf, p, 4, mask, first);
    first = false;
    p += 4;
    if (v >= 1000000000) throw badDigits(cur, start, precision, scale);
    const s = String(v);
    frac += ZEROS.slice(s.length) + s;
  }
  if (fracX > 0) {
    const n = DIG2BYTES[fracX];
    const v = word(buf, p, n, mask, first);
    p += n;
    if (v >= POW10[fracX]) throw badDigits(cur, start, precision, scale);
    const s = String(v);
    frac += ZEROS.slice(9 - fracX + s.length) + s;
  }
  cur.pos = p;
  const sign = mask !== 0 ? '-' : '';
  return scale > 0 ? sign + int + '.' + frac : sign + int;
}
