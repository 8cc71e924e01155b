// TABLE_MAP_EVENT body: mysql-server libs/mysql/binlog/event/rows_event.cpp (Table_map_event), 9.x
//   post-header: table_id u48 (u32 when post_header_len is 6, pre-5.1.4), flags u16
//   db_len lenenc, db, NUL; table_len lenenc, table, NUL
//   column_count lenenc; column_type u8 × column_count
//   metadata_len lenenc; metadata (per column: 0, 1 or 2 bytes by type, see readColumnMeta)
//   null_bits ceil(column_count / 8)
//   optional metadata: TLV fields — type u8, length lenenc, value (table-map-metadata.ts)
import type { DecodeContext, FormatState } from '../context.js';
import type { Cursor } from '../cursor.js';
import { ColumnType as C, EventType } from '../constants.js';
import type { EventHeader, TableMapEvent } from '../types.js';
import { badEvent } from './misc.js';
import { decodeOptionalMetadata } from './table-map-metadata.js';
import { PLAN, resolveColumns, SCHEMA_COLUMNS, type PlannedTableMap } from '../rows/columns.js';

const BODY = Symbol('binlogsync.tableMapBody');
const FORMAT = Symbol('binlogsync.tableMapFormat');
/** A table map as the context keeps it: its body's bytes, and the format it was read under. */
interface KeptTableMap extends PlannedTableMap {
  [BODY]: Buffer;
  [FORMAT]: FormatState;
}

/** Bytes of metadata each column type has in the table map, and how they read (rpl_utility.cc table_def). */
function readColumnMeta(cur: Cursor, type: number): number {
  switch (type) {
    case C.MYSQL_TYPE_FLOAT:
    case C.MYSQL_TYPE_DOUBLE:
    case C.MYSQL_TYPE_BLOB:
    case C.MYSQL_TYPE_TINY_BLOB:
    case C.MYSQL_TYPE_MEDIUM_BLOB:
    case C.MYSQL_TYPE_LONG_BLOB:
    case C.MYSQL_TYPE_GEOMETRY:
    case C.MYSQL_TYPE_JSON:
    case C.MYSQL_TYPE_VECTOR:
    case C.MYSQL_TYPE_TIME2:
    case C.MYSQL_TYPE_DATETIME2:
    case C.MYSQL_TYPE_TIMESTAMP2:
    case C.MYSQL_TYPE_BLOB_COMPRESSED:
      cur.need(1);
      return cur.u8();
    case C.MYSQL_TYPE_VARCHAR:
    case C.MYSQL_TYPE_VAR_STRING:
    case C.MYSQL_TYPE_BIT:
    case C.MYSQL_TYPE_VARCHAR_COMPRESSED:
      cur.need(2);
      return cur.u16();
    case C.MYSQL_TYPE_STRING:
    case C.MYSQL_TYPE_ENUM:
    case C.MYSQL_TYPE_SET:
    case C.MYSQL_TYPE_NEWDECIMAL: {
      cur.need(2);
      const hi = cur.u8();
      return (hi << 8) | cur.u8();
    }
    default:
      return 0;
  }
}

export function decodeTableMap(cur: Cursor, ctx: DecodeContext, h: EventHeader): TableMapEvent {
  const post = ctx.postHeaderLength(EventType.TABLE_MAP_EVENT) || 8;
  cur.need(post);
  const start = cur.pos;
  const again = sameAsBefore(cur, ctx, post);
  if (again !== undefined) return reuse(again, cur, ctx, h);
  const ev = h as KeptTableMap;
  if (post === 6) {
    ev.tableId = cur.u32();
  } else {
    ev.tableId = cur.u48();
  }
  ev.tableFlags = cur.u16();
  cur.pos += post - (post === 6 ? 6 : 8);
  const dbLen = cur.lenenc();
  ev.schema = cur.utf8(dbLen);
  cur.skip(1);
  const tblLen = cur.lenenc();
  ev.table = cur.utf8(tblLen);
  cur.skip(1);
  const n = cur.lenenc();
  if (n === 0) throw badEvent(cur, 'table map: zero columns');
  const types = cur.bytes(n);
  const columnTypes = new Array<number>(n);
  for (let i = 0; i < n; i++) columnTypes[i] = types[i];
  const columnMeta = new Array<number>(n).fill(0);
  const nullable = new Array<boolean>(n).fill(false);
  if (cur.remaining > 0) {
    const metaLen = cur.lenenc();
    const meta = cur.sub(metaLen);
    for (let i = 0; i < n; i++) columnMeta[i] = readColumnMeta(meta, columnTypes[i]);
    const nullBits = cur.bytes((n + 7) >> 3);
    for (let i = 0; i < n; i++) nullable[i] = (nullBits[i >> 3] & (1 << (i & 7))) !== 0;
  }
  ev.columnCount = n;
  ev.columnTypes = columnTypes;
  ev.columnMeta = columnMeta;
  ev.nullable = nullable;
  ev.metadata = decodeOptionalMetadata(cur);
  ev.columns = resolveColumns(ev, ctx);
  ev[BODY] = Buffer.from(cur.buf.subarray(start, cur.end));
  ev[FORMAT] = ctx.format;
  return keep(ev, ctx);
}

/** The map in force for its table id from now on, marked skipped when `tables` leaves its table out. */
function keep(ev: KeptTableMap, ctx: DecodeContext): TableMapEvent {
  const tables = ctx.options.tables;
  if (tables !== undefined && !tables(ev.schema, ev.table)) ev.skipped = true;
  ctx.tables.set(ev.tableId, ev);
  return ev;
}

/**
 * A table's map is logged again in every transaction that touches it, nearly always byte for byte the
 * same. Then, when the format and what the schema provider says of the table are the same too, its
 * columns and decode plan are the previous map's: resolving them costs several µs (~8 µs for 18
 * columns), more than the rows of a small transaction. Returns that previous map, else undefined.
 */
function sameAsBefore(cur: Cursor, ctx: DecodeContext, post: number): KeptTableMap | undefined {
  const buf = cur.buf;
  const id = post === 6 ? buf.readUInt32LE(cur.pos) : buf.readUIntLE(cur.pos, 6);
  const prev = ctx.tables.get(id) as KeptTableMap | undefined;
  if (prev === undefined || prev[FORMAT] !== ctx.format) return undefined;
  const body = prev[BODY];
  if (body.length !== cur.end - cur.pos || buf.compare(body, 0, body.length, cur.pos, cur.end) !== 0)
    return undefined;
  if (ctx.options.schema?.(prev.schema, prev.table) !== prev[SCHEMA_COLUMNS]) return undefined;
  return prev;
}

function reuse(prev: KeptTableMap, cur: Cursor, ctx: DecodeContext, h: EventHeader): TableMapEvent {
  cur.pos = cur.end;
  const ev = h as KeptTableMap;
  ev.tableId = prev.tableId;
  ev.tableFlags = prev.tableFlags;
  ev.schema = prev.schema;
  ev.table = prev.table;
  ev.columnCount = prev.columnCount;
  ev.columnTypes = prev.columnTypes;
  ev.columnMeta = prev.columnMeta;
  ev.nullable = prev.nullable;
  ev.metadata = prev.metadata;
  ev[PLAN] = prev[PLAN];
  ev[SCHEMA_COLUMNS] = prev[SCHEMA_COLUMNS];
  ev.columns = prev.columns;
  ev[BODY] = prev[BODY];
  ev[FORMAT] = prev[FORMAT];
  return keep(ev, ctx);
}
