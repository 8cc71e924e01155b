// Integration helper: run the workload (test/fixtures/workload.ts) on a real server in two phases, read
// the table back with SELECT after each phase, decode the server's binlog file with readBinlogFile, and
// compare every decoded row value with the SELECT text (and the whole file with the server's own
// mysqlbinlog / mariadb-binlog -vv output).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readBinlogFile } from '../../../src/file/read-binlog-file.js';
import type { ReadBinlogFileOptions } from '../../../src/file/read-binlog-file.js';
import type { LocalServer } from '../../../src/servers/local-server.js';
import { JsonText, type Row } from '../../../src/binlog/rows/row-types.js';
import type { BinlogEvent, ColumnDef, RowsEvent } from '../../../src/binlog/types.js';
import { columnsFor, workloadSql, type Column } from '../../fixtures/workload.js';
import { compareEvents } from '../../binlog/reference/compare.js';
import { parseMysqlbinlogOutput } from '../../binlog/reference/mysqlbinlog-output.js';

/** SELECT expressions per column: what our value is checked against (first), and a raw fallback. */
function exprs(c: Column): string[] {
  const n = '`' + c.name + '`';
  switch (c.kind) {
    case 'int':
      return [`${n}+0`];
    case 'float':
      return [`CAST(${n} AS DOUBLE)`];
    case 'double':
    case 'text':
      return [n];
    case 'utf8hex':
      return [`HEX(${n})`, `HEX(CONVERT(${n} USING utf8mb4))`];
    case 'hex':
    case 'vector':
      return [`HEX(${n})`];
    case 'enum':
    case 'set':
      return [`${n}+0`, `HEX(${n})`];
    case 'bit':
      return [`CAST(${n} AS UNSIGNED)`];
    case 'json':
      return [`HEX(${n})`, `HEX(CAST(${n} AS CHAR))`];
  }
}

export type SelectRows = Map<string, Map<string, string[]>>;

export async function selectRows(server: LocalServer, schema: string, cols: Column[]): Promise<SelectRows> {
  const list = cols.flatMap(exprs).join(', ');
  const out = await server.sql(`SET time_zone = '+00:00'; SELECT ${list} FROM ${schema}.types ORDER BY id`);
  const rows: SelectRows = new Map();
  for (const line of out.split('\n').filter(Boolean)) {
    const fields = line.split('\t');
    const byName = new Map<string, string[]>();
    let k = 0;
    for (const c of cols) {
      const n = exprs(c).length;
      byName.set(c.name, fields.slice(k, k + n));
      k += n;
    }
    rows.set(byName.get('id')![0], byName);
  }
  return rows;
}

const compared = { n: 0 };
/** the text of a scalar decoded value (ids, numbers, strings) */
const text = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' ? String(v) : JSON.stringify(v);
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();
const BITS: Record<string, number> = { tiu: 8, siu: 16, miu: 24, iu: 32, biu: 64 };

/** Our value as the SELECT text of that column, or a reason it cannot match. */
function asSelectText(c: Column, col: ColumnDef, v: unknown, sel: string[]): boolean {
  if (v === null) return sel[0] === 'NULL';
  switch (c.kind) {
    case 'int': {
      let x = typeof v === 'bigint' ? v : BigInt(v as number);
      // no signedness in the binlog: the spec decodes as signed; the bits must still be the column's
      if (col.unsigned === undefined && x < 0n && BITS[c.name]) x += 1n << BigInt(BITS[c.name]);
      return String(x) === sel[0];
    }
    case 'float':
    case 'double':
      return text(v).replace('e+', 'e') === sel[0];
    case 'text':
      return v === sel[0];
    case 'utf8hex':
      return typeof v === 'string' ? hex(Buffer.from(v, 'utf8')) === sel[1] : hex(v as Uint8Array) === sel[0];
    case 'hex': {
      const h = hex(v as Uint8Array);
      if (h === sel[0]) return true;
      // BINARY(n) without row metadata: nothing tells BINARY from CHAR, so the value stays as logged,
      // without the trailing 0x00 pad the server stripped (a caller-given schema restores it)
      return (
        col.charset === undefined && c.ddl.startsWith('BINARY') && sel[0] === h.padEnd(sel[0].length, '0')
      );
    }
    case 'vector':
      return (
        v instanceof Float32Array && hex(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)) === sel[0]
      );
    case 'enum':
      return typeof v === 'number' ? String(v) === sel[0] : hex(Buffer.from(text(v), 'utf8')) === sel[1];
    case 'set':
      return typeof v === 'bigint'
        ? String(v) === sel[0]
        : hex(Buffer.from((v as string[]).join(','), 'utf8')) === sel[1];
    case 'bit':
      return text(v) === sel[0];
    case 'json':
      if (v instanceof JsonText) return hex(Buffer.from(v.text, 'utf8')) === sel[1];
      if (typeof v === 'string') return hex(Buffer.from(v, 'utf8')) === sel[0];
      return v instanceof Uint8Array && hex(v) === sel[0];
  }
}

export function compareRow(
  where: string,
  row: Row,
  cols: Column[],
  defs: ColumnDef[],
  sel: Map<string, string[]>,
  out: string[],
): void {
  for (let i = 0; i < cols.length; i++) {
    const c = cols[i];
    const def = defs[i];
    if (!Object.prototype.hasOwnProperty.call(row, def.key)) continue;
    const v = row[def.key];
    const s = sel.get(c.name)!;
    compared.n++;
    if (!asSelectText(c, def, v, s)) {
      const shown =
        typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? `bytes ${hex(v)}` : JSON.stringify(v);
      out.push(`${where} ${c.name}: ours ${shown}, SELECT ${s.join(' | ')}`);
    }
  }
}

export async function currentBinlog(server: LocalServer): Promise<string> {
  const st = await server.sql(server.flavor === 'mysql' ? 'SHOW BINARY LOG STATUS' : 'SHOW MASTER STATUS');
  return st.split('\t')[0];
}

export async function decodeFile(path: string, opts: ReadBinlogFileOptions = {}): Promise<BinlogEvent[]> {
  const out: BinlogEvent[] = [];
  for await (const ev of readBinlogFile(path, { values: { json: 'text' }, ...opts })) out.push(ev);
  return out;
}

export function referenceOutputOf(server: LocalServer, path: string): Promise<string> {
  const args =
    server.flavor === 'mysql'
      ? ['-vv', '--base64-output=decode-rows', '--print-table-metadata', path]
      : ['-vv', '--base64-output=decode-rows', path];
  return new Promise((ok, fail) => {
    execFile(
      server.tools.binlogTool,
      args,
      { encoding: 'latin1', maxBuffer: 1 << 28 },
      (err, stdout, stderr) => (err ? fail(new Error(stderr || err.message)) : ok(stdout)),
    );
  });
}

export interface RunResult {
  events: BinlogEvent[];
  inserted: RowsEvent[];
  updated: RowsEvent[];
  deleted: RowsEvent[];
  afterInsert: SelectRows;
  afterUpdate: SelectRows;
  path: string;
  /** the table's columns, in table order */
  cols: Column[];
}

/** Runs the workload in two phases with SELECTs in between and decodes the binlog. */
export async function runWorkload(
  server: LocalServer,
  schema: string,
  opts: ReadBinlogFileOptions = {},
  cols: Column[] = columnsFor(server.flavor),
): Promise<RunResult> {
  const flavor = server.flavor;
  const file = await currentBinlog(server);
  const statements = workloadSql(flavor, schema, cols).split(';\n');
  const upd = statements.findIndex((s) => s.startsWith('UPDATE types'));
  const prelude = statements.slice(0, 2).join(';\n');
  await server.sql(statements.slice(0, upd).join(';\n'));
  const afterInsert = await selectRows(server, schema, cols);
  await server.sql([prelude, `USE ${schema}`, ...statements.slice(upd)].join(';\n'));
  const afterUpdate = await selectRows(server, schema, cols);
  await server.sql('FLUSH BINARY LOGS');
  const path = server.binlogPath(file);
  const events = await decodeFile(path, opts);
  const rowsOf = (t: string): RowsEvent[] =>
    events
      .filter(
        (e): e is RowsEvent => e.type === t || (t === 'update_rows' && e.type === 'partial_update_rows'),
      )
      .filter((e) => e.table === 'types');
  return {
    events,
    inserted: rowsOf('write_rows'),
    updated: rowsOf('update_rows'),
    deleted: rowsOf('delete_rows'),
    afterInsert,
    afterUpdate,
    path,
    cols,
  };
}

/** Every inserted row equals the SELECT after the insert; update after-images equal the SELECT after it. */
export function checkAgainstSelect(r: RunResult, flavor: 'mysql' | 'mariadb'): string[] {
  const cols = r.cols;
  assert.equal(cols.length, columnsFor(flavor).length);
  compared.n = 0;
  const out: string[] = [];
  assert.equal(r.inserted.length, 1, 'one INSERT rows event');
  const ins = r.inserted[0];
  const defs = ins.tableMap.columns;
  assert.equal(ins.rows.length, 4);
  for (const row of ins.rows as Row[]) {
    const id = text(row[defs[0].key]);
    compareRow(`insert id=${id}`, row, cols, defs, r.afterInsert.get(id)!, out);
  }
  assert.equal(r.updated.length, 1, 'one UPDATE rows event');
  for (const u of r.updated[0].rows as { before: Row; after: Row }[]) {
    const id = text(u.before[defs[0].key]);
    compareRow(`update id=${id} before`, u.before, cols, defs, r.afterInsert.get(id)!, out);
    // partial JSON diffs are checked against the reference tool, not here
    const after = { ...u.after };
    for (const k of Object.keys(after))
      if (after[k] !== null && typeof after[k] === 'object' && 'json_diff' in (after[k] as object))
        delete after[k];
    compareRow(`update id=${id} after`, after, cols, defs, r.afterUpdate.get(id)!, out);
  }
  assert.equal(r.deleted.length, 1, 'one DELETE rows event');
  const del = r.deleted[0].rows[0] as Row;
  compareRow('delete', del, cols, defs, r.afterInsert.get(text(del[defs[0].key]))!, out);
  // guard against a comparison that silently compared nothing
  assert.ok(compared.n >= cols.length * 4, `only ${compared.n} values compared`);
  return out;
}

export async function checkAgainstTool(server: LocalServer, r: RunResult): Promise<string[]> {
  const ref = parseMysqlbinlogOutput(await referenceOutputOf(server, r.path));
  const diffs = compareEvents(r.events, ref, { flavor: server.flavor });
  if (r.events.length !== ref.length) diffs.push(`${r.events.length} events, reference ${ref.length}`);
  return diffs;
}

/**
 * A NOBLOB binlog without checksums: the format description says so, the unchanged BLOB/TEXT columns are
 * in neither image of the UPDATE, the changed one (`j`) is in its after image, the others in both.
 */
export function assertNoblobWithoutChecksums(r: RunResult): void {
  const fde = r.events[0];
  assert.ok(fde.type === 'format_description' && fde.checksumAlg === 'off');
  const u = r.updated[0].rows[0] as { before: Row; after: Row };
  for (const blob of ['tx', 'bl', 'mb']) {
    assert.ok(!(blob in u.before), `${blob} not in the NOBLOB before image`);
    assert.ok(!(blob in u.after), `${blob} not in the NOBLOB after image`);
  }
  assert.ok('j' in u.after, 'the changed JSON / LONGTEXT column is logged');
  assert.ok('ti' in u.before && 'vc' in u.before);
}
