// Offline reader: an async iterator over the events of a binlog or relay-log file of any size, in
// constant memory. The file is read in chunks; an event larger than a chunk gets a buffer of its own.
// Each chunk is a fresh buffer (never reused), because decoded events hold views (subarrays) into it.
//
// File layout: magic \xfe b i n (4 bytes), then events back to back; the first event is a
// FORMAT_DESCRIPTION_EVENT (binlog v4) or a START_EVENT_V3 (v1/v3). Relay logs have the same layout.
import { open, type FileHandle } from 'node:fs/promises';
import { AbortError, ConfigError, DecodeError, ErrorCode } from '../errors.js';
import { BINLOG_MAGIC, ENCRYPTED_BINLOG_MAGIC, EventType } from '../binlog/constants.js';
import { BinlogParser } from '../binlog/parser.js';
import { isSkipped } from '../binlog/table-filter.js';
import type { ParserOptions } from '../binlog/options.js';
import type { BinlogEvent } from '../binlog/types.js';

/** Options of {@link readBinlogFile}: the decoder's, plus where to start and how to read. */
export interface ReadBinlogFileOptions extends ParserOptions {
  /** byte offset of the first event to yield (default 4, the first event); the format description is read first */
  start?: number;
  signal?: AbortSignal;
  /** yield the events inside TRANSACTION_PAYLOAD events right after it (default true) */
  expandPayloads?: boolean;
  /** name to report in events and errors (default: the path as given) */
  fileName?: string;
  /** read size in bytes (default 256 KiB) */
  chunkSize?: number;
  /** use this parser (and its context) instead of a new one */
  parser?: BinlogParser;
}

const DEFAULT_CHUNK = 256 << 10;

/** Bytes read from the file at some offset; `eof`: the file ended within or right after them. */
interface Piece {
  data: Buffer;
  eof: boolean;
}

/**
 * The file's bytes in chunks, one read ahead: while the events of one chunk are decoded, the next chunk
 * is already being read (on libuv's thread pool), so decoding never waits for the disk or the page cache
 * in steady state (the wait was ~8 % of a decode of an 86 MB file, bench/results.md).
 */
class ChunkReader {
  private buf: Buffer = Buffer.alloc(0);
  /** file offset of buf[0] */
  private bufStart = 0;
  /** file offset of the first byte not yet in buf */
  private fileOff: number;
  private eof = false;
  /** the read of the chunk at fileOff, started when the previous one arrived */
  private ahead: Promise<Piece> | undefined;

  constructor(
    private readonly fh: FileHandle,
    private readonly chunkSize: number,
    start: number,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.fileOff = start;
    this.bufStart = start;
  }

  /** [off, off + n) when it is already buffered (no await on the hot path), else undefined. */
  peek(off: number, n: number): Buffer | undefined {
    const rel = off - this.bufStart;
    if (rel < 0 || rel + n > this.buf.length) return undefined;
    return this.buf.subarray(rel, rel + n);
  }

  /** Reads into out[from, out.length) from file offset `at`; the bytes read, fewer only at the end of the file. */
  private async fill(out: Buffer, from: number, at: number): Promise<Piece> {
    let filled = from;
    while (filled < out.length) {
      const { bytesRead } = await this.fh.read(out, filled, out.length - filled, at + filled - from);
      if (bytesRead === 0) return { data: out.subarray(0, filled), eof: true };
      filled += bytesRead;
    }
    return { data: out, eof: false };
  }

  /** Reads the chunk at fileOff into a fresh buffer (decoded events keep views into it). */
  private readChunk(): Promise<Piece> {
    return this.fill(Buffer.allocUnsafe(this.chunkSize), 0, this.fileOff);
  }

  /** Waits for the pending read-ahead (dropping it), or reads here when none is pending. */
  private async nextPiece(): Promise<Piece> {
    const pending = this.ahead;
    this.ahead = undefined;
    return pending ?? this.readChunk();
  }

  /** Starts reading the chunk at fileOff. */
  private readAhead(): void {
    const p = this.readChunk();
    // the error, if any, is thrown by nextPiece(); this handler only keeps a read that is never
    // awaited (the caller stopped early) from becoming an unhandled rejection
    p.then(undefined, () => undefined);
    this.ahead = p;
  }

  /** Returns a view of [off, off + n) if the file has those bytes, else the bytes that exist (shorter). */
  async view(off: number, n: number): Promise<Buffer> {
    let rel = off - this.bufStart;
    if (rel < 0 || rel > this.buf.length) {
      // jump (only forward, at start): drop the buffer and any read ahead of it
      this.buf = Buffer.alloc(0);
      this.bufStart = off;
      this.fileOff = off;
      this.ahead = undefined;
      rel = 0;
    }
    while (this.buf.length - rel < n && !this.eof) {
      if (this.signal?.aborted) throw aborted(this.signal);
      const keep = this.buf.length - rel;
      const piece = await this.nextPiece();
      let data = piece.data;
      this.eof = piece.eof;
      if (keep + data.length < n && !this.eof) {
        // an event larger than a chunk: one buffer for all of it, the rest read straight into it
        const big = Buffer.allocUnsafe(n);
        this.buf.copy(big, 0, rel, this.buf.length);
        data.copy(big, keep);
        const rest = await this.fill(big, keep + data.length, this.fileOff + data.length);
        this.eof = rest.eof;
        this.fileOff += rest.data.length - keep;
        this.buf = rest.data;
      } else {
        this.fileOff += data.length;
        if (keep > 0) {
          const joined = Buffer.allocUnsafe(keep + data.length);
          this.buf.copy(joined, 0, rel, this.buf.length);
          data.copy(joined, keep);
          data = joined;
        }
        this.buf = data;
      }
      this.bufStart = off;
      rel = 0;
      if (!this.eof) this.readAhead();
    }
    return this.buf.subarray(rel, Math.min(rel + n, this.buf.length));
  }
}

/**
 * A MySQL file written with binlog_encryption=ON: magic \xfdbin, a version byte, then fields of one
 * type byte each; type 1 is the keyring key's name (u8 length, bytes) — named in the message when it is
 * there and printable. The events after the 512-byte header need the server's keyring.
 */
function encryptedFileMessage(head: Buffer): string {
  let key = '';
  if (head.length > 6 && head[5] === 1) {
    const len = head[6];
    const name = head.subarray(7, 7 + len);
    if (name.length === len && /^[\x20-\x7e]+$/.test(name.toString('latin1')))
      key = `, key ${name.toString('latin1')}`;
  }
  return (
    `MySQL encrypted binlog file (binlog_encryption=ON, header version ${head[4] ?? '?'}${key}): ` +
    'it cannot be read without the server keyring; stream it from the server, which sends it decrypted'
  );
}

function aborted(signal: AbortSignal): AbortError {
  return new AbortError('reading the binlog file was aborted', { cause: signal.reason });
}

/**
 * Reads a binlog (or relay log) file and yields its events in file order, in constant memory whatever the
 * file's size. A file that stops decoding throws a {@link DecodeError} naming the offset, after every good
 * event before it. Without `binlog_row_metadata=FULL` columns have no names (`@1`, `@2`, …) unless
 * `values.schema` provides them.
 *
 * @example
 * ```ts
 * import { readBinlogFile } from 'binlogsync';
 *
 * for await (const ev of readBinlogFile('/var/lib/mysql/binlog.000042', { values: { json: 'text' } })) {
 *   if (ev.type === 'write_rows') console.log(ev.pos, ev.schema, ev.table, ev.rows);
 * }
 * ```
 */
export async function* readBinlogFile(
  path: string,
  options: ReadBinlogFileOptions = {},
): AsyncGenerator<BinlogEvent, void, undefined> {
  const file = options.fileName ?? path;
  const signal = options.signal;
  if (signal?.aborted) throw aborted(signal);
  const parser = options.parser ?? new BinlogParser(options);
  const expand = options.expandPayloads ?? true;
  const fh = await open(path, 'r');
  try {
    const reader = new ChunkReader(fh, options.chunkSize ?? DEFAULT_CHUNK, 0, signal);
    const magic = await reader.view(0, 4);
    if (magic.length === 4 && magic.equals(ENCRYPTED_BINLOG_MAGIC)) {
      throw new DecodeError(ErrorCode.ERR_ENCRYPTED, encryptedFileMessage(await reader.view(0, 512)), {
        offset: 0,
        file,
        pos: 0,
      });
    }
    if (magic.length < 4 || !magic.equals(BINLOG_MAGIC)) {
      throw new DecodeError(ErrorCode.ERR_BAD_MAGIC, `not a binlog file: the first bytes are not \\xfebin`, {
        offset: 0,
        file,
        pos: 0,
      });
    }
    const start = options.start ?? 4;
    if (!Number.isSafeInteger(start) || start < 4)
      throw new ConfigError(`start must be a byte offset >= 4 (where the first event begins), got ${start}`);
    let pos = 4;
    let first = true;
    /** the event the header walk found `start` inside of, [its offset, its end] (a start off a boundary) */
    let around: [number, number] | undefined;
    for (;;) {
      let ev: BinlogEvent;
      let len: number;
      try {
        // (view() checks too, but only when it reads: events already in the buffer come from peek())
        if (signal?.aborted) throw aborted(signal);
        const head = reader.peek(pos, 13) ?? (await reader.view(pos, 13));
        if (head.length === 0) {
          if (first) {
            throw new DecodeError(
              ErrorCode.ERR_NO_FORMAT_DESCRIPTION,
              'the file ends after its magic number: no FORMAT_DESCRIPTION_EVENT',
              { offset: pos, file, pos },
            );
          }
          if (pos === start && start > 4) {
            const size = (await fh.stat()).size;
            if (start > size)
              throw new ConfigError(`start ${start} is past the end of ${file} (${size} bytes)`);
          }
          break;
        }
        if (head.length < 13) {
          throw new DecodeError(
            ErrorCode.ERR_TRUNCATED,
            `truncated event header: ${head.length} bytes at the end of the file`,
            {
              offset: pos + head.length,
              file,
              pos,
            },
          );
        }
        len = head.readUInt32LE(9);
        const minLen = parser.described ? parser.headerLength : 13;
        if (len < minLen) {
          throw new DecodeError(
            ErrorCode.ERR_BAD_EVENT,
            `event length ${len} is shorter than the ${minLen}-byte header`,
            {
              offset: pos + 9,
              file,
              pos,
            },
          );
        }
        const code = head[4];
        if (first) {
          if (code !== EventType.FORMAT_DESCRIPTION_EVENT && code !== EventType.START_EVENT_V3) {
            throw new DecodeError(
              ErrorCode.ERR_NO_FORMAT_DESCRIPTION,
              `the first event (type ${code}) is not a FORMAT_DESCRIPTION_EVENT: cannot tell the binlog format`,
              { offset: pos, file, pos, eventType: code },
            );
          }
        }
        const evBuf = reader.peek(pos, len) ?? (await reader.view(pos, len));
        if (evBuf.length < len) {
          throw new DecodeError(
            ErrorCode.ERR_TRUNCATED,
            `truncated event: ${len} bytes announced, ${evBuf.length} left in the file`,
            { offset: pos + evBuf.length, file, pos, eventType: code },
          );
        }
        ev = parser.parse(evBuf, { file, pos });
        if (first && start > pos && start < pos + len) {
          throw new ConfigError(
            `start ${start} is inside the event at ${pos}, which ends at ${pos + len}: start where an event begins`,
          );
        }
        if (first && start > pos + len) {
          // The events before the requested start are not decoded, but a FORMAT_DESCRIPTION among them (a
          // relay log holds its sources' too, each with its own checksum setting) or a START_ENCRYPTION
          // changes how the rest reads: walk their headers, as mysqlbinlog does (check_header). A walk that
          // cannot go on (a damaged length, a start inside an event) leaves the jump as asked.
          first = false;
          for (let p = pos + len; p < start;) {
            if (signal?.aborted) throw aborted(signal);
            const h = reader.peek(p, 13) ?? (await reader.view(p, 13));
            if (h.length < 13) break;
            const l = h.readUInt32LE(9);
            if (p + l > start && l >= parser.headerLength) around = [p, p + l];
            if (l < parser.headerLength || p + l > start) break;
            if (h[4] === EventType.FORMAT_DESCRIPTION_EVENT || h[4] === EventType.START_ENCRYPTION_EVENT) {
              const b = reader.peek(p, l) ?? (await reader.view(p, l));
              if (b.length < l) break;
              parser.parse(b, { file, pos: p });
            }
            p += l;
          }
          pos = start;
          continue;
        }
        first = false;
      } catch (e) {
        // the first event at a start inside another one: say so (its "length" is other bytes)
        if (e instanceof DecodeError && around !== undefined && pos === start) {
          e.message +=
            ` (start ${start} is inside the event at ${around[0]}, which ends at ${around[1]}: ` +
            'start where an event begins)';
        }
        throw e;
      }
      if (pos >= start) {
        // events of tables the `tables` option leaves out are not handed out
        if (!isSkipped(ev)) yield ev;
        if (expand && ev.type === 'transaction_payload') {
          for (const inner of parser.iteratePayload(ev)) {
            if (signal?.aborted) throw aborted(signal);
            if (!isSkipped(inner)) yield inner;
          }
        }
      }
      pos += len;
    }
  } finally {
    await fh.close();
  }
}
