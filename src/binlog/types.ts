// The decoded event types: a discriminated union on `type` (the spec's snake_case names). Every event
// carries the common header part (EventHeader); the rest are the event's own fields.
import type { Buffer } from 'node:buffer';
import type { RowValue, Row } from './rows/row-types.js';

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
export type ChecksumName = 'off' | 'crc32' | 'undef';

export interface StartV3Event extends EventHeader {
  type: 'start_v3';
  binlogVersion: number;
  serverVersion: string;
  createTs: number;
}

export interface RotateEvent extends EventHeader {
  type: 'rotate';
  /** offset of the first event in the next file */
  nextPos: number;
  nextFile: string;
}

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

export interface QueryEvent extends EventHeader {
  type: 'query';
  threadId: number;
  execTime: number;
  errorCode: number;
  schema: string;
  query: string;
  statusVars: QueryStatusVars;
  /** MariaDB QUERY_COMPRESSED_EVENT */
  compressed?: boolean;
}

export interface IntvarEvent extends EventHeader {
  type: 'intvar';
  /** 1 LAST_INSERT_ID_EVENT, 2 INSERT_ID_EVENT */
  subtype: number;
  name: 'LAST_INSERT_ID' | 'INSERT_ID' | 'INVALID_INT';
  value: bigint;
}

export interface RandEvent extends EventHeader {
  type: 'rand';
  seed1: bigint;
  seed2: bigint;
}

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

export interface XidEvent extends EventHeader {
  type: 'xid';
  xid: bigint;
}

export interface StopEvent extends EventHeader {
  type: 'stop';
}

export interface IncidentEvent extends EventHeader {
  type: 'incident';
  incident: number;
  message: string;
}

export interface HeartbeatEvent extends EventHeader {
  type: 'heartbeat';
  version: 1 | 2;
  logFile: string;
  /** where the source is in logFile (v1: the header's log_pos; v2: the encoded position) */
  sourcePos: number;
}

export interface IgnorableEvent extends EventHeader {
  type: 'ignorable';
  raw: Buffer;
}

export interface RowsQueryEvent extends EventHeader {
  type: 'rows_query';
  query: string;
}

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
}

export interface RowsExtraInfo {
  ndb?: Buffer;
  partitionId?: number;
  sourcePartitionId?: number;
  /** extra-info type codes not understood */
  unknown?: number[];
}

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
}
export interface WriteRowsEvent extends RowsEventBase {
  type: 'write_rows';
  rows: Row[];
}
export interface DeleteRowsEvent extends RowsEventBase {
  type: 'delete_rows';
  rows: Row[];
}
export interface UpdateRowsEvent extends RowsEventBase {
  type: 'update_rows';
  columnsPresentAfter: boolean[];
  rows: UpdateRow[];
}
export interface PartialUpdateRowsEvent extends RowsEventBase {
  type: 'partial_update_rows';
  columnsPresentAfter: boolean[];
  rows: UpdateRow[];
}
export type RowsEvent = WriteRowsEvent | DeleteRowsEvent | UpdateRowsEvent | PartialUpdateRowsEvent;

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

export interface GtidInterval {
  /** first GNO */
  start: bigint;
  /** last GNO, inclusive */
  end: bigint;
}
export interface GtidSetEntry {
  uuid: string;
  tag: string;
  intervals: GtidInterval[];
}

export interface PreviousGtidsEvent extends EventHeader {
  type: 'previous_gtids';
  gtidSet: GtidSetEntry[];
  /** canonical text: uuid:1-5:tag:3,uuid2:1 */
  gtidSetText: string;
  tagged: boolean;
}

export interface TransactionContextEvent extends EventHeader {
  type: 'transaction_context';
  serverUuid: string;
  threadId: number;
  gtidSpecified: boolean;
  snapshotVersion: Buffer;
  writeSet: string[];
  readSet: string[];
}

export interface ViewChangeEvent extends EventHeader {
  type: 'view_change';
  viewId: string;
  seqNumber: bigint;
  certificationInfo: [string, string][];
}

export interface XaPrepareEvent extends EventHeader {
  type: 'xa_prepare';
  onePhase: boolean;
  formatId: number;
  gtrid: Buffer;
  bqual: Buffer;
}

export interface TransactionPayloadEvent extends EventHeader {
  type: 'transaction_payload';
  compression: 'zstd' | 'none' | number;
  payloadSize: number;
  uncompressedSize: number;
  /** the (compressed) payload bytes; a view */
  data: Buffer;
}

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

export interface AppendBlockEvent extends EventHeader {
  type: 'append_block' | 'begin_load_query';
  fileId: number;
  block: Buffer;
}

export interface ExecLoadEvent extends EventHeader {
  type: 'exec_load' | 'delete_file';
  fileId: number;
}

export interface ExecuteLoadQueryEvent extends EventHeader {
  type: 'execute_load_query';
  threadId: number;
  execTime: number;
  errorCode: number;
  schema: string;
  query: string;
  statusVars: QueryStatusVars;
  fileId: number;
  startPos: number;
  endPos: number;
  dupHandling: number;
}

export interface MariadbAnnotateRowsEvent extends EventHeader {
  type: 'mariadb_annotate_rows';
  query: string;
}
export interface MariadbBinlogCheckpointEvent extends EventHeader {
  type: 'mariadb_binlog_checkpoint';
  binlogFile: string;
}
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
export interface MariadbGtidListEvent extends EventHeader {
  type: 'mariadb_gtid_list';
  listFlags: number;
  gtids: { domainId: number; serverId: number; seqNo: bigint }[];
  gtidListText: string;
}
export interface MariadbStartEncryptionEvent extends EventHeader {
  type: 'mariadb_start_encryption';
  scheme: number;
  keyVersion: number;
  nonce: Buffer;
}

export interface UnknownEvent extends EventHeader {
  type: 'unknown';
  raw: Buffer;
}

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
