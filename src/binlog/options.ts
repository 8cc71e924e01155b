// Decoder options (the `values` group and checksum handling), validated once into a readonly object.
import { ConfigError } from '../errors.js';
import { isKnownCharset } from './rows/charsets.js';
import { resolveTableFilter, type TableFilter, type TablePredicate } from './table-filter.js';

/** What the caller knows about a table's columns (e.g. from information_schema), by column index. */
export interface SchemaColumn {
  name?: string;
  unsigned?: boolean;
  /** charset name (utf8mb4, latin1, binary, …) */
  charset?: string;
  /** collation id, if known instead of the charset name */
  collation?: number;
  enumValues?: string[];
  setValues?: string[];
  /**
   * TIME/DATETIME/TIMESTAMP: the fractional seconds precision (0-6; information_schema.COLUMNS
   * DATETIME_PRECISION). Needed for MariaDB columns in MariaDB's old formats, whose binlog carries no
   * precision although the value's width depends on it; ignored where the table map has it (TIME2 …).
   */
  fsp?: number;
  /**
   * A MariaDB VECTOR column (information_schema DATA_TYPE 'vector'): MariaDB logs it as VARBINARY, so only
   * the schema tells; its values then come as `Float32Array`s, as MySQL's VECTOR does.
   */
  vector?: boolean;
  /**
   * A MariaDB INET4, INET6 or UUID column (information_schema DATA_TYPE): MariaDB logs them as BINARY(4)
   * and BINARY(16), so only the schema tells; their values then come as the text SELECT shows
   * (`10.0.0.1`, `::ffff:1.2.3.4`, `123e4567-e89b-12d3-a456-426655440000`).
   */
  mariadbType?: 'inet4' | 'inet6' | 'uuid';
}
/** Returns the columns of schema.table in table order, or undefined when unknown. */
export type SchemaProvider = (schema: string, table: string) => SchemaColumn[] | undefined;

/** How column values are decoded (see the README's value contract). */
export interface ValueOptions {
  /** charset for string-family columns whose charset the binlog does not tell (offline MariaDB, MINIMAL metadata) */
  assumeCharset?: string;
  /** JSON columns: parsed value (default), the MySQL text as JsonText, or both */
  json?: 'value' | 'text' | 'both';
  /** column names, charsets and members the binlog lacks, from the caller (wins over the stream's lookup) */
  schema?: SchemaProvider;
  /**
   * fractional seconds precision (0-6) for MariaDB TIME/DATETIME/TIMESTAMP columns in the old formats
   * whose precision the schema does not give (offline, no schema); without it they are read as
   * precision 0, and bytes that do not fit that throw ERR_UNKNOWN_PRECISION
   */
  assumeFsp?: number;
}

/** Options of {@link BinlogParser} and {@link readBinlogFile}. */
export interface ParserOptions {
  values?: ValueOptions;
  /** verify CRC32 checksums when the format description announces them (default true) */
  verifyChecksum?: boolean;
  /**
   * Checksum algorithm of the events that arrive before the first FORMAT_DESCRIPTION (the network stream's
   * fake ROTATE): what the replica negotiated. Default 'off'.
   */
  initialChecksum?: 'off' | 'crc32';
  /**
   * Only these tables' rows: include / exclude globs over `schema.table`, or a function. The TABLE_MAP and
   * rows events of the others are not decoded: they come back with `skipped: true` and no rows
   * ({@link readBinlogFile} and the stream leave them out). Default: every table.
   */
  tables?: TableFilter;
}

export interface ResolvedOptions {
  readonly assumeCharset: string | undefined;
  readonly json: 'value' | 'text' | 'both';
  readonly schema: SchemaProvider | undefined;
  readonly assumeFsp: number | undefined;
  readonly verifyChecksum: boolean;
  readonly initialChecksum: 'off' | 'crc32';
  /** undefined: every table's rows */
  readonly tables: TablePredicate | undefined;
}

export function resolveParserOptions(o: ParserOptions = {}): ResolvedOptions {
  const v = o.values ?? {};
  const json = v.json ?? 'value';
  if (json !== 'value' && json !== 'text' && json !== 'both') {
    throw new ConfigError(`values.json must be 'value', 'text' or 'both', got ${String(json)}`);
  }
  if (v.schema !== undefined && typeof v.schema !== 'function') {
    throw new ConfigError('values.schema must be a function (schema, table) => columns');
  }
  if (v.assumeCharset !== undefined && !isKnownCharset(v.assumeCharset)) {
    throw new ConfigError(`values.assumeCharset: unknown character set '${v.assumeCharset}'`);
  }
  if (v.assumeFsp !== undefined && !isFsp(v.assumeFsp)) {
    throw new ConfigError(`values.assumeFsp must be an integer from 0 to 6, got ${String(v.assumeFsp)}`);
  }
  const initialChecksum = o.initialChecksum ?? 'off';
  if (initialChecksum !== 'off' && initialChecksum !== 'crc32') {
    throw new ConfigError(`initialChecksum must be 'off' or 'crc32'`);
  }
  return Object.freeze({
    assumeCharset: v.assumeCharset,
    json,
    schema: v.schema,
    assumeFsp: v.assumeFsp,
    verifyChecksum: o.verifyChecksum ?? true,
    initialChecksum,
    tables: resolveTableFilter(o.tables),
  });
}

/** An fsp a server can have: an integer from 0 to 6. */
export function isFsp(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 6;
}
