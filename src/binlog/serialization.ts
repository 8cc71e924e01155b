// Reader for the mysql::serialization binary format (GTID_TAGGED_LOG_EVENT, tagged GTID sets):
// mysql-server libs/mysql/serialization/readme.md and variable_length_integers.h, 9.x
//   message   := serialization_version varlen, serializable_size varlen (bytes from the message start),
//                last_non_ignorable_field_id varlen, { field_id varlen, field_data }
//   varlen    := 1-9 bytes LE; the count of trailing one bits of the first byte + 1 is the byte count;
//                value = (first >> count) | (next bytes LE << (8 - count)); 9 bytes: the next 8 bytes whole
//   signed    := zigzag: (x << 1) for x >= 0, ((-(x + 1)) << 1) | 1 for x < 0
//   string    := length varlen, bytes
//   array<N>  := N × element (each a varlen for integer elements)
import { DecodeError, ErrorCode } from '../errors.js';
import type { Cursor } from './cursor.js';

/** Unsigned variable-length integer as a bigint. */
export function readVarlenU(cur: Cursor): bigint {
  cur.need(1);
  const first = cur.buf[cur.pos];
  let n = 1;
  while (n < 9 && first & (1 << (n - 1))) n++;
  cur.need(n);
  if (n === 1) {
    cur.pos++;
    return BigInt(first >> 1);
  }
  let rest = 0n;
  for (let i = n - 1; i >= 1; i--) rest = (rest << 8n) | BigInt(cur.buf[cur.pos + i]);
  cur.pos += n;
  if (n === 9) return rest;
  return BigInt(first >> n) | (rest << BigInt(8 - n));
}

/** Unsigned varlen that must fit a JS number (sizes, ids, lengths). */
export function readVarlenNumber(cur: Cursor): number {
  const at = cur.offset;
  const v = readVarlenU(cur);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new DecodeError(ErrorCode.ERR_BAD_EVENT, `serialized integer ${v} too large here`, { offset: at });
  }
  return Number(v);
}

export function readVarlenS(cur: Cursor): bigint {
  const u = readVarlenU(cur);
  return u & 1n ? -(u >> 1n) - 1n : u >> 1n;
}

export function readVarlenString(cur: Cursor): string {
  const len = readVarlenNumber(cur);
  return cur.utf8(len);
}

/** Message header: returns the cursor limited to the message and the last non-ignorable field id. */
export function readMessageHeader(cur: Cursor): { body: Cursor; lastNonIgnorable: number } {
  const start = cur.pos;
  readVarlenNumber(cur); // serialization format version
  const size = readVarlenNumber(cur);
  const lastNonIgnorable = readVarlenNumber(cur);
  const end = start + size;
  if (size < cur.pos - start || end > cur.end) {
    throw new DecodeError(
      ErrorCode.ERR_TRUNCATED,
      `serialized message of ${size} bytes runs past its event`,
      {
        offset: cur.base + start,
      },
    );
  }
  const body = cur.sub(end - cur.pos);
  return { body, lastNonIgnorable };
}

/** Reads the next field id without consuming it; undefined at the end of the message. */
export function peekFieldId(cur: Cursor): number | undefined {
  if (cur.remaining === 0) return undefined;
  const save = cur.pos;
  const id = readVarlenNumber(cur);
  cur.pos = save;
  return id;
}
