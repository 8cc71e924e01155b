// The terminal view of `tail` (and the demo): one colored line per event, row values included, cut to
// the terminal's width. Colors follow NO_COLOR / FORCE_COLOR conventions (decided by the caller).
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

/** A value the way a person reads it: 'text', 42, NULL, 0xCAFE, ('a','b'), {"json": 1}. */
export function prettyValue(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'string')
    return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (v instanceof JsonText) return v.text;
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
    .map(([k, v]) => `${paint('dim', k + '=')}${prettyValue(v)}`)
    .join(' ');
}

function updateText(before: Row, after: Row, paint: Paint): string {
  const parts: string[] = [];
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const k of keys) {
    const a = k in before ? prettyValue(before[k]) : undefined;
    const b = k in after ? prettyValue(after[k]) : undefined;
    if (a === b) parts.push(`${paint('dim', k + '=')}${a}`);
    else parts.push(`${paint('dim', k + '=')}${a ?? '?'} ${paint('yellow', '→')} ${b ?? '?'}`);
  }
  return parts.join(' ');
}

/** One line for an event; `width` cuts it (0: no limit). */
export function prettyLine(ev: BinlogEvent | RawEvent, opts: { color: boolean; width: number }): string {
  const paint = painter(opts.color);
  const head = `${paint('dim', clock(ev.ts))} ${paint('dim', `${ev.file ?? ''}:${ev.pos}`)} `;
  let body: string;
  switch (ev.type) {
    case 'write_rows':
      body = `${paint('green', 'INSERT')} ${paint('bold', `${ev.schema}.${ev.table}`)} ${ev.rows.map((r) => rowText(r, paint)).join(paint('dim', ' | '))}`;
      break;
    case 'delete_rows':
      body = `${paint('red', 'DELETE')} ${paint('bold', `${ev.schema}.${ev.table}`)} ${ev.rows.map((r) => rowText(r, paint)).join(paint('dim', ' | '))}`;
      break;
    case 'update_rows':
    case 'partial_update_rows':
      body = `${paint('yellow', 'UPDATE')} ${paint('bold', `${ev.schema}.${ev.table}`)} ${ev.rows
        .map((r) => updateText(r.before, r.after, paint))
        .join(paint('dim', ' | '))}`;
      break;
    case 'query':
      body = `${paint('magenta', 'QUERY')} ${ev.schema ? paint('dim', `[${ev.schema}] `) : ''}${ev.query.replace(/\s+/g, ' ')}`;
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
      body = `${paint('blue', 'ROTATE')} → ${ev.nextFile}:${ev.nextPos}`;
      break;
    case 'table_map':
      body = `${paint('dim', `TABLE ${ev.schema}.${ev.table} (${ev.columns.map((c) => c.name ?? `@${c.index + 1}`).join(', ')})`)}`;
      break;
    case 'raw':
      body = paint('dim', `raw event ${ev.code}, ${ev.data.length} bytes`);
      break;
    default:
      body = paint('dim', ev.type);
  }
  const line = head + body;
  if (opts.width > 0 && visibleLength(line) > opts.width)
    return cut(line, opts.width - 1) + (opts.color ? C.reset : '') + '…';
  return line;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;
function visibleLength(s: string): number {
  return s.replace(ANSI, '').length;
}

function cut(s: string, width: number): string {
  let out = '';
  let seen = 0;
  for (let i = 0; i < s.length && seen < width;) {
    if (s[i] === '\x1b') {
      const m = /^\x1b\[[0-9;]*m/.exec(s.slice(i)); // eslint-disable-line no-control-regex
      if (m) {
        out += m[0];
        i += m[0].length;
        continue;
      }
    }
    out += s[i++];
    seen++;
  }
  return out;
}
