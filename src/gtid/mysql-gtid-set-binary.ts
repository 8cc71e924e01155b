// Binary GTID set: the body of PREVIOUS_GTIDS_LOG_EVENT and the GTID set of COM_BINLOG_DUMP_GTID.
// mysql-server sql/rpl_gtid_set.cc (Gtid_set::encode, add_gtid_encoding, encode_nsids_format), 8.3–9.7;
// libs/mysql/gtid/tsid.cpp, tag.cpp; libs/mysql/serialization/variable_length_integers.h.
//
//   header       u64 LE. Untagged format (all versions):  n_sids in bits 0-55, format 0 in bits 56-63.
//                Tagged format (8.3+, used when a tag is present): format 1 in bits 0-7 and in bits 56-63,
//                n_sids in bits 8-55. Format 2 (libs/mysql/gtids "v2_tags_compact") is not written by
//                servers; it is rejected here.
//   n_sids ×     uuid         16 bytes
//                tag          tagged format only: varlen length (1 byte, length << 1, for tags of at most
//                             32 characters) + ASCII characters; length 0 for an untagged TSID
//                n_intervals  u64 LE
//                n_intervals × start u64 LE, end u64 LE (exclusive); each start > the previous end
//
// The server writes TSIDs in (uuid bytes, tag) order, which is the order of the canonical text.
import { Cursor } from '../binlog/cursor.js';
import { DecodeError, ErrorCode, GtidError } from '../errors.js';
import { isTagChar, MYSQL_TAG_MAX_LENGTH, uuidToString, writeUuid } from './mysql-uuid.js';

/** 'auto': untagged when no TSID has a tag, else tagged. 'untagged' fails for sets with tags. */
export type MysqlGtidSetFormat = 'auto' | 'untagged' | 'tagged';

/** One TSID and its intervals (flat, exclusive ends), in encoding order. */
export interface TsidIntervals {
  readonly uuid: string;
  readonly tag: string;
  readonly iv: readonly bigint[];
}

/** GNO_END in sql/rpl_gtid.h: one past the largest GNO. */
const GNO_END = (1n << 63n) - 1n;
const FORMAT_UNTAGGED = 0;
const FORMAT_TAGGED = 1;

function chooseFormat(tsids: readonly TsidIntervals[], format: MysqlGtidSetFormat): number {
  const tagged = tsids.some((t) => t.tag !== '');
  if (format === 'untagged') {
    if (tagged) throw new GtidError('a GTID set with tags cannot be encoded in the untagged format');
    return FORMAT_UNTAGGED;
  }
  if (format === 'tagged') return FORMAT_TAGGED;
  if (format === 'auto') return tagged ? FORMAT_TAGGED : FORMAT_UNTAGGED;
  throw new GtidError(`unknown GTID set format ${JSON.stringify(format)}`);
}

export function encodedGtidSetLength(tsids: readonly TsidIntervals[], format: MysqlGtidSetFormat): number {
  const f = chooseFormat(tsids, format);
  let n = 8;
  for (const t of tsids) {
    n += 16 + 8 + 8 * t.iv.length;
    if (f === FORMAT_TAGGED) n += 1 + t.tag.length;
  }
  return n;
}

export function encodeGtidSet(tsids: readonly TsidIntervals[], format: MysqlGtidSetFormat): Buffer {
  const f = chooseFormat(tsids, format);
  const out = Buffer.alloc(encodedGtidSetLength(tsids, format));
  const n = BigInt(tsids.length);
  const header = f === FORMAT_TAGGED ? (BigInt(f) << 56n) | (n << 8n) | BigInt(f) : (BigInt(f) << 56n) | n;
  out.writeBigUInt64LE(header, 0);
  let p = 8;
  for (const t of tsids) {
    p = writeUuid(t.uuid, out, p);
    if (f === FORMAT_TAGGED) {
      // varlen integer of one byte: the value shifted left by one, low bit 0 (tags are at most 32 long)
      out[p++] = t.tag.length << 1;
      p += out.write(t.tag, p, 'latin1');
    }
    out.writeBigUInt64LE(BigInt(t.iv.length >> 1), p);
    p += 8;
    for (let k = 0; k < t.iv.length; k++) {
      out.writeBigUInt64LE(t.iv[k], p);
      p += 8;
    }
  }
  return out;
}

function bad(cur: Cursor, at: number, message: string): DecodeError {
  return new DecodeError(
    ErrorCode.ERR_BAD_EVENT,
    `GTID set encoding: ${message} at offset ${cur.base + at}`,
    {
      offset: cur.base + at,
    },
  );
}

/** need() for a count read from the input, which may be far beyond 2^53. */
function needAtLeast(cur: Cursor, bytes: bigint): void {
  if (bytes > BigInt(cur.remaining)) {
    throw new DecodeError(
      ErrorCode.ERR_TRUNCATED,
      `truncated: GTID set needs ${bytes} byte(s) at offset ${cur.offset}, ${cur.remaining} left`,
      { offset: cur.offset },
    );
  }
}

/** Variable-length unsigned integer (libs/mysql/serialization): the count of low one-bits + 1 is the size. */
function readVarlen(cur: Cursor): bigint {
  cur.need(1);
  const first = cur.u8();
  let ones = 0;
  while (ones < 8 && (first >> ones) & 1) ones++;
  const size = ones + 1;
  if (size === 1) return BigInt(first >> 1);
  cur.need(size - 1);
  let rest = 0n;
  for (let i = 0; i < size - 1; i++) rest |= BigInt(cur.u8()) << BigInt(8 * i);
  if (size === 9) return rest;
  return BigInt(first >> size) | (rest << BigInt(8 - size));
}

function readTag(cur: Cursor): string {
  const at = cur.pos;
  const len = readVarlen(cur);
  if (len > BigInt(MYSQL_TAG_MAX_LENGTH)) throw bad(cur, at, `tag length ${len} is over 32`);
  const n = Number(len);
  cur.need(n);
  for (let i = 0; i < n; i++) {
    if (!isTagChar(cur.buf[cur.pos + i], i)) throw bad(cur, cur.pos + i, 'invalid character in tag');
  }
  return cur.ascii(n).toLowerCase();
}

/**
 * Reads one encoded GTID set at the cursor and calls `add` for each interval (exclusive end). Leaves the
 * cursor just past the set and returns the format the bytes used. Throws DecodeError ERR_TRUNCATED when
 * the bytes run out and ERR_BAD_EVENT for an unknown format or an interval that is empty, out of order, or
 * outside 1..2^63-2.
 */
export function readGtidSet(
  cur: Cursor,
  add: (uuid: string, tag: string, start: bigint, end: bigint) => void,
): 'untagged' | 'tagged' {
  cur.need(8);
  const headerAt = cur.pos;
  const header = cur.u64();
  const format = Number(header >> 56n);
  let nSids: bigint;
  if (format === FORMAT_UNTAGGED) {
    nSids = header & 0xff_ffff_ffff_ffffn;
  } else if (format === FORMAT_TAGGED) {
    if (Number(header & 0xffn) !== format) {
      throw bad(cur, headerAt, `inconsistent format bytes ${header & 0xffn} and ${format}`);
    }
    nSids = (header >> 8n) & 0xffff_ffff_ffffn;
  } else {
    throw bad(cur, headerAt, `unsupported format ${format}`);
  }
  // Each TSID takes at least 24 bytes: a bogus count fails here instead of looping.
  needAtLeast(cur, nSids * 24n);
  for (let i = 0; i < Number(nSids); i++) {
    cur.need(16);
    const uuid = uuidToString(cur.buf, cur.pos);
    cur.pos += 16;
    const tag = format === FORMAT_TAGGED ? readTag(cur) : '';
    cur.need(8);
    const nIntervals = cur.u64();
    needAtLeast(cur, nIntervals * 16n);
    const n = Number(nIntervals);
    let last = 0n;
    for (let k = 0; k < n; k++) {
      const at = cur.pos;
      const start = cur.i64();
      const end = cur.i64();
      if (start <= last || end <= start || end > GNO_END) {
        throw bad(cur, at, `invalid interval [${start}, ${end}) after ${last}`);
      }
      last = end;
      add(uuid, tag, start, end);
    }
  }
  return format === FORMAT_TAGGED ? 'tagged' : 'untagged';
}
