// TABLE_MAP optional metadata (binlog_row_metadata=MINIMAL/FULL): mysql-server
// libs/mysql/binlog/event/rows_event.cpp (Optional_metadata_fields), 9.x; MariaDB sql/log_event.cc, 11.8.
// A sequence of fields: type u8, length lenenc, value (length bytes):
//   1 SIGNEDNESS            bitmap, MSB first, one bit per numeric column
//   2 DEFAULT_CHARSET       default collation lenenc, then (character-column index lenenc, collation lenenc)*
//   3 COLUMN_CHARSET        collation lenenc per character column
//   4 COLUMN_NAME           (length lenenc, name)* for every column
//   5 SET_STR_VALUE         per SET column: count lenenc, (length lenenc, member)*
//   6 ENUM_STR_VALUE        per ENUM column: same
//   7 GEOMETRY_TYPE         lenenc per geometry column
//   8 SIMPLE_PRIMARY_KEY    column index lenenc*
//   9 PRIMARY_KEY_WITH_PREFIX  (column index lenenc, prefix length lenenc)*
//   10 ENUM_AND_SET_DEFAULT_CHARSET, 11 ENUM_AND_SET_COLUMN_CHARSET: as 2 and 3, for ENUM/SET columns
//   12 COLUMN_VISIBILITY    bitmap, MSB first, one bit per column
//   13 VECTOR_DIMENSIONS    lenenc per VECTOR column (MySQL 9.0+)
// Unknown field types are skipped by their length.
import type { Cursor } from '../cursor.js';
import { OptionalMetadata as M } from '../constants.js';
import type { TableMapOptionalMetadata } from '../types.js';

function bits(c: Cursor): boolean[] {
  const out: boolean[] = [];
  while (c.remaining > 0) {
    const b = c.buf[c.pos++];
    for (let m = 0x80; m !== 0; m >>= 1) out.push((b & m) !== 0);
  }
  return out;
}

function numbers(c: Cursor): number[] {
  const out: number[] = [];
  while (c.remaining > 0) out.push(c.lenenc());
  return out;
}

function defaultCharset(c: Cursor): { collation: number; pairs: [number, number][] } {
  const collation = c.lenenc();
  const pairs: [number, number][] = [];
  while (c.remaining > 0) {
    const index = c.lenenc();
    pairs.push([index, c.lenenc()]);
  }
  return { collation, pairs };
}

/** member lists stay raw bytes here; columns.ts decodes them with the column's charset */
function strValues(c: Cursor): Buffer[][] {
  const out: Buffer[][] = [];
  while (c.remaining > 0) {
    const count = c.lenenc();
    const list: Buffer[] = [];
    for (let i = 0; i < count; i++) list.push(c.lenencBytes());
    out.push(list);
  }
  return out;
}

export interface RawOptionalMetadata extends TableMapOptionalMetadata {
  rawSetValues?: Buffer[][];
  rawEnumValues?: Buffer[][];
}

export function decodeOptionalMetadata(cur: Cursor): RawOptionalMetadata {
  const m: RawOptionalMetadata = {};
  while (cur.remaining > 0) {
    cur.need(1);
    const type = cur.u8();
    const len = cur.lenenc();
    const c = cur.sub(len);
    switch (type) {
      case M.SIGNEDNESS:
        m.signedness = bits(c);
        break;
      case M.DEFAULT_CHARSET:
        m.defaultCharset = defaultCharset(c);
        break;
      case M.COLUMN_CHARSET:
        m.columnCharsets = numbers(c);
        break;
      case M.COLUMN_NAME: {
        const names: string[] = [];
        while (c.remaining > 0) names.push(c.utf8(c.lenenc()));
        m.columnNames = names;
        break;
      }
      case M.SET_STR_VALUE:
        m.rawSetValues = strValues(c);
        break;
      case M.ENUM_STR_VALUE:
        m.rawEnumValues = strValues(c);
        break;
      case M.GEOMETRY_TYPE:
        m.geometryTypes = numbers(c);
        break;
      case M.SIMPLE_PRIMARY_KEY:
        m.primaryKey = numbers(c).map((column) => ({ column, prefix: 0 }));
        break;
      case M.PRIMARY_KEY_WITH_PREFIX: {
        const pk: { column: number; prefix: number }[] = [];
        while (c.remaining > 0) {
          const column = c.lenenc();
          pk.push({ column, prefix: c.lenenc() });
        }
        m.primaryKey = pk;
        break;
      }
      case M.ENUM_AND_SET_DEFAULT_CHARSET:
        m.enumSetDefaultCharset = defaultCharset(c);
        break;
      case M.ENUM_AND_SET_COLUMN_CHARSET:
        m.enumSetColumnCharsets = numbers(c);
        break;
      case M.COLUMN_VISIBILITY:
        m.visibility = bits(c);
        break;
      case M.VECTOR_DIMENSIONS:
        m.vectorDimensions = numbers(c);
        break;
      default:
        (m.unknown ??= []).push(type);
    }
  }
  return m;
}
