// Column names, charsets, signedness, ENUM/SET members and temporal precision from information_schema,
// for binlogs that do not carry them (MariaDB's default binlog_row_metadata=NO_LOG, MySQL's MINIMAL; no
// MariaDB binlog carries the precision of TIME/DATETIME/TIMESTAMP in the old formats). Looked up over a
// second connection the first time a table is mapped, cached, and dropped after any DDL statement.
// information_schema describes the table as it is now: a consumer far behind a DDL change sees the new
// names for old rows; binlog_row_metadata=FULL avoids that (the docs say so).
import type { SchemaColumn } from '../binlog/options.js';

export type RunQuery = (sql: string) => Promise<(string | null)[][]>;

/** SQL string literal that survives any sql_mode (no backslash or quote handling involved). */
export function sqlText(s: string): string {
  return s === '' ? "''" : `CONVERT(0x${Buffer.from(s, 'utf8').toString('hex')} USING utf8mb4)`;
}

const ESCAPES: Record<string, string> = { '0': '\0', n: '\n', r: '\r', Z: '\x1a' };

/** Members of `enum('a','b,c','it''s')` / `set(…)` as COLUMN_TYPE prints them. */
export function parseEnumMembers(columnType: string): string[] {
  const open = columnType.indexOf('(');
  const out: string[] = [];
  let i = open + 1;
  while (i > 0 && i < columnType.length) {
    if (columnType[i] !== "'") break;
    let v = '';
    i++;
    for (;;) {
      const c = columnType[i];
      if (c === undefined) return out;
      if (c === "'" && columnType[i + 1] === "'") {
        v += "'";
        i += 2;
      } else if (c === "'") {
        i++;
        break;
      } else if (c === '\\' && i + 1 < columnType.length) {
        // the server's append_unescaped (sql/table.cc): \0 \n \r \Z for NUL, LF, CR, ^Z, \\ for \
        const e = columnType[i + 1];
        v += ESCAPES[e] ?? e;
        i += 2;
      } else {
        v += c;
        i++;
      }
    }
    out.push(v);
    if (columnType[i] === ',') i++;
  }
  return out;
}

export class SchemaCache {
  readonly #tables = new Map<string, SchemaColumn[] | null>();
  /** Tables whose cached columns do not match the binlog's current table map (count differs). */
  readonly #mismatched = new Set<string>();
  readonly #run: RunQuery;

  constructor(run: RunQuery) {
    this.#run = run;
  }

  /** Synchronous view for the decoder: what is cached and matches the table map (undefined otherwise). */
  readonly provider = (schema: string, table: string): SchemaColumn[] | undefined => {
    const key = `${schema}\0${table}`;
    return this.#mismatched.has(key) ? undefined : (this.#tables.get(key) ?? undefined);
  };

  /**
   * The binlog maps `schema.table` with `columns` columns: use the cached columns only if they are as
   * many. Returns true when they newly are not (information_schema has the table after a later DDL).
   */
  expect(schema: string, table: string, columns: number): boolean {
    const key = `${schema}\0${table}`;
    const cols = this.#tables.get(key);
    if (cols === undefined || cols === null || cols.length === columns) {
      this.#mismatched.delete(key);
      return false;
    }
    if (this.#mismatched.has(key)) return false;
    this.#mismatched.add(key);
    return true;
  }

  has(schema: string, table: string): boolean {
    return this.#tables.has(`${schema}\0${table}`);
  }

  async load(schema: string, table: string): Promise<void> {
    const rows = await this.#run(
      'SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, CHARACTER_SET_NAME, DATETIME_PRECISION FROM information_schema.COLUMNS ' +
        `WHERE TABLE_SCHEMA = ${sqlText(schema)} AND TABLE_NAME = ${sqlText(table)} ORDER BY ORDINAL_POSITION`,
    );
    if (rows.length === 0) {
      this.#tables.set(`${schema}\0${table}`, null); // dropped since, or not visible to this user
      return;
    }
    this.#tables.set(
      `${schema}\0${table}`,
      rows.map(([name, dataType, columnType, charset, precision]) => {
        const type = (dataType ?? '').toLowerCase();
        const col: SchemaColumn = { name: name ?? undefined };
        if (/\bunsigned\b/i.test(columnType ?? '')) col.unsigned = true;
        else if (/int$|^decimal$|^float$|^double$/.test(type)) col.unsigned = false;
        if (charset) col.charset = charset;
        // MariaDB's INET6, INET4, UUID (logged as BINARY(n)) and VECTOR (as VARBINARY) have no charset here
        else if (/binary|blob$|^(inet6|inet4|uuid|vector)$/.test(type)) col.charset = 'binary';
        if (type === 'enum') col.enumValues = parseEnumMembers(columnType ?? '');
        if (type === 'set') col.setValues = parseEnumMembers(columnType ?? '');
        if ((type === 'time' || type === 'datetime' || type === 'timestamp') && precision !== null)
          col.fsp = Number(precision);
        return col;
      }),
    );
  }

  /** After DDL: forget everything (DDL is rare; a later table map looks the table up again). */
  clear(): void {
    this.#tables.clear();
    this.#mismatched.clear();
  }
}
