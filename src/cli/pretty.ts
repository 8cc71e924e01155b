// The terminal view of `tail`, `parse` and the demo: one colored line per event, row values included,
// cut to the terminal's width. Colors follow NO_COLOR / FORCE_COLOR conventions (decided by the caller).
// Everything that comes from the binlog (values, statements, names) goes through `printable`: a value
// holding ESC [2J would otherwise clear the reader's screen, and one holding a newline break the
// one-line-per-event promise.
import type { BinlogEvent, Row } from '../binlog/types.js';
import { JsonDiffValue, JsonText } from '../binlog/rows/row-types.js';
import type { RawEvent } from '../replication/stream.js';
import { valueJson } from './jsonl.js';

const C = {
  reset: '\x1b[0m',
  dim: '\x1b[2m',
  bold: '\x1b[1m',
  green: '\x1b[32m',
  red: '\x1b[31m',
  yellow: '\x1b[33m',
  blue: '\x1b[34m',
  magenta: '\x1b[35m',
  cyan: '\x1b[36m',
} as const;

type Paint = (color: keyof typeof C, s: string) => string;

function painter(color: boolean): Paint {
  return color ? (c, s) => C[c] + s + C.reset : (_c, s) => s;
}

function clock(ts: number): string {
  return new Date(ts * 1000).toISOString().slice(11, 19);
}

const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
// C0, DEL and C1: a terminal acts on them rather than showing them.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f-\x9f]/g;

/** `s` with every control character spelled out (`\n`, `\x1b`), so that it shows as text. */
export function printable(s: string): string {
  return s.replace(CONTROL, (c) => ESCAPES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** A value the way a person reads it: 'text', 42, NULL, 0xCAFE, ('a','b'), {"json": 1}. */
export function prettyValue(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'string') return `'${printable(v.replace(/\\/g, '\\\\').replace(/'/g, "\\'"))}'`;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (v instanceof JsonText) return v.text; // JSON text escapes its control characters itself
  if (v instanceof JsonDiffValue) return valueJson(v);
  if (v instanceof Float32Array) return `[${Array.from(v).join(', ')}]`;
  if (v instanceof Uint8Array) {
    const hex = Buffer.from(v.buffer, v.byteOffset, Math.min(v.length, 32)).toString('hex').toUpperCase();
    return `0x${hex}${v.length > 32 ? '…' : ''}`;
  }
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return `(${v.map(prettyValue).join(',')})`;
  return valueJson(v);
}

function rowText(row: Row, paint: Paint): string {
  return Object.entries(row)
    .map(([k, v]) => `${paint('dim', printable(k) + '=')}${prettyValue(v)}`)
    .join(' ');
}

function updateText(before: Row, after: Row, paint: Paint): string {
  const parts: string[] = [];
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const k of keys) {
    const a = k in before ? prettyValue(before[k]) : undefined;
    const b = k in after ? prettyValue(after[k]) : undefined;
    const name = paint('dim', printable(k) + '=');
    if (a === b) parts.push(`${name}${a}`);
    else parts.push(`${name}${a ?? '?'} ${paint('yellow', '→')} ${b ?? '?'}`);
  }
  return parts.join(' ');
}

/** One line for an event; `width` cuts it (0: no limit). */
export function prettyLine(ev: BinlogEvent | RawEvent, opts: { color: boolean; width: number }): string {
  const paint = painter(opts.color);
  const head = `${paint('dim', clock(ev.ts))} ${paint('dim', `${ev.file ?? ''}:${ev.pos}`)} `;
  const table = (e: { schema: string; table: string }) => printable(`${e.schema}.${e.table}`);
  let body: string;
  switch (ev.type) {
    case 'write_rows':
      body = `${paint('green', 'INSERT')} ${paint('bold', table(ev))} ${ev.rows.map((r) => rowText(r, paint)).join(paint('dim', ' | '))}`;
      break;
    case 'delete_rows':
      body = `${paint('red', 'DELETE')} ${paint('bold', table(ev))} ${ev.rows.map((r) => rowText(r, paint)).join(paint('dim', ' | '))}`;
      break;
    case 'update_rows':
    case 'partial_update_rows':
      body = `${paint('yellow', 'UPDATE')} ${paint('bold', table(ev))} ${ev.rows
        .map((r) => updateText(r.before, r.after, paint))
        .join(paint('dim', ' | '))}`;
      break;
    case 'query':
      body = `${paint('magenta', 'QUERY')} ${ev.schema ? paint('dim', `[${printable(ev.schema)}] `) : ''}${printable(ev.query.replace(/\s+/g, ' '))}`;
      break;
    case 'gtid':
    case 'gtid_tagged':
    case 'mariadb_gtid':
      body = `${paint('cyan', 'GTID')} ${ev.gtid}`;
      break;
    case 'xid':
      body = `${paint('cyan', 'COMMIT')} ${paint('dim', `xid=${ev.xid}`)}`;
      break;
    case 'rotate':
      body = `${paint('blue', 'ROTATE')} → ${printable(ev.nextFile)}:${ev.nextPos}`;
      break;
    case 'table_map':
      body = `${paint('dim', `TABLE ${table(ev)} (${printable(ev.columns.map((c) => c.name ?? `@${c.index + 1}`).join(', '))})`)}`;
      break;
    case 'raw':
      body = paint('dim', `raw event ${ev.code}, ${ev.data.length} bytes`);
      break;
    default:
      body = paint('dim', ev.type);
  }
  const line = head + body;
  return opts.width > 0 ? fitToWidth(line, opts.width, opts.color) : line;
}

// Code points a terminal draws two columns wide: the East Asian Wide and Fullwidth blocks (CJK, kana,
// Hangul, fullwidth forms) and the emoji blocks of plane 1. An approximation of wcwidth(3) by block,
// not per character: a line with one of the rarer wide symbols (e.g. U+231A) may still wrap.
const WIDE: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xa960, 0xa97f],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f],
  [0x1f680, 0x1f6ff],
  [0x1f900, 0x1f9ff],
  [0x20000, 0x3fffd],
];
// combining marks (variation selectors among them) are drawn on the character before them
const MARK = /^[\p{Mn}\p{Me}]$/u;

function columns(cp: number): number {
  if (cp < 0x300) return 1;
  if ((cp >= 0x200b && cp <= 0x200f) || MARK.test(String.fromCodePoint(cp))) return 0; // zero-width spaces, marks
  for (const [lo, hi] of WIDE) {
    if (cp < lo) break;
    if (cp <= hi) return 2;
  }
  return 1;
}

/**
 * `line` as it fits in `width` columns: itself, or cut with an ellipsis in the last column. The only
 * escapes in a line may be SGR colors (binlog text goes through `printable`); they take no column.
 */
export function fitToWidth(line: string, width: number, color: boolean): string {
  let used = 0;
  let cutAt = -1; // the first character past width - 1 columns: where the ellipsis goes if needed
  for (let i = 0; i < line.length;) {
    if (line.charCodeAt(i) === 0x1b) {
      const m = line.indexOf('m', i);
      i = m < 0 ? line.length : m + 1;
      continue;
    }
    const cp = line.codePointAt(i) ?? 0;
    used += columns(cp);
    if (cutAt < 0 && used > width - 1) cutAt = i;
    if (used > width) return line.slice(0, cutAt) + (color ? C.reset : '') + '…';
    i += cp > 0xffff ? 2 : 1;
  }
  return line;
}
