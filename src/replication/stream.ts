// BinlogStream: the events of a dump, as an AsyncIterable (and a Node Readable), across reconnects.
//
// Guarantee (documented in the README): every event is handed to the consumer exactly once and in
// order, across any number of reconnects, as long as the source still has the binlog. A reconnect
// resumes at the last transaction boundary delivered (file + position, or the GTID state in GTID mode)
// and skips the events of the cut-off transaction that were already delivered (by their place in the
// file), so nothing is buffered per transaction. Memory is bounded by `maxBufferedBytes`: above it the
// reader stops reading, the connection's queue fills and pauses the socket, and TCP pushes back.
import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import { BinlogParser } from '../binlog/parser.js';
import { isSkipped } from '../binlog/table-filter.js';
import type { FormatState } from '../binlog/context.js';
import type { BinlogEvent, FormatDescriptionEvent, TransactionPayloadEvent } from '../binlog/types.js';
import {
  AbortError,
  BinlogSyncError,
  ClosedError,
  ConfigError,
  ConnectionError,
  DecodeError,
  ErrorCode,
  ProtocolError,
  ReplicationError,
  ServerError,
  TimeoutError,
} from '../errors.js';
import { MariadbGtidPosition, parseMariadbGtid } from '../gtid/mariadb-gtid.js';
import { MysqlGtidSet } from '../gtid/mysql-gtid-set.js';
import type { Connection, ServerInfo } from '../protocol/connection.js';
import { decodeErrPacket } from '../protocol/server-error.js';
import { backoffDelay } from './backoff.js';
import { encodeSemiSyncAck, SEMI_SYNC_INDICATOR, SEMI_SYNC_NEED_ACK } from './commands.js';
import { isCutOffTail, rollbackEvent, rollbackEventBytes } from './cut-off.js';
import { EventQueue } from './event-queue.js';
import type { ResolvedSyncerOptions } from './options.js';
import { PositionTracker, type EventPlacement } from './positions.js';
import {
  compareFiles,
  ResumeTracker,
  statementKind,
  type GtidState,
  type ResumePoint,
  type TrackedEvent,
} from './resume.js';
import { SchemaCache, sqlText } from './schema-cache.js';
import {
  openConnection,
  openSession,
  queryRows,
  setupDeadline,
  withConnection,
  withDeadline,
  type DumpStart,
  type OpenSessionArgs,
  type Session,
} from './session.js';

/** An undecoded event (rawMode): the full event bytes, header to checksum. */
export interface RawEvent {
  type: 'raw';
  code: number;
  file: string;
  pos: number;
  next: number;
  logPos: number;
  ts: number;
  serverId: number;
  flags: number;
  data: Buffer;
}

/**
 * A stream event: a decoded (or raw) event, with its place in the source's binlog: `file` is always set
 * (the binlog file the event is in), `pos` / `next` are its offsets, `position` both together.
 */
export type StreamEvent = (BinlogEvent | RawEvent) & {
  file: string;
  position: { file: string; pos: number };
};

interface Queued {
  ev: StreamEvent;
  /** The resume point once the consumer has this event. */
  resume: ResumePoint;
  /** Semi-sync: ACK this (file, next) when the consumer takes it. */
  ack?: { session: Session; file: string; pos: number };
}

const TABLE_MAP_EVENT = 19;
/** MariaDB ANNOTATE_ROWS_EVENT (160). */
const ANNOTATE_ROWS_EVENT = 160;
const HEARTBEAT = new Set([27, 41]);
/** Events needed to follow positions and transactions in raw mode. */
const RAW_DECODE = new Set([2, 4, 15, 16, 33, 34, 38, 42, 162, 165]);
const TRANSACTION_PAYLOAD_EVENT = 40;
/** after a failed schema lookup, none for this long (each attempt holds the stream up) */
const SCHEMA_RETRY_MS = 5_000;
/**
 * A connection that lasted this long counts as having got somewhere even with nothing to deliver (an idle
 * source without heartbeats): the next loss starts the reconnect attempts from 1 again.
 */
const STEADY_MS = 60_000;

/**
 * An ERR packet as a server sends one during a dump: 0xff, errno u16 (≥ 1000), '#', a 5-character SQL
 * state, a message without control characters. An event packet whose status byte was damaged to 0xff
 * fails this, and is not read as the server's words.
 */
function isErrPacketShape(pkt: Buffer): boolean {
  if (pkt.length < 9 || pkt[3] !== 0x23 || pkt.readUInt16LE(1) < 1000) return false;
  for (let i = 4; i < 9; i++) {
    const c = pkt[i];
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a))) return false;
  }
  for (let i = 9; i < pkt.length; i++)
    if (pkt[i] < 0x20 && pkt[i] !== 0x09 && pkt[i] !== 0x0a && pkt[i] !== 0x0d) return false;
  return true;
}

/** The first bytes of a packet in hex, for an error message. */
function hexStart(pkt: Buffer): string {
  return pkt
    .subarray(0, 8)
    .toString('hex')
    .replace(/(..)(?!$)/g, '$1 ');
}

/**
 * The source could not read an event, or sent one that does not decode: what a dump started inside an
 * event gets (a start past the file's end, a purged file and the like have answers of their own).
 */
function readsBadEvent(e: unknown): e is ServerError | DecodeError {
  // bytes that are no event (a missing table map or an unknown precision are about a real event)
  if (e instanceof DecodeError)
    return (
      e.code === ErrorCode.ERR_CHECKSUM_MISMATCH ||
      e.code === ErrorCode.ERR_BAD_EVENT ||
      e.code === ErrorCode.ERR_TRUNCATED
    );
  return (
    e instanceof ServerError &&
    e.errno === 1236 &&
    /truncated in the middle of event|max_allowed_packet|bogus data|corrupt|event too (big|small)|invalid event/i.test(
      e.serverMessage,
    )
  );
}

/** A data change statement (after comments the server keeps): logged so, its rows are not in the binlog. */
const DML = /^(\s|\/\*.*?\*\/)*(INSERT|UPDATE|DELETE|REPLACE|LOAD\s+DATA|LOAD\s+XML)\b/is;

/** The source has no binlog file of the name asked for (purged, or never there): 1236 "Could not find first log file". */
function isMissingFile(e: unknown): e is ServerError {
  return (
    e instanceof ServerError && e.errno === 1236 && /could not find first log file/i.test(e.serverMessage)
  );
}

/**
 * A dump asked to start past the end of its file: MySQL "…start replication from position > file size",
 * MariaDB "…start replication from impossible position…".
 */
function isPastEnd(e: unknown): e is ServerError {
  return (
    e instanceof ServerError &&
    e.errno === 1236 &&
    /position > file size|from impossible position/i.test(e.serverMessage)
  );
}

/**
 * A dump by GTID that needs transactions the source no longer has (its binlogs holding them purged):
 * MySQL "…purged binary logs containing GTIDs that the replica requires", MariaDB "Could not find GTID
 * state requested by slave in any binlog files. Probably the slave state is too old…".
 */
function isPurgedGtids(e: unknown): e is ServerError {
  return e instanceof ServerError && e.errno === 1236 && /purged|GTID state requested/i.test(e.serverMessage);
}

/** Errors after which reconnecting can help: the link, not the request, failed. */
function retryable(e: unknown): boolean {
  if (e instanceof ServerError) {
    // 1053 server shutdown, 1927 connection killed (MariaDB), 1317 interrupted, 2013 lost; 1040 / 1203 /
    // 1226 too many connections (the source may still hold our previous dump's, until it sees it is dead)
    return [1040, 1053, 1203, 1226, 1317, 1927, 2013, 3169].includes(e.errno);
  }
  if (!(e instanceof BinlogSyncError)) return false;
  return (
    [
      ErrorCode.ERR_CONNECTION_CLOSED,
      ErrorCode.ERR_CONNECTION_REFUSED,
      ErrorCode.ERR_CONNECT_TIMEOUT,
      ErrorCode.ERR_READ_TIMEOUT,
      ErrorCode.ERR_SOCKET,
    ] as string[]
  ).includes(e.code);
}

/**
 * Schema and table names and column types of a TABLE_MAP event, read from its raw bytes (post-header:
 * table id 6 or 4, flags 2; then u8 length + name + NUL twice, then the column count as a length-encoded
 * integer and a type byte per column; src/binlog/events/table-map.ts). Names are under 251 bytes, so
 * their lengths are one byte. `types` views the event's buffer.
 */
function tableMapShape(
  buf: Buffer,
  headerLen: number,
  postHeaderLen: number,
): { schema: string; table: string; types: Buffer } | undefined {
  let p = headerLen + postHeaderLen;
  if (p >= buf.length) return undefined;
  const sl = buf[p];
  const schema = buf.toString('utf8', p + 1, p + 1 + sl);
  p += 2 + sl;
  if (p >= buf.length) return undefined;
  const tl = buf[p];
  const table = buf.toString('utf8', p + 1, p + 1 + tl);
  p += 2 + tl;
  if (p + 4 > buf.length) return undefined;
  const b = buf[p];
  const width = b < 0xfb ? 1 : b === 0xfc ? 3 : b === 0xfd ? 4 : 0;
  if (width === 0 || p + width > buf.length) return undefined;
  const columns = width === 1 ? b : width === 3 ? buf.readUInt16LE(p + 1) : buf.readUIntLE(p + 1, 3);
  if (p + width + columns > buf.length) return undefined;
  return { schema, table, types: buf.subarray(p + width, p + width + columns) };
}

function rawEvent(buf: Buffer, file: string, pos: number): RawEvent {
  return {
    type: 'raw',
    code: buf[4],
    file,
    pos,
    next: pos + buf.length,
    logPos: buf.readUInt32LE(13),
    ts: buf.readUInt32LE(0),
    serverId: buf.readUInt32LE(5),
    flags: buf.readUInt16LE(17),
    data: buf,
  };
}

/** What the resume tracker needs of an event; raw mode decodes only the events listed in RAW_DECODE. */
function trackedOf(ev: BinlogEvent | undefined, code: number, pos: number, next: number): TrackedEvent {
  if (ev === undefined) {
    // Raw mode: a TRANSACTION_PAYLOAD holds a whole transaction, its XID included.
    return { type: code === TRANSACTION_PAYLOAD_EVENT ? 'xid' : 'raw', pos, next };
  }
  return ev;
}

/**
 * What an event in the queue is counted as against maxBufferedBytes: about its memory, not its wire size.
 * Measured (test/integration/replication/backpressure.test.ts, 8 KiB row events): a queue of raw or
 * decoded events holds 1.8 times their wire bytes (the socket chunks their buffers view, the event
 * objects, the decoded values), so each counts twice its size.
 * Events inside a TRANSACTION_PAYLOAD share the payload's pos/next: the payload is counted with its
 * inflated size (the buffer they view), each of them at a flat rate.
 */
function queuedBytes(ev: BinlogEvent | RawEvent): number {
  if (ev.type === 'raw') return 2 * ev.data.length + 128;
  if (ev.payload !== undefined) return 128;
  const wire = ev.next > ev.pos ? ev.next - ev.pos : 64;
  if (ev.type === 'transaction_payload') return 2 * wire + 2 * ev.uncompressedSize + 128;
  return 2 * wire + 128;
}

/** Options of one {@link BinlogSyncer.startSync} / {@link BinlogSyncer.startSyncGtid} call. */
export interface StreamStartOptions {
  /** End the stream at the end of the log instead of waiting for more (BINLOG_DUMP_NON_BLOCK). */
  nonBlocking?: boolean;
  signal?: AbortSignal;
}

/** A cut-off tail being stepped over: the cut file, the next file (whose FDE decides), the dump's error. */
interface PendingCut {
  cutFile: string;
  file: string;
  err: ServerError;
}

/**
 * The events of one dump, in order, each exactly once across reconnects: iterate it with `for await`, or
 * pipe {@link toReadable}. Events are read ahead up to `maxBufferedBytes`, then the source is held back,
 * so a slow consumer costs bounded memory. Emits `'reconnect'` (`{ attempt, delay, cause }`) before each
 * reconnect attempt. Leaving the loop (`break`, an exception) closes the stream.
 */
export class BinlogStream extends EventEmitter implements AsyncIterable<StreamEvent> {
  readonly #o: ResolvedSyncerOptions;
  readonly #queue: EventQueue<Queued>;
  #parser!: BinlogParser;
  readonly #positions: PositionTracker;
  readonly #resume: ResumeTracker;
  readonly #gtidMode: boolean;
  readonly #nonBlocking: boolean;
  #session: Session | undefined;
  #consumerResume: ResumePoint;
  #schema: SchemaCache | undefined;
  #schemaConn: Connection | undefined;
  /** the deadline of the schema lookup in progress (#loadSchema) */
  #schemaSignal: AbortSignal | undefined;
  /** no schema lookup before this time (ms), after one failed */
  #schemaRetryAt = 0;
  #closed = false;
  #closing: Promise<void> | undefined;
  /** Aborted by close(): cancels a reconnect's back-off wait, its connect, and a schema lookup's connect. */
  readonly #life = new AbortController();
  #done: Promise<void> | undefined;
  #drained: (() => void) | undefined;
  #watchdog: NodeJS.Timeout | undefined;
  #lastPacketAt = 0;
  #waitingForPacket = false;
  #deliveredReal = false;
  /** Events delivered for the first time, and heartbeats (the source had nothing more to send): progress. */
  #progress = 0;
  #reconnects = 0;
  #duplicatesSkipped = 0;
  /** Transactions a source's crash left without an end, answered with a ROLLBACK. */
  #cutOff = 0;
  /** The next dump starts here rather than at the resume point: past the cut-off tail of a file. */
  #skipTo: { file: string; pos: number } | undefined;
  /**
   * Set while the stream steps over a cut-off tail into `file`: that file must have been opened at a
   * server start (its FORMAT_DESCRIPTION's create time is set), else the cut is no crash tail.
   */
  #pendingCut: PendingCut | undefined;
  /** The format description of the file read before this connection (for a raw ROLLBACK placed in it). */
  #lastFormat: FormatState | undefined;
  #flavor: 'mysql' | 'mariadb' | undefined;
  /**
   * A start position given from outside (past offset 4), until an event was read there: the source
   * may be failing on it because it is not where an event starts, not because of the file.
   */
  #unverifiedStart: { file: string; pos: number } | undefined;
  #warnedStatement = false;

  /** @internal Created by BinlogSyncer.startSync / startSyncGtid. */
  constructor(
    o: ResolvedSyncerOptions,
    start: ResumePoint & { mode: 'position' | 'gtid' },
    so: StreamStartOptions,
    flavor: 'mysql' | 'mariadb',
  ) {
    super();
    this.#o = o;
    this.#flavor = flavor;
    this.#gtidMode = start.mode === 'gtid';
    this.#nonBlocking = so.nonBlocking ?? false;
    let state: GtidState | undefined;
    if (start.gtid !== undefined) {
      if (flavor === 'mysql') {
        const set = MysqlGtidSet.parse(start.gtid);
        state = { add: (g) => void set.addGtid(g), toString: () => set.toString() };
      } else {
        const p = MariadbGtidPosition.parse(start.gtid);
        state = { add: (g) => void p.update(parseMariadbGtid(g)), toString: () => p.toString() };
      }
    }
    this.#resume = new ResumeTracker({ file: start.file, pos: start.pos, gtid: start.gtid }, state);
    this.#consumerResume = this.#resume.resumePoint;
    this.#positions = new PositionTracker(start.file, start.pos);
    if (start.mode === 'position' && start.pos > 4)
      this.#unverifiedStart = { file: start.file, pos: start.pos };
    this.#queue = new EventQueue<Queued>({
      highWaterBytes: o.maxBufferedBytes,
      onPause: () => undefined,
      onResume: () => {
        const d = this.#drained;
        this.#drained = undefined;
        d?.();
      },
      onTake: (q) => this.#taken(q),
      onReturn: () => this.close(),
    });
  }

  /** Where to restart to see nothing twice and miss nothing: advances when the consumer takes a commit. */
  get resumePoint(): ResumePoint {
    return { ...this.#consumerResume };
  }

  /** Events the source re-sent after a reconnect that were already delivered, and so skipped. */
  get duplicatesSkipped(): number {
    return this.#duplicatesSkipped;
  }

  /**
   * Transactions the source's crash cut off, that were handed out in part: each was followed by an
   * artificial ROLLBACK query event (src/replication/cut-off.ts).
   */
  get transactionsCutOff(): number {
    return this.#cutOff;
  }

  /** The current dump connection: server version, connection id, TLS, auth plugin (undefined once closed). */
  get connectionInfo(): ServerInfo | undefined {
    const s = this.#session;
    return s && !this.#closed ? s.conn.server : undefined;
  }

  /** Bytes of events read and not yet taken by the consumer, as counted against maxBufferedBytes. */
  get bufferedBytes(): number {
    return this.#queue.bufferedBytes;
  }

  /** How many times the stream reconnected. */
  get reconnects(): number {
    return this.#reconnects;
  }

  /** The source's flavor, as given in the options or detected at login. */
  get flavor(): 'mysql' | 'mariadb' | undefined {
    return this.#flavor;
  }

  /**
   * @internal First connection; errors here reject startSync(). Cut short by `signals`, close() and the
   * setup deadline, as a reconnect is.
   */
  async open(signals: readonly (AbortSignal | undefined)[] = []): Promise<void> {
    const session = await withDeadline(
      setupDeadline(this.#o),
      'starting the dump: no answer from the source',
      [this.#life.signal, ...signals],
      (signal) =>
        openSession(this.#o, {
          start: this.#dumpStart(),
          nonBlocking: this.#nonBlocking,
          preflight: true,
          signal,
        }),
    );
    this.#useSession(session);
    this.#startWatchdog();
    this.#done = this.#run();
  }

  /**
   * openSession for a reconnect, cut short by close() and by a deadline: a source that accepts the
   * connection and then stops answering (frozen, overloaded, shutting down) would otherwise hold the
   * stream there forever, since the read timeout only watches a running dump. The deadline is the
   * connect timeout plus the read timeout; running out of it is an ERR_READ_TIMEOUT, which retries.
   */
  #reopen(a: Omit<OpenSessionArgs, 'signal'>): Promise<Session> {
    return this.#withDeadline(setupDeadline(this.#o), 'reconnecting: no answer from the source', (signal) =>
      openSession(this.#o, { ...a, signal }),
    );
  }

  /**
   * Runs `f` with a signal that close() aborts, and that a timer aborts after `ms` (when > 0): then
   * `f`'s failure is an ERR_READ_TIMEOUT (`what` within `ms` ms), which retries.
   */
  #withDeadline<T>(ms: number, what: string, f: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return withDeadline(ms, what, [this.#life.signal], f);
  }

  #dumpStart(): DumpStart {
    const skip = this.#skipTo;
    if (skip) return { mode: 'position', file: skip.file, pos: skip.pos };
    const r = this.#resume.resumePoint;
    if (this.#gtidMode && r.gtid !== undefined) return { mode: 'gtid', gtid: r.gtid };
    return { mode: 'position', file: r.file, pos: r.pos };
  }

  #useSession(s: Session): void {
    this.#session = s;
    this.#flavor = s.flavor;
    this.#lastPacketAt = Date.now();
    if (this.#parser?.context.format.described) this.#lastFormat = this.#parser.context.format;
    // A fresh decoder per connection: the source re-sends the FORMAT_DESCRIPTION and, since a dump
    // restarts at a transaction boundary, every table map the following rows need. Events before the
    // first FORMAT_DESCRIPTION (the fake ROTATE) carry the negotiated checksum.
    const o = this.#o;
    this.#parser = new BinlogParser({
      stream: true,
      verifyChecksum: o.verifyChecksum,
      initialChecksum: s.checksum,
      tables: o.tables,
      values: o.schemaLookup ? { ...o.values, schema: (sc, t) => this.#schema?.provider(sc, t) } : o.values,
    });
  }

  async #run(): Promise<void> {
    let attempt = 0;
    // Attempts count up until a connection gets somewhere: a fault that recurs at the same place of the
    // replay (a connection cut there every time) would otherwise reconnect forever
    let progressAtOpen = this.#progress;
    let openedAt = Date.now();
    for (;;) {
      const s = this.#session;
      try {
        if (!s) throw new ClosedError('no connection');
        const ended = await this.#pump(s);
        if (ended) {
          this.#queue.end();
          this.#shutdown();
          return;
        }
      } catch (err) {
        s?.conn.destroy();
        if (this.#closed) {
          this.#queue.end();
          return;
        }
        if (this.#unverifiedStart !== undefined && isPastEnd(err)) {
          this.#queue.fail(await this.#pastEnd(err));
          this.#shutdown();
          return;
        }
        if (this.#unverifiedStart !== undefined && readsBadEvent(err)) {
          const bad = await this.#checkStart(err);
          if (bad !== undefined) {
            this.#queue.fail(bad);
            this.#shutdown();
            return;
          }
        }
        // stepped over only from a place known to start an event (else a start inside an event, which
        // the source reports the same way, would skip the rest of the file)
        const cutOff =
          isCutOffTail(err) && this.#unverifiedStart === undefined && (await this.#passCutOffTail(err));
        if (this.#closed) {
          this.#queue.end();
          return;
        }
        if ((!cutOff && !retryable(err)) || this.#o.reconnect.maxAttempts === 0) {
          if (isMissingFile(err)) await this.#explainMissingFile(err);
          else if (this.#gtidMode && isPurgedGtids(err)) await this.#explainPurgedGtids(err);
          this.#queue.fail(err);
          this.#shutdown();
          return;
        }
        this.#o.logger.warn({ err: (err as Error).message }, 'binlog connection lost; reconnecting');
        if (s?.semiSync) {
          // The source takes the place a semi-sync dump starts from as the ACK of everything before it:
          // ask for it only once the consumer has taken every event read (an ACK means handed over).
          await this.#queueTaken();
          if (this.#closed) {
            this.#queue.end();
            return;
          }
        }
        let cause: unknown = err;
        if (this.#progress !== progressAtOpen || Date.now() - openedAt >= STEADY_MS) attempt = 0;
        for (;;) {
          attempt++;
          if (attempt > this.#o.reconnect.maxAttempts) {
            this.#queue.fail(
              new BinlogSyncError(
                ErrorCode.ERR_RECONNECT_EXHAUSTED,
                `gave up after ${attempt - 1} reconnect attempts: ${(cause as Error).message}`,
                { cause },
              ),
            );
            this.#shutdown();
            return;
          }
          const delay = backoffDelay(this.#o.reconnect, attempt);
          this.emit('reconnect', { attempt, delay, cause });
          await this.#sleep(delay);
          if (this.#closed) {
            this.#queue.end();
            return;
          }
          try {
            const start = this.#dumpStart();
            this.#resume.restarted(start.mode === 'gtid');
            const r = this.#skipTo ?? this.#resume.resumePoint;
            this.#positions.rotate(r.file, r.pos);
            const session = await this.#reopen({
              start,
              nonBlocking: this.#nonBlocking,
              preflight: false,
              previous: s ? { connectionId: s.connectionId, serverStartedAt: s.serverStartedAt } : undefined,
            });
            if (this.#closed) {
              // closed while connecting: this connection is not ours to keep
              session.conn.destroy();
              this.#queue.end();
              return;
            }
            this.#useSession(session);
            this.#skipTo = undefined;
            this.#reconnects++;
            progressAtOpen = this.#progress;
            openedAt = Date.now();
            break;
          } catch (e) {
            cause = e;
            if (this.#closed) {
              this.#queue.end();
              return;
            }
            if (!retryable(e)) {
              this.#queue.fail(e);
              this.#shutdown();
              return;
            }
          }
        }
      }
    }
  }

  /** Reads and queues events until the connection fails (throws) or a non-blocking dump ends (true). */
  async #pump(s: Session): Promise<boolean> {
    const conn = s.conn;
    for (;;) {
      if (this.#queue.paused) {
        await new Promise<void>((r) => (this.#drained = r));
        this.#lastPacketAt = Date.now();
      }
      if (this.#closed) return true;
      // packets already received are taken without a promise each (most of a catch-up)
      let pkt: Buffer | undefined;
      try {
        pkt = conn.tryReadPacket();
        if (pkt === undefined) {
          this.#waitingForPacket = true;
          try {
            pkt = await conn.readPacket();
          } finally {
            this.#waitingForPacket = false;
          }
        }
      } catch (e) {
        // a packet out of sequence or malformed: where in the binlog it came
        if (e instanceof ProtocolError) e.message = `binlog dump${this.#at()}: ${e.message}`;
        throw e;
      }
      this.#lastPacketAt = Date.now();
      const head = pkt[0];
      if (head === 0xff) {
        // where the dump stood (what it asked for, when nothing came yet): 1236's texts often do not say
        if (isErrPacketShape(pkt)) throw decodeErrPacket(pkt, `binlog dump${this.#at()}`);
        throw new DecodeError(
          ErrorCode.ERR_BAD_EVENT,
          `binlog dump${this.#at()}: a packet of ${pkt.length} bytes starts 0xff but is no error packet (${hexStart(pkt)}…): damaged in transit`,
          this.#here(),
        );
      }
      if (head === 0xfe && pkt.length < 9) {
        // EOF: the end of the log of a non-blocking dump; a blocking dump gets one only when the source
        // stops it (a shutdown, KILL QUERY of the dump thread): lost like a dropped connection
        if (this.#nonBlocking) return true;
        throw new ConnectionError(
          ErrorCode.ERR_CONNECTION_CLOSED,
          `${conn.endpoint} ended the binlog dump (a server shutdown, or its dump thread killed)`,
        );
      }
      if (head !== 0x00) {
        throw new DecodeError(
          ErrorCode.ERR_BAD_EVENT,
          `binlog dump${this.#at()}: a packet of ${pkt.length} bytes starts 0x${head.toString(16).padStart(2, '0')}, not 0x00 (an event) or 0xff (an error): damaged in transit`,
          this.#here(),
        );
      }
      let off = 1;
      let needAck = false;
      if (s.semiSync && pkt[1] === SEMI_SYNC_INDICATOR) {
        needAck = pkt[2] === SEMI_SYNC_NEED_ACK;
        off = 3;
      }
      try {
        // synchronous unless a schema lookup or a compressed transaction's events make it wait
        const wait = this.#onEvent(s, pkt.subarray(off), needAck);
        if (wait !== undefined) await wait;
      } catch (e) {
        if (e instanceof DecodeError) {
          // A CRC32 mismatch says the header may be damaged too: its end_log_pos placed the event. The
          // event starts where the one before it ended (a dump by GTID skips transactions, where only
          // end_log_pos knows; the message then names both places).
          const carried = this.#positions.carried;
          if (e.code === ErrorCode.ERR_CHECKSUM_MISMATCH && e.pos !== undefined && e.pos !== carried) {
            e.message = `${e.message} (its end_log_pos places it at ${e.pos})`;
            if (e.offset !== undefined) e.offset += carried - e.pos;
            e.pos = carried;
          }
          // the message names the place (the decoder only sets the fields): `binlog.000042 at 1234: …`
          if (e.file !== undefined && e.pos !== undefined) e.message = `${e.file} at ${e.pos}: ${e.message}`;
        }
        throw e;
      }
    }
  }

  /** Where the next event starts, as a DecodeError's place (no file before one is known). */
  #here(): { file: string | undefined; pos: number } {
    return { file: this.#positions.file || undefined, pos: this.#positions.nextPos };
  }

  /** ` at FILE:POS`, where the next event starts (what the dump asked for, when nothing came yet); '' before a file is known. */
  #at(): string {
    return this.#positions.file ? ` at ${this.#positions.file}:${this.#positions.nextPos}` : '';
  }

  #onEvent(s: Session, buf: Buffer, needAck: boolean): Promise<void> | undefined {
    if (buf.length < 19) {
      throw new DecodeError(
        ErrorCode.ERR_TRUNCATED,
        `an event of ${buf.length} bytes in the dump has no room for its 19-byte header`,
        this.#here(),
      );
    }
    const code = buf[4];
    // the packet's length, not the header's: a damaged length field must not move the event
    const place = this.#positions.place(code, buf.length, buf.readUInt32LE(13), buf.readUInt16LE(17));
    const file = place.file;
    const raw = this.#o.rawMode;
    if (HEARTBEAT.has(code)) {
      this.#progress++; // the source is idle: it has sent everything it has
      if (this.#o.heartbeats) {
        const hb = raw ? rawEvent(buf, file, place.pos) : this.#parser.parse(buf, { file, pos: place.pos });
        hb.next = place.next; // no place in the file: next = pos, as for the other artificial events
        this.#push(hb, undefined);
      }
      return;
    }
    if (code === ANNOTATE_ROWS_EVENT && !this.#o.annotateRows && !place.artificial) {
      // asked for only to keep offsets exact (session.ts); inside a transaction, so no boundary
      if (needAck) this.#sendAck({ session: s, file, pos: place.next });
      return;
    }
    if (code === TABLE_MAP_EVENT && this.#o.schemaLookup && !raw) {
      const wait = this.#lookupSchema(buf);
      if (wait !== undefined) return wait.then(() => this.#decodeEvent(s, buf, needAck, place));
    }
    return this.#decodeEvent(s, buf, needAck, place);
  }

  /** #onEvent once the event's table, if any, is looked up. */
  #decodeEvent(s: Session, buf: Buffer, needAck: boolean, place: EventPlacement): Promise<void> | undefined {
    const code = buf[4];
    const file = place.file;
    const raw = this.#o.rawMode;
    const decoded =
      !raw || RAW_DECODE.has(code) ? this.#parser.parse(buf, { file, pos: place.pos }) : undefined;
    // raw mode, backup: an event not decoded is checked all the same (its CRC32 when verifyChecksum)
    if (decoded === undefined) this.#parser.checkRaw(buf, { file, pos: place.pos });
    const out: BinlogEvent | RawEvent = raw ? rawEvent(buf, file, place.pos) : (decoded as BinlogEvent);
    const cut = this.#pendingCut;
    if (cut && decoded?.type === 'format_description' && file === cut.file) {
      this.#pendingCut = undefined;
      this.#checkCutOff(cut, decoded);
    }
    if (place.artificial) {
      // Fake ROTATE, re-sent FORMAT_DESCRIPTION, fake GTID_LIST: they occupy no place in the file.
      // Delivered when the stream starts; after a reconnect they would only repeat what was said.
      out.next = place.next;
      if (decoded?.type === 'rotate') {
        // a dump by GTID learns its file only from this ROTATE: it stands at the place it names
        if (file === '') {
          out.file = decoded.nextFile;
          out.pos = out.next = decoded.nextPos;
        }
        if (!this.#pendingCut) this.#leaveFile(decoded.nextFile, decoded);
        this.#positions.rotate(decoded.nextFile, decoded.nextPos);
        this.#resume.rotated(decoded.nextFile, decoded.nextPos);
      }
      if (!this.#deliveredReal) this.#push(out, undefined);
      if (needAck) this.#sendAck({ session: s, file, pos: place.next });
      return;
    }
    this.#unverifiedStart = undefined; // an event was read: the dump's place starts events
    if (decoded?.type === 'query' && statementKind(decoded.query) === 'other') {
      this.#schema?.clear();
      if (!this.#warnedStatement && !raw && DML.test(decoded.query)) {
        // binlog_format STATEMENT or MIXED for this statement (set for a session, or since the start);
        // raw events (a backup) are bytes whatever the format: nothing to warn of
        this.#warnedStatement = true;
        this.#o.logger.warn(
          { file, pos: place.pos, statement: decoded.query.slice(0, 200) },
          'a change logged as a statement, not as rows (binlog_format is not ROW for it): it comes as a query event only; warned once',
        );
      }
    }
    const tracked = trackedOf(decoded, code, place.pos, place.next);
    const key = this.#resume.placeOf(file, tracked);
    const ack = needAck ? { session: s, file, pos: place.next } : undefined;
    // Decoded: a TRANSACTION_PAYLOAD's ACK waits for its last inner event (the transaction's end).
    const innerFollow = decoded?.type === 'transaction_payload' && !raw;
    if (!this.#resume.isDuplicate(key, tracked)) {
      this.#resume.delivered(file, key, tracked);
      this.#progress++;
      this.#deliveredReal = true;
      // a table the `tables` option leaves out: counted as passed (never a transaction boundary), not
      // handed out
      if (decoded !== undefined && isSkipped(decoded)) {
        if (ack) this.#sendAck(ack);
      } else this.#push(out, innerFollow ? undefined : ack);
    } else {
      this.#duplicatesSkipped++;
      this.#resume.skipped(tracked);
      if (ack && !innerFollow) this.#sendAck(ack);
    }
    if (decoded?.type === 'rotate') {
      if (!this.#pendingCut) this.#leaveFile(decoded.nextFile, decoded);
      this.#positions.rotate(decoded.nextFile, decoded.nextPos);
      this.#resume.rotated(decoded.nextFile, decoded.nextPos);
    }
    return innerFollow ? this.#payloadEvents(decoded, file, ack) : undefined;
  }

  /** The events inside a TRANSACTION_PAYLOAD, in order; the last one carries the payload's ACK. */
  async #payloadEvents(decoded: TransactionPayloadEvent, file: string, ack: Queued['ack']): Promise<void> {
    // One event behind, so that the last one can carry the ACK.
    let held: { ev: BinlogEvent; resume: ResumePoint } | undefined;
    try {
      for (const part of this.#parser.payloadParts(decoded)) {
        // a table first seen inside a compressed transaction needs its names as much as any other
        if (part[4] === TABLE_MAP_EVENT && this.#o.schemaLookup) {
          const wait = this.#lookupSchema(part);
          if (wait !== undefined) await wait;
        }
        const inner = this.#parser.decodePayloadPart(part, decoded);
        const t = trackedOf(inner, inner.code, inner.pos, inner.next);
        const k = this.#resume.placeOf(file, t);
        if (this.#resume.isDuplicate(k, t)) {
          this.#duplicatesSkipped++;
          this.#resume.skipped(t);
          continue;
        }
        this.#resume.delivered(file, k, t);
        this.#progress++;
        if (isSkipped(inner)) continue;
        if (held) this.#push(held.ev, undefined, held.resume);
        held = { ev: inner, resume: this.#resume.resumePoint };
      }
    } catch (e) {
      // counted as delivered: handed out before the stream fails or reconnects (a reconnect would
      // skip it as a duplicate)
      if (held) this.#push(held.ev, undefined, held.resume);
      throw e;
    }
    if (held) this.#push(held.ev, ack, held.resume);
    else if (ack) this.#sendAck(ack);
  }

  /**
   * The source moves on to `nextFile`. A transaction never spans files: when one was handed out in part
   * in an earlier file, the source's crash cut it off and its recovery rolled it back, so the consumer
   * gets an artificial ROLLBACK where the transaction's events end (src/replication/cut-off.ts). `by`,
   * the ROTATE or FORMAT_DESCRIPTION that says so, gives the ROLLBACK its time and server id.
   */
  #leaveFile(nextFile: string, by: { ts: number; serverId: number }): void {
    const open = this.#resume.openDelivered;
    if (!open || compareFiles(nextFile, open.file) <= 0) return;
    const when = by.ts || Math.floor(Date.now() / 1000);
    let ev: BinlogEvent | RawEvent = rollbackEvent(open.file, open.next, when, by.serverId);
    if (this.#o.rawMode) {
      // laid out as the file it sits in: this connection's decoder may not have read its FDE
      const current = this.#parser.context.format;
      const format = current.described || !this.#lastFormat ? current : this.#lastFormat;
      ev = rawEvent(rollbackEventBytes(format, when, by.serverId), open.file, open.next);
      ev.next = open.next; // takes no place in the file
    }
    const tracked: TrackedEvent = { type: 'query', query: 'ROLLBACK', pos: open.next, next: open.next };
    this.#resume.cutOff(open.file, { file: open.file, pos: open.next, sub: 0 }, tracked);
    this.#cutOff++;
    this.#o.logger.warn(
      { file: open.file, pos: open.next, nextFile },
      'the source moved to a new binlog file inside a transaction (cut off by a crash and rolled back): ROLLBACK delivered',
    );
    this.#push(ev, undefined);
  }

  /**
   * The dump reached an event cut short at the end of a binlog file (error 1236, LOG_READ_TRUNC). When a
   * later file exists, the next dump starts at it (or at the resume point, when that is already past the
   * cut file): true. That file's FORMAT_DESCRIPTION then decides (`#checkCutOff`): opened at a server
   * start, the cut is where a crash stopped the source writing and `#leaveFile` ends the open
   * transaction; else the stream fails. False when no later file exists (the error stands) or the source
   * cannot be asked (SHOW BINARY LOGS needs REPLICATION CLIENT / BINLOG MONITOR).
   */
  async #passCutOffTail(err: ServerError): Promise<boolean> {
    const cut = this.#positions.file;
    let files: string[];
    try {
      files = (await this.#sideQuery('SHOW BINARY LOGS')).map((r) => String(r[0]));
    } catch (e) {
      this.#o.logger.warn(
        { file: cut, err: (e as Error).message },
        'binlog file ends inside an event, and SHOW BINARY LOGS failed',
      );
      // Cannot ask now (the source restarting?): retry as usual; the next dump reaches the cut again.
      return retryable(e);
    }
    // the file after the cut one in the index (SHOW BINARY LOGS lists them in order)
    const at = files.indexOf(cut);
    const next = at >= 0 ? files[at + 1] : undefined;
    if (next === undefined) return false;
    const r = this.#resume.resumePoint;
    if (compareFiles(r.file, cut) > 0) {
      // nothing to step over: only the way in (a GTID dump started before the cut file)
      this.#skipTo = { file: r.file, pos: r.pos };
      return true;
    }
    this.#skipTo = { file: next, pos: 4 };
    this.#pendingCut = { cutFile: cut, file: next, err };
    this.#o.logger.warn(
      { file: cut, error: err.serverMessage, next },
      'binlog file ends inside an event (the source crashed while writing it?); trying the next file',
    );
    return true;
  }

  /**
   * The dump failed (`err`) before any event was read at a start position given from outside. A start
   * inside an event makes the source read garbage as an event header, and it answers with 1236 ("binlog
   * truncated in the middle of event", "log event entry exceeded max_allowed_packet", "bogus data in
   * log event") or sends bytes whose CRC32 fails. MariaDB says whether an offset starts an event
   * (BINLOG_GTID_POS is NULL when it does not): then a ConfigError naming the start, or undefined once
   * the start is known good. MySQL cannot be asked: `err` gains the question, and a cut-off tail is not
   * stepped over.
   */
  async #checkStart(err: ServerError | DecodeError): Promise<BinlogSyncError | undefined> {
    const start = this.#unverifiedStart!;
    if (this.#positions.file !== start.file || this.#positions.carried !== start.pos) return undefined;
    const where = `${start.file}:${start.pos}`;
    if (this.#flavor === 'mariadb') {
      const answer = await this.#sideQuery(
        `SELECT BINLOG_GTID_POS(${sqlText(start.file)}, ${start.pos}) IS NULL`,
      ).then(
        (rows) => rows[0]?.[0],
        () => undefined,
      );
      if (answer === '0') {
        this.#unverifiedStart = undefined;
        return undefined;
      }
      if (answer === '1') {
        return new ConfigError(
          `start ${where} is not where an event starts (the source: ${err instanceof ServerError ? `server error ${err.errno}: ${err.serverMessage}` : err.message}): start at an event's position (SHOW BINLOG EVENTS IN '${start.file}' lists them)`,
          { cause: err },
        );
      }
    }
    err.message = `${err.message} (the dump's first event: is ${where} where an event starts? SHOW BINLOG EVENTS IN '${start.file}' lists them)`;
    return undefined;
  }

  /**
   * The source has no binlog file of the name the dump asked for: says which files it has, so that a
   * purged file (the consumer was away longer than the source keeps its binlogs) reads as such.
   */
  async #explainMissingFile(err: ServerError): Promise<void> {
    const files = (await this.#binaryLogs())?.map((r) => String(r[0]));
    if (files === undefined || files.length === 0) return;
    const asked = this.#positions.file;
    // a name of the source's series, before its oldest file
    const base = (f: string): string => f.replace(/\.\d+$/, '');
    const purged = base(asked) === base(files[0]) && compareFiles(asked, files[0]) < 0;
    err.message +=
      ` (the source's binlogs now run from ${files[0]} to ${files.at(-1)}` +
      (purged ? `: ${asked} was purged` : '') +
      ')';
  }

  /** The start the source refused as past the end of its file: a ConfigError naming the file's size. */
  async #pastEnd(err: ServerError): Promise<ConfigError> {
    const start = this.#unverifiedStart!;
    const size = (await this.#binaryLogs())?.find((r) => r[0] === start.file)?.[1];
    return new ConfigError(
      `start ${start.file}:${start.pos} is past the end of ${start.file} (${size ?? '?'} bytes; the source: ` +
        `server error ${err.errno}: ${err.serverMessage})`,
      { cause: err },
    );
  }

  /**
   * A dump by GTID that the source refuses for purged transactions: which files it still has, and how to
   * start from the oldest knowingly (by position: the purged transactions are skipped).
   */
  async #explainPurgedGtids(err: ServerError): Promise<void> {
    const files = (await this.#binaryLogs())?.map((r) => String(r[0]));
    if (files === undefined || files.length === 0) return;
    err.message +=
      ` (the source's binlogs now run from ${files[0]} to ${files.at(-1)}: the transactions before them ` +
      `are gone; to start from the oldest anyway, start by position at ${files[0]}:4)`;
  }

  /** The FORMAT_DESCRIPTION of the file after a cut one: a server start's, or the stream fails. */
  #checkCutOff(pending: PendingCut, fde: FormatDescriptionEvent): void {
    if (fde.createTs === 0) {
      throw new ReplicationError(
        ErrorCode.ERR_BAD_EVENT,
        `binlog ${pending.cutFile} cannot be read to its end (${pending.err.serverMessage}), and ` +
          `${pending.file} was not opened at a server start: damage, not a crash's tail; not stepped over`,
        { cause: pending.err },
      );
    }
    this.#leaveFile(pending.file, fde);
  }

  /** A query over a connection of its own, cut short by close() and by the connect + read timeout. */
  /** SHOW BINARY LOGS (name, size, …), or undefined when it cannot be had: for what an error says. */
  #binaryLogs(): Promise<(string | null)[][] | undefined> {
    return this.#sideQuery('SHOW BINARY LOGS').then(
      (rows) => rows,
      () => undefined,
    );
  }

  #sideQuery(sql: string): Promise<(string | null)[][]> {
    const ms = (this.#o.connection.connectTimeout ?? 10_000) + Math.max(this.#o.readTimeout, 10_000);
    return this.#withDeadline(ms, `${sql}: no answer`, (signal) =>
      withConnection(this.#o, signal, (conn) => queryRows(conn, sql)),
    );
  }

  #push(ev: BinlogEvent | RawEvent, ack: Queued['ack'], resume = this.#resume.resumePoint): void {
    const se = ev as StreamEvent;
    se.file ??= '';
    se.position = { file: se.file, pos: se.pos };
    this.#queue.push({ ev: se, resume, ack }, queuedBytes(ev));
  }

  #taken(q: Queued): void {
    this.#consumerResume = q.resume;
    if (q.ack) this.#sendAck(q.ack);
  }

  #sendAck(ack: NonNullable<Queued['ack']>): void {
    if (ack.session !== this.#session || ack.session.conn.closed) return;
    // Sequence id 0, apart from the dump's inbound count (the source reads ACKs on their own).
    ack.session.conn.writeDetached(encodeSemiSyncAck(ack.file, ack.pos), 0).catch(() => undefined);
  }

  /** Looks the table of a TABLE_MAP up when it is not cached: a promise then, else undefined. */
  #lookupSchema(buf: Buffer): Promise<void> | undefined {
    const fmt = this.#parser.context.format;
    const postHeader = fmt.postHeaderLengths[TABLE_MAP_EVENT] || 8;
    const shape = tableMapShape(buf, fmt.headerLength, postHeader);
    if (!shape) return;
    const [schema, table] = [shape.schema, shape.table];
    // a table whose rows are not wanted needs no names
    if (this.#o.tables !== undefined && !this.#o.tables(schema, table)) return;
    const cache = (this.#schema ??= new SchemaCache((sql) => this.#schemaQuery(sql), {
      mariadb: this.#flavor === 'mariadb',
    }));
    if (!cache.has(schema, table)) {
      // after a failure, no new attempt for a while: each would hold the stream up
      if (Date.now() < this.#schemaRetryAt) return;
      return this.#loadSchema(cache, schema, table, shape.types.length).then((ok) => {
        if (ok) this.#checkColumns(cache, schema, table, shape.types);
      });
    }
    this.#checkColumns(cache, schema, table, shape.types);
    return undefined;
  }

  #checkColumns(cache: SchemaCache, schema: string, table: string, types: Buffer): void {
    // information_schema describes the table as it is now: for rows logged before a DDL it can have
    // other columns. Names are used only when they fit the table map (as many, of matching types, or
    // MariaDB's hidden fields after them); else @1, @2 …
    if (cache.expect(schema, table, types)) {
      this.#o.logger.warn(
        { table: `${schema}.${table}`, columns: types.length },
        "information_schema's columns do not fit the binlog's table map (a later DDL?): no column names",
      );
    }
  }

  /**
   * Loads `schema.table` into the cache over the schema connection (opened when needed), within the
   * connect timeout + the read timeout. Never throws: names are a convenience, and neither a source that
   * refuses a second connection (max_user_connections) nor one that does not answer may stop or hold up
   * the stream. A failure is logged; rows of that table keep @1, @2 … keys, and no lookup is tried for
   * SCHEMA_RETRY_MS. A connection left idle may have been dropped (wait_timeout): its failure is retried
   * once on a new connection.
   */
  async #loadSchema(cache: SchemaCache, schema: string, table: string, mapped: number): Promise<boolean> {
    const ms =
      (this.#o.connection.connectTimeout ?? 10_000) +
      (this.#o.readTimeout > 0 ? this.#o.readTimeout : 30_000);
    for (let attempt = 0; ; attempt++) {
      const reused = this.#schemaConn !== undefined;
      try {
        await this.#withDeadline(ms, `schema lookup of ${schema}.${table}: no answer`, async (signal) => {
          if (!this.#schemaConn) {
            const conn = await openConnection(this.#o, signal);
            if (this.#closed) {
              conn.destroy();
              return;
            }
            // MySQL 8.0.30+ may hide a generated invisible primary key (my_row_id) from information_schema
            // (show_gipk_in_create_table_and_information_schema=OFF); the table map has it
            if (this.#flavor === 'mysql')
              await conn
                .query('SET SESSION show_gipk_in_create_table_and_information_schema = ON', { signal })
                .catch((e: unknown) => {
                  if (!(e instanceof ServerError)) throw e; // older servers have no such variable
                });
            this.#schemaConn = conn;
          }
          this.#schemaSignal = signal;
          try {
            await cache.load(schema, table, mapped);
          } finally {
            this.#schemaSignal = undefined;
          }
        });
        return true;
      } catch (e) {
        this.#schemaConn?.destroy();
        this.#schemaConn = undefined;
        if (this.#closed) return false;
        if (reused && attempt === 0) continue;
        this.#schemaRetryAt = Date.now() + SCHEMA_RETRY_MS;
        this.#o.logger.warn(
          { table: `${schema}.${table}`, err: (e as Error).message, retryInMs: SCHEMA_RETRY_MS },
          'schema lookup failed: rows of tables not looked up yet keep @1, @2 … keys until one works',
        );
        return false;
      }
    }
  }

  /** SchemaCache's query: over the schema connection, cut short by #loadSchema's deadline. */
  #schemaQuery(sql: string): Promise<(string | null)[][]> {
    const conn = this.#schemaConn;
    if (!conn) return Promise.reject(new Error('no schema connection'));
    return queryRows(conn, sql, this.#schemaSignal);
  }

  #startWatchdog(): void {
    const limit = this.#o.readTimeout;
    if (limit <= 0) return;
    this.#watchdog = setInterval(
      () => {
        const s = this.#session;
        if (!s || !this.#waitingForPacket || this.#queue.paused) return;
        // any bytes count: an event of many MB on a slow link arrives in pieces for longer than the limit
        if (Date.now() - Math.max(this.#lastPacketAt, s.conn.lastDataAt) > limit) {
          s.conn.destroy(
            new TimeoutError(
              ErrorCode.ERR_READ_TIMEOUT,
              `no data from ${s.conn.endpoint} for ${limit} ms (read timeout)`,
            ),
          );
        }
      },
      Math.max(50, Math.min(1000, limit / 4)),
    );
    this.#watchdog.unref();
  }

  /** The events, for `for await`. One consumer at a time: the stream is a queue, not a broadcast. */
  [Symbol.asyncIterator](): AsyncIterator<StreamEvent> {
    const q = this.#queue;
    return {
      next: () => {
        // an event already queued: one settled promise, no async function around it
        const item = q.tryTake();
        if (item !== undefined) return Promise.resolve({ value: item.ev, done: false });
        return q
          .next()
          .then((r) => (r.done ? { value: undefined, done: true } : { value: r.value.ev, done: false }));
      },
      return: async () => {
        await q.return();
        return { value: undefined, done: true };
      },
    };
  }

  /** The stream as a Node Readable in object mode (backpressure through the same byte budget). */
  toReadable(): Readable {
    return Readable.from(this, { objectMode: true, highWaterMark: 16 });
  }

  /** Stops the dump (the source's dump thread ends with the connection), releases socket and timers. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  /** The reader ended by itself (end of log, error): release everything; close() awaits the rest. */
  #shutdown(): void {
    this.#closing ??= this.#close();
  }

  /** Resolves when the consumer has taken every queued event (or the stream closes). */
  #queueTaken(): Promise<void> {
    const signal = this.#life.signal;
    if (signal.aborted || this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.#queue.whenEmpty(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  /** A back-off wait that close() cuts short. */
  #sleep(ms: number): Promise<void> {
    const signal = this.#life.signal;
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  async #close(): Promise<void> {
    this.#closed = true;
    this.#life.abort(new AbortError('stream closed'));
    if (this.#watchdog) clearInterval(this.#watchdog);
    this.#watchdog = undefined;
    const d = this.#drained;
    this.#drained = undefined;
    d?.();
    const s = this.#session;
    s?.conn.destroy(new AbortError('stream closed'));
    this.#schemaConn?.destroy();
    this.#queue.end();
    // The reader stops promptly: its socket is gone and its waits are aborted. A session it was opening
    // is destroyed as soon as it exists, so nothing outlives close().
    await this.#done;
    const later = this.#session;
    if (later !== s) later?.conn.destroy();
    await Promise.all([s?.conn.whenClosed(), later?.conn.whenClosed(), this.#schemaConn?.whenClosed()]);
  }

  /** @internal Neither closed nor ended by itself yet (its dump may still run or reconnect). */
  get active(): boolean {
    return this.#closing === undefined;
  }

  /** @internal Resolves when the background reader has stopped. */
  get done(): Promise<void> {
    return this.#done ?? Promise.resolve();
  }
}
