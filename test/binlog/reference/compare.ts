// Compares our decoded events with the reference tools' output (mysqlbinlog-output.ts): event types,
// positions, server ids, GTIDs, queries, table maps and every row value. Returns the differences.
import { ColumnType as C } from '../../../src/binlog/constants.js';
import { decodeText } from '../../../src/binlog/rows/charsets.js';
import { JsonDiffValue, JsonText, type Row } from '../../../src/binlog/rows/row-types.js';
import type { BinlogEvent, ColumnDef, RowsEvent } from '../../../src/binlog/types.js';
import {
  formatE,
  formatG,
  refQueryText,
  unquoteBytes,
  type RefEvent,
  type RefRowImage,
} from './mysqlbinlog-output.js';

const latin1 = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');

function epochText(ts: string): string {
  // 'YYYY-MM-DD HH:MM:SS[.ffffff]' (UTC) → seconds since the epoch as mysqlbinlog prints TIMESTAMP
  if (ts.startsWith('0000-00-00')) {
    const frac = ts.split('.')[1];
    return frac ? `0.${frac}` : '0';
  }
  const [d, t] = ts.split(' ');
  const [y, mo, da] = d.split('-').map(Number);
  const [hms, frac] = t.split('.');
  const [h, mi, s] = hms.split(':').map(Number);
  const secs = Date.UTC(y, mo - 1, da, h, mi, s) / 1000;
  return frac ? `${secs}.${frac}` : String(secs);
}

function str(v: unknown): string {
  return typeof v === 'string'
    ? v
    : typeof v === 'number' || typeof v === 'bigint'
      ? String(v)
      : JSON.stringify(v);
}

function unq(v: string): string {
  return v.length >= 2 && v[0] === "'" && v[v.length - 1] === "'" ? v.slice(1, -1) : v;
}

export function compareValue(
  ref: string,
  ours: unknown,
  col: ColumnDef,
  assumeCharset?: string,
  flavor: 'mysql' | 'mariadb' = 'mysql',
): string | undefined {
  const bad = (): string =>
    `ref ${ref.slice(0, 200)} vs ours ${typeof ours === 'bigint' ? ours + 'n' : ours instanceof Uint8Array ? 'bytes:' + Buffer.from(ours).toString('hex') : JSON.stringify(ours)}`;
  if (ref === 'NULL') return ours === null ? undefined : bad();
  // MariaDB compressed columns: mariadb-binlog prints the stored (compressed) bytes; checked against
  // SELECT in the integration tests instead
  if (col.realType === C.MYSQL_TYPE_BLOB_COMPRESSED || col.realType === C.MYSQL_TYPE_VARCHAR_COMPRESSED) {
    return ours === null ? bad() : undefined;
  }
  if (ours === null || ours === undefined) return bad();
  switch (col.realType) {
    case C.MYSQL_TYPE_TINY:
    case C.MYSQL_TYPE_SHORT:
    case C.MYSQL_TYPE_INT24:
    case C.MYSQL_TYPE_LONG:
    case C.MYSQL_TYPE_LONGLONG: {
      const m = /^(-?\d+)(?: \((\d+)\))?$/.exec(ref);
      if (!m) return `unparsed integer ${ref}`;
      return str(ours) === m[1] || str(ours) === m[2] ? undefined : bad();
    }
    case C.MYSQL_TYPE_FLOAT:
      return typeof ours === 'number' && formatG(ours, 6) === ref ? undefined : bad();
    case C.MYSQL_TYPE_DOUBLE:
      return typeof ours === 'number' && formatG(ours, 20) === ref ? undefined : bad();
    case C.MYSQL_TYPE_YEAR:
      // both tools print YEAR as 1900 + the stored byte, so YEAR 0 (SELECT: 0000) shows as 1900
      if (ours === 0 && ref === '1900') return undefined;
      return str(ours) === ref ? undefined : bad();
    case C.MYSQL_TYPE_NEWDECIMAL:
      return str(ours) === ref ? undefined : bad();
    case C.MYSQL_TYPE_DATE:
    case C.MYSQL_TYPE_NEWDATE:
      return str(ours) === unq(ref).replace(/:/g, '-') ? undefined : bad();
    case C.MYSQL_TYPE_TIME:
    case C.MYSQL_TYPE_TIME2:
    case C.MYSQL_TYPE_DATETIME:
    case C.MYSQL_TYPE_DATETIME2:
      return str(ours) === unq(ref) ? undefined : bad();
    case C.MYSQL_TYPE_TIMESTAMP:
    case C.MYSQL_TYPE_TIMESTAMP2:
      return typeof ours === 'string' && epochText(ours) === ref ? undefined : bad();
    case C.MYSQL_TYPE_ENUM: {
      const idx =
        typeof ours === 'number' ? ours : col.enumValues ? col.enumValues.indexOf(str(ours)) + 1 : -1;
      return String(idx) === ref ? undefined : bad();
    }
    case C.MYSQL_TYPE_SET:
    case C.MYSQL_TYPE_BIT: {
      const m = /^b'([01]*)'$/.exec(ref);
      if (!m) return `unparsed bits ${ref}`;
      const want = m[1] ? BigInt('0b' + m[1]) : 0n;
      let got: bigint;
      if (typeof ours === 'bigint') got = ours;
      else if (Array.isArray(ours) && col.setValues) {
        got = 0n;
        for (const name of ours as string[]) got |= 1n << BigInt(col.setValues.indexOf(name));
      } else return bad();
      return got === want ? undefined : bad();
    }
    case C.MYSQL_TYPE_JSON: {
      if (ours instanceof JsonDiffValue) {
        // mysqlbinlog: JSON_REPLACE(@2, '$.a', value) / JSON_INSERT / JSON_REMOVE, nested
        for (const d of ours.json_diff) {
          if (!ref.includes(`'${latin1(d.path)}'`)) return bad();
          if (
            d.text !== undefined &&
            !latin1(ref).includes(latin1(d.text)) &&
            !ref.includes(latin1(d.text))
          ) {
            return `${bad()} (diff value ${d.text})`;
          }
        }
        return undefined;
      }
      const bytes = unquoteBytes(ref, flavor);
      if (!bytes) return `unparsed JSON ${ref}`;
      const text = ours instanceof JsonText ? ours.text : JSON.stringify(ours);
      const got = bytes.toString('utf8');
      if (got === text) return undefined;
      // mysqlbinlog prints a top-level JSON string without its quotes
      if (text.startsWith('"') && got === (JSON.parse(text) as string)) return undefined;
      return `${bad()} (text ${text})`;
    }
    case C.MYSQL_TYPE_VECTOR: {
      if (!(ours instanceof Float32Array)) return bad();
      // mysqlbinlog prints each float with %.5e
      const text = '[' + Array.from(ours, (f) => formatE(f, 5)).join(',') + ']';
      return text === ref ? undefined : bad();
    }
    default: {
      const bytes = unquoteBytes(ref, flavor);
      if (!bytes) return `unparsed string ${ref}`;
      if (ours instanceof Uint8Array) {
        if (Buffer.from(ours).equals(bytes)) return undefined;
        // BINARY(n): the tools print the bytes as logged (trailing 0x00 stripped); we give them back padded
        const padded = Buffer.alloc(ours.length);
        if (col.realType === C.MYSQL_TYPE_STRING && col.charset === 'binary' && bytes.length <= ours.length) {
          bytes.copy(padded);
          if (Buffer.from(ours).equals(padded)) return undefined;
        }
        return bad();
      }
      if (typeof ours === 'string') {
        const cs = col.charset ?? assumeCharset ?? 'utf8mb4';
        return decodeText(bytes, 0, bytes.length, cs) === ours ? undefined : bad();
      }
      return bad();
    }
  }
}

function compareImage(
  where: string,
  ref: RefRowImage | undefined,
  ours: Row,
  cols: ColumnDef[],
  out: string[],
  opts: CompareOptions,
): void {
  const present = new Set<number>();
  if (ref) {
    for (const [n, v] of ref.values) {
      present.add(n);
      const col = cols[n - 1];
      if (!col) {
        out.push(`${where} @${n}: no such column in our table map`);
        continue;
      }
      if (!Object.prototype.hasOwnProperty.call(ours, col.key)) {
        out.push(`${where} @${n}: absent in ours, ref ${v}`);
        continue;
      }
      const d = compareValue(v, ours[col.key], col, opts.assumeCharset, opts.flavor);
      if (d) out.push(`${where} @${n} (${col.key}, type ${col.realType}): ${d}`);
    }
  }
  for (const c of cols) {
    if (ref?.gaveUpAt !== undefined && c.index + 1 >= ref.gaveUpAt) break;
    if (Object.prototype.hasOwnProperty.call(ours, c.key) && !present.has(c.index + 1)) {
      out.push(`${where} ${c.key}: present in ours, not in ref`);
    }
  }
}

export interface CompareOptions {
  assumeCharset?: string;
  /** which tool printed the reference (their string escaping differs) */
  flavor?: 'mysql' | 'mariadb';
}

export function compareEvents(ours: BinlogEvent[], ref: RefEvent[], opts: CompareOptions = {}): string[] {
  const out: string[] = [];
  const pendingOurs: { ev: RowsEvent; k: number; where: string }[] = [];
  const pendingRef: RefEvent['rows'] = [];
  const flushRows = (): void => {
    const last = pendingRef[pendingRef.length - 1];
    const gaveUp = last !== undefined && (last.after?.gaveUpAt ?? last.before?.gaveUpAt) !== undefined;
    if (gaveUp ? pendingOurs.length < pendingRef.length : pendingOurs.length !== pendingRef.length) {
      out.push(`${pendingOurs[0]?.where ?? 'rows'}: ${pendingOurs.length} rows, ref ${pendingRef.length}`);
    } else {
      for (let i = 0; i < pendingRef.length; i++) {
        const { ev, k, where: w } = pendingOurs[i];
        const rr = pendingRef[i];
        const cols = ev.tableMap?.columns ?? [];
        if (ev.type === 'write_rows') compareImage(w, rr.after, ev.rows[k], cols, out, opts);
        else if (ev.type === 'delete_rows') compareImage(w, rr.before, ev.rows[k], cols, out, opts);
        else {
          const u = ev.rows[k];
          compareImage(`${w} before`, rr.before, u.before, cols, out, opts);
          if (rr.before?.gaveUpAt === undefined)
            compareImage(`${w} after`, rr.after, u.after, cols, out, opts);
        }
      }
    }
    pendingOurs.length = 0;
    pendingRef.length = 0;
  };
  const n = Math.max(ours.length, ref.length);
  for (let i = 0; i < n && out.length < 50; i++) {
    const o = ours[i];
    const r = ref[i];
    if (!o || !r) {
      out.push(
        `event #${i}: ${o ? `ours ${o.type}@${o.pos}` : 'ours: none'} vs ${r ? `ref ${r.kind}@${r.at}` : 'ref: none'}`,
      );
      break;
    }
    const where = `event #${i} ${o.type}@${o.pos}`;
    const type = o.type === 'gtid_tagged' ? 'gtid' : o.type;
    if (type !== r.kind) {
      out.push(`${where}: type ${o.type}, ref ${r.kind} (${r.desc.slice(0, 60)}) at ${r.at}`);
      break;
    }
    if (r.inPayload !== (o.payload !== undefined)) out.push(`${where}: payload membership differs`);
    if (r.inPayload) {
      if (r.at !== o.next) out.push(`${where}: ref at ${r.at}, payload next ${o.next}`);
    } else {
      if (r.at !== o.pos) out.push(`${where}: ref at ${r.at}`);
      if (r.endLogPos !== o.logPos) out.push(`${where}: end_log_pos ref ${r.endLogPos}, ours ${o.logPos}`);
    }
    if (r.serverId !== o.serverId) out.push(`${where}: server id ref ${r.serverId}, ours ${o.serverId}`);
    switch (o.type) {
      case 'gtid':
      case 'gtid_tagged':
      case 'anonymous_gtid':
        if (r.gtidNext !== undefined && r.gtidNext !== o.gtid)
          out.push(`${where}: gtid ref ${r.gtidNext}, ours ${o.gtid}`);
        break;
      case 'mariadb_gtid': {
        const m = /^GTID (\d+-\d+-\d+)/.exec(r.desc);
        if (!m || m[1] !== o.gtid) out.push(`${where}: gtid ref ${r.desc}, ours ${o.gtid}`);
        break;
      }
      case 'query': {
        const q = refQueryText(r);
        if (q !== undefined && q !== latin1(o.query))
          out.push(
            `${where}: query ref ${JSON.stringify(q.slice(0, 200))}, ours ${JSON.stringify(latin1(o.query).slice(0, 200))}`,
          );
        break;
      }
      case 'xid': {
        const m = /^Xid = (\d+)/.exec(r.desc);
        if (!m || m[1] !== String(o.xid)) out.push(`${where}: ${r.desc} vs ours ${o.xid}`);
        break;
      }
      case 'rotate': {
        const m = /^Rotate to (\S+)\s+pos: (\d+)/.exec(r.desc);
        if (!m || m[1] !== o.nextFile || Number(m[2]) !== o.nextPos)
          out.push(`${where}: ${r.desc} vs ours ${o.nextFile}:${o.nextPos}`);
        break;
      }
      case 'table_map': {
        const m = /^Table_map: `(.*)`\.`(.*)` mapped to number (\d+)/.exec(r.desc);
        if (!m || m[1] !== latin1(o.schema) || m[2] !== latin1(o.table) || Number(m[3]) !== o.tableId) {
          out.push(`${where}: ${r.desc} vs ours ${o.schema}.${o.table} ${o.tableId}`);
        }
        break;
      }
      case 'previous_gtids': {
        const set = r.lines
          .filter((l) => l.startsWith('# ') && !l.startsWith('# at'))
          .map((l) => l.slice(2).replace(/,$/, ''))
          .join(',');
        const want = set === '[empty]' ? '' : set;
        if (want !== o.gtidSetText) out.push(`${where}: gtid set ref ${want}, ours ${o.gtidSetText}`);
        break;
      }
      case 'write_rows':
      case 'update_rows':
      case 'delete_rows':
      case 'partial_update_rows': {
        // mariadb-binlog prints the rows of consecutive rows events of one statement after the last
        // header: compare the rows in order across such runs
        const ev = o;
        for (let k = 0; k < ev.rows.length; k++) pendingOurs.push({ ev, k, where: `${where} row ${k}` });
        pendingRef.push(...r.rows);
        if (r.rows.length > 0 || ev.rowsFlags & 1) flushRows();
        break;
      }
    }
  }
  if (pendingOurs.length || pendingRef.length) flushRows();
  return out;
}
