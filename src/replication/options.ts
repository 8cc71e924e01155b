// BinlogSyncer options: the seed's BinlogSyncerConfig, grouped, validated once into a frozen object.
// `host`, `port`, `socketPath`, `user` and `password` may also be given at the top level (the common case).
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { resolveParserOptions, type ValueOptions } from '../binlog/options.js';
import { resolveTableFilter, type TableFilter, type TablePredicate } from '../binlog/table-filter.js';
import { ConfigError } from '../errors.js';
import {
  resolveConnectOptions,
  type AuthOptions,
  type ConnectionOptions,
  type TlsOptions,
} from '../protocol/options.js';
import { DEFAULT_RECONNECT, type ReconnectPolicy } from './backoff.js';

/** A pino-compatible logger (only these four methods are used). Silent by default. */
export interface Logger {
  /** Protocol detail: packets, negotiation. */
  debug(obj: object, msg?: string): void;
  /** Connections, dumps started, reconnects. */
  info(obj: object, msg?: string): void;
  /** Something the stream works around (a retry, a fallback). */
  warn(obj: object, msg?: string): void;
  /** A failure the stream ends with. */
  error(obj: object, msg?: string): void;
}

const SILENT: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Options of a {@link BinlogSyncer}. Only `serverId` and a user are required; `host` / `port` /
 * `socketPath` / `user` / `password` may be given here or in the `connection` and `auth` groups.
 */
export interface BinlogSyncerOptions {
  /** This replica's server_id: unique among the source's replicas, not 0. */
  serverId: number;
  /** Detected from the server's version when absent. */
  flavor?: 'mysql' | 'mariadb';
  /** Server host name or address (default localhost, unless `socketPath`). */
  host?: string;
  /** TCP port (default 3306). */
  port?: number;
  /** Unix socket path, instead of host and port. */
  socketPath?: string;
  /** User to log in as: needs REPLICATION SLAVE and REPLICATION CLIENT (MariaDB: BINLOG MONITOR). */
  user?: string;
  /** Its password (never logged, never in an error message). */
  password?: string;
  /** Connection settings (host, port, socket, timeouts); win over the top-level host / port / socketPath. */
  connection?: ConnectionOptions;
  /** Login settings (user, password, the server RSA key); win over `user` / `password`. */
  auth?: Partial<AuthOptions>;
  /** TLS mode and certificates. */
  tls?: TlsOptions;
  /**
   * Name this replica registers with (SHOW REPLICAS), at most 60 bytes; default the machine's host name
   * (cut to 60 bytes).
   */
  localhost?: string;
  /** Replica UUID sent as @slave_uuid / @replica_uuid; default a random one per syncer. */
  replicaUuid?: string;
  /** Ask for semi-synchronous replication and ACK each transaction once handed to the consumer. */
  semiSync?: boolean;
  /** Deliver undecoded events (`type: 'raw'`) instead of decoded ones. */
  rawMode?: boolean;
  /** Decoder value options (charsets, JSON representation, a caller-given schema). */
  values?: ValueOptions;
  /**
   * Only these tables' rows: `{ include, exclude }` globs over `schema.table` (`shop.*`, `*.orders`), or
   * a function `(schema, table) => boolean`. The TABLE_MAP and rows events of the other tables are
   * neither decoded nor delivered, nor are their columns looked up; everything else (transaction
   * boundaries, DDL, positions, the resume point) is as without it. Default: every table. Not with
   * `rawMode`.
   */
  tables?: TableFilter;
  /**
   * Where column names, charsets, signedness and ENUM/SET members come from when the binlog lacks them:
   * 'information_schema' (default: looked up over a second connection, cached, refreshed after DDL) or
   * 'off'. A schema given in `values.schema` wins.
   */
  schemaLookup?: 'information_schema' | 'off';
  /** Heartbeat period asked of the source, ms (default 10000; 0 = none). */
  heartbeatPeriod?: number;
  /** No packet for this long (ms) means the connection is dead (default 3 × heartbeatPeriod, or 60000). */
  readTimeout?: number;
  /** Reconnect policy; `false` ends the stream on the first connection loss. */
  reconnect?: Partial<ReconnectPolicy> | false;
  /**
   * Verify CRC32 checksums (default true). Without it, bytes damaged on the way (a plain-text link, a
   * faulty proxy) are caught only where they break an event's format: values can change unnoticed.
   */
  verifyChecksum?: boolean;
  /** Bytes of events buffered for a slow consumer before reading pauses (default 64 MiB). */
  maxBufferedBytes?: number;
  /** Deliver heartbeat events too (default false). */
  heartbeats?: boolean;
  /**
   * MariaDB: also deliver ANNOTATE_ROWS events (the statement text of row events; default false). They are
   * always asked of the source, to keep event offsets exact, and dropped here unless this is set.
   */
  annotateRows?: boolean;
  /** Where to log (pino-compatible); silent by default. */
  logger?: Logger;
}

/** {@link BinlogSyncerOptions} validated, with every default filled in ({@link BinlogSyncer.options}). */
export interface ResolvedSyncerOptions {
  readonly serverId: number;
  readonly flavor: 'mysql' | 'mariadb' | undefined;
  readonly connection: ConnectionOptions;
  readonly auth: AuthOptions;
  readonly tls: TlsOptions | undefined;
  readonly localhost: string;
  readonly replicaUuid: string;
  readonly semiSync: boolean;
  readonly rawMode: boolean;
  readonly values: ValueOptions;
  /** undefined: every table */
  readonly tables: TablePredicate | undefined;
  readonly schemaLookup: boolean;
  readonly heartbeatPeriod: number;
  readonly readTimeout: number;
  readonly reconnect: ReconnectPolicy;
  readonly verifyChecksum: boolean;
  readonly maxBufferedBytes: number;
  readonly heartbeats: boolean;
  readonly annotateRows: boolean;
  readonly logger: Logger;
}

function nonNegative(name: string, v: unknown, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
    throw new ConfigError(`${name} must be a number >= 0`);
  return v;
}

/**
 * The name registered with COM_REGISTER_SLAVE: servers keep 60 bytes of it (HOSTNAME_LENGTH of old
 * versions); MariaDB 10.5 aborts on a name of 190 bytes and MySQL 9.7 refuses 253, so longer is refused.
 */
const MAX_REPLICA_HOST_BYTES = 60;
function replicaHostName(given: string | undefined): string {
  if (given !== undefined) {
    if (Buffer.byteLength(given) > MAX_REPLICA_HOST_BYTES)
      throw new ConfigError(
        `localhost (the name registered with the source) is longer than ${MAX_REPLICA_HOST_BYTES} bytes`,
      );
    return given;
  }
  const name = hostname();
  return Buffer.byteLength(name) <= MAX_REPLICA_HOST_BYTES
    ? name
    : Buffer.from(name)
        .subarray(0, MAX_REPLICA_HOST_BYTES)
        .toString('utf8')
        .replace(/\uFFFD+$/, '');
}

export function resolveSyncerOptions(o: BinlogSyncerOptions): ResolvedSyncerOptions {
  if (typeof o !== 'object' || o === null) throw new ConfigError('BinlogSyncer needs an options object');
  const sid = o.serverId;
  if (!Number.isInteger(sid) || sid <= 0 || sid > 0xffffffff) {
    throw new ConfigError('serverId must be an integer from 1 to 4294967295 (0 is refused by the source)');
  }
  if (o.flavor !== undefined && o.flavor !== 'mysql' && o.flavor !== 'mariadb') {
    throw new ConfigError("flavor must be 'mysql' or 'mariadb'");
  }
  const connection: ConnectionOptions = {
    // Packets wait in the connection's queue only until the stream takes them: 1 MiB is plenty, and
    // keeps memory close to maxBufferedBytes.
    highWaterMark: 1024 * 1024,
    ...(o.host !== undefined ? { host: o.host } : {}),
    ...(o.port !== undefined ? { port: o.port } : {}),
    ...(o.socketPath !== undefined ? { socketPath: o.socketPath } : {}),
    ...o.connection,
  };
  const user = o.auth?.user ?? o.user;
  if (typeof user !== 'string' || user === '') throw new ConfigError('user is required');
  const auth: AuthOptions = { ...o.auth, user };
  // Non-enumerable: printing or serializing the options never shows the password.
  Object.defineProperty(auth, 'password', { value: o.auth?.password ?? o.password ?? '', enumerable: false });
  const heartbeatPeriod = nonNegative('heartbeatPeriod', o.heartbeatPeriod, 10_000);
  const readTimeout = nonNegative(
    'readTimeout',
    o.readTimeout,
    heartbeatPeriod > 0 ? heartbeatPeriod * 3 : 60_000,
  );
  if (readTimeout > 0 && heartbeatPeriod > 0 && readTimeout <= heartbeatPeriod) {
    throw new ConfigError('readTimeout must be longer than heartbeatPeriod');
  }
  const reconnect: ReconnectPolicy =
    o.reconnect === false
      ? { ...DEFAULT_RECONNECT, maxAttempts: 0 }
      : { ...DEFAULT_RECONNECT, ...o.reconnect };
  for (const k of ['maxAttempts', 'initialDelay', 'maxDelay', 'factor'] as const)
    nonNegative(`reconnect.${k}`, reconnect[k], 0);
  const maxBufferedBytes = nonNegative('maxBufferedBytes', o.maxBufferedBytes, 64 * 1024 * 1024);
  if (maxBufferedBytes < 64 * 1024) throw new ConfigError('maxBufferedBytes must be at least 64 KiB');
  const lookup = o.schemaLookup ?? 'information_schema';
  if (lookup !== 'information_schema' && lookup !== 'off') {
    throw new ConfigError("schemaLookup must be 'information_schema' or 'off'");
  }
  const tables = resolveTableFilter(o.tables);
  if (tables !== undefined && o.rawMode)
    throw new ConfigError('tables selects decoded rows: rawMode delivers every event undecoded');
  // the connection, TLS and value options are used only when a stream starts: checked now all the same,
  // so that every bad option is refused by the constructor
  resolveConnectOptions({ connection, auth, tls: o.tls });
  resolveParserOptions({ values: o.values });
  return Object.freeze({
    serverId: sid,
    flavor: o.flavor,
    connection,
    auth,
    tls: o.tls,
    localhost: replicaHostName(o.localhost),
    replicaUuid: o.replicaUuid ?? randomUUID(),
    semiSync: o.semiSync ?? false,
    rawMode: o.rawMode ?? false,
    values: o.values ?? {},
    tables,
    schemaLookup: lookup === 'information_schema' && o.values?.schema === undefined,
    heartbeatPeriod,
    readTimeout,
    reconnect,
    verifyChecksum: o.verifyChecksum ?? true,
    maxBufferedBytes,
    heartbeats: o.heartbeats ?? false,
    annotateRows: o.annotateRows ?? false,
    logger: o.logger ?? SILENT,
  });
}
