// Temporal column values in row images, returned as the strings of the value contract (spec §1).
// Sources: mysql-server sql-common/my_time.cc and MariaDB sql/compat56.cc (my_time_packed_from_binary,
// my_datetime_packed_from_binary, my_timestamp_from_binary, TIME_from_longlong_*_packed), mysql-server
// sql/log_event.cc log_event_print_value (how mysqlbinlog prints the pre-5.6 types), MariaDB sql/field.cc
// (Field_time_hires, Field_datetime_hires, Field_timestamp_hires: MariaDB's own fractional formats).
//
//   YEAR        1 byte             0, or 1900 + n
//   DATE        3 bytes LE         day:5 | month:4 | year:15 (from the low bit)
//   TIME        3 bytes LE signed  the number ±HHMMSS (pre-5.6 TIME, and MariaDB TIME(0) without the 5.6 format)
//   DATETIME    8 bytes LE         the number YYYYMMDDhhmmss (pre-5.6; MariaDB DATETIME(0) without the 5.6 format)
//   TIMESTAMP   4 bytes LE         seconds since the epoch, UTC; 0 is the zero timestamp
//   TIME2       3 bytes BE int part + 0x800000, then fsp 1-2: 1 byte, 3-4: 2 bytes BE (fraction in 1/100,
//               1/10000 s); a negative value with a fraction stores int+1 and (0x100 or 0x10000) - frac,
//               so that the bytes sort; fsp 5-6: the whole 6 bytes are packed + 0x800000000000.
//               int part = hour:10 | minute:6 | second:6.
//   DATETIME2   5 bytes BE int part + 0x8000000000, int part = (year*13+month):17 | day:5 | hour:5 |
//               minute:6 | second:6; then the fraction bytes as TIME2 (signed).
//   TIMESTAMP2  4 bytes BE seconds, UTC; then the fraction bytes as TIME2.
//   MariaDB with mysql56_temporal_format=OFF (or tables from 5.3-10.0) writes TIME(1-6), DATETIME(1-6),
//   TIMESTAMP(1-6) with the type codes of the old types and no metadata, so the fsp must come from the
//   schema (information_schema.COLUMNS.DATETIME_PRECISION):
//     TIME(fsp)       TIME_HIRES_BYTES[fsp] bytes BE: µs / 10^(6-fsp) + (838:59:59 + 1 s) / 10^(6-fsp)
//     DATETIME(fsp)   DATETIME_HIRES_BYTES[fsp] bytes BE: packed / 10^(6-fsp), where packed =
//                     ((((year*13+month)*32+day)*24+hour)*60+minute)*60+second)*10^6 + µs
//     TIMESTAMP(fsp)  4 bytes BE seconds + SEC_PART_BYTES[fsp] bytes BE: µs / 10^(6-fsp)
//
// Strings are built arithmetically (never with Date or the host time zone). Fractions are truncated to
// fsp digits, as MySQL prints them. Bytes no server writes (a fraction above 999999 µs, a negative
// DATETIME, an fsp outside 0..6) throw DecodeError ERR_BAD_VALUE.
import { DecodeError, ErrorCode } from '../../errors.js';
import type { Cursor } from '../cursor.js';

/** Fraction bytes of TIME2 / DATETIME2 / TIMESTAMP2 for fsp 0..6 ((fsp + 1) / 2). */
const FRAC_BYTES = [0, 1, 1, 2, 2, 3, 3] as const;
/** MariaDB's pre-5.6 fractional formats (sql/field.cc). */
const TIME_HIRES_BYTES = [3, 4, 4, 5, 5, 5, 6] as const;
const DATETIME_HIRES_BYTES = [5, 6, 6, 7, 7, 7, 8] as const;
const SEC_PART_BYTES = [0, 1, 1, 2, 2, 3, 3] as const;
const POW10 = [1, 10, 100, 1000, 10000, 100000, 1000000] as const;
/** (TIME_MAX_VALUE_SECONDS + 1) * 10^6: the offset of MariaDB's TIME(fsp) before the fsp shift. */
const TIME_HIRES_ZERO_US = (838 * 3600 + 59 * 60 + 59 + 1) * 1000000;

export const MYSQL_TYPE_TIMESTAMP = 7;
export const MYSQL_TYPE_DATE = 10;
export const MYSQL_TYPE_TIME = 11;
export const MYSQL_TYPE_DATETIME = 12;
export const MYSQL_TYPE_YEAR = 13;
export const MYSQL_TYPE_TIMESTAMP2 = 17;
export const MYSQL_TYPE_DATETIME2 = 18;
export const MYSQL_TYPE_TIME2 = 19;

const D2: readonly string[] = Array.from({ length: 100 }, (_, i) => (i < 10 ? '0' + i : String(i)));
const D3: readonly string[] = Array.from({ length: 1000 }, (_, i) => D2[(i / 10) | 0] + (i % 10));
/** '.d', '.dd', '.ddd' for fsp 1-3 (index: the digits as a number) */
const DOT1: readonly string[] = Array.from({ length: 10 }, (_, i) => '.' + i);
const DOT2: readonly string[] = D2.map((d) => '.' + d);
const DOT3: readonly string[] = D3.map((d) => '.' + d);
/** 'HH:MM:' for the minutes of a day (index h * 60 + m): one string instead of four concatenations */
const HM: readonly string[] = Array.from(
  { length: 24 * 60 },
  (_, i) => D2[(i / 60) | 0] + ':' + D2[i % 60] + ':',
);
const ZEROS = '000000';

function pad2(n: number): string {
  return n < 100 ? D2[n] : String(n);
}
function pad4(n: number): string {
  return n < 10000 ? D2[(n / 100) | 0] + D2[n % 100] : String(n);
}

function bad(cur: Cursor, start: number, what: string): DecodeError {
  return new DecodeError(ErrorCode.ERR_BAD_VALUE, `${what} at offset ${cur.base + start}`, {
    offset: cur.base + start,
  });
}

function checkFsp(cur: Cursor, fsp: number, min = 0): void {
  if (!Number.isInteger(fsp) || fsp < min || fsp > 6) {
    throw new DecodeError(ErrorCode.ERR_BAD_VALUE, `invalid fractional seconds precision ${fsp}`, {
      offset: cur.offset,
    });
  }
}

/** "." and the first fsp digits of a microsecond count (0..999999); "" when fsp is 0. */
function fraction(usec: number, fsp: number): string {
  // table lookups: a number-to-string conversion per value costs more than the rest of the value
  switch (fsp) {
    case 0:
      return '';
    case 1:
      return DOT1[(usec / 100000) | 0];
    case 2:
      return DOT2[(usec / 10000) | 0];
    case 3:
      return DOT3[(usec / 1000) | 0];
    case 4: {
      const v = (usec / 100) | 0;
      return DOT2[(v / 100) | 0] + D2[v % 100];
    }
    case 5: {
      const v = (usec / 10) | 0;
      return DOT3[(v / 100) | 0] + D2[v % 100];
    }
    default:
      return DOT3[(usec / 1000) | 0] + D3[usec % 1000];
  }
}

/** 'HH:MM:SS' and the fraction; hours 0-23 through the HM table. */
/** 'HH:MM:' (hours may pass 99: TIME up to 838). */
function hourMinuteText(h: number, mi: number): string {
  return h < 24 && mi < 60 ? HM[h * 60 + mi] : pad2(h) + ':' + pad2(mi) + ':';
}

function clockText(h: number, mi: number, s: number, usec: number, fsp: number): string {
  const sec = s < 100 ? D2[s] : String(s);
  const hm = hourMinuteText(h, mi);
  return fsp === 0 ? hm + sec : hm + sec + fraction(usec, fsp);
}

function formatTime(neg: boolean, h: number, m: number, s: number, usec: number, fsp: number): string {
  const t = clockText(h, m, s, usec, fsp);
  return neg ? '-' + t : t;
}

/** 'YYYY-MM-' */
function yearMonthText(y: number, mo: number): string {
  return pad4(y) + '-' + pad2(mo) + '-';
}

function formatDate(y: number, mo: number, d: number): string {
  return yearMonthText(y, mo) + pad2(d);
}

function formatDatetime(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  usec: number,
  fsp: number,
): string {
  return formatDate(y, mo, d) + ' ' + clockText(h, mi, s, usec, fsp);
}

/**
 * The text a DATETIME2 or TIMESTAMP2 column made last, by part: its 'YYYY-MM-DD ' and the day (or packed
 * date) it was made from (key/text), its 'YYYY-MM-DD HH:MM:' and minute (minKey/minText), its
 * 'YYYY-MM-DD HH:MM:SS' and second (secKey/secText). Rows of one table often share the day, rows written
 * one after another the minute, and the rows of one transaction the second (created_at, updated_at), so
 * each part is reused while its key is unchanged. A DATE column keeps its 'YYYY-MM-' and month in
 * key/text, a TIME2 column its '[-]HH:MM:' and signed minute. Kept by the caller (one per column plan),
 * never in module state.
 */
export interface DateTextCache {
  key: number;
  text: string;
  minKey: number;
  minText: string;
  secKey: number;
  secText: string;
}

/** A fresh cache (its keys match no day, minute or second). */
export function dateTextCache(): DateTextCache {
  return { key: NaN, text: '', minKey: NaN, minText: '', secKey: NaN, secText: '' };
}

/** 'YYYY-MM-DD ' of a day counted from 1970-01-01 (days-from-civil, inverted). */
function epochDayText(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const mo = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (mo <= 2 ? 1 : 0);
  return formatDate(y, mo, d) + ' ';
}

/** 'YYYY-MM-DD ' of DATETIME2's packed date ((year * 13 + month) * 32 + day). */
function packedDayText(ymd: number): string {
  const ym = Math.floor(ymd / 32);
  return formatDate(Math.floor(ym / 13), ym % 13, ymd % 32) + ' ';
}

/** UTC 'YYYY-MM-DD HH:MM:SS[.f]' of a non-negative epoch second count. */
function formatEpoch(sec: number, usec: number, fsp: number, cache?: DateTextCache): string {
  if (cache !== undefined && cache.secKey === sec) return cachedSecond(cache, usec, fsp);
  const minute = Math.floor(sec / 60);
  const s = sec - minute * 60;
  if (cache !== undefined && cache.minKey === minute) return rememberSecond(cache, sec, s, usec, fsp);
  const days = Math.floor(minute / 1440);
  const dayMinute = minute - days * 1440;
  const h = Math.floor(dayMinute / 60);
  const mi = dayMinute - h * 60;
  if (cache === undefined) return epochDayText(days) + clockText(h, mi, s, usec, fsp);
  rememberMinute(cache, minute, days, epochDayText, h, mi);
  return rememberSecond(cache, sec, s, usec, fsp);
}

/** The cached second's text with this value's fraction. */
function cachedSecond(cache: DateTextCache, usec: number, fsp: number): string {
  return fsp === 0 ? cache.secText : cache.secText + fraction(usec, fsp);
}

/**
 * Keeps 'YYYY-MM-DD HH:MM:' for `minute`, taking the day's text from the cache while `day` is the same
 * (`dayText` makes it otherwise).
 */
function rememberMinute(
  cache: DateTextCache,
  minute: number,
  day: number,
  dayText: (day: number) => string,
  h: number,
  mi: number,
): void {
  if (cache.key !== day) {
    cache.key = day;
    cache.text = dayText(day);
  }
  cache.minKey = minute;
  cache.minText = cache.text + hourMinuteText(h, mi);
}

/**
 * The minute's text and second `s` ('YYYY-MM-DD HH:MM:SS', kept in the cache for its second `key`), and
 * the fraction.
 */
function rememberSecond(cache: DateTextCache, key: number, s: number, usec: number, fsp: number): string {
  const whole = cache.minText + D2[s];
  cache.secKey = key;
  cache.secText = whole;
  return fsp === 0 ? whole : whole + fraction(usec, fsp);
}

function zeroDatetime(fsp: number): string {
  return '0000-00-00 00:00:00' + (fsp > 0 ? '.' + ZEROS.slice(0, fsp) : '');
}

/** Reads the fsp fraction bytes of TIME2 / DATETIME2 / TIMESTAMP2 as a signed microsecond count. */
function readFrac2(buf: Buffer, p: number, fsp: number): number {
  switch (FRAC_BYTES[fsp]) {
    case 1:
      return ((buf[p] << 24) >> 24) * 10000;
    case 2:
      return (((buf[p] << 24) | (buf[p + 1] << 16)) >> 16) * 100;
    case 3:
      return ((buf[p] << 24) | (buf[p + 1] << 16) | (buf[p + 2] << 8)) >> 8;
    default:
      return 0;
  }
}

/** Bytes of a TIME2 value (my_time_binary_length). */
export function time2BinarySize(fsp: number): number {
  return 3 + FRAC_BYTES[fsp];
}
/** Bytes of a DATETIME2 value (my_datetime_binary_length). */
export function datetime2BinarySize(fsp: number): number {
  return 5 + FRAC_BYTES[fsp];
}
/** Bytes of a TIMESTAMP2 value (my_timestamp_binary_length). */
export function timestamp2BinarySize(fsp: number): number {
  return 4 + FRAC_BYTES[fsp];
}
/** Bytes of MariaDB's pre-5.6 TIME(fsp) / DATETIME(fsp) / TIMESTAMP(fsp) (fsp 0 is the plain old type). */
export function mariadbTimeHiresSize(fsp: number): number {
  return TIME_HIRES_BYTES[fsp];
}
export function mariadbDatetimeHiresSize(fsp: number): number {
  return fsp === 0 ? 8 : DATETIME_HIRES_BYTES[fsp];
}
export function mariadbTimestampHiresSize(fsp: number): number {
  return 4 + SEC_PART_BYTES[fsp];
}

const FIXED_SIZES: Record<number, number> = {
  [MYSQL_TYPE_YEAR]: 1,
  [MYSQL_TYPE_DATE]: 3,
  [MYSQL_TYPE_TIME]: 3,
  [MYSQL_TYPE_DATETIME]: 8,
  [MYSQL_TYPE_TIMESTAMP]: 4,
};

/**
 * Bytes of a temporal value of column type `type` (MYSQL_TYPE_*) with fractional precision fsp (the
 * table map's metadata for the "2" types). For the old type codes fsp must be 0, except for MariaDB's
 * pre-5.6 fractional formats (`mariadbHires`), where fsp comes from the schema. Undefined for other types.
 */
export function temporalBinarySize(type: number, fsp = 0, mariadbHires = false): number | undefined {
  if (!Number.isInteger(fsp) || fsp < 0 || fsp > 6) return undefined;
  switch (type) {
    case MYSQL_TYPE_TIME2:
      return time2BinarySize(fsp);
    case MYSQL_TYPE_DATETIME2:
      return datetime2BinarySize(fsp);
    case MYSQL_TYPE_TIMESTAMP2:
      return timestamp2BinarySize(fsp);
    case MYSQL_TYPE_TIME:
      return mariadbHires ? mariadbTimeHiresSize(fsp) : FIXED_SIZES[type];
    case MYSQL_TYPE_DATETIME:
      return mariadbHires ? mariadbDatetimeHiresSize(fsp) : FIXED_SIZES[type];
    case MYSQL_TYPE_TIMESTAMP:
      return mariadbHires ? mariadbTimestampHiresSize(fsp) : FIXED_SIZES[type];
    default:
      return FIXED_SIZES[type];
  }
}

/** YEAR: 0, or 1901..2155 (1900 + the stored byte). */
export function decodeYear(cur: Cursor): number {
  cur.need(1);
  const v = cur.u8();
  return v === 0 ? 0 : 1900 + v;
}

/**
 * DATE: 'YYYY-MM-DD'; zero and partly zero dates are kept ('0000-00-00', '2020-00-00'). With a cache (the
 * column's), the 'YYYY-MM-' of the previous value is reused while the month is the same: one string made
 * instead of four.
 */
export function decodeDate(cur: Cursor, cache?: DateTextCache): string {
  cur.need(3);
  const v = cur.u24();
  if (cache === undefined) return formatDate(v >>> 9, (v >>> 5) & 15, v & 31);
  const month = v >>> 5;
  if (cache.key !== month) {
    cache.key = month;
    cache.text = yearMonthText(v >>> 9, month & 15);
  }
  return cache.text + pad2(v & 31);
}

/** Pre-5.6 TIME (3 bytes, the signed number HHMMSS): '[-]HH:MM:SS'. */
export function decodeTime(cur: Cursor): string {
  return oldTime(cur, false)!;
}

/**
 * decodeTime, or undefined (the cursor left where it was) when the bytes are no valid TIME: minutes or
 * seconds past 59, or more than 838 hours. How MariaDB's old-format columns of unknown precision are
 * checked (values.ts).
 */
export function decodeValidTime(cur: Cursor): string | undefined {
  return oldTime(cur, true);
}

function oldTime(cur: Cursor, check: boolean): string | undefined {
  cur.need(3);
  const raw = cur.i24();
  const v = raw < 0 ? -raw : raw;
  const h = Math.floor(v / 10000);
  const m = Math.floor(v / 100) % 100;
  const s = v % 100;
  if (check && (m > 59 || s > 59 || h > 838)) {
    cur.pos -= 3;
    return undefined;
  }
  return formatTime(raw < 0, h, m, s, 0, 0);
}

/**
 * MySQL 5.6+ TIME2(fsp): '[-]HH:MM:SS[.f]' (hours up to 838; negative fractions as the server stores them).
 * With a cache (the column's), the '[-]HH:MM:' of the previous value is reused while sign, hour and minute
 * are the same.
 */
export function decodeTime2(cur: Cursor, fsp: number, cache?: DateTextCache): string {
  checkFsp(cur, fsp);
  const n = 3 + FRAC_BYTES[fsp];
  cur.need(n);
  const buf = cur.buf;
  const start = cur.pos;
  cur.pos += n;
  // packed = int * 2^24 + frac (frac in µs); |packed| < 2^47, exact in a double.
  let packed: number;
  if (fsp >= 5) {
    packed =
      (buf[start] * 0x10000 + (buf[start + 1] << 8) + buf[start + 2]) * 0x1000000 +
      ((buf[start + 3] << 16) | (buf[start + 4] << 8) | buf[start + 5]) -
      0x800000000000;
  } else {
    let int = ((buf[start] << 16) | (buf[start + 1] << 8) | buf[start + 2]) - 0x800000;
    let frac = 0;
    if (fsp >= 1) {
      const unit = fsp <= 2 ? 0x100 : 0x10000;
      frac = fsp <= 2 ? buf[start + 3] : buf.readUInt16BE(start + 3);
      if (int < 0 && frac !== 0) {
        int += 1;
        frac -= unit;
      }
      frac *= fsp <= 2 ? 10000 : 100;
    }
    packed = int * 0x1000000 + frac;
  }
  const neg = packed < 0;
  if (neg) packed = -packed;
  const hms = Math.floor(packed / 0x1000000);
  const usec = packed - hms * 0x1000000;
  if (usec > 999999) throw bad(cur, start, `TIME(${fsp}) fraction ${usec} µs out of range`);
  if (cache === undefined) return formatTime(neg, (hms >>> 12) % 1024, (hms >>> 6) & 63, hms & 63, usec, fsp);
  // the sign in the key too: -00:00:01 and 00:00:01 share hour and minute
  const minute = neg ? -1 - (hms >>> 6) : hms >>> 6;
  if (cache.key !== minute) {
    const hm = hourMinuteText((hms >>> 12) % 1024, (hms >>> 6) & 63);
    cache.key = minute;
    cache.text = neg ? '-' + hm : hm;
  }
  const sec = D2[hms & 63];
  return fsp === 0 ? cache.text + sec : cache.text + sec + fraction(usec, fsp);
}

/** Pre-5.6 DATETIME (8 bytes LE, the number YYYYMMDDhhmmss): 'YYYY-MM-DD HH:MM:SS'. */
export function decodeDatetime(cur: Cursor): string {
  return oldDatetime(cur, false)!;
}

/**
 * decodeDatetime, or undefined (the cursor left where it was) when the bytes are no valid DATETIME: a
 * year past 9999, a month past 12, a day past 31, a time past 23:59:59. See decodeValidTime.
 */
export function decodeValidDatetime(cur: Cursor): string | undefined {
  return oldDatetime(cur, true);
}

function oldDatetime(cur: Cursor, check: boolean): string | undefined {
  cur.need(8);
  const start = cur.pos;
  const lo = cur.u32();
  const hi = cur.u32();
  if (hi >= 0x200000) {
    if (!check) throw bad(cur, start, 'DATETIME value out of range');
    cur.pos = start;
    return undefined;
  }
  const v = hi * 0x100000000 + lo;
  const d = Math.floor(v / 1000000);
  const t = v - d * 1000000;
  const y = Math.floor(d / 10000);
  const mo = Math.floor(d / 100) % 100;
  const h = Math.floor(t / 10000);
  const mi = Math.floor(t / 100) % 100;
  if (check && (y > 9999 || mo > 12 || d % 100 > 31 || h > 23 || mi > 59 || t % 100 > 59)) {
    cur.pos = start;
    return undefined;
  }
  return formatDatetime(y, mo, d % 100, h, mi, t % 100, 0, 0);
}

/** MySQL 5.6+ DATETIME2(fsp): 'YYYY-MM-DD HH:MM:SS[.f]' (zero dates kept). */
export function decodeDatetime2(cur: Cursor, fsp: number, cache?: DateTextCache): string {
  checkFsp(cur, fsp);
  const n = 5 + FRAC_BYTES[fsp];
  cur.need(n);
  const buf = cur.buf;
  const start = cur.pos;
  cur.pos += n;
  const int =
    (buf[start] - 0x80) * 0x100000000 +
    (((buf[start + 1] << 24) | (buf[start + 2] << 16) | (buf[start + 3] << 8) | buf[start + 4]) >>> 0);
  const usec = readFrac2(buf, start + 5, fsp);
  if (int < 0) throw bad(cur, start, 'negative DATETIME value');
  if (usec < 0 || usec > 999999) throw bad(cur, start, `DATETIME(${fsp}) fraction out of range`);
  const ymd = Math.floor(int / 0x20000);
  const hms = int - ymd * 0x20000;
  if (cache === undefined)
    return packedDayText(ymd) + clockText(hms >>> 12, (hms >>> 6) & 63, hms & 63, usec, fsp);
  // the packed int part identifies the second (and without its low 6 bits, the minute)
  if (cache.secKey === int) return cachedSecond(cache, usec, fsp);
  const minute = Math.floor(int / 64);
  if (cache.minKey !== minute)
    rememberMinute(cache, minute, ymd, packedDayText, hms >>> 12, (hms >>> 6) & 63);
  return rememberSecond(cache, int, hms & 63, usec, fsp);
}

/** Pre-5.6 TIMESTAMP (4 bytes LE seconds): UTC 'YYYY-MM-DD HH:MM:SS'; 0 is '0000-00-00 00:00:00'. */
export function decodeTimestamp(cur: Cursor): string {
  cur.need(4);
  const sec = cur.u32();
  return sec === 0 ? zeroDatetime(0) : formatEpoch(sec, 0, 0);
}

/**
 * MySQL 5.6+ TIMESTAMP2(fsp): UTC 'YYYY-MM-DD HH:MM:SS[.f]'; 0 seconds and no fraction is the zero
 * timestamp.
 */
export function decodeTimestamp2(cur: Cursor, fsp: number, cache?: DateTextCache): string {
  checkFsp(cur, fsp);
  const n = 4 + FRAC_BYTES[fsp];
  cur.need(n);
  const buf = cur.buf;
  const start = cur.pos;
  cur.pos += n;
  const sec = buf.readUInt32BE(start);
  // fsp 1-2 is read unsigned, 3-6 signed (my_timestamp_from_binary).
  const usec = fsp <= 2 && fsp > 0 ? buf[start + 4] * 10000 : readFrac2(buf, start + 4, fsp);
  if (usec < 0 || usec > 999999) throw bad(cur, start, `TIMESTAMP(${fsp}) fraction out of range`);
  // The zero timestamp is 0 seconds and no fraction: MariaDB keeps 1970-01-01 00:00:00.5 UTC as 0 seconds
  // and 500000 µs (SELECT and mariadb-binlog show the fraction); MySQL never stores a fraction with 0
  // seconds (its range starts at 00:00:01), so its rule, 0 seconds whatever the fraction, agrees.
  return sec === 0 && usec === 0 ? zeroDatetime(fsp) : formatEpoch(sec, usec, fsp, cache);
}

/**
 * MariaDB's pre-5.6 TIME(fsp), fsp 1..6 (mysql56_temporal_format=OFF): '[-]HH:MM:SS.f'. The binlog
 * carries no fsp for it (type MYSQL_TYPE_TIME, no metadata): take it from the schema. fsp 0 is the
 * plain old TIME (decodeTime).
 */
export function decodeMariadbTimeHires(cur: Cursor, fsp: number): string {
  if (fsp === 0) return decodeTime(cur);
  checkFsp(cur, fsp, 1);
  const n = TIME_HIRES_BYTES[fsp];
  cur.need(n);
  const start = cur.pos;
  const raw = cur.buf.readUIntBE(start, n);
  cur.pos += n;
  const unit = POW10[6 - fsp];
  // (raw - zero point) in units of 10^-fsp s; both below 2^48, so the difference is exact.
  let v = raw - TIME_HIRES_ZERO_US / unit;
  const neg = v < 0;
  if (neg) v = -v;
  const sec = Math.floor(v / POW10[fsp]);
  const usec = (v - sec * POW10[fsp]) * unit;
  // Field_time_hires::get_date via unpack_time: days and months fold into hours.
  const s = sec % 60;
  const mi = Math.floor(sec / 60) % 60;
  const h = Math.floor(sec / 3600);
  return formatTime(neg, h, mi, s, usec, fsp);
}

/**
 * MariaDB's pre-5.6 DATETIME(fsp), fsp 1..6: 'YYYY-MM-DD HH:MM:SS.f'. fsp comes from the schema; fsp 0 is
 * the plain old DATETIME (decodeDatetime).
 */
export function decodeMariadbDatetimeHires(cur: Cursor, fsp: number): string {
  if (fsp === 0) return decodeDatetime(cur);
  checkFsp(cur, fsp, 1);
  const n = DATETIME_HIRES_BYTES[fsp];
  cur.need(n);
  const buf = cur.buf;
  const start = cur.pos;
  cur.pos += n;
  // The value (up to 8 bytes) is split into hi * 2^32 + lo and divided by 10^fsp in two exact steps.
  const hi = buf.readUIntBE(start, n - 4);
  const lo = buf.readUInt32BE(start + n - 4);
  const div = POW10[fsp];
  const q1 = Math.floor(hi / div);
  const r1 = hi - q1 * div;
  const mid = r1 * 0x100000000 + lo;
  const q2 = Math.floor(mid / div);
  const frac = mid - q2 * div;
  let secs = q1 * 0x100000000 + q2;
  const s = secs % 60;
  secs = Math.floor(secs / 60);
  const mi = secs % 60;
  secs = Math.floor(secs / 60);
  const h = secs % 24;
  secs = Math.floor(secs / 24);
  const d = secs % 32;
  secs = Math.floor(secs / 32);
  const mo = secs % 13;
  const y = Math.floor(secs / 13);
  return formatDatetime(y, mo, d, h, mi, s, frac * POW10[6 - fsp], fsp);
}

/**
 * MariaDB's pre-5.6 TIMESTAMP(fsp), fsp 1..6: UTC 'YYYY-MM-DD HH:MM:SS.f'; 0 seconds and no fraction is
 * the zero timestamp. fsp comes from the schema; fsp 0 is the plain old TIMESTAMP (decodeTimestamp).
 */
export function decodeMariadbTimestampHires(cur: Cursor, fsp: number): string {
  if (fsp === 0) return decodeTimestamp(cur);
  checkFsp(cur, fsp, 1);
  const n = SEC_PART_BYTES[fsp];
  cur.need(4 + n);
  const buf = cur.buf;
  const start = cur.pos;
  cur.pos += 4 + n;
  const sec = buf.readUInt32BE(start);
  const usec = buf.readUIntBE(start + 4, n) * POW10[6 - fsp];
  if (usec > 999999) throw bad(cur, start, `TIMESTAMP(${fsp}) fraction out of range`);
  return sec === 0 && usec === 0 ? zeroDatetime(fsp) : formatEpoch(sec, usec, fsp);
}

// ---- packed temporal values inside JSON (json_binary opaque DATE/TIME/DATETIME/TIMESTAMP) ----

/**
 * Formats the 8-byte little-endian packed longlong of a JSON opaque temporal value (Json_datetime::
 * from_packed, TIME_from_longlong_*_packed) the way CAST(json AS CHAR) prints it: DATE as 'YYYY-MM-DD',
 * TIME as '[-]HH:MM:SS.ffffff', DATETIME and TIMESTAMP as 'YYYY-MM-DD HH:MM:SS.ffffff' (always 6 digits).
 * Returns undefined for another field type.
 */
export function formatPackedTemporal(buf: Buffer, p: number, fieldType: number): string | undefined {
  let lo = buf.readUInt32LE(p);
  let hi = buf.readInt32LE(p + 4);
  const neg = hi < 0;
  if (neg) {
    // 64-bit two's complement negation on two 32-bit halves.
    lo = (~lo + 1) >>> 0;
    hi = ~hi + (lo === 0 ? 1 : 0);
    hi >>>= 0;
  }
  const int = hi * 256 + (lo >>> 24); // packed >> 24, below 2^40
  const usec = lo & 0xffffff;
  switch (fieldType) {
    case MYSQL_TYPE_TIME:
      return formatTime(neg, Math.floor(int / 4096) % 1024, Math.floor(int / 64) % 64, int % 64, usec, 6);
    case MYSQL_TYPE_DATE:
    case MYSQL_TYPE_DATETIME:
    case MYSQL_TYPE_TIMESTAMP: {
      const ymd = Math.floor(int / 0x20000);
      const hms = int - ymd * 0x20000;
      const ym = Math.floor(ymd / 32);
      if (fieldType === MYSQL_TYPE_DATE) return formatDate(Math.floor(ym / 13), ym % 13, ymd % 32);
      return formatDatetime(
        Math.floor(ym / 13),
        ym % 13,
        ymd % 32,
        hms >>> 12,
        (hms >>> 6) & 63,
        hms & 63,
        usec,
        6,
      );
    }
    default:
      return undefined;
  }
}
