// Client/server protocol constants, with the servers' names.
// Sources: mysql-server include/mysql_com.h (CLIENT_*, SERVER_STATUS_*, enum_server_command), 8.4;
// MariaDB server include/mysql_com.h (MARIADB_CLIENT_*, CLIENT_MYSQL), 10.11.
//
// Capability flags are 32-bit: test them with `(caps & FLAG) !== 0` (bit 31 makes `&` negative).

export const CLIENT = {
  /** MySQL: CLIENT_LONG_PASSWORD. MariaDB reads this bit as CLIENT_MYSQL: unset = extended capabilities. */
  CLIENT_LONG_PASSWORD: 1,
  CLIENT_FOUND_ROWS: 2,
  CLIENT_LONG_FLAG: 4,
  CLIENT_CONNECT_WITH_DB: 8,
  CLIENT_NO_SCHEMA: 16,
  CLIENT_COMPRESS: 32,
  CLIENT_ODBC: 64,
  CLIENT_LOCAL_FILES: 128,
  CLIENT_IGNORE_SPACE: 256,
  CLIENT_PROTOCOL_41: 512,
  CLIENT_INTERACTIVE: 1024,
  CLIENT_SSL: 2048,
  CLIENT_IGNORE_SIGPIPE: 4096,
  CLIENT_TRANSACTIONS: 8192,
  CLIENT_RESERVED: 16384,
  /** Also named CLIENT_RESERVED2: 4.1 authentication (scramble in two parts, length-prefixed response). */
  CLIENT_SECURE_CONNECTION: 32768,
  CLIENT_MULTI_STATEMENTS: 1 << 16,
  CLIENT_MULTI_RESULTS: 1 << 17,
  CLIENT_PS_MULTI_RESULTS: 1 << 18,
  CLIENT_PLUGIN_AUTH: 1 << 19,
  CLIENT_CONNECT_ATTRS: 1 << 20,
  CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA: 1 << 21,
  CLIENT_CAN_HANDLE_EXPIRED_PASSWORDS: 1 << 22,
  CLIENT_SESSION_TRACK: 1 << 23,
  CLIENT_DEPRECATE_EOF: 1 << 24,
  CLIENT_OPTIONAL_RESULTSET_METADATA: 1 << 25,
  CLIENT_ZSTD_COMPRESSION_ALGORITHM: 1 << 26,
  CLIENT_QUERY_ATTRIBUTES: 1 << 27,
  MULTI_FACTOR_AUTHENTICATION: 1 << 28,
  CLIENT_CAPABILITY_EXTENSION: 1 << 29,
  CLIENT_SSL_VERIFY_SERVER_CERT: 1 << 30,
  CLIENT_REMEMBER_OPTIONS: 2 ** 31,
} as const;

/** MariaDB's extended capabilities (the upper 32 bits, sent in the last 4 reserved bytes). */
export const MARIADB_CLIENT = {
  MARIADB_CLIENT_PROGRESS: 1,
  MARIADB_CLIENT_COM_MULTI: 2,
  MARIADB_CLIENT_STMT_BULK_OPERATIONS: 4,
  MARIADB_CLIENT_EXTENDED_METADATA: 8,
  MARIADB_CLIENT_CACHE_METADATA: 16,
  MARIADB_CLIENT_BULK_UNIT_RESULTS: 32,
} as const;

export const SERVER_STATUS = {
  SERVER_STATUS_IN_TRANS: 1,
  SERVER_STATUS_AUTOCOMMIT: 2,
  SERVER_MORE_RESULTS_EXISTS: 8,
  SERVER_QUERY_NO_GOOD_INDEX_USED: 16,
  SERVER_QUERY_NO_INDEX_USED: 32,
  SERVER_STATUS_CURSOR_EXISTS: 64,
  SERVER_STATUS_LAST_ROW_SENT: 128,
  SERVER_STATUS_DB_DROPPED: 256,
  SERVER_STATUS_NO_BACKSLASH_ESCAPES: 512,
  SERVER_STATUS_METADATA_CHANGED: 1024,
  SERVER_QUERY_WAS_SLOW: 2048,
  SERVER_PS_OUT_PARAMS: 4096,
  SERVER_STATUS_IN_TRANS_READONLY: 8192,
  SERVER_SESSION_STATE_CHANGED: 16384,
} as const;

/** Command bytes (enum_server_command). */
export const COM = {
  COM_SLEEP: 0x00,
  COM_QUIT: 0x01,
  COM_INIT_DB: 0x02,
  COM_QUERY: 0x03,
  COM_PING: 0x0e,
  COM_BINLOG_DUMP: 0x12,
  COM_REGISTER_SLAVE: 0x15,
  COM_BINLOG_DUMP_GTID: 0x1e,
} as const;

/** First payload byte of the generic response packets. */
export const PACKET = {
  OK: 0x00,
  AUTH_MORE_DATA: 0x01,
  LOCAL_INFILE: 0xfb,
  EOF: 0xfe,
  AUTH_SWITCH_REQUEST: 0xfe,
  ERR: 0xff,
} as const;

/** Largest payload of one physical packet; a payload this long is continued in the next packet. */
export const MAX_PACKET_PAYLOAD = 0xffffff;

/** utf8mb4_general_ci: exists under this id in every MySQL >= 5.5 and MariaDB, fits the 1-byte field. */
export const UTF8MB4_GENERAL_CI = 45;

/**
 * What binlogsync asks for (intersected with what the server offers). No CLIENT_MULTI_STATEMENTS /
 * MULTI_RESULTS (one result per query), no LOCAL_FILES (a server can never read our files), no
 * COMPRESS, no SESSION_TRACK (OK packets keep their plain `info` tail).
 */
export const CLIENT_WANTED =
  CLIENT.CLIENT_LONG_PASSWORD |
  CLIENT.CLIENT_LONG_FLAG |
  CLIENT.CLIENT_PROTOCOL_41 |
  CLIENT.CLIENT_TRANSACTIONS |
  CLIENT.CLIENT_SECURE_CONNECTION |
  CLIENT.CLIENT_PLUGIN_AUTH |
  CLIENT.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA |
  CLIENT.CLIENT_CONNECT_ATTRS |
  CLIENT.CLIENT_DEPRECATE_EOF;

/** Without these the server speaks a pre-4.1 protocol binlogsync does not implement. */
export const CLIENT_REQUIRED = CLIENT.CLIENT_PROTOCOL_41 | CLIENT.CLIENT_SECURE_CONNECTION;

export function hasFlag(flags: number, flag: number): boolean {
  return (flags & flag) !== 0;
}
