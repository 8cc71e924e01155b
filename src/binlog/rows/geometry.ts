// GEOMETRY and VECTOR column values (the bytes after the column's length prefix).
//   GEOMETRY (MYSQL_TYPE_GEOMETRY, 255): SRID u32 LE, then OGC WKB (mysql-server sql/spatial.h,
//            MariaDB sql/spatial.h): returned as raw bytes; geometrySrid reads the SRID for callers.
//   VECTOR   (MYSQL_TYPE_VECTOR, 242, MySQL 9.0+): float32 LE values, 4 bytes each
//            (mysql-server sql/field.h Field_vector; metadata = the maximum byte length).
import { DecodeError, ErrorCode } from '../../errors.js';

/** A VECTOR value as a new, aligned Float32Array (little-endian float32s, copied). */
export function decodeVector(buf: Buffer, start: number, end: number, baseOffset = 0): Float32Array {
  const bytes = end - start;
  if (bytes < 0 || bytes % 4 !== 0) {
    throw new DecodeError(
      ErrorCode.ERR_BAD_VALUE,
      `VECTOR value of ${bytes} bytes at offset ${baseOffset + start} is not a whole number of float32s`,
      { offset: baseOffset + start },
    );
  }
  const out = new Float32Array(bytes / 4);
  for (let i = 0, p = start; p < end; i++, p += 4) out[i] = buf.readFloatLE(p);
  return out;
}

/** The SRID of a GEOMETRY value (its first 4 bytes, LE). */
export function geometrySrid(buf: Buffer, start: number, end: number, baseOffset = 0): number {
  if (end - start < 4) {
    throw new DecodeError(
      ErrorCode.ERR_TRUNCATED,
      `GEOMETRY value at offset ${baseOffset + start} is shorter than its SRID`,
      {
        offset: baseOffset + start,
      },
    );
  }
  return buf.readUInt32LE(start);
}
