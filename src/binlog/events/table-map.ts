// TABLE_MAP_EVENT body: mysql-server libs/mysql/binlog/event/rows_event.cpp (Table_map_event), 9.x
//   post-header: table_id u48 (u32 when post_header_len is 6, pre-5.1.4), flags u16
//   db_len lenenc, db, NUL; table_len lenenc, table, NUL
//   column_count lenenc; column_type u8 × column_count
//   metadata_len lenenc; metadata (per column: 0, 1 or 2 bytes by type, see readColumnMeta)
//   null_bits ceil(column_count / 8)
//   optional metadata: TLV fields — type u8, length lenenc, value (table-map-metadata.ts)
import type { DecodeContext } from '../context.js';
import type { Cursor } from '../cursor.js';
import { ColumnType as C, EventType } from '../constants.js';
import type { EventHeader, TableMapEvent } from '../types.js';
import { badEvent } from './misc.js';
import { decodeOptionalMetadata } from './table-map-metadata.js';
import { resolveColumns } from '../rows/columns.js';

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
  const ev = h as TableMapEvent;
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
  const tables = ctx.options.tables;
  if (tables !== undefined && !tables(ev.schema, ev.table)) ev.skipped = true;
  ctx.tables.set(ev.tableId, ev);
  return ev;
}
