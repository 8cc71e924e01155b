// A parser for the text that `mysqlbinlog -vv --base64-output=decode-rows --print-table-metadata` and
// `mariadb-binlog -vv --base64-output=decode-rows` print: the reference our decoder is checked against.
// The output is read as latin1 so that every byte of a column value survives 1:1 (mysqlbinlog writes
// string bytes > 0x1f raw and escapes the rest as \xNN — sql/log_event.cc my_b_write_quoted).

export interface RefRowImage {
  /** 1-based column number → value text as printed (before the type comment) */
  values: Map<number, string>;
  /** 1-based column number → the type comment ("INT meta=0 nullable=0 is_null=0") */
  comments: Map<number, string>;
  /**
   * The column at which the tool gave up ("!! Don't know how to handle column type=255": mysqlbinlog 9.7
   * cannot print GEOMETRY); it prints nothing more of the event.
   */
  gaveUpAt?: number;
}
export interface RefRow {
  op: 'INSERT' | 'UPDATE' | 'DELETE';
  table: string;
  before?: RefRowImage;
  after?: RefRowImage;
}
export interface RefEvent {
  at: number;
  endLogPos: number;
  serverId: number;
  /** the description after the header (e.g. "Query\tthread_id=…", "Table_map: `a`.`b` mapped to number 1") */
  desc: string;
  /** our spec type name */
  kind: string;
  inPayload: boolean;
  lines: string[];
  rows: RefRow[];
  gtidNext?: string;
}

const HEADER =
  /^#\d{6}\s+\d{1,2}:\d\d:\d\d server id (\d+)\s+end_log_pos (\d+)(?:\s+CRC32 0x[0-9a-f]+)?\s*\t?(.*)$/;

// first word(s) of the description → our type name
const KINDS: [RegExp, string][] = [
  [/^Start: binlog v [34]/, 'format_description'],
  [/^Start: binlog v 1/, 'start_v3'],
  [/^Previous-GTIDs/, 'previous_gtids'],
  [/^Anonymous_GTID/, 'anonymous_gtid'],
  [/^GTID\t|^GTID$/, 'gtid'],
  [/^GTID \d+-\d+-\d+/, 'mariadb_gtid'],
  [/^Query_compressed/, 'query'],
  [/^Query/, 'query'],
  [/^Table_map:/, 'table_map'],
  [/^Write_rows/, 'write_rows'],
  [/^Write_compressed_rows/, 'write_rows'],
  [/^Update_compressed_rows/, 'update_rows'],
  [/^Delete_compressed_rows/, 'delete_rows'],
  [/^Update_rows_partial/, 'partial_update_rows'],
  [/^Update_rows/, 'update_rows'],
  [/^Delete_rows/, 'delete_rows'],
  [/^Update_rows_partial/, 'partial_update_rows'],
  [/^Partial_update_rows/, 'partial_update_rows'],
  [/^Xid = /, 'xid'],
  [/^Rotate to /, 'rotate'],
  [/^Stop/, 'stop'],
  [/^Intvar/, 'intvar'],
  [/^Rand/i, 'rand'],
  [/^User_var/, 'user_var'],
  [/^Rows_query/, 'rows_query'],
  [/^Transaction_Payload/, 'transaction_payload'],
  [/^Gtid list/, 'mariadb_gtid_list'],
  [/^Binlog checkpoint/, 'mariadb_binlog_checkpoint'],
  [/^Annotate_rows:/, 'mariadb_annotate_rows'],
  [/^Incident:/, 'incident'],
  [/^Heartbeat/, 'heartbeat'],
  [/^XA PREPARE/, 'xa_prepare'],
  [/^Ignorable/, 'ignorable'],
  [/^Start_encryption/i, 'mariadb_start_encryption'],
  [/^Begin_load_query/, 'begin_load_query'],
  [/^Execute_load_query/, 'execute_load_query'],
  [/^Append_block/, 'append_block'],
  [/^Delete_file/, 'delete_file'],
  [/^Transaction_context/, 'transaction_context'],
  [/^View_change/, 'view_change'],
];

export function kindOf(desc: string): string {
  for (const [re, k] of KINDS) if (re.test(desc)) return k;
  return `?${desc.split(/[\s:]/)[0]}`;
}

function parseImageLine(line: string, img: RefRowImage): void {
  // "###   @12=value /* TYPE meta=… nullable=… is_null=… */"
  const m = /^###\s+@(\d+)=(.*)$/.exec(line);
  if (!m) throw new Error(`unexpected row line: ${line}`);
  let rest = m[2];
  if (rest.startsWith("!! Don't know how to handle")) {
    img.gaveUpAt = Number(m[1]);
    return;
  }
  let comment = '';
  const c = rest.lastIndexOf(' /* ');
  if (c >= 0 && rest.endsWith(' */')) {
    comment = rest.slice(c + 4, -3);
    rest = rest.slice(0, c);
  }
  img.values.set(Number(m[1]), rest.trimEnd());
  img.comments.set(Number(m[1]), comment);
}

export function parseMysqlbinlogOutput(text: string): RefEvent[] {
  const lines = text.split('\n');
  const out: RefEvent[] = [];
  let cur: RefEvent | undefined;
  // mariadb-binlog prints "# at A" "# at B" and then both headers (Annotate_rows, Table_map)
  const pending: number[] = [];
  let inPayload = false;
  let row: RefRow | undefined;
  let image: RefRowImage | undefined;
  for (const line of lines) {
    if (line.startsWith('# at ')) {
      pending.push(Number(line.slice(5)));
      continue;
    }
    if (line === '# Start of compressed events.') {
      inPayload = true;
      continue;
    }
    if (line === '# End of compressed events.') {
      inPayload = false;
      continue;
    }
    const h = pending.length > 0 ? HEADER.exec(line) : null;
    if (h) {
      cur = {
        at: pending.shift()!,
        endLogPos: Number(h[2]),
        serverId: Number(h[1]),
        desc: h[3].replace(/^\t+/, ''),
        kind: kindOf(h[3].replace(/^\t+/, '')),
        inPayload,
        lines: [],
        rows: [],
      };
      out.push(cur);
      row = undefined;
      image = undefined;
      continue;
    }
    if (!cur) continue;
    if (line.startsWith('### ')) {
      const ins = /^### INSERT INTO (.*)$/.exec(line);
      const upd = /^### UPDATE (.*)$/.exec(line);
      const del = /^### DELETE FROM (.*)$/.exec(line);
      if (ins || upd || del) {
        row = {
          op: ins ? 'INSERT' : upd ? 'UPDATE' : 'DELETE',
          table: (ins ?? upd ?? del)![1],
        };
        cur.rows.push(row);
        image = undefined;
        continue;
      }
      if (line === '### SET' && row) {
        row.after = image = { values: new Map(), comments: new Map() };
        continue;
      }
      if (line === '### WHERE' && row) {
        row.before = image = { values: new Map(), comments: new Map() };
        continue;
      }
      if (image) {
        parseImageLine(line, image);
        continue;
      }
    }
    const g = /^SET @@SESSION\.GTID_NEXT= '([^']*)'/.exec(line);
    if (g) cur.gtidNext = g[1];
    cur.lines.push(line);
  }
  return out;
}

/** The statement text of a Query event: the last statement, whose `/*!*\/;` terminator is on its own line. */
export function refQueryText(ev: RefEvent): string | undefined {
  const end = ev.lines.lastIndexOf('/*!*/;');
  if (end < 0) return undefined;
  let start = end - 1;
  while (start >= 0 && !ev.lines[start].endsWith('/*!*/;') && !ev.lines[start].startsWith('#')) start--;
  return ev.lines.slice(start + 1, end).join('\n');
}

/**
 * Bytes of a quoted value as the tool prints it (input is latin1 text). mysqlbinlog 8+ writes \b \f \n
 * \r \t \\ \' C-style, other bytes < 0x20 as \xNN and the rest raw (sql/log_event.cc get_quote_table);
 * mariadb-binlog writes every byte > 0x1f raw (quotes and backslashes too) and escapes only bytes <= 0x1f
 * as \xNN (sql/log_event_client.cc my_b_write_quoted).
 */
export function unquoteBytes(v: string, flavor: 'mysql' | 'mariadb' = 'mysql'): Buffer | undefined {
  if (v.length < 2 || v[0] !== "'" || v[v.length - 1] !== "'") return undefined;
  const body = v.slice(1, -1);
  const out = Buffer.alloc(body.length);
  let n = 0;
  for (let i = 0; i < body.length; i++) {
    const ch = body.charCodeAt(i);
    if (ch === 0x5c) {
      const next = body[i + 1];
      if (next === 'x' && /^[0-9a-f]{2}$/.test(body.slice(i + 2, i + 4))) {
        const b = parseInt(body.slice(i + 2, i + 4), 16);
        if (flavor === 'mysql' || b <= 0x1f) {
          out[n++] = b;
          i += 3;
          continue;
        }
      }
      if (flavor === 'mysql' && next !== undefined && next in C_ESCAPES) {
        out[n++] = C_ESCAPES[next];
        i++;
        continue;
      }
    }
    out[n++] = ch;
  }
  return out.subarray(0, n);
}

const C_ESCAPES: Record<string, number> = { b: 8, f: 12, n: 10, r: 13, t: 9, '\\': 92, "'": 39 };

/** C printf %.{p}g */
export function formatG(v: number, p: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const e = v.toExponential(p - 1);
  const exp = Number(e.slice(e.indexOf('e') + 1));
  if (exp < -4 || exp >= p) {
    const parts = e.split('e');
    let mant = parts[0];
    const ex = parts[1];
    if (mant.includes('.')) mant = mant.replace(/0+$/, '').replace(/\.$/, '');
    const n = Number(ex);
    return `${mant}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  let f = v.toFixed(Math.max(0, p - 1 - exp));
  if (f.includes('.')) f = f.replace(/0+$/, '').replace(/\.$/, '');
  return f;
}

/** C printf %.{p}e */
export function formatE(v: number, p: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  const [mant, ex] = v.toExponential(p).split('e');
  const n = Number(ex);
  return `${Object.is(v, -0) ? '-' : ''}${mant}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
}
