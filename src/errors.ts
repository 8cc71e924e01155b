// Every error binlogsync throws is a BinlogSyncError with a stable `code`. Branch on `code`, never on
// `message`. Codes are part of the public API: renaming one is a breaking change.
// Messages never contain a password or other secret.

/**
 * Every error code binlogsync throws, as `err.code`. Stable: a rename is a breaking change, so branch on
 * these, never on `message`.
 *
 * @example
 * ```ts
 * try {
 *   await syncer.startSync('now');
 * } catch (e) {
 *   if (e instanceof BinlogSyncError && e.code === ErrorCode.ERR_AUTH_FAILED) askForAnotherPassword();
 *   else throw e;
 * }
 * ```
 */
export const ErrorCode = {
  // decoding (src/binlog, src/file)
  ERR_TRUNCATED: 'ERR_TRUNCATED',
  ERR_CHECKSUM_MISMATCH: 'ERR_CHECKSUM_MISMATCH',
  ERR_UNKNOWN_COLUMN_TYPE: 'ERR_UNKNOWN_COLUMN_TYPE',
  ERR_BAD_MAGIC: 'ERR_BAD_MAGIC',
  ERR_BAD_EVENT: 'ERR_BAD_EVENT',
  ERR_NO_FORMAT_DESCRIPTION: 'ERR_NO_FORMAT_DESCRIPTION',
  ERR_MISSING_TABLE_MAP: 'ERR_MISSING_TABLE_MAP',
  ERR_ENCRYPTED: 'ERR_ENCRYPTED',
  ERR_DECOMPRESS: 'ERR_DECOMPRESS',
  // connection and protocol (src/protocol)
  ERR_CONNECTION_REFUSED: 'ERR_CONNECTION_REFUSED',
  ERR_CONNECT_TIMEOUT: 'ERR_CONNECT_TIMEOUT',
  ERR_READ_TIMEOUT: 'ERR_READ_TIMEOUT',
  ERR_CONNECTION_CLOSED: 'ERR_CONNECTION_CLOSED',
  ERR_SOCKET: 'ERR_SOCKET',
  ERR_PROTOCOL: 'ERR_PROTOCOL',
  ERR_PACKET_SEQUENCE: 'ERR_PACKET_SEQUENCE',
  ERR_TLS: 'ERR_TLS',
  ERR_TLS_NOT_SUPPORTED: 'ERR_TLS_NOT_SUPPORTED',
  ERR_AUTH_FAILED: 'ERR_AUTH_FAILED',
  ERR_AUTH_PLUGIN_UNSUPPORTED: 'ERR_AUTH_PLUGIN_UNSUPPORTED',
  ERR_AUTH_INSECURE: 'ERR_AUTH_INSECURE',
  ERR_SERVER: 'ERR_SERVER',
  // lifecycle
  ERR_ABORTED: 'ERR_ABORTED',
  ERR_CLOSED: 'ERR_CLOSED',
  ERR_INVALID_OPTION: 'ERR_INVALID_OPTION',
  ERR_RECONNECT_EXHAUSTED: 'ERR_RECONNECT_EXHAUSTED',
  // replication (src/replication)
  /** The server has binary logging off (log_bin = OFF). */
  ERR_NO_BINLOG: 'ERR_NO_BINLOG',
  /** binlog_format is not ROW: the binlog has statements, not row changes. */
  ERR_NOT_ROW_FORMAT: 'ERR_NOT_ROW_FORMAT',
  /** semiSync was asked for but the source has no semi-sync enabled. */
  ERR_SEMI_SYNC_UNAVAILABLE: 'ERR_SEMI_SYNC_UNAVAILABLE',
  // GTIDs (src/gtid): text that is not a valid GTID, GTID set or GTID position, or a value out of range
  ERR_INVALID_GTID: 'ERR_INVALID_GTID',
  // row values (src/binlog/rows)
  /** A column value or its metadata contradicts the type's layout (bad DECIMAL digits, malformed JSON binary). */
  ERR_BAD_VALUE: 'ERR_BAD_VALUE',
  /** A character set name binlogsync cannot decode (not one of the servers' character sets). */
  ERR_UNKNOWN_CHARSET: 'ERR_UNKNOWN_CHARSET',
  /**
   * A MariaDB TIME/DATETIME/TIMESTAMP column in the old (pre-10.1, or mysql56_temporal_format=OFF)
   * formats whose fractional precision neither the binlog (it never logs it) nor a schema
   * (`values.schema` … `fsp`, `values.assumeFsp`) tells, and whose bytes do not read as precision 0 (the
   * reading used then): its width is unknown, so its rows cannot be read.
   */
  ERR_UNKNOWN_PRECISION: 'ERR_UNKNOWN_PRECISION',
  /**
   * backup(): the backup directory does not line up with the source (its last file is not a binlog, or an
   * event from the source does not start where the local file ends).
   */
  ERR_BACKUP_MISMATCH: 'ERR_BACKUP_MISMATCH',
} as const;
/** One of the {@link ErrorCode} strings. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * The base of every error binlogsync throws: a stable {@link ErrorCode} in `code`, the underlying error (a
 * socket error, the server's ERR packet, …) in `cause`. Messages never contain a password.
 */
export class BinlogSyncError extends Error {
  /** What went wrong, as a stable code. */
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
  /** The class name (`DecodeError`, `AuthError`, …), so that stack traces and logs say which. */
  override get name(): string {
    return this.constructor.name;
  }
}

/** Where a {@link DecodeError} happened, as far as the decoder knows. */
export interface DecodeErrorDetails {
  /** Absolute byte offset (in the file or the event buffer) where the problem was found. */
  offset?: number;
  /** Event type code being decoded, when known. */
  eventType?: number;
  /** Binlog file name, when known. */
  file?: string;
  /** Offset where the failing event starts, when known. */
  pos?: number;
  cause?: unknown;
}

/**
 * Bytes that do not decode: a truncated or corrupt event, a checksum mismatch, an unknown column type.
 * `file` / `pos` say which event, `offset` the byte where decoding stopped.
 */
export class DecodeError extends BinlogSyncError {
  offset: number | undefined;
  readonly eventType: number | undefined;
  file: string | undefined;
  pos: number | undefined;
  constructor(code: ErrorCode, message: string, details: DecodeErrorDetails = {}) {
    super(code, message, { cause: details.cause });
    this.offset = details.offset;
    this.eventType = details.eventType;
    this.file = details.file;
    this.pos = details.pos;
  }
}

/** The server sent something the client protocol does not allow (bad packet, wrong sequence id). */
export class ProtocolError extends BinlogSyncError {}
/** TLS could not be set up as asked: the server has no TLS, or its certificate does not verify. */
export class TlsError extends BinlogSyncError {}
/** The login failed: wrong password, unsupported auth plugin, or a password that would go in clear text. */
export class AuthError extends BinlogSyncError {}
/** No answer in time: connecting (`ERR_CONNECT_TIMEOUT`) or no packet for `readTimeout` (`ERR_READ_TIMEOUT`). */
export class TimeoutError extends BinlogSyncError {}
/** An AbortSignal fired (its reason is the `cause`), or the operation was stopped on purpose. */
export class AbortError extends BinlogSyncError {
  constructor(message = 'operation aborted', options?: { cause?: unknown }) {
    super(ErrorCode.ERR_ABORTED, message, options);
  }
}
/** The connection or stream was closed while something was still waiting on it. */
export class ClosedError extends BinlogSyncError {
  constructor(message = 'connection closed', options?: { cause?: unknown }) {
    super(ErrorCode.ERR_CLOSED, message, options);
  }
}
/** The server cannot be reached: refused, unreachable, or the socket failed. */
export class ConnectionError extends BinlogSyncError {}
/** The source cannot be followed as asked (binlog off, statement format, …). */
export class ReplicationError extends BinlogSyncError {}

/**
 * Invalid GTID text (MySQL GTID or GTID set, MariaDB GTID or position) or a GTID value out of range.
 * `input` is the text as given (cut to 200 characters), `index` the character where parsing failed.
 * Binary GTID sets that fail to decode throw DecodeError instead.
 */
export class GtidError extends BinlogSyncError {
  readonly input: string | undefined;
  readonly index: number | undefined;
  constructor(message: string, details: { input?: string; index?: number } = {}) {
    super(ErrorCode.ERR_INVALID_GTID, message);
    this.input = details.input === undefined ? undefined : details.input.slice(0, 200);
    this.index = details.index;
  }
}
/** An option or argument that cannot work (`ERR_INVALID_OPTION`), found before anything is sent. */
export class ConfigError extends BinlogSyncError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.ERR_INVALID_OPTION, message, options);
  }
}

/** An ERR packet from the server: errno, SQL state and message kept verbatim. */
export class ServerError extends BinlogSyncError {
  readonly errno: number;
  readonly sqlState: string;
  readonly serverMessage: string;
  constructor(errno: number, sqlState: string, serverMessage: string, context?: string) {
    super(
      ErrorCode.ERR_SERVER,
      `${context ? context + ': ' : ''}server error ${errno} (${oneLineText(sqlState, 5)}): ${oneLineText(serverMessage, 500)}`,
    );
    this.errno = errno;
    this.sqlState = sqlState;
    this.serverMessage = serverMessage;
  }
  /** The server's `ER_…` symbol for well-known codes, else undefined. */
  get symbol(): string | undefined {
    return SERVER_ERROR_SYMBOLS[this.errno];
  }
}

/**
 * Server text for a one-line message: control characters spelled out (`\x07`), line breaks as spaces,
 * at most `max` characters. The server's words are kept whole in `serverMessage`.
 */
function oneLineText(s: string, max: number): string {
  let t = s
    .replace(/\r?\n|\r|\t/g, ' ')
    // eslint-disable-next-line no-control-regex
    .replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  if (t.length > max) t = `${t.slice(0, max)}… (${s.length} characters)`;
  return t;
}

const SERVER_ERROR_SYMBOLS: Record<number, string> = {
  1044: 'ER_DBACCESS_DENIED_ERROR',
  1045: 'ER_ACCESS_DENIED_ERROR',
  1064: 'ER_PARSE_ERROR',
  1146: 'ER_NO_SUCH_TABLE',
  1193: 'ER_UNKNOWN_SYSTEM_VARIABLE',
  1227: 'ER_SPECIFIC_ACCESS_DENIED_ERROR',
  1236: 'ER_MASTER_FATAL_ERROR_READING_BINLOG',
  1251: 'ER_NOT_SUPPORTED_AUTH_MODE',
  1381: 'ER_NO_BINARY_LOGGING',
  1524: 'ER_PLUGIN_IS_NOT_LOADED',
  1698: 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR',
  1794: 'ER_SLAVE_CONFIGURATION',
  3159: 'ER_SECURE_TRANSPORT_REQUIRED',
};
