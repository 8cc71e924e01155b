// Decoding one payload with a Cursor, at the protocol layer: a short or malformed packet is the server
// breaking the protocol, so the Cursor's DecodeError becomes ProtocolError ERR_PROTOCOL (with `cause`).
import { Cursor } from '../binlog/cursor.js';
import { DecodeError, ErrorCode, ProtocolError } from '../errors.js';

export function decodePayload<T>(what: string, payload: Buffer, decode: (cur: Cursor) => T): T {
  try {
    return decode(new Cursor(payload));
  } catch (err) {
    if (err instanceof DecodeError) {
      throw new ProtocolError(ErrorCode.ERR_PROTOCOL, `malformed ${what}: ${err.message}`, { cause: err });
    }
    throw err;
  }
}

/** Length-encoded integer as a bigint (row counts and insert ids can pass 2^53). */
export function readLenencBigint(cur: Cursor): bigint {
  cur.need(1);
  const first = cur.u8();
  if (first < 0xfb) return BigInt(first);
  if (first === 0xfc) {
    cur.need(2);
    return BigInt(cur.u16());
  }
  if (first === 0xfd) {
    cur.need(3);
    return BigInt(cur.u24());
  }
  if (first === 0xfe) {
    cur.need(8);
    return cur.u64();
  }
  throw new ProtocolError(
    ErrorCode.ERR_PROTOCOL,
    `invalid length-encoded integer prefix 0x${first.toString(16)} at offset ${cur.offset - 1}`,
  );
}
