// BinlogSyncer: follow a MySQL or MariaDB server's binary log as a replica.
//
//   const syncer = new BinlogSyncer({ host, port, user, password, serverId: 1001 });
//   const stream = await syncer.startSync({ file: 'binlog.000001', pos: 4 }); // or startSyncGtid(set), startSync('now')
//   for await (const event of stream) { … }
//   await syncer.close();
import { ClosedError, ConfigError, GtidError } from '../errors.js';
import type { Connection } from '../protocol/connection.js';
import { MariadbGtidPosition } from '../gtid/mariadb-gtid.js';
import { MysqlGtidSet } from '../gtid/mysql-gtid-set.js';
import { resolveSyncerOptions, type BinlogSyncerOptions, type ResolvedSyncerOptions } from './options.js';
import {
  currentPosition,
  destroyOnAbort,
  mariadbGtidAt,
  openConnection,
  setupDeadline,
  validateStartFile,
  withDeadline,
  withSetupConnection,
} from './session.js';
import { BinlogStream, type StreamStartOptions } from './stream.js';

/** Where {@link BinlogSyncer.startSync} begins: a binlog file and the offset of an event in it, or the end of the log. */
export type StartPosition = { file: string; pos: number } | 'now';

/**
 * Follows a MySQL or MariaDB server's binary log as a replica does: each `startSync` / `startSyncGtid`
 * registers with the source and returns a {@link BinlogStream} of decoded events that survives connection
 * losses (it reconnects and resumes exactly once). One stream at a time: the source knows a replica by
 * its server id (MySQL: and its UUID) and ends the older of two dumps with the same ones, so a second
 * `startSync` while a stream runs is a ConfigError (close it first, or use another syncer with another
 * `serverId`). `close()` ends the stream.
 *
 * The user needs REPLICATION SLAVE and REPLICATION CLIENT (MariaDB: BINLOG MONITOR), and SELECT on the
 * tables when column names come from information_schema. `binlogsync check` says what is missing.
 *
 * @example
 * ```ts
 * import { BinlogSyncer } from 'binlogsync';
 *
 * const syncer = new BinlogSyncer({ host: 'db', user: 'repl', password, serverId: 1001 });
 * const stream = await syncer.startSync('now');
 * for await (const ev of stream) {
 *   if (ev.type === 'write_rows') for (const row of ev.rows) console.log(ev.schema, ev.table, row);
 *   await saveCheckpoint(stream.resumePoint); // where to start again: moves at commits only
 * }
 * await syncer.close();
 * ```
 */
export class BinlogSyncer {
  /** The options as validated, with every default filled in. */
  readonly options: ResolvedSyncerOptions;
  readonly #streams = new Set<BinlogStream>();
  /** a stream is being opened (the one-stream rule holds while it logs in) */
  #starting = false;
  #closed = false;
  /** sourcePosition()'s connection, kept between calls, and the chain that runs them one at a time. */
  #positionConn: Connection | undefined;
  #positionQueue: Promise<void> = Promise.resolve();
  /** aborted by close(): a start or a sourcePosition() call in progress stops at once */
  readonly #life = new AbortController();
  /** starts in progress, which close() waits for (settled) */
  readonly #starts = new Set<Promise<unknown>>();

  constructor(options: BinlogSyncerOptions) {
    this.options = resolveSyncerOptions(options);
  }

  /**
   * Streams from a file position, or from the current end of the log (`'now'`). Resolves once the dump
   * runs (logged in, checks passed), so that a wrong password or a missing binlog rejects here.
   * On MySQL, `'now'` reads the position and the executed GTID set of one moment from
   * performance_schema.log_status, which needs BACKUP_ADMIN; without it, from SHOW BINARY LOG STATUS,
   * whose GTID set can lack transactions committing at that instant (a warning is logged).
   *
   * @example
   * ```ts
   * // resume where a previous run stopped (a ResumePoint saved from stream.resumePoint)
   * const saved = JSON.parse(await readFile('checkpoint.json', 'utf8'));
   * const stream = await syncer.startSync({ file: saved.file, pos: saved.pos });
   * ```
   */
  startSync(start: StartPosition, so: StreamStartOptions = {}): Promise<BinlogStream> {
    return this.#track(() => this.#startSync(start, so));
  }

  async #startSync(start: StartPosition, so: StreamStartOptions): Promise<BinlogStream> {
    const { flavor, point } = await withSetupConnection(
      this.options,
      'starting: no answer from the source',
      [so.signal, this.#life.signal],
      (conn) => this.#startPoint(conn, start),
    );
    return this.#open({ mode: 'position', ...point }, so, flavor);
  }

  /** Where startSync begins: the end of the log for 'now', else the position given (with its GTID state on MariaDB). */
  async #startPoint(
    conn: Connection,
    start: StartPosition,
  ): Promise<{ flavor: 'mysql' | 'mariadb'; point: { file: string; pos: number; gtid?: string } }> {
    const flavor = this.options.flavor ?? conn.server.flavor;
    if (start === 'now') {
      const { gtidExact, ...at } = await currentPosition(conn, flavor, true);
      if (gtidExact === false) {
        this.options.logger.warn(
          { file: at.file, pos: at.pos },
          "startSync('now'): the GTID set is SHOW BINARY LOG STATUS's, read apart from the position: it can " +
            'lack transactions committing at this moment; grant BACKUP_ADMIN for performance_schema.log_status',
        );
      }
      return { flavor, point: at };
    }
    if (typeof start !== 'object' || start === null)
      throw new ConfigError("startSync takes { file, pos } or 'now'");
    validateStartFile(start.file, start.pos);
    const point: { file: string; pos: number; gtid?: string } = { file: start.file, pos: start.pos };
    // MariaDB can say which GTID state a position corresponds to: resume points then carry it.
    if (flavor === 'mariadb') {
      const g = await mariadbGtidAt(conn, start.file, start.pos);
      if (g !== undefined) point.gtid = g;
    }
    return { flavor, point };
  }

  /**
   * Streams every transaction not in `gtid`: a MySQL GTID set (`uuid:1-5,uuid:tag:1-3`) or a MariaDB GTID
   * position (`0-1-100,1-2-7`). Reconnects resume by GTID.
   */
  startSyncGtid(
    gtid: string | MysqlGtidSet | MariadbGtidPosition,
    so: StreamStartOptions = {},
  ): Promise<BinlogStream> {
    return this.#track(() => this.#startSyncGtid(gtid, so));
  }

  async #startSyncGtid(
    gtid: string | MysqlGtidSet | MariadbGtidPosition,
    so: StreamStartOptions,
  ): Promise<BinlogStream> {
    const flavor =
      this.options.flavor ??
      (await withSetupConnection(
        this.options,
        'starting: no answer from the source',
        [so.signal, this.#life.signal],
        (conn) => Promise.resolve(conn.server.flavor),
      ));
    // surrounding blanks (a pasted value, `--gtid ' '`) are no part of either form
    const text = (typeof gtid === 'string' ? gtid : gtid.toString()).trim();
    // Validate (and normalize) before connecting: a typo is a ConfigError / GtidError, not a server error.
    const normalized = parseGtidFor(flavor, text);
    return this.#open({ mode: 'gtid', file: '', pos: 4, gtid: normalized }, so, flavor);
  }

  async #open(
    start: { mode: 'position' | 'gtid'; file: string; pos: number; gtid?: string },
    so: StreamStartOptions,
    flavor: 'mysql' | 'mariadb',
  ): Promise<BinlogStream> {
    if (this.#starting || [...this.#streams].some((s) => s.active)) {
      throw new ConfigError(
        `a stream of this syncer (server id ${this.options.serverId}) is still running: the source would end ` +
          'one of two dumps with the same server id; close it first, or use another BinlogSyncer with another serverId',
      );
    }
    const stream = new BinlogStream(this.options, start, so, flavor);
    this.#starting = true;
    try {
      await stream.open([so.signal, this.#life.signal]);
    } finally {
      this.#starting = false;
    }
    if (this.#closed) {
      await stream.close();
      throw new ClosedError('the BinlogSyncer was closed while the stream started');
    }
    this.#streams.add(stream);
    void stream.done.then(() => this.#streams.delete(stream));
    return stream;
  }

  /**
   * The source's current end of log (SHOW BINARY LOG STATUS / SHOW MASTER STATUS). The connection is kept
   * for the next call (a status line asks every second) and closed by `close()`; calls run one at a
   * time, and a failed one drops the connection, so the next call opens a new one.
   */
  sourcePosition(signal?: AbortSignal): Promise<{ file: string; pos: number; gtid?: string }> {
    const run = this.#positionQueue.then(() => {
      this.#assertOpen();
      return withDeadline(
        setupDeadline(this.options),
        'reading the source position: no answer from the source',
        [signal, this.#life.signal],
        async (s) => {
          let conn = this.#positionConn;
          if (!conn || conn.closed) {
            conn = await openConnection(this.options, s);
            if (this.#closed) {
              conn.destroy();
              this.#assertOpen();
            }
            this.#positionConn = conn;
          }
          const c = conn;
          // aborted (close(), the caller, the deadline): the connection goes, and the query with it
          const unwatch = destroyOnAbort(c, s);
          try {
            return await currentPosition(c, this.options.flavor ?? c.server.flavor);
          } catch (e) {
            c.destroy();
            if (this.#positionConn === c) this.#positionConn = undefined;
            throw e;
          } finally {
            unwatch();
          }
        },
      );
    });
    this.#positionQueue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  #assertOpen(): void {
    if (this.#closed) throw new ConfigError('this BinlogSyncer is closed');
  }

  /** Runs a start, which close() stops and waits for. */
  #track(start: () => Promise<BinlogStream>): Promise<BinlogStream> {
    if (this.#closed) return Promise.reject(new ConfigError('this BinlogSyncer is closed'));
    const p = start();
    this.#starts.add(p);
    const forget = (): void => void this.#starts.delete(p);
    p.then(forget, forget);
    return p;
  }

  /**
   * Closes every stream: dump connections, lookup connections and timers. A start in progress stops
   * (its promise rejects with ERR_CLOSED or ERR_ABORTED) and is waited for. Idempotent.
   */
  async close(): Promise<void> {
    this.#closed = true;
    this.#life.abort(new ClosedError('the BinlogSyncer was closed'));
    const conn = this.#positionConn;
    this.#positionConn = undefined;
    await Promise.all([
      ...[...this.#streams].map((s) => s.close()),
      conn?.close().catch(() => conn.destroy()),
      ...[...this.#starts].map((p) => p.catch(() => undefined)),
    ]);
    this.#streams.clear();
  }
}

/**
 * The start GTID in the source's own form, canonical. The other flavor's form (a checkpoint of another
 * server, a flavor option that does not match) is named as such rather than as a bad character.
 */
function parseGtidFor(flavor: 'mysql' | 'mariadb', text: string): string {
  try {
    return flavor === 'mysql'
      ? MysqlGtidSet.parse(text).toString()
      : MariadbGtidPosition.parse(text).toString();
  } catch (e) {
    if (!(e instanceof GtidError)) throw e;
    try {
      if (flavor === 'mysql') MariadbGtidPosition.parse(text);
      else MysqlGtidSet.parse(text);
    } catch {
      throw e;
    }
    const shown = text.length > 80 ? `${text.slice(0, 77)}...` : text;
    throw new GtidError(
      flavor === 'mysql'
        ? `"${shown}" is a MariaDB GTID position, and the source is MySQL: start from a MySQL GTID set (uuid:1-5), or a file and position`
        : `"${shown}" is a MySQL GTID set, and the source is MariaDB: start from a MariaDB GTID position (domain-server-seq), or a file and position`,
      { input: text },
    );
  }
}
