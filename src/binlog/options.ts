// Decoder options (the `values` group and checksum handling), validated once into a readonly object.
import { ConfigError } from '../errors.js';
import { isKnownCharset } from './rows/charsets.js';

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
}

export interface ResolvedOptions {
  readonly assumeCharset: string | undefined;
  readonly json: 'value' | 'text' | 'both';
  readonly schema: SchemaProvider | undefined;
  readonly verifyChecksum: boolean;
  readonly initialChecksum: 'off' | 'crc32';
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
  const initialChecksum = o.initialChecksum ?? 'off';
  if (initialChecksum !== 'off' && initialChecksum !== 'crc32') {
    throw new ConfigError(`initialChecksum must be 'off' or 'crc32'`);
  }
  return Object.freeze({
    assumeCharset: v.assumeCharset,
    json,
    schema: v.schema,
    verifyChecksum: o.verifyChecksum ?? true,
    initialChecksum,
  });
}
