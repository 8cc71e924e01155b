// Public API of binlogsync. Only what is exported here is supported.
export * from './errors.js';

// Following a live server
export { BinlogSyncer, type StartPosition } from './replication/syncer.js';
export {
  BinlogStream,
  type StreamEvent,
  type RawEvent,
  type StreamStartOptions,
} from './replication/stream.js';
export type { BinlogSyncerOptions, Logger, ResolvedSyncerOptions } from './replication/options.js';
export type { ResumePoint } from './replication/resume.js';
export { backup, type BackupOptions, type BackupProgress, type BackupResult } from './replication/backup.js';
export type { ReconnectPolicy } from './replication/backoff.js';
export {
  evaluatePreflight,
  gatherServerFacts,
  type CheckItem,
  type CheckStatus,
  type Flavor,
  type QueryRows,
  type ServerFacts,
} from './replication/preflight.js';

// Decoding
export { BinlogParser, type EventInfo, type ParserStreamOptions } from './binlog/parser.js';
export type { ParserOptions, ValueOptions, SchemaColumn, SchemaProvider } from './binlog/options.js';
export type { TableFilter, TablePatterns, TablePredicate } from './binlog/table-filter.js';
export type * from './binlog/types.js';
export { JsonText, JsonDiffValue, type Row, type RowValue } from './binlog/rows/row-types.js';
export type { JsonValue, JsonDiff } from './binlog/rows/json-binary.js';
export { EventType, ColumnType } from './binlog/constants.js';
export { readBinlogFile, type ReadBinlogFileOptions } from './file/read-binlog-file.js';

// GTIDs
export * from './gtid/index.js';

// The wire protocol (a small MySQL/MariaDB client)
export {
  connect,
  Connection,
  type ConnectOptions,
  type ConnectionOptions,
  type AuthOptions,
  type TlsOptions,
  type TlsMode,
  type ServerInfo,
  type QueryResult,
  type CallOptions,
  type ColumnDefinition,
  type OkPacket,
  type Pem,
} from './protocol/index.js';
