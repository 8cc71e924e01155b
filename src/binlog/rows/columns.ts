// Resolves a TABLE_MAP's per-column facts (real type, signedness, charset, names, ENUM/SET members)
// from the table map, its optional metadata and the caller's schema, and builds the decode plan the
// rows decoder runs for every row (one reader function per column, looked up once per table map).
//
// Which columns each optional-metadata list covers (mysql-server sql/log_event.cc
// Table_map_log_event::print_columns / init_*_field, 9.x):
//   numeric (SIGNEDNESS): TINY SHORT INT24 LONG LONGLONG FLOAT DOUBLE NEWDECIMAL
//   character (DEFAULT_CHARSET / COLUMN_CHARSET): STRING VAR_STRING VARCHAR BLOB (real type; not ENUM/SET),
//             and MariaDB's BLOB_COMPRESSED / VARCHAR_COMPRESSED
//   ENUM/SET (ENUM_AND_SET_*, ENUM_STR_VALUE, SET_STR_VALUE): real type ENUM / SET
//   GEOMETRY_TYPE: GEOMETRY; VECTOR_DIMENSIONS: VECTOR
// STRING metadata hides the real type and length (Field_string::do_save_field_metadata):
//   meta = (byte0 << 8) | byte1; real_type = byte0; if (byte0 & 0x30) != 0x30 the length's bits 8-9 are
//   stored inverted in bits 4-5 of byte0: length = (((byte0 & 0x30) ^ 0x30) << 4) | byte1, real_type |= 0x30.
import { ColumnType as C } from '../constants.js';
import type { DecodeContext } from '../context.js';
import type { SchemaColumn } from '../options.js';
import type { ColumnDef, TableMapEvent } from '../types.js';
import type { RawOptionalMetadata } from '../events/table-map-metadata.js';
import { charsetOfCollation, decodeText } from './charsets.js';
import { readerFor, type ColumnPlan } from './values.js';

export const PLAN = Symbol('binlogsync.plan');
/** what the caller's schema provider gave for the table when its columns were resolved */
export const SCHEMA_COLUMNS = Symbol('binlogsync.schemaColumns');
export interface PlannedTableMap extends TableMapEvent {
  [PLAN]: ColumnPlan[];
  [SCHEMA_COLUMNS]: SchemaColumn[] | undefined;
}

/**
 * The columns with a bit in SIGNEDNESS: mysql-server sql/field_common_properties.h
 * has_signedess_information_type, YEAR and the pre-5.0 DECIMAL included (MariaDB's Field_year is a
 * Field_tiny and writes its bit too).
 */
function isNumeric(t: number): boolean {
  return (
    t === C.MYSQL_TYPE_YEAR ||
    t === C.MYSQL_TYPE_DECIMAL ||
    t === C.MYSQL_TYPE_TINY ||
    t === C.MYSQL_TYPE_SHORT ||
    t === C.MYSQL_TYPE_INT24 ||
    t === C.MYSQL_TYPE_LONG ||
    t === C.MYSQL_TYPE_LONGLONG ||
    t === C.MYSQL_TYPE_FLOAT ||
    t === C.MYSQL_TYPE_DOUBLE ||
    t === C.MYSQL_TYPE_NEWDECIMAL
  );
}

function isCharacter(t: number): boolean {
  return (
    t === C.MYSQL_TYPE_STRING ||
    t === C.MYSQL_TYPE_VAR_STRING ||
    t === C.MYSQL_TYPE_VARCHAR ||
    t === C.MYSQL_TYPE_BLOB ||
    t === C.MYSQL_TYPE_TINY_BLOB ||
    t === C.MYSQL_TYPE_MEDIUM_BLOB ||
    t === C.MYSQL_TYPE_LONG_BLOB ||
    t === C.MYSQL_TYPE_BLOB_COMPRESSED ||
    t === C.MYSQL_TYPE_VARCHAR_COMPRESSED
  );
}

/**
 * MariaDB lists a charset for GEOMETRY columns in DEFAULT_CHARSET / COLUMN_CHARSET (sql/log_event_server.cc
 * is_character_field: any field with a charset but ENUM/SET, and Field_geom is a Field_str); MySQL does not.
 */
function hasMariadbGeometryCharset(rt: number, flavor: 'mysql' | 'mariadb'): boolean {
  return flavor === 'mariadb' && rt === C.MYSQL_TYPE_GEOMETRY;
}

/** For STRING/ENUM/SET columns: [real type, max byte length or pack length]. */
export function stringRealType(type: number, meta: number): [number, number] {
  if (type !== C.MYSQL_TYPE_STRING) return [type, meta & 0xff];
  const byte0 = meta >> 8;
  const byte1 = meta & 0xff;
  if ((byte0 & 0x30) !== 0x30) return [byte0 | 0x30, (((byte0 & 0x30) ^ 0x30) << 4) | byte1];
  return [byte0, byte1];
}

function charsetList(
  count: number,
  def: { collation: number; pairs: [number, number][] } | undefined,
  list: number[] | undefined,
): (number | undefined)[] {
  const out = new Array<number | undefined>(count).fill(undefined);
  if (list) {
    for (let i = 0; i < count && i < list.length; i++) out[i] = list[i];
  } else if (def) {
    out.fill(def.collation);
    for (const [i, coll] of def.pairs) if (i < count) out[i] = coll;
  }
  return out;
}

function schemaCharset(s: SchemaColumn | undefined, flavor: 'mysql' | 'mariadb'): string | undefined {
  if (!s) return undefined;
  if (s.charset) return s.charset;
  return s.collation !== undefined ? charsetOfCollation(s.collation, flavor) : undefined;
}

export function resolveColumns(tm: TableMapEvent, ctx: DecodeContext): ColumnDef[] {
  const md = tm.metadata as RawOptionalMetadata;
  const flavor = ctx.format.flavor;
  const n = tm.columnCount;
  const schemaCols = ctx.options.schema?.(tm.schema, tm.table);
  const table = `\`${tm.schema}\`.\`${tm.table}\``;

  const realTypes = new Array<number>(n);
  let character = 0;
  let enumSet = 0;
  for (let i = 0; i < n; i++) {
    const t = tm.columnTypes[i];
    const rt =
      t === C.MYSQL_TYPE_STRING || t === C.MYSQL_TYPE_ENUM || t === C.MYSQL_TYPE_SET
        ? stringRealType(t, tm.columnMeta[i])[0]
        : t;
    realTypes[i] = rt;
    if (isCharacter(rt) || hasMariadbGeometryCharset(rt, flavor) || rt === C.MYSQL_TYPE_VECTOR) character++;
    else if (rt === C.MYSQL_TYPE_ENUM || rt === C.MYSQL_TYPE_SET) enumSet++;
  }
  const charCollations = charsetList(character, md.defaultCharset, md.columnCharsets);
  const esCollations = charsetList(enumSet, md.enumSetDefaultCharset, md.enumSetColumnCharsets);
  const hasCharsetMeta = md.defaultCharset !== undefined || md.columnCharsets !== undefined;
  const hasEsCharsetMeta = md.enumSetDefaultCharset !== undefined || md.enumSetColumnCharsets !== undefined;

  const cols: ColumnDef[] = new Array<ColumnDef>(n);
  const plan: ColumnPlan[] = new Array<ColumnPlan>(n);
  let iNum = 0;
  let iChar = 0;
  let iEs = 0;
  let iEnum = 0;
  let iSet = 0;
  let iGeo = 0;
  let iVec = 0;
  const enumValues: string[][] = [];
  const setValues: string[][] = [];
  for (let i = 0; i < n; i++) {
    const type = tm.columnTypes[i];
    const rt = realTypes[i];
    const sc = schemaCols?.[i];
    let unsigned: boolean | undefined;
    let collation: number | undefined;
    let charset: string | undefined;
    let ev: string[] | undefined;
    let sv: string[] | undefined;
    let geometryType: number | undefined;
    let vectorDimensions: number | undefined;
    if (isNumeric(rt)) {
      unsigned = md.signedness ? md.signedness[iNum] : sc?.unsigned;
      iNum++;
    } else if (isCharacter(rt)) {
      collation = hasCharsetMeta ? charCollations[iChar] : (sc?.collation ?? undefined);
      charset = collation !== undefined ? charsetOfCollation(collation, flavor) : schemaCharset(sc, flavor);
      iChar++;
    } else if (rt === C.MYSQL_TYPE_ENUM || rt === C.MYSQL_TYPE_SET) {
      collation = hasEsCharsetMeta ? esCollations[iEs] : (sc?.collation ?? undefined);
      charset = collation !== undefined ? charsetOfCollation(collation, flavor) : schemaCharset(sc, flavor);
      iEs++;
      const memberCharset = charset ?? 'utf8mb4';
      if (rt === C.MYSQL_TYPE_ENUM) {
        const raw = md.rawEnumValues?.[iEnum++];
        ev = raw ? raw.map((b) => decodeText(b, 0, b.length, memberCharset)) : sc?.enumValues;
        if (raw && ev) enumValues.push(ev);
      } else {
        const raw = md.rawSetValues?.[iSet++];
        sv = raw ? raw.map((b) => decodeText(b, 0, b.length, memberCharset)) : sc?.setValues;
        if (raw && sv) setValues.push(sv);
      }
    } else if (rt === C.MYSQL_TYPE_GEOMETRY) {
      // its charset entry (binary) is consumed; the value is bytes all the same
      if (hasMariadbGeometryCharset(rt, flavor)) iChar++;
      geometryType = md.geometryTypes?.[iGeo++];
    } else if (rt === C.MYSQL_TYPE_VECTOR) {
      // MySQL 9.x lists VECTOR's (binary) charset in COLUMN_CHARSET: seen in a 9.7 table map (a VECTOR,
      // then latin1 and utf8mb4 VARCHARs: [63, 8, 255]); JSON, BIT and GEOMETRY get no entry
      iChar++;
      vectorDimensions = md.vectorDimensions?.[iVec++];
    }
    // MariaDB's VECTOR is a VARBINARY(4 × dimensions) in the binlog; the schema tells it apart
    const mariadbVector = sc?.vector === true && rt === C.MYSQL_TYPE_VARCHAR && charset === 'binary';
    if (mariadbVector) vectorDimensions = tm.columnMeta[i] >> 2;
    // MariaDB's INET4, INET6 and UUID are BINARY(4) / BINARY(16) in the binlog; likewise
    const fixed = sc?.mariadbType;
    const mariadbFixed =
      fixed !== undefined && rt === C.MYSQL_TYPE_STRING && charset === 'binary' ? fixed : undefined;
    const name = md.columnNames?.[i] ?? sc?.name;
    const def: ColumnDef = {
      index: i,
      name,
      key: name ?? `@${i + 1}`,
      type,
      realType: rt,
      meta: tm.columnMeta[i],
      nullable: tm.nullable[i],
      unsigned,
      collation,
      charset,
      enumValues: ev,
      setValues: sv,
      geometryType,
      visible: md.visibility ? md.visibility[i] : undefined,
      vectorDimensions,
    };
    cols[i] = def;
    plan[i] = readerFor(def, ctx.options, {
      flavor,
      fsp: sc?.fsp,
      table,
      jsonLiterals: ctx.jsonLiterals,
      vector: mariadbVector,
      mariadbFixed,
    });
  }
  if (md.rawEnumValues) md.enumValues = enumValues;
  if (md.rawSetValues) md.setValues = setValues;
  delete md.rawEnumValues;
  delete md.rawSetValues;
  (tm as PlannedTableMap)[PLAN] = plan;
  (tm as PlannedTableMap)[SCHEMA_COLUMNS] = schemaCols;
  return cols;
}
