// MariaDB compressed columns (TEXT/BLOB/VARCHAR … COMPRESSED, binlog types 140/141): MariaDB
// sql/field_comp.cc (compress_zlib / uncompress_zlib), 10.3+
//   header u8   0 → the value follows uncompressed;
//               else 0x80 | (raw deflate ? 8 : 0) | pack_length (bits 0-2)
//   length      pack_length bytes, big-endian: the uncompressed length
//   data        zlib stream (raw deflate when bit 3 is set)
import { inflateRawSync, inflateSync } from 'node:zlib';
import { DecodeError, ErrorCode } from '../../errors.js';

export function uncompressColumn(buf: Buffer, start: number, end: number, base: number): Buffer {
  if (end <= start) return buf.subarray(start, end);
  const head = buf[start];
  if (head === 0) return buf.subarray(start + 1, end);
  const packLen = head & 0x07;
  if ((head & 0x80) === 0 || packLen === 0 || packLen > 4 || start + 1 + packLen > end) {
    throw new DecodeError(
      ErrorCode.ERR_DECOMPRESS,
      `compressed column: bad header byte 0x${head.toString(16)}`,
      {
        offset: base + start,
      },
    );
  }
  const expected = buf.readUIntBE(start + 1, packLen);
  const data = buf.subarray(start + 1 + packLen, end);
  let out: Buffer;
  try {
    const opts = { maxOutputLength: Math.max(expected, 1) };
    out = head & 0x08 ? inflateRawSync(data, opts) : inflateSync(data, opts);
  } catch (e) {
    throw new DecodeError(ErrorCode.ERR_DECOMPRESS, `compressed column: zlib: ${(e as Error).message}`, {
      offset: base + start,
      cause: e,
    });
  }
  if (out.length !== expected) {
    throw new DecodeError(
      ErrorCode.ERR_DECOMPRESS,
      `compressed column: ${out.length} bytes after decompression, header says ${expected}`,
      { offset: base + start },
    );
  }
  return out;
}
