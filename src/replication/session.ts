// One replication connection: connect, check the source, register as a replica exactly as a real one
// does, and send the dump command. What follows on the connection is the binlog stream.
//
// Registration, in the order MySQL's and MariaDB's own replicas use (sql/rpl_replica.cc get_master_version_
// and_clock, MariaDB sql/slave.cc get_master_version_and_clock / request_dump):
//   SET @master_binlog_checksum / @source_binlog_checksum = @@global.binlog_checksum   (checksum negotiation)
//   SET @mariadb_slave_capability = 4                        (MariaDB: MARIA_SLAVE_CAPABILITY_GTID)
//   SET @master_heartbeat_period / @source_heartbeat_period  (nanoseconds)
//   SET @slave_uuid / @replica_uuid
//   SET @rpl_semi_sync_slave / @rpl_semi_sync_replica = 1    (semi-sync, when the source has it on)
//   SET @slave_connect_state, @slave_gtid_strict_mode        (MariaDB GTID start)
//   COM_REGISTER_SLAVE, then COM_BINLOG_DUMP or COM_BINLOG_DUMP_GTID.
import {
  AbortError,
  ConfigError,
  ErrorCode,
  ReplicationError,
  ServerError,
  TimeoutError,
} from '../errors.js';
import { MysqlGtidSet } from '../gtid/mysql-gtid-set.js';
import { connect } from '../protocol/connect.js';
import type { Connection } from '../protocol/connection.js';
import { decodeErrPacket, isErrPacket } from '../protocol/server-error.js';
import {
  BINLOG_DUMP_NON_BLOCK,
  BINLOG_SEND_ANNOTATE_ROWS_EVENT,
  dumpStartPast4GiB,
  encodeComBinlogDump,
  encodeComBinlogDumpGtid,
  encodeComRegisterSlave,
  MAX_DUMP_POS,
  SEMI_SYNC_INDICATOR,
  SEMI_SYNC_NEED_ACK,
} from './commands.js';
import type { ResolvedSyncerOptions } from './options.js';
import { sqlText } from './schema-cache.js';

export type Flavor = 'mysql' | 'mariadb';

/** Where a dump starts: a file position, or (GTID mode) the transactions already seen. */
export type DumpStart = { mode: 'position'; file: string; pos: number } | { mode: 'gtid'; gtid: string };

export interface Session {
  conn: Connection;
  flavor: Flavor;
  serverVersion: string;
  checksum: 'crc32' | 'off';
  semiSync: boolean;
  connectionId: number;
  /** When the source started (ms since the epoch, from its Uptime): tells a restart from a reconnect. */
  serverStartedAt: number;
}

async function serverStartedAt(conn: Connection, signal?: AbortSignal): Promise<number> {
  const rows = await queryRows(conn, "SHOW GLOBAL STATUS LIKE 'Uptime'", signal);
  return Date.now() - Number(rows[0]?.[1] ?? 0) * 1000;
}

export async function openConnection(o: ResolvedSyncerOptions, signal?: AbortSignal): Promise<Connection> {
  return connect({
    connection: o.connection,
    auth: o.auth,
    tls: o.tls,
    signal,
    attributes: { program_name: 'binlogsync' },
  });
}

/**
 * Runs `f` with a signal that aborts when any of `signals` does, and after `ms` (when > 0): then `f`'s
 * failure is an ERR_READ_TIMEOUT (`what` within `ms` ms). A source that accepts the connection and then
 * stops answering (frozen, overloaded, shutting down) would otherwise hold the caller for ever: the read
 * timeout only watches a running dump.
 */
export async function withDeadline<T>(
  ms: number,
  what: string,
  signals: readonly (AbortSignal | undefined)[],
  f: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const ac = new AbortController();
  const links: [AbortSignal, () => void][] = [];
  for (const s of signals) {
    if (s === undefined) continue;
    if (s.aborted) {
      ac.abort(s.reason);
      break;
    }
    const onAbort = (): void => ac.abort(s.reason);
    s.addEventListener('abort', onAbort, { once: true });
    links.push([s, onAbort]);
  }
  const timeout = new TimeoutError(ErrorCode.ERR_READ_TIMEOUT, `${what} within ${ms} ms`);
  const timer = ms > 0 ? setTimeout(() => ac.abort(timeout), ms) : undefined;
  try {
    return await f(ac.signal);
  } catch (e) {
    throw ac.signal.reason === timeout ? timeout : e;
  } finally {
    clearTimeout(timer);
    for (const [s, onAbort] of links) s.removeEventListener('abort', onAbort);
  }
}

/** How long a login and the setup queries after it may take: the connect timeout plus the read timeout. */
export function setupDeadline(o: ResolvedSyncerOptions): number {
  return o.readTimeout > 0 ? (o.connection.connectTimeout ?? 10_000) + o.readTimeout : 0;
}

/**
 * Destroys `conn` when `signal` aborts (now, if it has), so that a query waiting on it fails at once;
 * returns the function that stops watching.
 */
export function destroyOnAbort(conn: Connection, signal: AbortSignal): () => void {
  const onAbort = (): void =>
    conn.destroy(signal.reason instanceof Error ? signal.reason : new AbortError('aborted'));
  if (signal.aborted) onAbort();
  signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}

/** A connection of its own for the length of `f`, destroyed when `signal` aborts, closed after. */
export async function withConnection<T>(
  o: ResolvedSyncerOptions,
  signal: AbortSignal,
  f: (conn: Connection) => Promise<T>,
): Promise<T> {
  const conn = await openConnection(o, signal);
  const unwatch = destroyOnAbort(conn, signal);
  try {
    return await f(conn);
  } finally {
    unwatch();
    await conn.close().catch(() => conn.destroy());
  }
}

/**
 * withConnection under the setup deadline and `signals` (a start point, a flavor, the file list): a
 * source that stops answering after the login costs at most the connect timeout plus the read timeout.
 */
export function withSetupConnection<T>(
  o: ResolvedSyncerOptions,
  what: string,
  signals: readonly (AbortSignal | undefined)[],
  f: (conn: Connection) => Promise<T>,
): Promise<T> {
  return withDeadline(setupDeadline(o), what, signals, (signal) => withConnection(o, signal, f));
}

export async function queryRows(
  conn: Connection,
  sql: string,
  signal?: AbortSignal,
): Promise<(string | null)[][]> {
  const r = await conn.query(sql, { signal });
  return r.rows;
}

async function globals(
  conn: Connection,
  names: string[],
  signal?: AbortSignal,
): Promise<Record<string, string>> {
  const list = names.map((n) => `'${n}'`).join(', ');
  const rows = await queryRows(conn, `SHOW GLOBAL VARIABLES WHERE Variable_name IN (${list})`, signal);
  const out: Record<string, string> = {};
  for (const [k, v] of rows) if (k) out[k.toLowerCase()] = v ?? '';
  return out;
}

/** The source's current end of log: file, position and (when GTIDs are on) the executed GTIDs. */
export interface CurrentPosition {
  file: string;
  pos: number;
  gtid?: string;
  /**
   * MySQL: false when the GTID set comes from the status row, read apart from the position, so that it can
   * miss transactions committing at that moment (see currentPosition).
   */
  gtidExact?: boolean;
}

/**
 * The source's current end of log. `exact` (a start point): on MySQL the position and the executed GTIDs
 * of one moment, from performance_schema.log_status (8.0.14+, needs BACKUP_ADMIN), which holds the commit
 * pipeline while it reads both. The status row reads its Executed_Gtid_Set apart from the position, and
 * a transaction the binlog already holds gets into gtid_executed only at the commit stage, after the
 * write: under a busy writer the set can lack the last transactions before the position (measured on
 * MySQL 9.7: 18 of 200 reads), and a resume by that set would hand them out once more. Without
 * BACKUP_ADMIN (or before 8.0.14) the status row is used and `gtidExact` is false.
 */
export async function currentPosition(
  conn: Connection,
  flavor: Flavor,
  exact = false,
): Promise<CurrentPosition> {
  const status = async (): Promise<(string | null)[][]> => {
    try {
      return await queryRows(conn, 'SHOW BINARY LOG STATUS'); // MySQL 8.2+, MariaDB 10.5.2+ (SHOW BINLOG STATUS)
    } catch (e) {
      if (!(e instanceof ServerError) || e.errno !== 1064) throw e;
      return queryRows(conn, 'SHOW MASTER STATUS');
    }
  };
  if (flavor === 'mariadb') return mariadbCurrentPosition(conn, status);
  if (exact) {
    const local = await logStatus(conn);
    if (local !== undefined) return local;
  }
  const row = (await status())[0];
  if (!row || !row[0]) throw noBinlog();
  const out: CurrentPosition = { file: row[0], pos: Number(row[1]) };
  const executed = (row[4] ?? '').trim();
  if (executed !== '') {
    out.gtid = MysqlGtidSet.parse(executed).toString();
    if (exact) out.gtidExact = false;
  }
  return out;
}

/**
 * MySQL's performance_schema.log_status LOCAL column, {"gtid_executed": …, "binary_log_file": …,
 * "binary_log_position": …}, or undefined when the server will not give it (no such table before 8.0.14,
 * no BACKUP_ADMIN: error 1142) or it names no binlog file.
 */
async function logStatus(conn: Connection): Promise<CurrentPosition | undefined> {
  let text: string | null | undefined;
  try {
    text = (await queryRows(conn, 'SELECT LOCAL FROM performance_schema.log_status'))[0]?.[0];
  } catch (e) {
    if (e instanceof ServerError) return undefined;
    throw e;
  }
  let local: { gtid_executed?: unknown; binary_log_file?: unknown; binary_log_position?: unknown };
  try {
    local = JSON.parse(text ?? '') as typeof local;
  } catch {
    return undefined;
  }
  if (typeof local.binary_log_file !== 'string' || local.binary_log_file === '') return undefined;
  if (typeof local.binary_log_position !== 'number') return undefined;
  const out: CurrentPosition = { file: local.binary_log_file, pos: local.binary_log_position };
  const executed = typeof local.gtid_executed === 'string' ? local.gtid_executed.trim() : '';
  if (executed !== '') out.gtid = MysqlGtidSet.parse(executed).toString();
  return out;
}

function noBinlog(): ReplicationError {
  return new ReplicationError(
    ErrorCode.ERR_NO_BINLOG,
    'the source reports no binary log position (is log_bin on?)',
  );
}

/**
 * MariaDB's end of log and its GTID position, of the same moment: the status row has no GTIDs, and a
 * commit between it and @@gtid_binlog_pos would put into the state a transaction the position is before
 * (a resume by GTID would skip it). The position read between two equal GTID states is that state's; on a
 * source too busy for that, BINLOG_GTID_POS of the position (which reads the binlog file up to it).
 */
async function mariadbCurrentPosition(
  conn: Connection,
  status: () => Promise<(string | null)[][]>,
): Promise<{ file: string; pos: number; gtid: string }> {
  const state = async (): Promise<string> =>
    (await queryRows(conn, 'SELECT @@global.gtid_binlog_pos'))[0][0] ?? '';
  let before = await state();
  for (let attempt = 0; ; attempt++) {
    const row = (await status())[0];
    if (!row || !row[0]) throw noBinlog();
    const at = { file: row[0], pos: Number(row[1]) };
    const after = await state();
    if (after === before) return { ...at, gtid: after };
    if (attempt === 4) return { ...at, gtid: (await mariadbGtidAt(conn, at.file, at.pos)) ?? after };
    before = after;
  }
}

/** MariaDB: the GTID position of a file offset (BINLOG_GTID_POS), or undefined. */
export async function mariadbGtidAt(
  conn: Connection,
  file: string,
  pos: number,
): Promise<string | undefined> {
  try {
    const [[g]] = await queryRows(conn, `SELECT BINLOG_GTID_POS(${sqlText(file)}, ${Math.floor(pos)})`);
    return g ?? undefined;
  } catch {
    return undefined; // an offset that is not an event boundary: no GTID state, position only
  }
}

export interface OpenSessionArgs {
  start: DumpStart;
  nonBlocking: boolean;
  /** Check log_bin / binlog_format and report clearly (first connection only). */
  preflight: boolean;
  /** The previous dump connection of ours, to kill first if the source still runs it (reconnect). */
  previous?: { connectionId: number; serverStartedAt: number };
  signal?: AbortSignal;
}

export async function openSession(o: ResolvedSyncerOptions, a: OpenSessionArgs): Promise<Session> {
  const conn = await openConnection(o, a.signal);
  try {
    const flavor: Flavor = o.flavor ?? conn.server.flavor;
    const q = (sql: string): Promise<(string | null)[][]> => queryRows(conn, sql, a.signal);
    const started = await serverStartedAt(conn, a.signal);
    if (a.previous !== undefined && Math.abs(started - a.previous.serverStartedAt) < 5000) {
      // The source may still run our previous dump thread (it notices a dead peer late). Connection ids
      // start again from 1 when a server restarts, so kill only on the same server run, and only a dump.
      const id = a.previous.connectionId;
      const rows = await q(`SELECT COMMAND FROM information_schema.PROCESSLIST WHERE ID = ${id}`).catch(
        () => [],
      );
      if (/^Binlog Dump/i.test(rows[0]?.[0] ?? '')) await q(`KILL CONNECTION ${id}`).catch(() => undefined);
    }
    const v = await globals(
      conn,
      [
        'log_bin',
        'binlog_format',
        'binlog_checksum',
        'rpl_semi_sync_master_enabled',
        'rpl_semi_sync_source_enabled',
      ],
      a.signal,
    );
    if (a.preflight) {
      if (!/^(ON|1)$/i.test(v.log_bin ?? '')) {
        throw new ReplicationError(
          ErrorCode.ERR_NO_BINLOG,
          `${conn.endpoint} has binary logging off (log_bin=${v.log_bin ?? 'OFF'}): start it with log_bin`,
        );
      }
      // raw events (raw mode, backup) are bytes whatever the format: only decoded rows need ROW
      if (!o.rawMode && (v.binlog_format ?? '').toUpperCase() !== 'ROW') {
        throw new ReplicationError(
          ErrorCode.ERR_NOT_ROW_FORMAT,
          `${conn.endpoint} has binlog_format=${v.binlog_format}: row events need binlog_format=ROW`,
        );
      }
    }
    const checksum = (v.binlog_checksum ?? 'NONE').toUpperCase() === 'CRC32' ? 'crc32' : 'off';
    await q(
      'SET @master_binlog_checksum = @@global.binlog_checksum, @source_binlog_checksum = @@global.binlog_checksum',
    );
    if (flavor === 'mariadb') await q('SET @mariadb_slave_capability = 4');
    if (o.heartbeatPeriod > 0) {
      const ns = BigInt(Math.round(o.heartbeatPeriod)) * 1_000_000n;
      await q(`SET @master_heartbeat_period = ${ns}, @source_heartbeat_period = ${ns}`);
    }
    await q(`SET @slave_uuid = ${sqlText(o.replicaUuid)}, @replica_uuid = ${sqlText(o.replicaUuid)}`);
    let semiSync = false;
    if (o.semiSync) {
      const setting = v.rpl_semi_sync_source_enabled ?? v.rpl_semi_sync_master_enabled;
      const enabled = /^(ON|1)$/i.test(setting ?? '');
      // At the start, a source without semi-sync is the user's mistake. On a reconnect it may have been
      // switched off meanwhile: go on as MySQL's own replica does (semisync_replica_plugin.cc), a
      // semi-sync replica whenever the source has the setting at all, so that its ACKs resume when the
      // source turns semi-sync on again.
      if (!enabled && a.preflight) {
        throw new ReplicationError(
          ErrorCode.ERR_SEMI_SYNC_UNAVAILABLE,
          `semiSync asked for, but ${conn.endpoint} has no semi-sync source enabled (rpl_semi_sync_source_enabled / rpl_semi_sync_master_enabled)`,
        );
      }
      if (!enabled) {
        o.logger.warn(
          { endpoint: conn.endpoint, setting: setting ?? '(none)' },
          'semi-sync is off on the source now: streaming without ACKs until it is on again',
        );
      }
      if (setting !== undefined) {
        await q('SET @rpl_semi_sync_slave = 1, @rpl_semi_sync_replica = 1');
        semiSync = true;
      }
    }
    if (a.start.mode === 'gtid' && flavor === 'mariadb') {
      await q(`SET @slave_connect_state = ${sqlText(a.start.gtid)}`);
      await q('SET @slave_gtid_strict_mode = 1, @slave_gtid_ignore_duplicates = 0');
    }

    await conn.writeCommand(
      encodeComRegisterSlave({
        serverId: o.serverId,
        hostname: o.localhost,
        user: '',
        password: '',
        port: 0,
      }),
    );
    const reply = await conn.readPacket({ signal: a.signal });
    if (isErrPacket(reply)) {
      const e = decodeErrPacket(reply, 'register as replica');
      // Logged in, then refused: MySQL and MariaDB answer "Access denied" (1045) or 1227 to an account
      // without REPLICATION SLAVE, which reads like a wrong password. Say what is missing.
      if (e.errno === 1045 || e.errno === 1227) {
        throw new ServerError(
          e.errno,
          e.sqlState,
          e.serverMessage,
          `register as replica at ${conn.endpoint}: the account lacks the REPLICATION SLAVE privilege`,
        );
      }
      throw e;
    }

    const flags =
      (a.nonBlocking ? BINLOG_DUMP_NON_BLOCK : 0) |
      // MariaDB: always, and the stream drops them unless annotateRows. A source that leaves them out
      // leaves a hole in the file offsets, and MariaDB 11.4+ writes end_log_pos 0 inside transactions,
      // so the events after it could not be placed.
      (flavor === 'mariadb' ? BINLOG_SEND_ANNOTATE_ROWS_EVENT : 0);
    if (a.start.mode === 'position') {
      let { file, pos } = a.start;
      if (pos > MAX_DUMP_POS) {
        const logs = await queryRows(conn, 'SHOW BINARY LOGS', a.signal);
        ({ file, pos } = dumpStartPast4GiB(
          file,
          pos,
          logs.map(([f, size]) => ({ file: f ?? '', size: Number(size) })),
        ));
      }
      await conn.writeCommand(encodeComBinlogDump({ serverId: o.serverId, file, pos, flags }));
    } else if (flavor === 'mariadb') {
      await conn.writeCommand(encodeComBinlogDump({ serverId: o.serverId, file: '', pos: 4, flags }));
    } else {
      const set = MysqlGtidSet.parse(a.start.gtid);
      await conn.writeCommand(
        encodeComBinlogDumpGtid({ serverId: o.serverId, file: '', pos: 4, flags, gtidData: set.encode() }),
      );
    }
    if (semiSync) {
      // The source restarts its sequence ids after each event that asks for an ACK (see setSequenceRule).
      conn.setSequenceRule((p) =>
        p.length >= 3 && p[0] === 0x00 && p[1] === SEMI_SYNC_INDICATOR && p[2] === SEMI_SYNC_NEED_ACK
          ? 1
          : undefined,
      );
    }
    return {
      conn,
      flavor,
      serverVersion: conn.server.serverVersion,
      checksum,
      semiSync,
      connectionId: conn.server.connectionId,
      serverStartedAt: started,
    };
  } catch (e) {
    conn.destroy();
    throw e;
  }
}

export function validateStartFile(file: string, pos: number): void {
  if (typeof file !== 'string' || !Number.isInteger(pos) || pos < 4) {
    throw new ConfigError('start position needs a file name and a pos >= 4');
  }
}
