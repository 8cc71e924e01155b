// TRANSACTION_PAYLOAD_EVENT body (binlog_transaction_compression=ON): mysql-server
// libs/mysql/binlog/event/codecs/binary.cpp (Transaction_payload_event codec), 9.x
//   fields until type 0: type lenenc, length lenenc, value (length bytes; the numbers are lenenc)
//     1 PAYLOAD_SIZE, 2 COMPRESSION_TYPE (0 ZSTD, 255 NONE), 3 UNCOMPRESSED_SIZE; 0 ends the header
//   payload   the rest: the compressed events, each a full event without checksum
import { decompress } from 'fzstd';
import { zstdFrameProblem } from './zstd-guard.js';
import { DecodeError, ErrorCode } from '../../errors.js';
import type { DecodeContext } from '../context.js';
import type { Cursor } from '../cursor.js';
import type { EventHeader, TransactionPayloadEvent } from '../types.js';

const MAX_PREALLOC = 256 * 1024 * 1024;
const COMPRESSION: Record<number, 'zstd' | 'none'> = { 0: 'zstd', 255: 'none' };

export function decodeTransactionPayload(
  cur: Cursor,
  _ctx: DecodeContext,
  h: EventHeader,
): TransactionPayloadEvent {
  const ev = h as TransactionPayloadEvent;
  ev.compression = 'none';
  ev.payloadSize = 0;
  ev.uncompressedSize = 0;
  let compression = 255;
  while (cur.remaining > 0) {
    const type = cur.lenenc();
    if (type === 0) break;
    const length = cur.lenenc();
    const f = cur.sub(length);
    if (type === 1) ev.payloadSize = f.lenenc();
    else if (type === 2) compression = f.lenenc();
    else if (type === 3) ev.uncompressedSize = f.lenenc();
  }
  ev.compression = COMPRESSION[compression] ?? compression;
  ev.data = cur.rest();
  if (ev.payloadSize !== ev.data.length) {
    throw new DecodeError(
      ErrorCode.ERR_BAD_EVENT,
      `transaction payload: header says ${ev.payloadSize} bytes, the event holds ${ev.data.length}`,
      { offset: cur.offset },
    );
  }
  if (ev.compression === 'none') ev.uncompressedSize = ev.payloadSize;
  return ev;
}

/** The uncompressed inner events of a payload. */
export function inflatePayload(ev: TransactionPayloadEvent): Buffer {
  if (ev.compression === 'none') return ev.data;
  if (ev.compression !== 'zstd') {
    throw new DecodeError(
      ErrorCode.ERR_DECOMPRESS,
      `transaction payload: unknown compression type ${ev.compression}`,
      {
        offset: ev.pos,
        file: ev.file,
        pos: ev.pos,
      },
    );
  }
  const problem = zstdFrameProblem(ev.data);
  if (problem !== undefined) {
    throw new DecodeError(ErrorCode.ERR_DECOMPRESS, `transaction payload: ${problem}`, {
      offset: ev.pos,
      file: ev.file,
      pos: ev.pos,
    });
  }
  let out: Uint8Array;
  try {
    // preallocate what the header announces, unless it is implausibly large (then fzstd sizes the output
    // from the zstd frame and the length check below catches a liar)
    out = decompress(
      ev.data,
      ev.uncompressedSize <= MAX_PREALLOC ? new Uint8Array(ev.uncompressedSize) : undefined,
    );
  } catch (e) {
    throw new DecodeError(ErrorCode.ERR_DECOMPRESS, `transaction payload: zstd: ${(e as Error).message}`, {
      offset: ev.pos,
      file: ev.file,
      pos: ev.pos,
      cause: e,
    });
  }
  if (out.length !== ev.uncompressedSize) {
    throw new DecodeError(
      ErrorCode.ERR_DECOMPRESS,
      `transaction payload: ${out.length} bytes after decompression, header says ${ev.uncompressedSize}`,
      { offset: ev.pos, file: ev.file, pos: ev.pos },
    );
  }
  return Buffer.from(out.buffer, out.byteOffset, out.length);
}
