// backup(): copy a source's binlog files into a local directory, byte for byte, as
// `mysqlbinlog --read-from-remote-server --raw --stop-never` does, and keep following.
//
//   const result = await backup({ host, user, password, serverId: 1002 }, { dir: '/backups/db1', signal });
//
// How the files come out identical (mysql-server client/mysqlbinlog.cc, MariaDB client/mysqlbinlog.cc,
// handle_event_raw_mode): the dump runs in raw mode; every event is written as received, headers and
// checksums untouched. A FORMAT_DESCRIPTION at offset 4 starts a new local file (named by the ROTATE, fake
// or real, before it) with the magic \xfebin in front. What the source sends that is not in its files is
// left out: the fake ROTATE that opens a dump, heartbeats, and the FORMAT_DESCRIPTION it re-sends with
// end_log_pos 0 when a dump starts past offset 4. mysqlbinlog starts a new file on that re-sent FDE too
// and so writes a file that differs from the source's; here a file only ever starts at offset 4 and a dump
// from the middle of a file only appends to the local copy that already holds everything before.
//
// One difference remains while the source still writes a file: its own copy has LOG_EVENT_BINLOG_IN_USE_F
// (0x1) in the FDE's flags (byte 21), which the source clears in what it sends (and in its file once it
// closes it). The CRC32 of a FDE is computed with that flag clear, so both copies verify.
//
// Resuming: with files already in `dir`, the last one (by its number) is checked event by event, CRC32s
// included; a partial event at its end (a crash mid-write), zeros (a power loss) or an event whose
// checksum fails is cut off with what follows, and the dump continues from its size. `start` only
// applies to an empty directory. Writes honour the file stream's backpressure, and the dump's byte budget
// (maxBufferedBytes) bounds what is held in memory.
import { once } from 'node:events';
import { constants as fsConstants, createWriteStream, type WriteStream } from 'node:fs';
import { access, mkdir, open, readdir, stat, truncate, type FileHandle } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { basename, dirname, join, resolve } from 'node:path';
import { computeEventCrc } from '../binlog/checksum.js';
import { BINLOG_MAGIC, ChecksumAlg } from '../binlog/constants.js';
import { fdeChecksumAlg } from '../binlog/events/format-description.js';
import {
  AbortError,
  ConfigError,
  DecodeError,
  ErrorCode,
  ProtocolError,
  ReplicationError,
  ServerError,
} from '../errors.js';
import { resolveSyncerOptions, type BinlogSyncerOptions } from './options.js';
import { isArtificial } from './positions.js';
import { compareFiles } from './resume.js';
import { currentPosition, queryRows, withSetupConnection } from './session.js';
import { BinlogSyncer } from './syncer.js';

const ROTATE_EVENT = 4;
const FORMAT_DESCRIPTION_EVENT = 15;
/** Common header: event_len is at offset 9 (u32). */
const EVENT_LEN_OFFSET = 9;
const MIN_EVENT_LEN = 19;
const WRITE_HIGH_WATER = 1024 * 1024;

/** What {@link backup} copies where. */
export interface BackupOptions {
  /** Directory for the binlog files (created if missing). */
  dir: string;
  /**
   * Where to start when `dir` holds no backup yet: 'now' (default: the file the source writes now, from
   * its start), 'first' (the oldest file the source still has) or a file name (`pos`, if given, must be 4:
   * a file is always copied from its start so that it stays identical).
   */
  start?: { file: string; pos?: number } | 'first' | 'now';
  /** Stop at the end of the source's last file instead of waiting for more (mysqlbinlog without --stop-never). */
  nonBlocking?: boolean;
  /** Stops the backup: it rejects with AbortError once the files are closed (every event in them whole). */
  signal?: AbortSignal;
  /** Called after each event written. */
  onProgress?: (p: BackupProgress) => void;
}

/** Reported to {@link BackupOptions.onProgress} after each event written. */
export interface BackupProgress {
  /** Local file being written (a name in `dir`). */
  file: string;
  /** Its size now: the source offset up to which it is copied. */
  size: number;
  /** Event bytes written by this run (magic numbers not counted). */
  bytes: number;
  /** Events written by this run. */
  events: number;
}

/** What one run of {@link backup} did, once it ends. */
export interface BackupResult {
  /** Files written or appended to by this run, in order. */
  files: string[];
  /** Event bytes written by this run. */
  bytes: number;
  /** Events written by this run. */
  events: number;
  /** Where the backup stands: last file and its size. */
  end: { file: string; pos: number };
  /** True when this run continued a backup found in `dir`. */
  resumed: boolean;
}

interface LocalEnd {
  file: string;
  /** Size after cutting a partial event; 0 when the file must be started again. */
  size: number;
  /** Bytes cut off its end, and why. */
  dropped: number;
  reason?: CutReason;
}

/** Checks a file name the source sent before it becomes a path: a bare name, nothing that climbs out of `dir`. */
function safeName(file: string): string {
  if (file === '' || file === '.' || file === '..' || basename(file) !== file || file.includes('\0')) {
    throw new ProtocolError(ErrorCode.ERR_PROTOCOL, `the source named a binlog file ${JSON.stringify(file)}`);
  }
  return file;
}

/**
 * The backup directory can be written, or made: true when it exists. A ConfigError naming the reason
 * otherwise (a file in the way, a read-only file system, no permission), found on the nearest existing
 * folder when it does not exist yet (a recursive mkdir reports those as ENOENT).
 */
async function checkBackupDir(dir: string): Promise<boolean> {
  const code = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? String(e);
  let st;
  try {
    st = await stat(dir);
  } catch (e) {
    if (code(e) !== 'ENOENT' && code(e) !== 'ENOTDIR')
      throw new ConfigError(`backup dir ${dir} cannot be read (${code(e)})`);
  }
  if (st !== undefined) {
    if (!st.isDirectory()) throw new ConfigError(`backup dir ${dir} cannot be made (a file is in the way)`);
    try {
      await access(dir, fsConstants.W_OK);
    } catch (e) {
      throw new ConfigError(`backup dir ${dir} cannot be written (${code(e)})`);
    }
    return true;
  }
  let parent = dirname(resolve(dir));
  for (;;) {
    try {
      const pst = await stat(parent);
      if (!pst.isDirectory())
        throw new ConfigError(`backup dir ${dir} cannot be made (a file is in the way: ${parent})`);
      break;
    } catch (e) {
      if (e instanceof ConfigError) throw e;
      const up = dirname(parent);
      if (up === parent) throw new ConfigError(`backup dir ${dir} cannot be made (${code(e)})`);
      parent = up;
    }
  }
  try {
    await access(parent, fsConstants.W_OK);
  } catch (e) {
    throw new ConfigError(`backup dir ${dir} cannot be made (${parent}: ${code(e)})`);
  }
  return false;
}

/**
 * A resumed local file must be a copy of the source's file of that name: the FORMAT_DESCRIPTION the
 * source re-sends (`fde`) has the time the file was made, the server_id and version that made it, as the
 * local copy's first event does (the source changes only end_log_pos, the in-use flag, `created` and
 * the checksum). A source whose binlog was reset since, or another server's backup in the directory,
 * differs: ERR_BACKUP_MISMATCH, rather than appending to the wrong file.
 */
async function checkSameFile(path: string, fde: Buffer, file: string): Promise<void> {
  const fh = await open(path, 'r');
  const local = Buffer.alloc(fde.length);
  try {
    await fh.read(local, 0, local.length, 4);
  } finally {
    await fh.close();
  }
  // timestamp u32, type u8, server_id u32 | length u32 … | binlog version u16, server version char[50]
  const same =
    local.readUInt32LE(EVENT_LEN_OFFSET) === fde.length &&
    local.subarray(0, 9).equals(fde.subarray(0, 9)) &&
    local.subarray(MIN_EVENT_LEN, MIN_EVENT_LEN + 52).equals(fde.subarray(MIN_EVENT_LEN, MIN_EVENT_LEN + 52));
  if (!same) {
    const when = (b: Buffer): string =>
      b.length >= 4 ? new Date(b.readUInt32LE(0) * 1000).toISOString() : '?';
    throw new ReplicationError(
      ErrorCode.ERR_BACKUP_MISMATCH,
      `the local ${path} is not a copy of the source's ${file}: it was made ${when(local)} by server_id ` +
        `${local.readUInt32LE(5)}, the source's ${when(fde)} by server_id ${fde.readUInt32LE(5)} ` +
        "(the source reset its binlog, or the directory holds another server's backup); not appending",
    );
  }
}

/** Bytes read at a time when a resumed file is checked. */
const CHECK_CHUNK = 1024 * 1024;

/** Why the end of a local file was cut off before resuming (see {@link checkLocalFile}). */
export type CutReason = 'partial' | 'zeros' | 'checksum';

/** How much of a local binlog file can be kept. */
export interface LocalFileCheck {
  /** The end of its last whole, trusted event (4 for the magic only, 0 for a file too short to hold it). */
  size: number;
  /** Bytes after `size`. */
  dropped: number;
  /** Why they are dropped, when there are any. */
  reason?: CutReason;
}

/** Reads a file in CHECK_CHUNK pieces, keeping the last one. */
class ChunkReader {
  buf = Buffer.alloc(CHECK_CHUNK);
  start = 0;
  len = 0;
  constructor(
    private readonly fh: FileHandle,
    private readonly size: number,
    private readonly path: string,
  ) {}

  /** Makes [off, off + n) (n ≤ CHECK_CHUNK, within the file) readable at buf[off - start]. */
  async ensure(off: number, n: number): Promise<void> {
    if (off >= this.start && off + n <= this.start + this.len) return;
    const want = Math.min(CHECK_CHUNK, this.size - off);
    const { bytesRead } = await this.fh.read(this.buf, 0, want, off);
    this.start = off;
    this.len = bytesRead;
    if (bytesRead < n) {
      throw new ReplicationError(
        ErrorCode.ERR_BACKUP_MISMATCH,
        `${this.path} shrank while it was checked (at ${off}): is another backup writing into this directory?`,
      );
    }
  }

  /** True when every byte from `off` to the end of the file is zero. */
  async zerosFrom(off: number): Promise<boolean> {
    for (let p = off; p < this.size; p = this.start + this.len) {
      await this.ensure(p, Math.min(CHECK_CHUNK, this.size - p));
      const b = this.buf;
      for (let i = p - this.start; i < this.len; i++) if (b[i] !== 0) return false;
    }
    return true;
  }

  /** CRC32 of [off, end), in pieces (an event may be larger than a chunk). */
  async crc(off: number, end: number): Promise<number> {
    let c = 0;
    for (let p = off; p < end;) {
      const n = Math.min(CHECK_CHUNK, end - p);
      await this.ensure(p, n);
      c = crc32(this.buf.subarray(p - this.start, p - this.start + n), c);
      p += n;
    }
    return c;
  }
}

/**
 * How much of a local binlog file a resumed backup keeps: its events are walked in 1 MiB reads, and each
 * one's CRC32 checked when the file's FORMAT_DESCRIPTION says it has them. Kept: up to the end of the last
 * whole event (whose checksum holds). Dropped, for the source to send again: a partial event (a crash
 * mid-write), zero bytes (a file whose size reached the disk before its data, after a power loss), or an
 * event whose checksum fails and everything after it. A length no event can have (< 19) followed by
 * anything but zeros is damage no crash makes: an error, not a guess. Not a binlog file: an error.
 */
export async function checkLocalFile(path: string): Promise<LocalFileCheck> {
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    if (size < 4) return { size: 0, dropped: size, reason: size > 0 ? 'partial' : undefined };
    const r = new ChunkReader(fh, size, path);
    await r.ensure(0, 4);
    if (!r.buf.subarray(0, 4).equals(BINLOG_MAGIC)) {
      throw new ReplicationError(
        ErrorCode.ERR_BACKUP_MISMATCH,
        `${path} is not a binlog file (no \\xfebin magic): cannot resume a backup into it`,
      );
    }
    const cut = (off: number, reason: CutReason): LocalFileCheck =>
      off === size ? { size, dropped: 0 } : { size: off, dropped: size - off, reason };
    let checksums = false;
    let off = 4;
    while (off + MIN_EVENT_LEN <= size) {
      await r.ensure(off, MIN_EVENT_LEN);
      const at = off - r.start;
      const len = r.buf.readUInt32LE(at + EVENT_LEN_OFFSET);
      if (len < MIN_EVENT_LEN) {
        // zeros from anywhere up to the end of the length field (a page boundary inside the header)
        if (await r.zerosFrom(off + EVENT_LEN_OFFSET + 4)) return cut(off, 'zeros');
        throw new DecodeError(
          ErrorCode.ERR_BAD_EVENT,
          `${path}: event at ${off} has length ${len}: the file is damaged, not just cut short`,
          { offset: off + EVENT_LEN_OFFSET, file: path, pos: off },
        );
      }
      if (off + len > size) break;
      if (off === 4 && r.buf[at + 4] === FORMAT_DESCRIPTION_EVENT && len <= CHECK_CHUNK) {
        // the file's own description: whether its events end in a CRC32 (and its own does)
        await r.ensure(off, len);
        const fde = r.buf.subarray(off - r.start, off - r.start + len);
        let alg: number;
        try {
          alg = fdeChecksumAlg(fde, MIN_EVENT_LEN);
        } catch {
          return cut(off, 'partial'); // too short to be one: start the file again
        }
        checksums = alg === ChecksumAlg.CRC32;
        if (checksums && fde.readUInt32LE(len - 4) !== computeEventCrc(fde, len - 4))
          return cut(off, 'checksum');
      } else if (checksums) {
        if (len < MIN_EVENT_LEN + 4) return cut(off, 'checksum');
        const end = off + len - 4;
        const computed = await r.crc(off, end);
        await r.ensure(end, 4);
        if (r.buf.readUInt32LE(end - r.start) !== computed) return cut(off, 'checksum');
      }
      off += len;
    }
    if (off < size && (await r.zerosFrom(off))) return cut(off, 'zeros');
    return cut(off, 'partial');
  } finally {
    await fh.close();
  }
}

/** The end of the last whole event of a local binlog file that can be kept ({@link checkLocalFile}). */
export async function completeLength(path: string): Promise<number> {
  return (await checkLocalFile(path)).size;
}

/** The last binlog file of a previous backup in `dir`, with the partial event at its end cut off. */
export async function findBackupEnd(dir: string): Promise<LocalEnd | undefined> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  const candidates: string[] = [];
  for (const n of names) {
    if (!/\.\d+$/.test(n)) continue;
    const st = await stat(join(dir, n));
    if (st.isFile()) candidates.push(n);
  }
  if (candidates.length === 0) return undefined;
  candidates.sort(compareFiles);
  const file = candidates[candidates.length - 1];
  const path = join(dir, file);
  const { size, dropped, reason } = await checkLocalFile(path);
  if (dropped > 0 || size <= 4) await truncate(path, size <= 4 ? 0 : size);
  return { file, size: size <= 4 ? 0 : size, dropped, reason };
}

async function startFile(
  options: BinlogSyncerOptions,
  start: NonNullable<BackupOptions['start']>,
  signal?: AbortSignal,
): Promise<string> {
  if (typeof start === 'object' && start !== null) {
    if (typeof start.file !== 'string' || start.file === '')
      throw new ConfigError('backup start needs a file');
    if (start.pos !== undefined && start.pos !== 4) {
      throw new ConfigError(
        `backup starts a file at offset 4 (got ${start.pos}): a copy from the middle would not be the source's file`,
      );
    }
    return safeName(start.file);
  }
  if (start !== 'first' && start !== 'now')
    throw new ConfigError("backup start is { file }, 'first' or 'now'");
  const probe = resolveSyncerOptions(options);
  return withSetupConnection(probe, 'backup: no answer from the source', [signal], async (conn) => {
    if (start === 'now') return (await currentPosition(conn, probe.flavor ?? conn.server.flavor)).file;
    let rows: (string | null)[][];
    try {
      rows = await queryRows(conn, 'SHOW BINARY LOGS');
    } catch (e) {
      // the server's refusal (binary logging off, no privilege); a lost link or an abort is what it is
      if (!(e instanceof ServerError)) throw e;
      throw new ReplicationError(
        ErrorCode.ERR_NO_BINLOG,
        `cannot list the source's binlog files (SHOW BINARY LOGS): ${e.message}`,
        { cause: e },
      );
    }
    const first = rows[0]?.[0];
    if (!first) throw new ReplicationError(ErrorCode.ERR_NO_BINLOG, 'the source lists no binlog files');
    return first;
  });
}

class FileWriter {
  readonly path: string;
  readonly file: string;
  size: number;
  readonly #ws: WriteStream;
  #error: Error | undefined;

  constructor(dir: string, file: string, size: number) {
    this.file = file;
    this.path = join(dir, file);
    this.size = size;
    // A fresh file is created (or emptied); a resumed one is appended to after the partial tail was cut.
    this.#ws = createWriteStream(this.path, {
      flags: size === 0 ? 'w' : 'a',
      highWaterMark: WRITE_HIGH_WATER,
    });
    this.#ws.on('error', (e) => (this.#error ??= e));
  }

  #check(): void {
    if (this.#error) throw this.#error;
  }

  async write(buf: Buffer): Promise<void> {
    this.#check();
    this.size += buf.length;
    if (!this.#ws.write(buf)) {
      const ws = this.#ws;
      await new Promise<void>((resolve) => {
        const done = (): void => {
          ws.off('drain', done);
          ws.off('close', done);
          resolve();
        };
        ws.on('drain', done);
        ws.on('close', done); // after an error: #check() reports it
      });
      this.#check();
    }
  }

  async close(): Promise<void> {
    if (!this.#ws.closed) {
      const closed = once(this.#ws, 'close');
      this.#ws.end();
      await closed.catch(() => undefined);
    }
    this.#check();
  }
}

/**
 * Copies the source's binlog files into `b.dir`, byte-identical, and keeps following until `b.signal`
 * aborts (rejects with AbortError) or, with `nonBlocking`, until the end of the source's last file.
 * Reconnects as the syncer options say; a restart in the same directory continues where it stopped.
 *
 * @example
 * ```ts
 * import { AbortError, backup } from 'binlogsync';
 *
 * const stop = new AbortController();
 * process.once('SIGTERM', () => stop.abort());
 * const result = await backup(
 *   { host: 'db', user: 'repl', password, serverId: 1002 },
 *   { dir: '/backups/db1', start: 'first', signal: stop.signal },
 * ).catch((e) => (e instanceof AbortError ? undefined : Promise.reject(e)));
 * ```
 */
export async function backup(options: BinlogSyncerOptions, b: BackupOptions): Promise<BackupResult> {
  if (typeof b !== 'object' || b === null || typeof b.dir !== 'string' || b.dir === '') {
    throw new ConfigError('backup needs { dir }');
  }
  const signal = b.signal;
  if (signal?.aborted) throw new AbortError('backup aborted', { cause: signal.reason });
  const dumpOptions: BinlogSyncerOptions = {
    ...options,
    rawMode: true,
    heartbeats: false,
    // MariaDB leaves ANNOTATE_ROWS events out of a dump unless asked: the file has them.
    annotateRows: true,
    schemaLookup: 'off',
    // a backup is the whole file, whatever tables the same options follow elsewhere
    tables: undefined,
  };
  // checked before anything is asked of the source; made only once the dump has started (a login or
  // privilege that fails leaves no empty directory behind)
  const dirExists = await checkBackupDir(b.dir);
  const found = dirExists ? await findBackupEnd(b.dir) : undefined;
  if (found && found.dropped > 0) {
    const why = {
      partial: 'a partial event (a crash mid-write)',
      zeros: 'zero bytes (data that never reached the disk)',
      checksum: 'an event whose CRC32 fails, and what follows it',
    }[found.reason ?? 'partial'];
    const log = found.reason === 'partial' ? 'info' : 'warn';
    resolveSyncerOptions(dumpOptions).logger[log](
      { file: found.file, keep: found.size, dropped: found.dropped },
      `backup: cut ${found.dropped} bytes off the end of ${found.file}, ${why}; the source sends them again`,
    );
  }
  let from: { file: string; pos: number };
  if (found) from = { file: found.file, pos: Math.max(4, found.size) };
  else from = { file: await startFile(dumpOptions, b.start ?? 'now', signal), pos: 4 };

  const files: string[] = [];
  let writer: FileWriter | undefined =
    found && found.size > 4 ? new FileWriter(b.dir, found.file, found.size) : undefined;
  if (writer) files.push(writer.file);
  let bytes = 0;
  let events = 0;

  const syncer = new BinlogSyncer(dumpOptions);
  const onAbort = (): void => void syncer.close();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const stream = await syncer.startSync(from, { nonBlocking: b.nonBlocking, signal });
    if (!dirExists) await mkdir(b.dir, { recursive: true });
    for await (const ev of stream) {
      if (ev.type !== 'raw') continue;
      // the stream's own ROLLBACK after a crash's cut-off tail takes no place either (next = pos)
      if (ev.next === ev.pos || isArtificial(ev.code, ev.logPos, ev.flags)) {
        // Not in the source's file. A dump that starts past 4 re-sends the FDE: the local file must then
        // already hold everything before that offset.
        if (ev.code === FORMAT_DESCRIPTION_EVENT && from.pos > 4) {
          if (writer?.size !== from.pos) {
            throw new ReplicationError(
              ErrorCode.ERR_BACKUP_MISMATCH,
              `backup of ${ev.file} resumes at ${from.pos}, but no local copy of that size is open`,
            );
          }
          await checkSameFile(writer.path, ev.data, ev.file);
        }
        continue;
      }
      const file = safeName(ev.file);
      if (ev.code === FORMAT_DESCRIPTION_EVENT && ev.pos === 4) {
        if (writer?.file === file && writer.size > 4) {
          throw new ReplicationError(
            ErrorCode.ERR_BACKUP_MISMATCH,
            `the source sent ${file} from its start again, but the local copy already has ${writer.size} bytes`,
          );
        }
        await writer?.close();
        writer = new FileWriter(b.dir, file, 0);
        if (files.at(-1) !== file) files.push(file);
        await writer.write(BINLOG_MAGIC);
      }
      if (!writer || writer.file !== file || writer.size !== ev.pos) {
        throw new ReplicationError(
          ErrorCode.ERR_BACKUP_MISMATCH,
          `event ${ev.code} from the source starts at ${file}:${ev.pos}, but the local copy is ` +
            (writer ? `${writer.file} with ${writer.size} bytes` : 'not open'),
        );
      }
      await writer.write(ev.data);
      bytes += ev.data.length;
      events++;
      if (ev.code === ROTATE_EVENT) {
        // the last event of the file: flush it now rather than when the next file starts
        await writer.close();
      }
      b.onProgress?.({ file, size: writer.size, bytes, events });
    }
    if (signal?.aborted) throw new AbortError('backup aborted', { cause: signal.reason });
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await syncer.close();
    await writer?.close();
  }
  return {
    files,
    bytes,
    events,
    end: writer ? { file: writer.file, pos: writer.size } : { file: from.file, pos: from.pos },
    resumed: found !== undefined,
  };
}
