// CRC32 of binlog events (binlog_checksum=CRC32): the last 4 bytes of an event are the CRC32 (zlib
// polynomial, little-endian) of everything before them. The FORMAT_DESCRIPTION_EVENT's CRC is computed
// with LOG_EVENT_BINLOG_IN_USE_F cleared: the server sets that flag while the file is open and clears
// it on close without rewriting the checksum (mysql-server binlog_event.cpp
// Log_event_footer::event_checksum_test).
import { crc32 } from 'node:zlib';
import { DecodeError, ErrorCode } from '../errors.js';
import { EventType } from './constants.js';

const FLAGS_OFFSET = 17;
const scratch = Buffer.alloc(1);

export function computeEventCrc(buf: Buffer, end: number): number {
  if (buf[4] === EventType.FORMAT_DESCRIPTION_EVENT && buf[FLAGS_OFFSET] & 1 && end > FLAGS_OFFSET) {
    let c = crc32(buf.subarray(0, FLAGS_OFFSET));
    scratch[0] = buf[FLAGS_OFFSET] & 0xfe;
    c = crc32(scratch, c);
    return crc32(buf.subarray(FLAGS_OFFSET + 1, end), c);
  }
  return crc32(buf.subarray(0, end));
}

/** Throws ERR_CHECKSUM_MISMATCH when the stored CRC32 differs from the computed one. */
export function verifyEventCrc(buf: Buffer, base: number): void {
  const end = buf.length - 4;
  const stored = buf.readUInt32LE(end);
  const computed = computeEventCrc(buf, end);
  if (stored !== computed) {
    throw new DecodeError(
      ErrorCode.ERR_CHECKSUM_MISMATCH,
      `CRC32 mismatch: stored 0x${stored.toString(16).padStart(8, '0')}, computed 0x${computed.toString(16).padStart(8, '0')}`,
      { offset: base + end, eventType: buf[4] },
    );
  }
}
