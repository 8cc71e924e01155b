// One row image of a rows event: mysql-server sql/log_event.cc Rows_log_event::print_verbose_one_row
// and sql/rpl_record.cc unpack_row, 9.x
//   null bitmap   ceil(present columns / 8) bytes, one bit per column present in the image
//   values        one per present, non-NULL column, in column order (values.ts)
// PARTIAL_UPDATE_ROWS after image: value_options lenenc; if value_options & 1 (PARTIAL_JSON_UPDATES) a
// bitmap with one bit per JSON column of the table (present or not); a JSON column whose bit is set holds
// a diff list: length u32, then the diffs (json-binary.ts decodeJsonDiffs).
import { ColumnType as C } from '../constants.js';
import type { Cursor } from '../cursor.js';
import { decodeJsonDiffs } from './json-binary.js';
import { JsonDiffValue, type Row } from './row-types.js';
import type { ColumnPlan } from './values.js';

function setProto(row: Row, key: string, v: Row[string]): void {
  Object.defineProperty(row, key, { value: v, enumerable: true, writable: true, configurable: true });
}

/** Indices of the columns present in an image (computed once per rows event). */
export function presentColumns(present: boolean[], width: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < width; i++) if (present[i]) out.push(i);
  return out;
}

export function readRowImage(cur: Cursor, plan: ColumnPlan[], cols: number[]): Row {
  const n = cols.length;
  const nb = (n + 7) >> 3;
  cur.need(nb);
  const nulls = cur.pos;
  cur.pos += nb;
  const buf = cur.buf;
  const row: Row = {};
  for (let k = 0; k < n; k++) {
    const p = plan[cols[k]];
    const v = buf[nulls + (k >> 3)] & (1 << (k & 7)) ? null : p.read(cur, p);
    if (p.protoKey) setProto(row, p.key, v);
    else row[p.key] = v;
  }
  return row;
}

export function readPartialAfterImage(cur: Cursor, plan: ColumnPlan[], cols: number[]): Row {
  const options = cur.lenenc();
  let partialStart = -1;
  // partial bits: one per JSON column of the table, in column order, present in the image or not
  let jsonCount = 0;
  const jsonIndex = new Array<number>(plan.length);
  for (let i = 0; i < plan.length; i++)
    jsonIndex[i] = plan[i].realType === C.MYSQL_TYPE_JSON ? jsonCount++ : -1;
  if (options & 1) {
    const n = (jsonCount + 7) >> 3;
    cur.need(n);
    partialStart = cur.pos;
    cur.pos += n;
  }
  const nb = (cols.length + 7) >> 3;
  cur.need(nb);
  const nulls = cur.pos;
  cur.pos += nb;
  const buf = cur.buf;
  const row: Row = {};
  for (let k = 0; k < cols.length; k++) {
    const i = cols[k];
    const p = plan[i];
    const j = jsonIndex[i];
    const partial = j >= 0 && partialStart >= 0 && (buf[partialStart + (j >> 3)] & (1 << (j & 7))) !== 0;
    let v: Row[string];
    if (buf[nulls + (k >> 3)] & (1 << (k & 7))) v = null;
    else if (partial) v = new JsonDiffValue(decodeJsonDiffs(cur));
    else v = p.read(cur, p);
    if (p.protoKey) setProto(row, p.key, v);
    else row[p.key] = v;
  }
  return row;
}
