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

/** Reads one row image from the cursor. */
export type ImageReader = (cur: Cursor) => Row;

type BuildRow = (cur: Cursor, buf: Buffer, nulls: number) => Row;
type BuilderFactory = (plan: ColumnPlan[]) => BuildRow;
const BUILD = Symbol('binlogsync.buildRow');
type PlanCache = ColumnPlan[] & { [BUILD]?: BuildRow | null };
/** generated factories kept per decode context; past this many distinct tables the cache starts over */
const MAX_FACTORIES = 1024;

/**
 * Integer and YEAR values read in the generated builder itself (byte arithmetic, no call). With fewer
 * bytes left than the value needs, the column's reader runs instead and throws its ERR_TRUNCATED.
 * Everything else calls the column's reader.
 */
function inlineExpr(p: ColumnPlan, k: number): string | undefined {
  const b = (i: number): string => `buf[cur.pos - ${i}]`;
  let n: number;
  let expr: string;
  switch (p.realType) {
    case C.MYSQL_TYPE_TINY:
      n = 1;
      expr = p.unsigned ? b(1) : `(${b(1)} << 24) >> 24`;
      break;
    case C.MYSQL_TYPE_YEAR:
      n = 1;
      expr = `${b(1)} === 0 ? 0 : 1900 + ${b(1)}`;
      break;
    case C.MYSQL_TYPE_SHORT:
      n = 2;
      expr = p.unsigned ? `${b(2)} | (${b(1)} << 8)` : `((${b(2)} | (${b(1)} << 8)) << 16) >> 16`;
      break;
    case C.MYSQL_TYPE_INT24:
      n = 3;
      expr = `${b(3)} | (${b(2)} << 8) | (${b(1)} << 16)`;
      if (!p.unsigned) expr = `((${expr}) << 8) >> 8`;
      break;
    case C.MYSQL_TYPE_LONG:
      n = 4;
      expr = `(${b(4)} | (${b(3)} << 8) | (${b(2)} << 16) | (${b(1)} << 24)) ${p.unsigned ? '>>> 0' : '| 0'}`;
      break;
    default:
      return undefined;
  }
  return `(cur.end - cur.pos < ${n} ? p${k}.read(cur, p${k}) : ((cur.pos += ${n}), ${expr}))`;
}

function valueExpr(p: ColumnPlan, k: number): string {
  return inlineExpr(p, k) ?? `p${k}.read(cur, p${k})`;
}

/**
 * A row builder for images holding every column of the table: one object literal with the column keys in
 * order (like node-mysql2's generated row parsers), so V8 gives every row the same shape without a
 * transition per key. The factory is generated once per distinct source (so every table map of that
 * table shares its compiled code), the builder made once per table map. null when a key cannot go into
 * a literal (`__proto__`).
 */
function rowBuilder(plan: ColumnPlan[], factories: Map<string, unknown>): BuildRow | null {
  const cache = plan as PlanCache;
  let build = cache[BUILD];
  if (build !== undefined) return build;
  build = null;
  if (plan.length > 0 && !plan.some((p) => p.protoKey)) {
    const vars: string[] = [];
    const props: string[] = [];
    for (let k = 0; k < plan.length; k++) {
      vars.push(`p${k} = plan[${k}]`);
      const key = JSON.stringify(plan[k].key);
      props.push(`${key}: buf[nulls + ${k >> 3}] & ${1 << (k & 7)} ? null : ${valueExpr(plan[k], k)}`);
    }
    // the source is the factory's key: the same keys and inlined readers share one compiled function
    const src =
      `'use strict';\nconst ${vars.join(', ')};\n` +
      `return (cur, buf, nulls) => ({\n${props.join(',\n')}\n});`;
    let factory = factories.get(src) as BuilderFactory | undefined;
    if (factory === undefined) {
      // keys are JSON.stringify'd column names; nothing else from the input goes into the source
      // eslint-disable-next-line @typescript-eslint/no-implied-eval
      factory = new Function('plan', src) as BuilderFactory;
      if (factories.size >= MAX_FACTORIES) factories.clear();
      factories.set(src, factory);
    }
    build = factory(plan);
  }
  cache[BUILD] = build;
  return build;
}

/** The reader for the images of one rows event with these present columns (chosen once per event). */
export function imageReader(
  plan: ColumnPlan[],
  cols: number[],
  factories: Map<string, unknown>,
): ImageReader {
  const build = cols.length === plan.length ? rowBuilder(plan, factories) : null;
  if (build === null) return (cur) => readRowImage(cur, plan, cols);
  const nb = (cols.length + 7) >> 3;
  return (cur) => {
    cur.need(nb);
    const nulls = cur.pos;
    cur.pos += nb;
    return build(cur, cur.buf, nulls);
  };
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
