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

function setKey(row: Row, key: string, v: Row[string]): void {
  if (key === '__proto__')
    Object.defineProperty(row, key, { value: v, enumerable: true, writable: true, configurable: true });
  else row[key] = v;
}

export function readRowImage(cur: Cursor, plan: ColumnPlan[], present: boolean[], width: number): Row {
  let count = 0;
  for (let i = 0; i < width; i++) if (present[i]) count++;
  const nb = (count + 7) >> 3;
  cur.need(nb);
  const nulls = cur.pos;
  cur.pos += nb;
  const buf = cur.buf;
  const row: Row = {};
  let k = 0;
  for (let i = 0; i < width; i++) {
    if (!present[i]) continue;
    const p = plan[i];
    const isNull = (buf[nulls + (k >> 3)] & (1 << (k & 7))) !== 0;
    k++;
    setKey(row, p.key, isNull ? null : p.read(cur, p));
  }
  return row;
}

export function readPartialAfterImage(
  cur: Cursor,
  plan: ColumnPlan[],
  present: boolean[],
  width: number,
): Row {
  const options = cur.lenenc();
  let partialStart = -1;
  if (options & 1) {
    let jsonCount = 0;
    for (let i = 0; i < plan.length; i++) if (plan[i].realType === C.MYSQL_TYPE_JSON) jsonCount++;
    const n = (jsonCount + 7) >> 3;
    cur.need(n);
    partialStart = cur.pos;
    cur.pos += n;
  }
  let count = 0;
  for (let i = 0; i < width; i++) if (present[i]) count++;
  const nb = (count + 7) >> 3;
  cur.need(nb);
  const nulls = cur.pos;
  cur.pos += nb;
  const buf = cur.buf;
  const row: Row = {};
  let k = 0;
  let j = 0;
  for (let i = 0; i < width; i++) {
    const p = plan[i];
    let partial = false;
    if (p.realType === C.MYSQL_TYPE_JSON) {
      partial = partialStart >= 0 && (buf[partialStart + (j >> 3)] & (1 << (j & 7))) !== 0;
      j++;
    }
    if (!present[i]) continue;
    const isNull = (buf[nulls + (k >> 3)] & (1 << (k & 7))) !== 0;
    k++;
    if (isNull) {
      setKey(row, p.key, null);
    } else if (partial) {
      setKey(row, p.key, new JsonDiffValue(decodeJsonDiffs(cur)));
    } else {
      setKey(row, p.key, p.read(cur, p));
    }
  }
  return row;
}
