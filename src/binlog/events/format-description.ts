// FORMAT_DESCRIPTION_EVENT body: mysql-server libs/mysql/binlog/event/control_events.cpp
// (Format_description_event), 9.x; MariaDB sql/log_event.cc (Format_description_log_event), 11.8
//   binlog_version      u16
//   server_version      50 bytes, NUL padded
//   create_timestamp    u32
//   header_length       u8    common header length of the events that follow (>= 19)
//   post_header_len[]   u8 per event type (index = type code - 1), up to the checksum part
//   checksum_alg        u8    only when the server version is >= 5.6.1 (MySQL) / 5.3.0 (MariaDB);
//   checksum            4 bytes, always present after checksum_alg (the CRC or its room when OFF)
// START_EVENT_V3 body (binlog v1/v3, no format description): binlog_version u16, server_version 50,
// create_timestamp u32.
import { DecodeError, ErrorCode } from '../../errors.js';
import { ChecksumAlg } from '../constants.js';
import { oldFormat, type DecodeContext } from '../context.js';
import type { Cursor } from '../cursor.js';
import type { ChecksumName, EventHeader, FormatDescriptionEvent, StartV3Event } from '../types.js';

const SERVER_VERSION_OFFSET = 2;
const SERVER_VERSION_LEN = 50;
/** offset of the post-header lengths inside the FDE body */
const POST_HEADERS_OFFSET = 2 + 50 + 4 + 1;

export function isMariadbVersion(v: string): boolean {
  return v.includes('MariaDB') || v.includes('-maria-');
}

/** do_server_version_split + version_product: "5.7.21-log" → (5*256+7)*256+21; invalid → 0. */
export function versionProduct(v: string): number {
  const parts = [0, 0, 0];
  let p = 0;
  for (let i = 0; i < 3; i++) {
    let n = 0;
    let digits = 0;
    while (p < v.length && v.charCodeAt(p) >= 48 && v.charCodeAt(p) <= 57) {
      n = n * 10 + v.charCodeAt(p) - 48;
      p++;
      digits++;
    }
    if (digits === 0 || n > 255 || (i < 2 && v[p] !== '.')) return 0;
    parts[i] = n;
    if (v[p] === '.') p++;
  }
  return (parts[0] * 256 + parts[1]) * 256 + parts[2];
}

const CHECKSUM_SPLIT_MYSQL = (5 * 256 + 6) * 256 + 1;
const CHECKSUM_SPLIT_MARIADB = (5 * 256 + 3) * 256 + 0;

function readServerVersion(buf: Buffer, start: number, end: number): string {
  const stop = Math.min(start + SERVER_VERSION_LEN, end);
  let nul = buf.indexOf(0, start);
  if (nul < 0 || nul > stop) nul = stop;
  return buf.toString('latin1', start, nul);
}

/**
 * Reads the checksum algorithm an FDE announces from the raw event (body at `headerLen`).
 * Returns ChecksumAlg.UNDEF for servers older than the checksum split (no alg byte, no checksum).
 */
export function fdeChecksumAlg(buf: Buffer, headerLen: number): number {
  const version = readServerVersion(buf, headerLen + SERVER_VERSION_OFFSET, buf.length);
  const split = isMariadbVersion(version) ? CHECKSUM_SPLIT_MARIADB : CHECKSUM_SPLIT_MYSQL;
  if (versionProduct(version) < split) return ChecksumAlg.UNDEF;
  if (buf.length < headerLen + POST_HEADERS_OFFSET + 5) {
    throw new DecodeError(ErrorCode.ERR_TRUNCATED, `format description too short (${buf.length} bytes)`, {
      offset: buf.length,
    });
  }
  return buf[buf.length - 5];
}

export function checksumName(alg: number): ChecksumName {
  return alg === ChecksumAlg.CRC32 ? 'crc32' : alg === ChecksumAlg.OFF ? 'off' : 'undef';
}

/** The parser passes a cursor that ends before checksum_alg (or at the event end for old servers). */
export function decodeFormatDescription(
  cur: Cursor,
  ctx: DecodeContext,
  h: EventHeader,
  alg: number,
): FormatDescriptionEvent {
  cur.need(POST_HEADERS_OFFSET);
  const binlogVersion = cur.u16();
  const serverVersion = readServerVersion(cur.buf, cur.pos, cur.end);
  cur.pos += SERVER_VERSION_LEN;
  const createTs = cur.u32();
  const headerLength = cur.u8();
  if (headerLength < 19) {
    throw new DecodeError(
      ErrorCode.ERR_BAD_EVENT,
      `format description: invalid common header length ${headerLength}`,
      {
        offset: cur.offset - 1,
      },
    );
  }
  if (alg !== ChecksumAlg.UNDEF && alg !== ChecksumAlg.OFF && alg !== ChecksumAlg.CRC32) {
    throw new DecodeError(ErrorCode.ERR_BAD_EVENT, `format description: unknown checksum algorithm ${alg}`, {
      offset: cur.end,
    });
  }
  const n = cur.remaining;
  const post = new Uint8Array(256);
  for (let i = 0; i < n && i < 255; i++) post[i + 1] = cur.buf[cur.pos + i];
  cur.pos = cur.end;
  const flavor = isMariadbVersion(serverVersion) ? 'mariadb' : 'mysql';
  ctx.format = {
    binlogVersion,
    headerLength,
    postHeaderLengths: post,
    checksumAlg: alg,
    serverVersion,
    flavor,
    described: true,
  };
  const ev = h as FormatDescriptionEvent;
  ev.binlogVersion = binlogVersion;
  ev.serverVersion = serverVersion;
  ev.createTs = createTs;
  ev.headerLength = headerLength;
  ev.postHeaderLengths = post.subarray(1, n + 1);
  ev.checksumAlg = checksumName(alg);
  ev.flavor = flavor;
  return ev;
}

/** Which binlog version a START_EVENT_V3 at the start of a file announces: 1 (13-byte header) or 3. */
export function startEventVersion(buf: Buffer): 1 | 3 {
  if (buf.length >= 21 && buf.readUInt16LE(19) === 3) return 3;
  if (buf.length >= 15 && buf.readUInt16LE(13) === 1) return 1;
  return 3;
}

export function decodeStartV3(cur: Cursor, ctx: DecodeContext, h: EventHeader): StartV3Event {
  cur.need(2 + SERVER_VERSION_LEN + 4);
  const binlogVersion = cur.u16();
  const serverVersion = readServerVersion(cur.buf, cur.pos, cur.end);
  cur.pos += SERVER_VERSION_LEN;
  const createTs = cur.u32();
  if (!ctx.format.described) {
    ctx.format = oldFormat(binlogVersion === 1 ? 1 : 3, serverVersion);
  }
  const ev = h as StartV3Event;
  ev.binlogVersion = binlogVersion;
  ev.serverVersion = serverVersion;
  ev.createTs = createTs;
  return ev;
}
