// BinlogParser: turns one event's bytes into one typed event. It holds the DecodeContext (format
// description, checksum algorithm, table maps), so events must be given in stream order. It serves both
// the offline file reader (events cut out of the file, `info.pos` = file offset) and the network stream
// (one event per packet, after the OK byte; no file magic).
//
// Common header (binlog v3/v4, 19 bytes; v1 has only the first 13): mysql-server
// libs/mysql/binlog/event/binlog_event.h (Log_event_header), 9.x
//   timestamp   u32   seconds
//   type_code   u8
//   server_id   u32
//   event_len   u32   header + body + checksum
//   log_pos     u32   end_log_pos (v3: start of the event)
//   flags       u16
//   …           header_length - 19 extra bytes announced by the FDE (skipped)
import { BinlogSyncError, DecodeError, ErrorCode } from '../errors.js';
import { computeEventCrc } from './checksum.js';
import { ChecksumAlg, EventFlag, EventType } from './constants.js';
import { DecodeContext } from './context.js';
import { Cursor } from './cursor.js';
import { decodeFormatDescription, fdeChecksumAlg, startEventVersion } from './events/format-description.js';
import { inflatePayload } from './events/transaction-payload.js';
import { resolveParserOptions, type ParserOptions } from './options.js';
import { EVENT_REGISTRY, eventTypeName } from './registry.js';
import type { BinlogEvent, EventHeader, TransactionPayloadEvent, UnknownEvent } from './types.js';
import { oldFormat } from './context.js';

/** Where an event given to {@link BinlogParser.parse} comes from, for its `file` / `pos` and for errors. */
export interface EventInfo {
  /** file name or path to report in events and errors */
  file?: string;
  /** offset of the event in its file (default: end_log_pos - event_len, or 0) */
  pos?: number;
}

/** Options of a {@link BinlogParser}. */
export interface ParserStreamOptions extends ParserOptions {
  /**
   * Events come from a replication stream (the server decrypts MariaDB encrypted binlogs before sending)
   * rather than from a file. Default false.
   */
  stream?: boolean;
}

/**
 * Decodes single events, for bytes that come from somewhere else than a file or a live server (a queue,
 * a capture). It keeps the state events depend on (the format description, checksums, table maps), so one
 * parser must see the events of a binlog in order, from its FORMAT_DESCRIPTION on.
 * {@link readBinlogFile} and {@link BinlogSyncer} use one inside.
 *
 * @example
 * ```ts
 * import { BinlogParser } from 'binlogsync';
 *
 * const parser = new BinlogParser({ values: { assumeCharset: 'utf8mb4' } });
 * for (const bytes of eventsInOrder) {
 *   // each `bytes` is one whole event: common header, body and checksum
 *   const ev = parser.parse(bytes, { file: 'binlog.000042' });
 *   if (ev.type === 'transaction_payload') for (const inner of parser.payloadEvents(ev)) handle(inner);
 *   else handle(ev);
 * }
 * ```
 */
export class BinlogParser {
  /** @internal The decoding state (format description, table maps); not a supported API. */
  readonly context: DecodeContext;
  private readonly stream: boolean;

  constructor(options: ParserStreamOptions = {}) {
    this.context = new DecodeContext(resolveParserOptions(options));
    this.stream = options.stream ?? false;
  }

  /** True once a FORMAT_DESCRIPTION (or v1/v3 START) event was seen. */
  get described(): boolean {
    return this.context.format.described;
  }

  /** The common header length in force (13, 19 or what the FDE says). */
  get headerLength(): number {
    return this.context.format.headerLength;
  }

  /**
   * Checks an event that is not decoded (raw mode, backup) as {@link parse} would check it before its
   * body: its length against its header's, and its CRC32 when the format in force has one and
   * `verifyChecksum` is on. Throws the DecodeError parse() would.
   */
  checkRaw(buf: Buffer, info: EventInfo = {}): void {
    const fmt = this.context.format;
    const pos = info.pos ?? 0;
    try {
      if (buf.length < 13 || buf.readUInt32LE(9) !== buf.length) {
        throw new DecodeError(
          ErrorCode.ERR_TRUNCATED,
          `event length ${buf.length < 13 ? '?' : buf.readUInt32LE(9)} in the header, but ${buf.length} bytes given`,
          { offset: pos + 9 },
        );
      }
      if (
        fmt.checksumAlg === ChecksumAlg.CRC32 &&
        this.context.options.verifyChecksum &&
        !this.context.encrypted
      ) {
        if (buf.length < fmt.headerLength + 4) {
          throw new DecodeError(
            ErrorCode.ERR_TRUNCATED,
            `event of ${buf.length} bytes has no room for its checksum`,
            {
              offset: pos + buf.length,
            },
          );
        }
        checkCrc32(buf, pos);
      }
    } catch (e) {
      throw annotate(e, info.file, pos, buf.length > 4 ? buf[4] : undefined);
    }
  }

  /** Decodes one complete event (header, body and checksum). */
  parse(buf: Buffer, info?: EventInfo): BinlogEvent {
    const file = info?.file ?? this.context.streamFile;
    let pos = info?.pos;
    try {
      const ev = this.decode(buf, file, pos, undefined, undefined);
      if (info?.file === undefined && ev.type === 'rotate') this.context.streamFile = ev.nextFile;
      return ev;
    } catch (e) {
      if (pos === undefined) pos = guessPos(buf);
      throw annotate(e, file, pos, buf.length > 4 ? buf[4] : undefined);
    }
  }

  /**
   * The events inside a TRANSACTION_PAYLOAD, decompressed and decoded in order. Their `pos` and `next`
   * are the payload's and they carry `payload: <payload pos>`. Inner events have no checksum.
   */
  payloadEvents(ev: TransactionPayloadEvent): BinlogEvent[] {
    const out: BinlogEvent[] = [];
    for (const e of this.iteratePayload(ev)) out.push(e);
    return out;
  }

  /** {@link payloadEvents} one at a time: a large compressed transaction is never held decoded whole. */
  *iteratePayload(ev: TransactionPayloadEvent): Generator<BinlogEvent> {
    for (const part of this.payloadParts(ev)) yield this.decodePayloadPart(part, ev);
  }

  /**
   * The bytes of each event inside a TRANSACTION_PAYLOAD, in order (inflated once), for a caller that
   * looks at an event before it is decoded; {@link decodePayloadPart} decodes each, in the same order.
   */
  *payloadParts(ev: TransactionPayloadEvent): Generator<Buffer> {
    const data = inflatePayload(ev);
    let off = 0;
    while (off < data.length) {
      if (data.length - off < 19) {
        throw new DecodeError(
          ErrorCode.ERR_TRUNCATED,
          `transaction payload: truncated inner event header at payload byte ${off}`,
          { offset: ev.pos, file: ev.file, pos: ev.pos, eventType: EventType.TRANSACTION_PAYLOAD_EVENT },
        );
      }
      const len = data.readUInt32LE(off + 9);
      if (len < 19 || off + len > data.length) {
        throw new DecodeError(
          ErrorCode.ERR_TRUNCATED,
          `transaction payload: inner event of ${len} bytes at payload byte ${off} runs past the payload (${data.length} bytes)`,
          { offset: ev.pos, file: ev.file, pos: ev.pos, eventType: EventType.TRANSACTION_PAYLOAD_EVENT },
        );
      }
      yield data.subarray(off, off + len);
      off += len;
    }
  }

  /** Decodes one event of {@link payloadParts} of `ev` (they must come in order, as for {@link parse}). */
  decodePayloadPart(inner: Buffer, ev: TransactionPayloadEvent): BinlogEvent {
    try {
      return this.decode(inner, ev.file, ev.pos, ev.next, ev.pos);
    } catch (e) {
      throw annotate(e, ev.file, ev.pos, inner[4]);
    }
  }

  private decode(
    buf: Buffer,
    file: string | undefined,
    givenPos: number | undefined,
    givenNext: number | undefined,
    payloadPos: number | undefined,
  ): BinlogEvent {
    const ctx = this.context;
    const inPayload = payloadPos !== undefined;
    if (ctx.encrypted && !inPayload) {
      throw new DecodeError(
        ErrorCode.ERR_ENCRYPTED,
        'event is encrypted (the binlog has a MariaDB START_ENCRYPTION event; no key to decrypt it)',
        { offset: givenPos ?? 0 },
      );
    }
    if (buf.length < 13) {
      throw new DecodeError(ErrorCode.ERR_TRUNCATED, `truncated event header: ${buf.length} of 19 bytes`, {
        offset: (givenPos ?? 0) + buf.length,
      });
    }
    const code = buf[4];
    if (code === EventType.START_EVENT_V3 && !ctx.format.described && !inPayload) {
      ctx.format = oldFormat(startEventVersion(buf), '');
      ctx.format.described = false; // decodeStartV3 fills in the server version
    }
    const fmt = ctx.format;
    const isFde = code === EventType.FORMAT_DESCRIPTION_EVENT;
    const headerLen = isFde ? 19 : fmt.headerLength;
    const len = buf.readUInt32LE(9);
    const base = givenPos ?? 0;
    if (len !== buf.length) {
      throw new DecodeError(
        len > buf.length ? ErrorCode.ERR_TRUNCATED : ErrorCode.ERR_BAD_EVENT,
        `event length ${len} in the header, but ${buf.length} bytes given`,
        { offset: base + 9 },
      );
    }
    if (len < headerLen) {
      throw new DecodeError(
        ErrorCode.ERR_BAD_EVENT,
        `event length ${len} is shorter than its ${headerLen}-byte header`,
        {
          offset: base + 9,
        },
      );
    }
    const old1 = fmt.binlogVersion === 1 && !isFde;
    const logPos = old1 ? 0 : buf.readUInt32LE(13);
    const flags = old1 ? 0 : buf.readUInt16LE(17);
    let pos = givenPos;
    if (pos === undefined) pos = logPos >= len ? logPos - len : 0;

    // checksum: which algorithm covers this event, and where its body ends
    let alg = inPayload ? ChecksumAlg.OFF : fmt.checksumAlg;
    let bodyEnd = len;
    if (isFde) {
      alg = fdeChecksumAlg(buf, 19);
      if (alg !== ChecksumAlg.UNDEF) bodyEnd = len - 5;
    } else if (alg === ChecksumAlg.CRC32) {
      bodyEnd = len - 4;
    }
    if (bodyEnd < headerLen) {
      throw new DecodeError(ErrorCode.ERR_TRUNCATED, `event of ${len} bytes has no room for its checksum`, {
        offset: base + len,
      });
    }
    if (alg === ChecksumAlg.CRC32 && ctx.options.verifyChecksum) checkCrc32(buf, base);

    const h: EventHeader = {
      type: eventTypeName(code),
      code,
      file,
      pos,
      next: givenNext ?? pos + len,
      logPos,
      ts: buf.readUInt32LE(0),
      serverId: buf.readUInt32LE(5),
      flags,
    };
    if (inPayload) h.payload = payloadPos;
    const cur = new Cursor(buf, headerLen, bodyEnd, base);
    if (isFde) {
      // a FORMAT_DESCRIPTION inside a payload would be nonsense; decode it all the same
      return decodeFormatDescription(cur, ctx, h, alg);
    }
    const entry = EVENT_REGISTRY[code];
    if (entry === undefined) {
      const ev = h as UnknownEvent;
      ev.raw = buf.subarray(headerLen, bodyEnd);
      return ev;
    }
    const ev = entry.decode(cur, ctx, h);
    // A file written by the server is encrypted after this event. A server's dump sends the events after
    // it decrypted, and marks this one ignorable (seen from MariaDB 10.5–11.8): a file made of those
    // bytes (a backup, `mariadb-binlog --raw`) is plain text, as mariadb-binlog reads it too.
    if (
      code === EventType.START_ENCRYPTION_EVENT &&
      !this.stream &&
      (flags & EventFlag.LOG_EVENT_IGNORABLE_F) === 0
    )
      ctx.encrypted = true;
    return ev;
  }
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}

function guessPos(buf: Buffer): number {
  if (buf.length < 17) return 0;
  const len = buf.readUInt32LE(9);
  const logPos = buf.readUInt32LE(13);
  return logPos >= len ? logPos - len : 0;
}

/** The event's stored CRC32 (its last 4 bytes) against the one computed; `base`: the event's offset. */
function checkCrc32(buf: Buffer, base: number): void {
  const stored = buf.readUInt32LE(buf.length - 4);
  const computed = computeEventCrc(buf, buf.length - 4);
  if (stored !== computed) {
    throw new DecodeError(
      ErrorCode.ERR_CHECKSUM_MISMATCH,
      `CRC32 mismatch: stored 0x${hex8(stored)}, computed 0x${hex8(computed)}`,
      { offset: base + buf.length - 4 },
    );
  }
}

/** Adds file/pos/event type to a DecodeError; wraps anything else (a bug) so nothing but BinlogSyncError escapes. */
function annotate(
  e: unknown,
  file: string | undefined,
  pos: number,
  eventType: number | undefined,
): BinlogSyncError {
  if (e instanceof DecodeError) {
    if (e.file === undefined) e.file = file;
    if (e.pos === undefined) e.pos = pos;
    return e;
  }
  if (e instanceof BinlogSyncError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  return new DecodeError(ErrorCode.ERR_BAD_EVENT, `cannot decode event type ${eventType ?? '?'}: ${msg}`, {
    offset: pos,
    eventType,
    file,
    pos,
    cause: e,
  });
}
