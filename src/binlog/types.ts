// The decoded event types: a discriminated union on `type` (the spec's snake_case names). Every event
// carries the common header part (EventHeader); the rest are the event's own fields.
import type { Buffer } from 'node:buffer';
import type { RowValue, Row } from './rows/row-types.js';

/** What every decoded event has: its type, place in the binlog, timestamp and origin (the common header). */
export interface EventHeader {
  /** spec name of the event type */
  type: string;
  /** raw event type code */
  code: number;
  /** file path as given to the reader, or the server's binlog name */
  file: string | undefined;
  /** offset where the event starts */
  pos: number;
  /** offset just past this event (pos + event length); for events inside a payload, the payload's */
  next: number;
  /** the header's end_log_pos as written */
  logPos: number;
  /** header timestamp, seconds */
  ts: number;
  serverId: number;
  /** common-header flags (LOG_EVENT_*_F) */
  flags: number;
  /** for events inside a TRANSACTION_PAYLOAD: the payload event's pos */
  payload?: number;
}

/**
 * FORMAT_DESCRIPTION_EVENT: the first event of every binlog file; says how the events after it are laid out
 * (header length, checksum) and which server wrote them.
 */
export interface FormatDescriptionEvent extends EventHeader {
  type: 'format_description';
  binlogVersion: number;
  serverVersion: string;
  createTs: number;
  headerLength: number;
  postHeaderLengths: Uint8Array;
  checksumAlg: ChecksumName;
  flavor: 'mysql' | 'mariadb';
}
/** The event checksum algorithm a FORMAT_DESCRIPTION announces (`undef`: a server older than checksums). */
export type ChecksumName = 'off' | 'crc32' | 'undef';

/** START_EVENT_V3: the first event of binlog versions 1 and 3 (MySQL before 5.0). */
export interface StartV3Event extends EventHeader {
  type: 'start_v3';
  binlogVersion: number;
  serverVersion: string;
  createTs: number;
}

/**
 * ROTATE_EVENT: the log continues in `nextFile` at `nextPos` (at the end of a file, and the fake one that
 * opens a dump).
 */
export interface RotateEvent extends EventHeader {
  type: 'rotate';
  /** offset of the first event in the next file */
  nextPos: number;
  nextFile: string;
}

/** A QUERY_EVENT's status variables: the session state the statement ran with (SQL mode, charsets, time zone, …). */
export interface QueryStatusVars {
  flags2?: number;
  sqlMode?: bigint;
  catalog?: string;
  autoIncrementIncrement?: number;
  autoIncrementOffset?: number;
  charsetClient?: number;
  collationConnection?: number;
  collationServer?: number;
  timeZone?: string;
  lcTimeNames?: number;
  charsetDatabase?: number;
  tableMapForUpdate?: bigint;
  masterDataWritten?: number;
  invokerUser?: string;
  invokerHost?: string;
  /** null when the server wrote "more databases than fit" (OVER_MAX_DBS_IN_EVENT_MTS) */
  updatedDbNames?: string[] | null;
  commitTs?: bigint;
  microseconds?: number;
  explicitDefaultsTs?: boolean;
  ddlXid?: bigint;
  defaultCollationForUtf8mb4?: number;
  sqlRequirePrimaryKey?: number;
  defaultTableEncryption?: number;
  enableCascadeTriggers?: number;
  /** MariaDB Q_HRNOW: microseconds part of the statement time */
  hrnow?: number;
  /** MariaDB Q_XID */
  xid?: bigint;
  /** MariaDB Q_GTID_FLAGS3 */
  gtidFlags3?: number;
  saSeqNo?: bigint;
  /** MariaDB Q_CHARACTER_SET_COLLATIONS: [charset id, collation id] pairs */
  characterSetCollations?: [number, number][];
  /** code of the first status variable not understood (parsing stopped there, as the server does) */
  unknownCode?: number;
}

/** The fields QUERY_EVENT and EXECUTE_LOAD_QUERY_EVENT share. */
export interface QueryCommonFields extends EventHeader {
  threadId: number;
  execTime: number;
  errorCode: number;
  schema: string;
  /**
   * The statement, decoded in the client's character_set_client (statusVars.charsetClient); UTF-8 when
   * that is unknown.
   */
  query: string;
  /** The statement's bytes, only when they are not valid in that charset (so `query` has U+FFFD). */
  queryBytes?: Buffer;
  statusVars: QueryStatusVars;
}

/** QUERY_EVENT: a statement as text: DDL, BEGIN / COMMIT, or a change under binlog_format=STATEMENT. */
export interface QueryEvent extends QueryCommonFields {
  type: 'query';
  /** MariaDB QUERY_COMPRESSED_EVENT */
  compressed?: boolean;
}

/** INTVAR_EVENT: LAST_INSERT_ID() or an AUTO_INCREMENT value for the statement that follows. */
export interface IntvarEvent extends EventHeader {
  type: 'intvar';
  /** 1 LAST_INSERT_ID_EVENT, 2 INSERT_ID_EVENT */
  subtype: number;
  name: 'LAST_INSERT_ID' | 'INSERT_ID' | 'INVALID_INT';
  value: bigint;
}

/** RAND_EVENT: the RAND() seeds for the statement that follows. */
export interface RandEvent extends EventHeader {
  type: 'rand';
  seed1: bigint;
  seed2: bigint;
}

/** USER_VAR_EVENT: a user variable (`@name`) the statement that follows reads. */
export interface UserVarEvent extends EventHeader {
  type: 'user_var';
  name: string;
  isNull: boolean;
  valueType: 'string' | 'real' | 'int' | 'row' | 'decimal' | 'unknown';
  charset?: number;
  /** string: bytes (Buffer); real: number; int: bigint; decimal: string */
  value: Buffer | number | bigint | string | null;
  unsigned?: boolean;
}

/** XID_EVENT: the commit of a transaction on a transactional engine (InnoDB). Ends a transaction. */
export interface XidEvent extends EventHeader {
  type: 'xid';
  xid: bigint;
}

/** STOP_EVENT: the server stopped (the last event of a file closed by a shutdown). */
export interface StopEvent extends EventHeader {
  type: 'stop';
}

/** INCIDENT_EVENT: something happened on the source that a replica cannot replay (e.g. a lost event). */
export interface IncidentEvent extends EventHeader {
  type: 'incident';
  incident: number;
  message: string;
}

/** HEARTBEAT_LOG_EVENT (v1 and v2): the source has nothing to send; delivered only with the `heartbeats` option. */
export interface HeartbeatEvent extends EventHeader {
  type: 'heartbeat';
  version: 1 | 2;
  logFile: string;
  /** where the source is in logFile (v1: the header's log_pos; v2: the encoded position) */
  sourcePos: number;
}

/** IGNORABLE_LOG_EVENT, or an event whose header says it may be ignored: kept as bytes. */
export interface IgnorableEvent extends EventHeader {
  type: 'ignorable';
  raw: Buffer;
}

/** The statement text of MySQL's ROWS_QUERY and MariaDB's ANNOTATE_ROWS. */
export interface AnnotationFields extends EventHeader {
  /**
   * The statement. The event names no charset: it is decoded in the character_set_client of a QUERY
   * event earlier in the transaction (MySQL's BEGIN), else as UTF-8 when valid, else as latin1 (a guess).
   */
  query: string;
  /** The statement's bytes, only when `query` may not give them back: invalid in that charset, or latin1 guessed. */
  queryBytes?: Buffer;
}

/** ROWS_QUERY_LOG_EVENT (MySQL, binlog_rows_query_log_events=ON): the statement text of the row events after it. */
export interface RowsQueryEvent extends AnnotationFields {
  type: 'rows_query';
}

/**
 * A column of a table map, with what is known of it: name, type, charset, signedness, ENUM/SET members
 * (from the binlog's metadata, the schema lookup, or the caller's schema).
 */
export interface ColumnDef {
  index: number;
  name: string | undefined;
  /** the key of this column in row objects: the name, else `@<index+1>` */
  key: string;
  /** type code as written in the table map */
  type: number;
  /** real type after the STRING metadata quirk (ENUM/SET/STRING) */
  realType: number;
  meta: number;
  nullable: boolean;
  unsigned: boolean | undefined;
  /** collation id, when known */
  collation: number | undefined;
  /** charset name, when known */
  charset: string | undefined;
  enumValues: string[] | undefined;
  setValues: string[] | undefined;
  geometryType: number | undefined;
  visible: boolean | undefined;
  vectorDimensions: number | undefined;
}

/** TABLE_MAP_EVENT optional metadata (MySQL 8.0+, MariaDB 10.5+): as much as binlog_row_metadata logs. */
export interface TableMapOptionalMetadata {
  signedness?: boolean[];
  defaultCharset?: { collation: number; pairs: [number, number][] };
  columnCharsets?: number[];
  columnNames?: string[];
  setValues?: string[][];
  enumValues?: string[][];
  geometryTypes?: number[];
  primaryKey?: { column: number; prefix: number }[];
  enumSetDefaultCharset?: { collation: number; pairs: [number, number][] };
  enumSetColumnCharsets?: number[];
  visibility?: boolean[];
  vectorDimensions?: number[];
  /** optional metadata field types not understood (skipped by their length) */
  unknown?: number[];
}

/**
 * TABLE_MAP_EVENT: maps a table id to `schema.table` and its column types, for the row events that follow.
 * A table's map logged again unchanged shares its arrays and `columns` with the one before: read-only.
 */
export interface TableMapEvent extends EventHeader {
  type: 'table_map';
  tableId: number;
  tableFlags: number;
  schema: string;
  table: string;
  columnCount: number;
  columnTypes: number[];
  columnMeta: number[];
  nullable: boolean[];
  metadata: TableMapOptionalMetadata;
  /** per-column definitions resolved from the table map (and the caller's schema, if given) */
  columns: ColumnDef[];
  /** the `tables` option leaves this table out: its rows events are not decoded */
  skipped?: true;
}

/** The extra-row-info field of v2 rows events (NDB data, the partition the row is in). */
export interface RowsExtraInfo {
  /** NDB Cluster's block: its data, and its format byte */
  ndb?: Buffer;
  ndbFormat?: number;
  partitionId?: number;
  sourcePartitionId?: number;
  /** extra-info type codes not understood */
  unknown?: number[];
}

/** One changed row of an update: the row before and after (in MINIMAL images, only the logged columns). */
export interface UpdateRow {
  before: Row;
  after: Row;
}

interface RowsEventBase extends EventHeader {
  /** 0 for pre-GA codes 20-22, 1, or 2 */
  version: 0 | 1 | 2;
  tableId: number;
  rowsFlags: number;
  schema: string;
  table: string;
  extra?: RowsExtraInfo;
  /** which columns the (before) image carries */
  columnsPresent: boolean[];
  /** MariaDB *_ROWS_COMPRESSED_EVENT */
  compressed?: boolean;
  tableMap: TableMapEvent;
  /** the `tables` option leaves this table out: the rows were not decoded (`rows` is empty) */
  skipped?: true;
}
/** WRITE_ROWS_EVENT: rows inserted into `schema.table`. */
export interface WriteRowsEvent extends RowsEventBase {
  type: 'write_rows';
  rows: Row[];
}
/** DELETE_ROWS_EVENT: rows deleted from `schema.table`, as they were. */
export interface DeleteRowsEvent extends RowsEventBase {
  type: 'delete_rows';
  rows: Row[];
}
/** UPDATE_ROWS_EVENT: rows of `schema.table` changed, each before and after. */
export interface UpdateRowsEvent extends RowsEventBase {
  type: 'update_rows';
  columnsPresentAfter: boolean[];
  rows: UpdateRow[];
}
/**
 * PARTIAL_UPDATE_ROWS_EVENT (MySQL 8.0, binlog_row_value_options=PARTIAL_JSON): an update whose JSON columns
 * may come as a list of changes ({@link JsonDiffValue}) rather than the whole document.
 */
export interface PartialUpdateRowsEvent extends RowsEventBase {
  type: 'partial_update_rows';
  columnsPresentAfter: boolean[];
  rows: UpdateRow[];
}
/** Any of the four row change events. */
export type RowsEvent = WriteRowsEvent | DeleteRowsEvent | UpdateRowsEvent | PartialUpdateRowsEvent;

/**
 * GTID_LOG_EVENT / ANONYMOUS_GTID_LOG_EVENT / GTID_TAGGED_LOG_EVENT (MySQL): the GTID of the transaction that
 * follows, with its commit timestamps.
 */
export interface GtidEvent extends EventHeader {
  type: 'gtid' | 'anonymous_gtid' | 'gtid_tagged';
  gtidFlags: number;
  uuid: string;
  /** empty for untagged GTIDs */
  tag: string;
  gno: bigint;
  /** "uuid:gno" or "uuid:tag:gno"; "ANONYMOUS" for anonymous_gtid */
  gtid: string;
  lastCommitted?: number;
  sequenceNumber?: number;
  /** microseconds since the epoch */
  immediateCommitTimestamp?: number;
  originalCommitTimestamp?: number;
  transactionLength?: number;
  immediateServerVersion?: number;
  originalServerVersion?: number;
  commitGroupTicket?: bigint;
}

/** A range of transaction numbers (GNOs) of one source, both ends included. */
export interface GtidInterval {
  /** first GNO */
  start: bigint;
  /** last GNO, inclusive */
  end: bigint;
}
/** The intervals of one source UUID (and tag) in a GTID set. */
export interface GtidSetEntry {
  uuid: string;
  tag: string;
  intervals: GtidInterval[];
}

/** PREVIOUS_GTIDS_LOG_EVENT (MySQL): the GTIDs of every transaction in the files before this one. */
export interface PreviousGtidsEvent extends EventHeader {
  type: 'previous_gtids';
  gtidSet: GtidSetEntry[];
  /** canonical text: uuid:1-5:tag:3,uuid2:1 */
  gtidSetText: string;
  tagged: boolean;
}

/** TRANSACTION_CONTEXT_EVENT (MySQL group replication): the write set certified for a transaction. */
export interface TransactionContextEvent extends EventHeader {
  type: 'transaction_context';
  serverUuid: string;
  threadId: number;
  gtidSpecified: boolean;
  snapshotVersion: Buffer;
  writeSet: string[];
  readSet: string[];
}

/** VIEW_CHANGE_EVENT (MySQL group replication): the group membership changed. */
export interface ViewChangeEvent extends EventHeader {
  type: 'view_change';
  viewId: string;
  seqNumber: bigint;
  certificationInfo: [string, string][];
}

/** XA_PREPARE_LOG_EVENT (MySQL): XA PREPARE (or XA COMMIT … ONE PHASE). Ends a transaction in the binlog. */
export interface XaPrepareEvent extends EventHeader {
  type: 'xa_prepare';
  onePhase: boolean;
  formatId: number;
  gtrid: Buffer;
  bqual: Buffer;
}

/**
 * TRANSACTION_PAYLOAD_EVENT (MySQL 8.0.20+, binlog_transaction_compression=ON): a whole transaction's events,
 * compressed. The stream and the file reader deliver the events inside after it (`payload` set on them);
 * {@link BinlogParser.payloadEvents} decodes them by hand.
 */
export interface TransactionPayloadEvent extends EventHeader {
  type: 'transaction_payload';
  compression: 'zstd' | 'none' | number;
  payloadSize: number;
  uncompressedSize: number;
  /** the (compressed) payload bytes; a view */
  data: Buffer;
}

/** LOAD_EVENT / NEW_LOAD_EVENT / CREATE_FILE_EVENT (MySQL before 5.0): LOAD DATA INFILE, old style. */
export interface LoadEvent extends EventHeader {
  type: 'load' | 'new_load' | 'create_file';
  threadId: number;
  execTime: number;
  skipLines: number;
  fieldCount: number;
  fieldTerm: Buffer;
  enclosed: Buffer;
  lineTerm: Buffer;
  lineStart: Buffer;
  escaped: Buffer;
  optFlags: number;
  emptyFlags: number;
  fields: string[];
  table: string;
  schema: string;
  fileName: string;
  fileId?: number;
  block?: Buffer;
}

/** APPEND_BLOCK_EVENT / BEGIN_LOAD_QUERY_EVENT: a block of the file a LOAD DATA INFILE reads. */
export interface AppendBlockEvent extends EventHeader {
  type: 'append_block' | 'begin_load_query';
  fileId: number;
  block: Buffer;
}

/** EXEC_LOAD_EVENT / DELETE_FILE_EVENT (MySQL before 5.0): run or drop a LOAD DATA file. */
export interface ExecLoadEvent extends EventHeader {
  type: 'exec_load' | 'delete_file';
  fileId: number;
}

/** EXECUTE_LOAD_QUERY_EVENT: the LOAD DATA INFILE statement over the blocks sent before. */
export interface ExecuteLoadQueryEvent extends QueryCommonFields {
  type: 'execute_load_query';
  fileId: number;
  /** where the file name starts and ends in the statement: byte offsets into its bytes (in its charset) */
  startPos: number;
  endPos: number;
  dupHandling: number;
}

/** ANNOTATE_ROWS_EVENT (MariaDB): the statement text of the row events after it; delivered with `annotateRows`. */
export interface MariadbAnnotateRowsEvent extends AnnotationFields {
  type: 'mariadb_annotate_rows';
}
/** BINLOG_CHECKPOINT_EVENT (MariaDB): the oldest file crash recovery still needs. */
export interface MariadbBinlogCheckpointEvent extends EventHeader {
  type: 'mariadb_binlog_checkpoint';
  binlogFile: string;
}
/** GTID_EVENT (MariaDB): starts a transaction (or a standalone DDL statement) and says its GTID. */
export interface MariadbGtidEvent extends EventHeader {
  type: 'mariadb_gtid';
  domainId: number;
  seqNo: bigint;
  /** "domain-server-seq" */
  gtid: string;
  gtidFlags: number;
  commitId?: bigint;
  xid?: { formatId: number; gtrid: Buffer; bqual: Buffer };
  flagsExtra?: number;
  extraEngines?: number;
  saSeqNo?: bigint;
  threadId?: number;
  standalone: boolean;
}
/** GTID_LIST_EVENT (MariaDB): the last GTID of every domain and server in the files before this one. */
export interface MariadbGtidListEvent extends EventHeader {
  type: 'mariadb_gtid_list';
  listFlags: number;
  gtids: { domainId: number; serverId: number; seqNo: bigint }[];
  gtidListText: string;
}
/** START_ENCRYPTION_EVENT (MariaDB): the rest of the file is encrypted (a file reader stops with ERR_ENCRYPTED). */
export interface MariadbStartEncryptionEvent extends EventHeader {
  type: 'mariadb_start_encryption';
  scheme: number;
  keyVersion: number;
  nonce: Buffer;
}

/** An event type code binlogsync does not know: data, not an error; `raw` has its body. */
export interface UnknownEvent extends EventHeader {
  type: 'unknown';
  raw: Buffer;
}

/**
 * Every decoded event: a union discriminated on `type`.
 *
 * @example
 * ```ts
 * function describe(ev: BinlogEvent): string {
 *   switch (ev.type) {
 *     case 'write_rows':
 *       return `${ev.rows.length} rows into ${ev.schema}.${ev.table}`;
 *     case 'query':
 *       return ev.query;
 *     default:
 *       return ev.type;
 *   }
 * }
 * ```
 */
export type BinlogEvent =
  | FormatDescriptionEvent
  | StartV3Event
  | RotateEvent
  | QueryEvent
  | IntvarEvent
  | RandEvent
  | UserVarEvent
  | XidEvent
  | StopEvent
  | IncidentEvent
  | HeartbeatEvent
  | IgnorableEvent
  | RowsQueryEvent
  | TableMapEvent
  | RowsEvent
  | GtidEvent
  | PreviousGtidsEvent
  | TransactionContextEvent
  | ViewChangeEvent
  | XaPrepareEvent
  | TransactionPayloadEvent
  | LoadEvent
  | AppendBlockEvent
  | ExecLoadEvent
  | ExecuteLoadQueryEvent
  | MariadbAnnotateRowsEvent
  | MariadbBinlogCheckpointEvent
  | MariadbGtidEvent
  | MariadbGtidListEvent
  | MariadbStartEncryptionEvent
  | UnknownEvent;

export type { RowValue, Row };
