// MariaDB compressed events (QUERY_COMPRESSED, *_ROWS_COMPRESSED, log_bin_compress=ON): MariaDB
// sql/log_event.cc binlog_buf_uncompress / binlog_get_uncompress_len, 10.2+
//   header   u8    0x80 | (algorithm << 4) | length-of-length (1..4); algorithm 0 = zlib
//   length   1..4 bytes, big-endian: the uncompressed length
//   data     zlib stream (rest of the event body)
import { inflateSync } from 'node:zlib';
import { DecodeError, ErrorCode } from '../../errors.js';
import type { Cursor } from '../cursor.js';

export function uncompressMariadb(cur: Cursor, end: number): Buffer {
  cur.need(1);
  const head = cur.u8();
  const lenlen = head & 0x07;
  if ((head & 0xe0) !== 0x80 || lenlen < 1 || lenlen > 4) {
    throw new DecodeError(
      ErrorCode.ERR_DECOMPRESS,
      `compressed event: bad header byte 0x${head.toString(16)}`,
      {
        offset: cur.offset - 1,
      },
    );
  }
  cur.need(lenlen);
  const expected = cur.uBE(lenlen);
  const src = cur.buf.subarray(cur.pos, end);
  const at = cur.offset;
  cur.pos = end;
  let out: Buffer;
  try {
    out = inflateSync(src, { maxOutputLength: Math.max(expected, 1) });
  } catch (e) {
    throw new DecodeError(ErrorCode.ERR_DECOMPRESS, `compressed event: zlib: ${(e as Error).message}`, {
      offset: at,
      cause: e,
    });
  }
  if (out.length !== expected) {
    throw new DecodeError(
      ErrorCode.ERR_DECOMPRESS,
      `compressed event: ${out.length} bytes after decompression, header says ${expected}`,
      { offset: at },
    );
  }
  return out;
}
