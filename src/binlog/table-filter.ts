// Which tables' rows are decoded (the `tables` option of BinlogParser, readBinlogFile and BinlogSyncer).
// A table left out costs no row decoding: its TABLE_MAP and rows events come back marked `skipped`, with
// no rows, and the file reader and the stream do not hand them out. Checked once per TABLE_MAP event.
import { ConfigError } from '../errors.js';

/**
 * Globs over `schema.table` (`*` any run of characters, `?` one): `shop.*`, `*.orders`, `sh?p.order_*`.
 * A glob with none of `.`, `*`, `?` (`orders`) could match no table: it is refused with a ConfigError.
 */
export interface TablePatterns {
  /** only tables matching one of these (absent or empty: every table) */
  include?: string[];
  /** never tables matching one of these (wins over include) */
  exclude?: string[];
}

/**
 * The tables whose rows are wanted: globs, or a function called with each TABLE_MAP's schema and table
 * (true: decode its rows).
 */
export type TableFilter = TablePatterns | ((schema: string, table: string) => boolean);

/** The resolved form: true to decode the table's rows. */
export type TablePredicate = (schema: string, table: string) => boolean;

/** `shop.*`, `*.orders`, `sh?p.order_*` → a RegExp over the whole `schema.table`. */
export function globToRegExp(glob: string): RegExp {
  const re = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 's');
}

function patterns(list: unknown, what: string): RegExp[] {
  if (list === undefined) return [];
  if (!Array.isArray(list) || !list.every((g) => typeof g === 'string' && g !== ''))
    throw new ConfigError(`tables.${what} must be an array of non-empty globs such as 'shop.*'`);
  // every name is schema.table: a glob with neither a '.' nor a wildcard matches nothing, ever
  const hopeless = (list as string[]).find((g) => !/[.*?]/.test(g));
  if (hopeless !== undefined) {
    throw new ConfigError(
      `tables.${what} '${hopeless}' matches no table: globs are over schema.table (` +
        `'*.${hopeless}' for that table in any schema, '${hopeless}.*' for every table of that schema)`,
    );
  }
  return list.map(globToRegExp);
}

/** Checks a `tables` option; undefined when every table is wanted. */
export function resolveTableFilter(f: TableFilter | undefined): TablePredicate | undefined {
  if (f === undefined) return undefined;
  if (typeof f === 'function') return f;
  if (typeof f !== 'object' || f === null)
    throw new ConfigError(
      'tables must be { include?, exclude? } globs or a function (schema, table) => boolean',
    );
  const include = patterns(f.include, 'include');
  const exclude = patterns(f.exclude, 'exclude');
  if (include.length === 0 && exclude.length === 0) return undefined;
  // a binlog names few tables, each in every transaction that touches it: decide once per name
  const known = new Map<string, boolean>();
  return (schema, table) => {
    const name = `${schema}.${table}`;
    let keep = known.get(name);
    if (keep === undefined) {
      keep =
        (include.length === 0 || include.some((r) => r.test(name))) && !exclude.some((r) => r.test(name));
      if (known.size >= 10_000) known.clear();
      known.set(name, keep);
    }
    return keep;
  };
}

/** A TABLE_MAP or rows event of a table the `tables` option leaves out. */
export function isSkipped(ev: object): boolean {
  return (ev as { skipped?: true }).skipped === true;
}
