// JSON-lines printer for decoded events (spec values-and-jsonl.md §2): one object per event, common
// header first (type, file, pos, next, logPos, ts, serverId), then the event's own fields. Values are
// written by hand rather than JSON.stringify so that 64-bit integers keep every digit, FLOAT prints the
// shortest text that round-trips through float32, NaN/±Infinity become null, bytes become
// {"base64": …}, and JSON columns appear inline exactly as MySQL's CAST(j AS CHAR) text.
import { ColumnType as C } from '../binlog/constants.js';
import { JsonDiffValue, JsonText } from '../binlog/rows/row-types.js';
import type { BinlogEvent, ColumnDef, Row, RowsEvent } from '../binlog/types.js';

/** the p-significant-digit candidate of float32Text, when it reads back as the same float32; else NaN */
function float32Digits(v: number, p: number): number {
  const n = Number(v.toPrecision(p));
  return Math.fround(n) === v ? n : NaN;
}

/**
 * Shortest decimal text that reads back as the same float32 (FLOAT columns): the fewest significant
 * digits p (1..9; 9 always suffice) for which v.toPrecision(p) reads back as v, printed as a JS number.
 * Reading back only gets easier with more digits (the p+1-digit rounding is at least as close to v as
 * the p-digit one), so p is found by binary search instead of trying 1, 2, … 9.
 */
export function float32Text(v: number): string {
  if (!Number.isFinite(v)) return 'null';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  // an integer below 2^24 in magnitude: float32 steps there are at most 1, so no shorter number (a
  // different integer) reads back as v, and the search would end at v itself
  if (Number.isInteger(v) && v < 0x1000000 && v > -0x1000000) return String(v);
  let lo = 1;
  let hi = 9;
  let best = NaN;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const n = float32Digits(v, mid);
    if (n === n) {
      hi = mid;
      best = n;
    } else {
      lo = mid + 1;
    }
  }
  // hi only moves on a success, so best is the candidate for hi (= lo), unless nothing below 9 matched
  if (best !== best) best = float32Digits(v, 9);
  return String(best === best ? best : v);
}

export function doubleText(v: number): string {
  if (!Number.isFinite(v)) return 'null';
  if (v === 0 && Object.is(v, -0)) return '-0';
  return String(v);
}

function bytesJson(b: Uint8Array): string {
  const buf = Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  return `{"base64":"${buf.toString('base64')}"}`;
}

/** Any decoded value (event fields and row values of no special column type). */
export function valueJson(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return doubleText(v);
    case 'bigint':
      return v.toString();
    case 'boolean':
      return v ? 'true' : 'false';
    case 'undefined':
      return 'null';
    case 'object':
      break;
    default:
      return 'null';
  }
  if (v === null) return 'null';
  if (v instanceof JsonText) return v.text;
  if (v instanceof JsonDiffValue) {
    let s = '{"json_diff":[';
    for (let i = 0; i < v.json_diff.length; i++) {
      const d = v.json_diff[i];
      if (i) s += ',';
      s += `{"op":${JSON.stringify(d.op)},"path":${JSON.stringify(d.path)}`;
      if (d.op !== 'remove') s += `,"value":${d.text ?? valueJson(d.value)}`;
      s += '}';
    }
    return s + ']}';
  }
  if (v instanceof Float32Array) {
    let s = '[';
    for (let i = 0; i < v.length; i++) s += (i ? ',' : '') + float32Text(v[i]);
    return s + ']';
  }
  if (v instanceof Uint8Array) return bytesJson(v);
  if (Array.isArray(v)) {
    let s = '[';
    for (let i = 0; i < v.length; i++) s += (i ? ',' : '') + valueJson(v[i]);
    return s + ']';
  }
  let s = '{';
  let first = true;
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (x === undefined) continue;
    s += (first ? '' : ',') + JSON.stringify(k) + ':' + valueJson(x);
    first = false;
  }
  return s + '}';
}

type Printer = (v: unknown) => string;

/** BIGINT values within ±(2^53 - 1) print through Number: the same digits, without BigInt's slower toString. */
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const intJson: Printer = (v) =>
  typeof v === 'number'
    ? String(v)
    : typeof v === 'bigint'
      ? v <= MAX_SAFE && v >= -MAX_SAFE
        ? String(Number(v))
        : v.toString()
      : valueJson(v);
const float32Json: Printer = (v) => (typeof v === 'number' ? float32Text(v) : valueJson(v));
/**
 * JSON string of a DECIMAL / temporal text, quoted as it is: the decoders make these of digits, '-',
 * ':', '.' and ' ' only (decimal.ts, temporal.ts), so nothing in them needs escaping.
 */
const plainStringJson: Printer = (v) => (typeof v === 'string' ? '"' + v + '"' : valueJson(v));
/** SET members: an array of strings (JSON.stringify's text of it is ours: no spaces), or the bitmask. */
const setJson: Printer = (v) => (Array.isArray(v) ? JSON.stringify(v) : valueJson(v));
// the common value of each column family first, valueJson for the rest (same text, fewer type tests)
const doubleJson: Printer = (v) => (typeof v === 'number' ? doubleText(v) : valueJson(v));
const textOrBytesJson: Printer = (v) =>
  typeof v === 'string' ? JSON.stringify(v) : v instanceof Uint8Array ? bytesJson(v) : valueJson(v);
const jsonColumnJson: Printer = (v) => (v instanceof JsonText ? v.text : valueJson(v));

/** A column's value printer: the JS type of a value depends only on the column (spec §1). */
function printerFor(c: ColumnDef): Printer {
  switch (c.realType) {
    case C.MYSQL_TYPE_TINY:
    case C.MYSQL_TYPE_SHORT:
    case C.MYSQL_TYPE_INT24:
    case C.MYSQL_TYPE_LONG:
    case C.MYSQL_TYPE_LONGLONG:
    case C.MYSQL_TYPE_YEAR:
      return intJson;
    case C.MYSQL_TYPE_FLOAT:
      return float32Json;
    case C.MYSQL_TYPE_DOUBLE:
      return doubleJson;
    case C.MYSQL_TYPE_VARCHAR:
    case C.MYSQL_TYPE_VAR_STRING:
    case C.MYSQL_TYPE_STRING:
    case C.MYSQL_TYPE_ENUM:
    case C.MYSQL_TYPE_TINY_BLOB:
    case C.MYSQL_TYPE_MEDIUM_BLOB:
    case C.MYSQL_TYPE_LONG_BLOB:
    case C.MYSQL_TYPE_BLOB:
    case C.MYSQL_TYPE_BLOB_COMPRESSED:
    case C.MYSQL_TYPE_VARCHAR_COMPRESSED:
      return textOrBytesJson;
    case C.MYSQL_TYPE_JSON:
      return jsonColumnJson;
    case C.MYSQL_TYPE_NEWDECIMAL:
    case C.MYSQL_TYPE_DATE:
    case C.MYSQL_TYPE_TIME:
    case C.MYSQL_TYPE_TIME2:
    case C.MYSQL_TYPE_DATETIME:
    case C.MYSQL_TYPE_DATETIME2:
    case C.MYSQL_TYPE_TIMESTAMP:
    case C.MYSQL_TYPE_TIMESTAMP2:
      return plainStringJson;
    case C.MYSQL_TYPE_SET:
      return setJson;
    default:
      return valueJson;
  }
}

/** A row object's JSON text, its keys in column order, absent columns (undefined) left out. */
type RowPrint = (row: Row) => string;
/** per table map (its columns array) */
const ROW_PRINTS = new WeakMap<ColumnDef[], RowPrint>();
/**
 * Generated row printers by their source, which depends only on the column keys: every table map of a
 * table (one per transaction) shares one compiled function. Past this many tables it starts over.
 */
const PRINT_FACTORIES = new Map<string, (print: Printer[]) => RowPrint>();
const MAX_PRINT_FACTORIES = 1024;

function rowPrint(columns: ColumnDef[]): RowPrint {
  let f = ROW_PRINTS.get(columns);
  if (f === undefined) {
    const print = columns.map(printerFor);
    if (columns.some((c) => c.key === '__proto__')) {
      const keys = columns.map((c) => JSON.stringify(c.key) + ':');
      f = (row) => genericRowJson(row, columns, keys, print);
    } else {
      f = generatedRowPrint(columns, print);
    }
    ROW_PRINTS.set(columns, f);
  }
  return f;
}

/**
 * One function per key list reading each column by name (rows of one table map share a shape, so the
 * reads are monomorphic) and calling its printer directly, instead of a loop of keyed reads and calls
 * through an array of printers (with the printer changes beside it, per-row printing of the bench table
 * went ~3.6 → ~2.7 µs).
 */
function generatedRowPrint(columns: ColumnDef[], print: Printer[]): RowPrint {
  const lines = ["'use strict';"];
  const body: string[] = [];
  for (let i = 0; i < columns.length; i++) {
    const key = JSON.stringify(columns[i].key);
    lines.push(`const p${i} = print[${i}];`);
    // keys and their JSON text go into the source only as JSON.stringify'd string literals
    const first = JSON.stringify(`${key}:`);
    const next = JSON.stringify(`,${key}:`);
    body.push(
      // a name Object.prototype has (constructor, toString …): only an own property is the column's
      columns[i].key in Object.prototype
        ? `v = Object.prototype.hasOwnProperty.call(row, ${key}) ? row[${key}] : undefined;`
        : `v = row[${key}];`,
      `if (v !== undefined) s += (s.length === 1 ? ${first} : ${next}) + p${i}(v);`,
    );
  }
  const src = `${lines.join('\n')}\nreturn (row) => {\nlet s = '{';\nlet v;\n${body.join('\n')}\nreturn s + '}';\n};`;
  let factory = PRINT_FACTORIES.get(src);
  if (factory === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    factory = new Function('print', src) as (print: Printer[]) => RowPrint;
    if (PRINT_FACTORIES.size >= MAX_PRINT_FACTORIES) PRINT_FACTORIES.clear();
    PRINT_FACTORIES.set(src, factory);
  }
  return factory(print);
}

/**
 * The row printer's loop, for a `__proto__` column (read only when it is an own property); `keys`: each
 * column's quoted key and colon.
 */
function genericRowJson(row: Row, columns: ColumnDef[], keys: string[], print: Printer[]): string {
  let s = '{';
  let first = true;
  for (let i = 0; i < columns.length; i++) {
    const key = columns[i].key;
    // absent (not in the row image) is undefined; a logged NULL is null
    const v =
      key in Object.prototype
        ? Object.prototype.hasOwnProperty.call(row, key)
          ? row[key]
          : undefined
        : row[key];
    if (v === undefined) continue;
    s += (first ? '' : ',') + keys[i] + print[i](v);
    first = false;
  }
  return s + '}';
}

export function rowJson(row: Row, columns: ColumnDef[]): string {
  return rowPrint(columns)(row);
}

// `position` ({ file, pos } on stream events) repeats file and pos: not printed.
const HEADER_KEYS = new Set([
  'type',
  'file',
  'pos',
  'next',
  'logPos',
  'ts',
  'serverId',
  'payload',
  'code',
  'position',
]);
/** Fields left out of the lines: internal links and large opaque blobs. */
const SKIP: Record<string, Set<string>> = {
  write_rows: new Set(['tableMap', 'rows']),
  update_rows: new Set(['tableMap', 'rows']),
  delete_rows: new Set(['tableMap', 'rows']),
  partial_update_rows: new Set(['tableMap', 'rows']),
  transaction_payload: new Set(['data']),
};

/** One JSON line (without the newline) for an event. */
export function eventJson(ev: BinlogEvent): string {
  let s =
    `{"type":${JSON.stringify(ev.type)},"file":${ev.file === undefined ? 'null' : JSON.stringify(ev.file)}` +
    `,"pos":${ev.pos},"next":${ev.next},"logPos":${ev.logPos},"ts":${ev.ts},"serverId":${ev.serverId}`;
  if (ev.payload !== undefined) s += `,"payload":${ev.payload}`;
  s += `,"code":${ev.code}`;
  const skip = SKIP[ev.type];
  for (const [k, v] of Object.entries(ev)) {
    if (HEADER_KEYS.has(k) || v === undefined || (skip && skip.has(k))) continue;
    s += ',' + JSON.stringify(k) + ':' + valueJson(v);
  }
  if (skip && skip.has('rows')) {
    const r = ev as RowsEvent;
    const cols = r.tableMap ? r.tableMap.columns : [];
    s += ',"rows":[';
    for (let i = 0; i < r.rows.length; i++) {
      if (i) s += ',';
      const row = r.rows[i];
      if (
        'before' in row &&
        'after' in row &&
        (r.type === 'update_rows' || r.type === 'partial_update_rows')
      ) {
        const u = row as { before: Row; after: Row };
        s += `{"before":${rowJson(u.before, cols)},"after":${rowJson(u.after, cols)}}`;
      } else {
        s += rowJson(row as Row, cols);
      }
    }
    s += ']';
  }
  return s + '}';
}

/** The readable one-line text view (parse without --json). */
export function eventText(ev: BinlogEvent): string {
  let s = `#${ev.pos} ${ev.type}`;
  if (ev.payload !== undefined) s += ` (in payload #${ev.payload})`;
  switch (ev.type) {
    case 'query':
      return `${s} ${ev.schema ? '[' + ev.schema + '] ' : ''}${oneLine(ev.query)}`;
    case 'rows_query':
    case 'mariadb_annotate_rows':
      return `${s} ${oneLine(ev.query)}`;
    case 'table_map':
      return `${s} ${ev.schema}.${ev.table} id=${ev.tableId} columns=${ev.columns.map((c) => c.key).join(',')}`;
    case 'write_rows':
    case 'delete_rows':
    case 'update_rows':
    case 'partial_update_rows': {
      const cols = ev.tableMap ? ev.tableMap.columns : [];
      const rows = (ev.rows as unknown[]).map((row) => {
        const r = row as Row | { before: Row; after: Row };
        if (ev.type === 'update_rows' || ev.type === 'partial_update_rows') {
          const u = r as { before: Row; after: Row };
          return `${rowJson(u.before, cols)} -> ${rowJson(u.after, cols)}`;
        }
        return rowJson(r as Row, cols);
      });
      return `${s} ${ev.schema}.${ev.table} ${rows.join(' ')}`;
    }
    case 'gtid':
    case 'gtid_tagged':
    case 'anonymous_gtid':
    case 'mariadb_gtid':
      return `${s} ${ev.gtid}`;
    case 'previous_gtids':
      return `${s} ${ev.gtidSetText || '(empty)'}`;
    case 'mariadb_gtid_list':
      return `${s} ${ev.gtidListText || '(empty)'}`;
    case 'xid':
      return `${s} xid=${ev.xid}`;
    case 'rotate':
      return `${s} ${ev.nextFile}:${ev.nextPos}`;
    case 'format_description':
      return `${s} server ${ev.serverVersion} binlog v${ev.binlogVersion} checksum ${ev.checksumAlg}`;
    case 'unknown':
      return `${s} code=${ev.code} ${ev.raw.length} bytes`;
    default:
      return s;
  }
}

function oneLine(q: string): string {
  return q.replace(/\s*\n\s*/g, ' ');
}
