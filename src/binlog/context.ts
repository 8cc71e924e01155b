// DecodeContext: everything a decoder may need from earlier events — the format description in force
// (header length, post-header lengths, checksum algorithm, flavor), the table-map cache and whether a
// MariaDB START_ENCRYPTION was seen. Decoders keep no module state; the parser owns one context.
import { ChecksumAlg, EventType } from './constants.js';
import type { ResolvedOptions } from './options.js';
import type { TableMapEvent } from './types.js';

export interface FormatState {
  binlogVersion: number;
  /** common header length: 13 (v1), 19 (v3/v4) or larger (skip the extra) */
  headerLength: number;
  /** post-header length per event type code (index = code); absent codes read as 0 */
  postHeaderLengths: Uint8Array;
  /** ChecksumAlg.OFF / CRC32 / UNDEF (no checksum) */
  checksumAlg: number;
  serverVersion: string;
  flavor: 'mysql' | 'mariadb';
  /** true once a FORMAT_DESCRIPTION_EVENT (or a v1/v3 START event) was decoded */
  described: boolean;
}

// Post-header lengths the servers use for binlog v1 and v3 (no FORMAT_DESCRIPTION in those files):
// mysql-server 5.0 sql/log_event.cc Format_description_log_event(binlog_ver) switch, cases 1 and 3.
function oldPostHeaders(version: 1 | 3): Uint8Array {
  const a = new Uint8Array(256);
  a[EventType.START_EVENT_V3] = 2 + 50 + 4;
  a[EventType.QUERY_EVENT] = 4 + 4 + 1 + 2;
  a[EventType.ROTATE_EVENT] = version === 1 ? 0 : 8;
  a[EventType.LOAD_EVENT] = 4 + 4 + 4 + 1 + 1 + 4;
  a[EventType.CREATE_FILE_EVENT] = 4 + 4 + 4 + 1 + 1 + 4 + 4;
  a[EventType.APPEND_BLOCK_EVENT] = 4;
  a[EventType.EXEC_LOAD_EVENT] = 4;
  a[EventType.DELETE_FILE_EVENT] = 4;
  a[EventType.NEW_LOAD_EVENT] = 4 + 4 + 4 + 1 + 1 + 4;
  return a;
}

export function initialFormat(checksumAlg: number): FormatState {
  // before the FDE only ROTATE (the stream's fake rotate) is expected; its post-header is frozen at 8
  const post = new Uint8Array(256);
  post[EventType.ROTATE_EVENT] = 8;
  return {
    binlogVersion: 4,
    headerLength: 19,
    postHeaderLengths: post,
    checksumAlg,
    serverVersion: '',
    flavor: 'mysql',
    described: false,
  };
}

export function oldFormat(version: 1 | 3, serverVersion: string): FormatState {
  return {
    binlogVersion: version,
    headerLength: version === 1 ? 13 : 19,
    postHeaderLengths: oldPostHeaders(version),
    checksumAlg: ChecksumAlg.UNDEF,
    serverVersion,
    flavor: 'mysql',
    described: true,
  };
}

export class DecodeContext {
  format: FormatState;
  /** table id → the latest TABLE_MAP for it */
  readonly tables = new Map<number, TableMapEvent>();
  /** set by MariaDB START_ENCRYPTION: the events after it cannot be read without the key */
  encrypted = false;
  /**
   * character_set_client of the last QUERY event in the current transaction (undefined: none yet, or
   * unknown): the charset of the ANNOTATE_ROWS / ROWS_QUERY text after it (events/statement-text.ts)
   */
  statementCharset: string | undefined = undefined;
  /** the server's binlog name in a network stream (from ROTATE), when the caller gives no file */
  streamFile: string | undefined;
  readonly options: ResolvedOptions;
  /** generated row-builder factories, by the table's column keys (rows/row-image.ts) */
  readonly rowBuilders = new Map<string, unknown>();
  /** compiled object literals of JSON documents, by their key lists (rows/object-shapes.ts) */
  readonly jsonLiterals = new Map<string, unknown>();

  constructor(options: ResolvedOptions) {
    this.options = options;
    this.format = initialFormat(options.initialChecksum === 'crc32' ? ChecksumAlg.CRC32 : ChecksumAlg.OFF);
  }

  postHeaderLength(code: number): number {
    return this.format.postHeaderLengths[code] ?? 0;
  }
}
