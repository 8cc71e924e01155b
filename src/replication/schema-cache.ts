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

/**
 * `column = 's'` compared byte for byte: information_schema's columns and a utf8mb4 literal otherwise
 * compare in utf8mb4's default collation (accent- and case-insensitive: `T` = `t`, `café` = `cafe`), and
 * the lookup would get two tables' columns.
 */
function sameName(column: string, s: string): string {
  return `${column} = ${sqlText(s)} COLLATE utf8mb4_bin`;
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

/**
 * What information_schema does not list of a MariaDB table but its table map has, after the columns it
 * lists: implicit system versioning's row_start and row_end, then one DB_ROW_HASH_<n> per long UNIQUE key.
 */
interface HiddenFields {
  versioned: boolean;
  /** HASH indexes (long UNIQUE keys, each with a hash field; on MEMORY also its own hash indexes) */
  hashKeys: number;
  /** MEMORY's own HASH indexes have no hash field: hashKeys is then only an upper bound */
  memory: boolean;
}

interface CachedTable {
  columns: SchemaColumn[];
  /** per column, the table-map type codes its DATA_TYPE is logged as (undefined: not checked) */
  loggedAs: (readonly number[] | undefined)[];
  hidden: HiddenFields | undefined;
}

const TEXT_BLOB = [252, 249, 250, 251, 140]; // BLOB (and its sized forms), MariaDB's BLOB_COMPRESSED
const VARIABLE = [15, 253, 141]; // VARCHAR, the pre-5.0 VAR_STRING, MariaDB's VARCHAR_COMPRESSED
const FIXED = [254, 253]; // STRING (CHAR, BINARY, ENUM, SET), VAR_STRING of pre-5.0 tables
const GEOMETRY = [255];
/**
 * The table-map type codes a column of an information_schema DATA_TYPE is logged with. Checked so that
 * names from a table as it is now are not put on rows logged before a DDL that moved or changed columns.
 */
const LOGGED_AS: Record<string, readonly number[]> = {
  tinyint: [1],
  smallint: [2],
  mediumint: [9],
  int: [3],
  bigint: [8],
  float: [4],
  double: [5],
  decimal: [246, 0],
  year: [13],
  date: [10, 14],
  time: [11, 19],
  datetime: [12, 18],
  timestamp: [7, 17],
  bit: [16],
  char: FIXED,
  binary: FIXED,
  varchar: VARIABLE,
  varbinary: VARIABLE,
  tinytext: TEXT_BLOB,
  text: TEXT_BLOB,
  mediumtext: TEXT_BLOB,
  longtext: TEXT_BLOB, // also MariaDB's JSON
  tinyblob: TEXT_BLOB,
  blob: TEXT_BLOB,
  mediumblob: TEXT_BLOB,
  longblob: TEXT_BLOB,
  json: [245],
  enum: [254, 247],
  set: [254, 248],
  vector: [242, 15], // MySQL's VECTOR; MariaDB logs its VECTOR as VARBINARY
  inet6: [254],
  inet4: [254],
  uuid: [254],
  geometry: GEOMETRY,
  point: GEOMETRY,
  linestring: GEOMETRY,
  polygon: GEOMETRY,
  multipoint: GEOMETRY,
  multilinestring: GEOMETRY,
  multipolygon: GEOMETRY,
  geometrycollection: GEOMETRY,
  geomcollection: GEOMETRY,
};

const TIMESTAMP_TYPES = new Set([7, 17]); // MYSQL_TYPE_TIMESTAMP, MYSQL_TYPE_TIMESTAMP2
const LONGLONG = 8;

/**
 * The table map's columns, named: information_schema's columns (each of a type logged as the table map
 * has it), and after them MariaDB's hidden fields
 * (sql_table.cc appends the implicit row_start/row_end and then the long-UNIQUE hash fields to the field
 * list, and an ALTER keeps them last). Undefined when the counts and types do not fit that shape.
 */
function fitColumns(t: CachedTable, types: ArrayLike<number>): SchemaColumn[] | undefined {
  const n = t.columns.length;
  const extra = types.length - n;
  if (extra < 0) return undefined;
  for (let i = 0; i < n; i++) {
    const logged = t.loggedAs[i];
    if (logged !== undefined && !logged.includes(types[i])) return undefined;
  }
  if (extra === 0) return t.columns;
  const h = t.hidden;
  if (h === undefined) return undefined;
  const pair =
    h.versioned && extra >= 2 && TIMESTAMP_TYPES.has(types[n]) && TIMESTAMP_TYPES.has(types[n + 1]) ? 2 : 0;
  const hashes = extra - pair;
  if (h.memory ? hashes > h.hashKeys : hashes !== h.hashKeys) return undefined;
  for (let i = n + pair; i < types.length; i++) if (types[i] !== LONGLONG) return undefined;
  const out = [...t.columns];
  if (pair) out.push({ name: 'row_start', fsp: 6 }, { name: 'row_end', fsp: 6 });
  for (let i = 1; i <= hashes; i++) out.push({ name: `DB_ROW_HASH_${i}`, unsigned: true });
  return out;
}

function sameTypes(a: number[], b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class SchemaCache {
  /** information_schema's answer per table (null: it has no such table) */
  readonly #tables = new Map<string, CachedTable | null>();
  /** the columns for the table's current table map (of these column types), when they fit it */
  readonly #fitted = new Map<string, { types: number[]; columns: SchemaColumn[] | undefined }>();
  readonly #run: RunQuery;
  readonly #mariadb: boolean;

  constructor(run: RunQuery, opts: { mariadb?: boolean } = {}) {
    this.#run = run;
    this.#mariadb = opts.mariadb ?? false;
  }

  /** Synchronous view for the decoder: the cached columns that fit the table map (undefined otherwise). */
  readonly provider = (schema: string, table: string): SchemaColumn[] | undefined =>
    this.#fitted.get(`${schema}\0${table}`)?.columns;

  /**
   * The binlog maps `schema.table` with columns of these `types`: use the cached columns only if they
   * fit them (as many, of matching types, or MariaDB's hidden fields after them). Returns true for a
   * shape they newly do not fit (information_schema has the table as a later DDL left it): warned once
   * per shape.
   */
  expect(schema: string, table: string, types: ArrayLike<number>): boolean {
    const key = `${schema}\0${table}`;
    const t = this.#tables.get(key);
    if (!t) return false;
    const fit = this.#fitted.get(key);
    if (fit !== undefined && sameTypes(fit.types, types)) return false;
    const columns = fitColumns(t, types);
    this.#fitted.set(key, { types: Array.from(types), columns });
    return columns === undefined;
  }

  has(schema: string, table: string): boolean {
    return this.#tables.has(`${schema}\0${table}`);
  }

  /** Looks `schema.table` up; `mapped` is its table map's column count (more: MariaDB's hidden fields?). */
  async load(schema: string, table: string, mapped: number): Promise<void> {
    const where = `WHERE ${sameName('TABLE_SCHEMA', schema)} AND ${sameName('TABLE_NAME', table)}`;
    const rows = await this.#run(
      'SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, CHARACTER_SET_NAME, DATETIME_PRECISION FROM information_schema.COLUMNS ' +
        `${where} ORDER BY ORDINAL_POSITION`,
    );
    const key = `${schema}\0${table}`;
    this.#fitted.delete(key);
    if (rows.length === 0) {
      this.#tables.set(key, null); // dropped since, or not visible to this user
      return;
    }
    const loggedAs = rows.map(([, dataType]) => LOGGED_AS[(dataType ?? '').toLowerCase()]);
    const columns = rows.map(([name, dataType, columnType, charset, precision]) => {
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
      // MariaDB logs VECTOR as VARBINARY: this says to read it as float32s (MySQL's has its own type code)
      if (type === 'vector' && this.#mariadb) col.vector = true;
      // … and INET4, INET6, UUID as BINARY(n): this says to make the text SELECT shows of them
      if ((type === 'inet4' || type === 'inet6' || type === 'uuid') && this.#mariadb) col.mariadbType = type;
      return col;
    });
    let hidden: HiddenFields | undefined;
    if (this.#mariadb && rows.length < mapped) {
      // information_schema leaves MariaDB's hidden fields out: is the table versioned, has it long UNIQUE keys?
      const [info] = await this.#run(
        'SELECT TABLE_TYPE, ENGINE, (SELECT COUNT(DISTINCT INDEX_NAME) FROM information_schema.STATISTICS ' +
          `${where} AND INDEX_TYPE = 'HASH') FROM information_schema.TABLES ${where}`,
      );
      if (info)
        hidden = {
          versioned: info[0] === 'SYSTEM VERSIONED',
          memory: (info[1] ?? '').toUpperCase() === 'MEMORY',
          hashKeys: Number(info[2] ?? 0),
        };
    }
    this.#tables.set(key, { columns, loggedAs, hidden });
  }

  /** After DDL: forget everything (DDL is rare; a later table map looks the table up again). */
  clear(): void {
    this.#tables.clear();
    this.#fitted.clear();
  }
}
