// MySQL GTIDs (`uuid:gno`, and `uuid:tag:gno` since MySQL 8.3) and the text grammar of GTID sets.
//
// GTID set text (checked byte for byte against MySQL 9.7.4: SELECT GTID_SUBTRACT(x, '')):
//   set      = sep* [ item (sep+ item)* ] sep*         sep = ',' with whitespace around it
//   item     = uuid ( ':' ( tag | interval ) )*          whitespace allowed around ':' and '-'
//   interval = number [ '-' number ]                      start 1 .. 2^63-2; an end below the start
//                                                         gives nothing; an end of 2^63-1 or more fails
//   tag      = [A-Za-z_][A-Za-z0-9_]{0,31}                applies to the intervals after it, until the
//                                                         next tag or uuid; a uuid or tag alone adds nothing
// uuid: 8-4-4-4-12 hex digits, 32 hex digits, or the dashed form in braces; any case (mysql-uuid.ts).
// A single GTID (SET gtid_next) takes the dashed uuid only, and accepts a '+' before the number.
import { GtidError } from '../errors.js';
import { isTagChar, MYSQL_TAG_MAX_LENGTH, normalizeTag, normalizeUuid, scanUuid } from './mysql-uuid.js';

/** The largest GNO MySQL accepts: 2^63 - 2. */
export const MYSQL_GNO_MAX = (1n << 63n) - 2n;
const INT64_MAX = (1n << 63n) - 1n;

/** One GTID. `uuid` is lowercase with dashes; `tag` is '' for an untagged GTID. */
export interface MysqlGtid {
  readonly uuid: string;
  readonly tag: string;
  readonly gno: bigint;
}
/** A GTID as input: uuid in any accepted text form, tag optional (any case). */
export interface MysqlGtidInput {
  readonly uuid: string;
  readonly tag?: string | undefined;
  readonly gno: bigint;
}
/** A run of GTIDs of one TSID, `start` and `end` inclusive. */
export interface MysqlGtidInterval {
  readonly uuid: string;
  readonly tag: string;
  readonly start: bigint;
  readonly end: bigint;
}
/** An interval to add to a {@link MysqlGtidSet}: any uuid spelling the server takes; `end` inclusive. */
export interface MysqlGtidIntervalInput {
  readonly uuid: string;
  /** '' or absent for untagged GTIDs. */
  readonly tag?: string | undefined;
  readonly start: bigint;
  readonly end: bigint;
}

export function checkGno(gno: bigint, what: string): void {
  if (typeof gno !== 'bigint') throw new GtidError(`GTID ${what} must be a bigint, got ${typeof gno}`);
  if (gno < 1n || gno > MYSQL_GNO_MAX) {
    throw new GtidError(`GTID ${what} ${gno} is out of range 1..${MYSQL_GNO_MAX}`);
  }
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function excerpt(text: string, at: number): string {
  const before = at > 24 ? '...' + text.slice(at - 21, at) : text.slice(0, at);
  const after = text.length - at > 24 ? text.slice(at, at + 21) + '...' : text.slice(at);
  return JSON.stringify(`${before}[HERE]${after}`);
}

function syntaxError(kind: string, what: string, text: string, at: number): GtidError {
  return new GtidError(`invalid ${kind}: ${what} at character ${at} in ${excerpt(text, at)}`, {
    input: text,
    index: at,
  });
}

/** Reads decimal digits at `at`; returns [value, end], or null when there is no digit or too many. */
function scanNumber(text: string, at: number): [bigint, number] | null {
  let j = at;
  while (j < text.length && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
  if (j === at) return null;
  let z = at;
  while (z < j - 1 && text.charCodeAt(z) === 48) z++;
  if (j - z > 20) return [INT64_MAX + 1n, j];
  return [BigInt(text.slice(z, j)), j];
}

/** Length of the run of tag characters at `at` (letters, digits, '_'), 0 if it cannot start a tag. */
function scanWord(text: string, at: number): number {
  if (!isTagChar(text.charCodeAt(at), 0)) return 0;
  let j = at + 1;
  while (j < text.length && isTagChar(text.charCodeAt(j), 1)) j++;
  return j - at;
}

/**
 * Scans GTID set text (grammar at the top of this file) and calls `add` for each non-empty interval
 * (exclusive end) with the normalized uuid and tag. Throws GtidError.
 */
export function scanMysqlGtidSet(
  text: string,
  add: (uuid: string, tag: string, start: bigint, end: bigint) => void,
): void {
  if (typeof text !== 'string') {
    throw new GtidError(`invalid GTID set: expected a string, got ${typeof text}`);
  }
  const n = text.length;
  const err = (what: string, at: number): GtidError => syntaxError('GTID set', what, text, at);
  let i = 0;
  while (i < n && isSpace(text.charCodeAt(i))) i++;
  for (;;) {
    while (i < n && text.charCodeAt(i) === 0x2c /* , */) {
      i++;
      while (i < n && isSpace(text.charCodeAt(i))) i++;
    }
    if (i >= n) return;
    const u = scanUuid(text, i);
    if (u.error !== undefined) throw err(`expected ${u.error}`, u.errorAt ?? i);
    i = u.end;
    let tag = '';
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    while (text.charCodeAt(i) === 0x3a /* : */) {
      i++;
      while (i < n && isSpace(text.charCodeAt(i))) i++;
      const w = scanWord(text, i);
      if (w > 0) {
        if (w > MYSQL_TAG_MAX_LENGTH) throw err('expected a number or a tag of at most 32 characters', i);
        tag = text.slice(i, i + w).toLowerCase();
        i += w;
      } else {
        const s = scanNumber(text, i);
        if (s === null) throw err('expected number', i);
        if (s[0] > INT64_MAX) throw err('number out of range', i);
        if (s[0] < 1n || s[0] > MYSQL_GNO_MAX) throw err('interval start out of range', i);
        const start = s[0];
        let end = start;
        i = s[1];
        while (i < n && isSpace(text.charCodeAt(i))) i++;
        if (text.charCodeAt(i) === 0x2d /* - */) {
          i++;
          while (i < n && isSpace(text.charCodeAt(i))) i++;
          const e = scanNumber(text, i);
          if (e === null) throw err('expected number', i);
          if (e[0] > INT64_MAX) throw err('number out of range', i);
          if (e[0] > MYSQL_GNO_MAX) throw err('interval end out of range', e[1]);
          end = e[0];
          i = e[1];
        }
        if (end >= start) add(u.uuid, tag, start, end + 1n);
      }
      while (i < n && isSpace(text.charCodeAt(i))) i++;
    }
    if (i < n && text.charCodeAt(i) !== 0x2c) throw err('expected ","', i);
  }
}

/**
 * Parses one GTID as SET gtid_next takes it: `uuid:gno` or `uuid:tag:gno`, dashed uuid, whitespace around
 * the parts allowed. Throws GtidError.
 */
export function parseMysqlGtid(text: string): MysqlGtid {
  if (typeof text !== 'string') throw new GtidError(`invalid GTID: expected a string, got ${typeof text}`);
  const n = text.length;
  const err = (what: string, at: number): GtidError => syntaxError('GTID', what, text, at);
  let i = 0;
  const skip = (): void => {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
  };
  skip();
  const u = scanUuid(text, i, false);
  if (u.error !== undefined) throw err(`expected ${u.error}`, u.errorAt ?? i);
  i = u.end;
  skip();
  if (text.charCodeAt(i) !== 0x3a) throw err('expected ":"', i);
  i++;
  skip();
  let tag = '';
  const w = scanWord(text, i);
  if (w > 0) {
    if (w > MYSQL_TAG_MAX_LENGTH) throw err('expected a tag of at most 32 characters', i);
    tag = text.slice(i, i + w).toLowerCase();
    i += w;
    skip();
    if (text.charCodeAt(i) !== 0x3a) throw err('expected ":"', i);
    i++;
    skip();
  }
  if (text.charCodeAt(i) === 0x2b /* + */) i++;
  const s = scanNumber(text, i);
  if (s === null) throw err('expected number', i);
  if (s[0] < 1n || s[0] > MYSQL_GNO_MAX) throw err(`GTID number out of range 1..${MYSQL_GNO_MAX}`, i);
  i = s[1];
  skip();
  if (i < n) throw err('expected end of GTID', i);
  return { uuid: u.uuid, tag, gno: s[0] };
}

/** `uuid:gno` or `uuid:tag:gno`, normalized as the server prints it. Throws GtidError for invalid parts. */
export function formatMysqlGtid(gtid: MysqlGtidInput): string {
  checkGno(gtid.gno, 'number');
  const tag = normalizeTag(gtid.tag);
  return `${normalizeUuid(gtid.uuid)}${tag === '' ? '' : ':' + tag}:${gtid.gno}`;
}
