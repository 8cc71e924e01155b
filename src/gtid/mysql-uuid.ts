// UUIDs and tags of MySQL GTIDs: text forms, normalization and 16-byte conversion.
//
// Text forms accepted in GTID sets by MySQL 9.7 (checked with GTID_SUBTRACT(x, '') on 9.7.4):
//   3e11fa47-71ca-11e1-9e33-c80aa9429562      8-4-4-4-12 hex digits, any case
//   3E11FA4771CA11E19E33C80AA9429562          32 hex digits, no dashes
//   {3e11fa47-71ca-11e1-9e33-c80aa9429562}    dashed form in braces
// The server prints the dashed lowercase form. A single GTID (SET gtid_next) takes only the dashed form.
//
// Tags (MySQL 8.3+): mysql-server libs/mysql/gtid/tag.cpp — a letter or '_' then letters, digits or '_',
// at most 32 characters; the server stores and prints them in lowercase.
import { GtidError } from '../errors.js';

/** The longest GTID tag MySQL 8.3+ accepts, in characters. */
export const MYSQL_TAG_MAX_LENGTH = 32;

/** Value of a hex digit by character code, -1 for other characters. */
const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) HEX[48 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX[65 + i] = 10 + i;
  HEX[97 + i] = 10 + i;
}
const HEX_DIGITS = '0123456789abcdef';
/** Group lengths in hex digits of the dashed form. */
const GROUPS = [8, 4, 4, 4, 12] as const;

export function hexValue(code: number): number {
  return code < 128 ? HEX[code] : -1;
}

/** Result of scanning a UUID inside a larger text: the normalized UUID and where it ends, or an error. */
export interface UuidScan {
  uuid: string;
  end: number;
  /** When the text is not a UUID: what was expected, and where. */
  error?: string;
  errorAt?: number;
}

function hexRun(text: string, at: number, n: number): number {
  for (let i = 0; i < n; i++) if (hexValue(text.charCodeAt(at + i)) < 0) return at + i;
  return -1;
}

/**
 * Scans a UUID starting at `at` in any of the three text forms. Returns the lowercase dashed form and the
 * index after it; on failure `error`/`errorAt` say what was expected where.
 */
export function scanUuid(text: string, at: number, allowShortForms = true): UuidScan {
  let p = at;
  const braced = allowShortForms && text.charCodeAt(p) === 0x7b; // '{'
  if (braced) p++;
  let bad = hexRun(text, p, 8);
  if (bad >= 0) return { uuid: '', end: at, error: 'hex digit', errorAt: bad };
  const first = p;
  p += 8;
  if (text.charCodeAt(p) !== 0x2d /* - */) {
    if (braced || !allowShortForms) return { uuid: '', end: at, error: '"-"', errorAt: p };
    bad = hexRun(text, p, 24);
    if (bad >= 0) return { uuid: '', end: at, error: 'hex digit', errorAt: bad };
    const h = text.slice(first, p + 24).toLowerCase();
    const uuid = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    return { uuid, end: p + 24 };
  }
  for (let g = 1; g < GROUPS.length; g++) {
    if (text.charCodeAt(p) !== 0x2d) return { uuid: '', end: at, error: '"-"', errorAt: p };
    p++;
    bad = hexRun(text, p, GROUPS[g]);
    if (bad >= 0) return { uuid: '', end: at, error: 'hex digit', errorAt: bad };
    p += GROUPS[g];
  }
  const uuid = text.slice(first, p).toLowerCase();
  if (braced) {
    if (text.charCodeAt(p) !== 0x7d /* } */) return { uuid: '', end: at, error: '"}"', errorAt: p };
    p++;
  }
  return { uuid, end: p };
}

const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Normalizes a UUID given in any accepted text form to lowercase dashed; throws GtidError if invalid. */
export function normalizeUuid(uuid: string): string {
  if (typeof uuid !== 'string') throw new GtidError(`invalid UUID: expected a string, got ${typeof uuid}`);
  if (CANONICAL_UUID.test(uuid)) return uuid;
  const s = scanUuid(uuid, 0);
  if (s.error !== undefined || s.end !== uuid.length) {
    throw new GtidError(`invalid UUID ${JSON.stringify(uuid.slice(0, 60))}`, {
      input: uuid,
      index: s.errorAt,
    });
  }
  return s.uuid;
}

/** 16 bytes at `offset` as a lowercase dashed UUID. The caller checks that 16 bytes are there. */
export function uuidToString(bytes: Uint8Array, offset = 0): string {
  let s = '';
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) s += '-';
    const b = bytes[offset + i];
    s += HEX_DIGITS[b >> 4] + HEX_DIGITS[b & 15];
  }
  return s;
}

/** Writes the 16 bytes of a UUID (any accepted text form) at `offset`; returns offset + 16. */
export function writeUuid(uuid: string, out: Uint8Array, offset: number): number {
  const u = normalizeUuid(uuid);
  let p = offset;
  for (let i = 0; i < u.length; i++) {
    if (u.charCodeAt(i) === 0x2d) continue;
    out[p++] = (hexValue(u.charCodeAt(i)) << 4) | hexValue(u.charCodeAt(i + 1));
    i++;
  }
  return p;
}

/** A UUID (any accepted text form) as 16 bytes. */
export function uuidToBytes(uuid: string): Buffer {
  const b = Buffer.alloc(16);
  writeUuid(uuid, b, 0);
  return b;
}

/** Whether the character code may appear in a tag at position `pos`. */
export function isTagChar(code: number, pos: number): boolean {
  return (
    (code >= 97 && code <= 122) ||
    (code >= 65 && code <= 90) ||
    code === 95 ||
    (pos > 0 && code >= 48 && code <= 57)
  );
}

/** Normalizes a tag to lowercase; '' (no tag) stays ''. Throws GtidError if invalid. */
export function normalizeTag(tag: string | undefined): string {
  if (tag === undefined || tag === '') return '';
  if (typeof tag !== 'string') throw new GtidError(`invalid GTID tag: expected a string, got ${typeof tag}`);
  if (tag.length > MYSQL_TAG_MAX_LENGTH) {
    throw new GtidError(`invalid GTID tag ${JSON.stringify(tag.slice(0, 60))}: longer than 32 characters`, {
      input: tag,
    });
  }
  for (let i = 0; i < tag.length; i++) {
    if (!isTagChar(tag.charCodeAt(i), i)) {
      throw new GtidError(
        `invalid GTID tag ${JSON.stringify(tag)}: a tag is a letter or '_' followed by letters, digits or '_'`,
        { input: tag, index: i },
      );
    }
  }
  return tag.toLowerCase();
}
