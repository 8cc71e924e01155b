// Shared pieces of the replication integration tests (not a test file itself).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { promisify } from 'node:util';
import { connect } from '../../../src/protocol/connect.js';
import type { Connection } from '../../../src/protocol/connection.js';
import type { BinlogSyncerOptions } from '../../../src/replication/options.js';
import type { StreamEvent } from '../../../src/replication/stream.js';
import { BinlogSyncer } from '../../../src/replication/syncer.js';
import type { LocalServer } from '../../../src/servers/local-server.js';
import type { Socket } from 'node:net';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

let nextId = 0;
/** Syncer options for a test server over TCP as root; each call gets its own replica server_id. */
export function syncerOptions(s: LocalServer, extra: Partial<BinlogSyncerOptions> = {}): BinlogSyncerOptions {
  return {
    host: s.host,
    port: s.port,
    user: 'root',
    password: '',
    serverId: 20_000 + (s.port % 1000) * 10 + (nextId++ % 10),
    heartbeatPeriod: 1000,
    ...extra,
  };
}

/** A root connection over the unix socket (for SQL the CLI client is too slow for). */
export function rootConnection(s: LocalServer): Promise<Connection> {
  return connect({ connection: { socketPath: s.socket }, auth: { user: 'root', password: '' } });
}

export function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** The source's binlog files, oldest first, with sizes. */
export async function binaryLogs(s: LocalServer): Promise<{ file: string; size: number }[]> {
  return (await s.sql('SHOW BINARY LOGS'))
    .trim()
    .split('\n')
    .map((l) => l.split('\t'))
    .map(([file, size]) => ({ file, size: Number(size) }));
}

/**
 * The events of one of the source's files as SHOW BINLOG EVENTS lists them (decrypted, when the file is
 * encrypted): start, end — the next one's start, since MariaDB 11.4+ shows End_log_pos 0 inside a
 * transaction — type and info.
 */
export async function binlogEvents(
  s: LocalServer,
  file: string,
): Promise<{ pos: number; end: number; type: string; info: string }[]> {
  const rows = (await s.sql(`SHOW BINLOG EVENTS IN '${file}'`))
    .trim()
    .split('\n')
    .map((l) => l.split('\t'));
  return rows.map((c, i) => ({
    pos: Number(c[1]),
    end: i + 1 < rows.length ? Number(rows[i + 1][1]) : Number(c[4]),
    type: c[2],
    info: c[5] ?? '',
  }));
}

/** The source's current file and position (SHOW BINARY LOG STATUS / SHOW MASTER STATUS). */
export async function logStatus(s: LocalServer): Promise<{ file: string; pos: number }> {
  const out = await s.sql(s.flavor === 'mysql' ? 'SHOW BINARY LOG STATUS' : 'SHOW MASTER STATUS');
  const [file, pos] = out.trim().split('\t');
  return { file, pos: Number(pos) };
}

/** Global status counter (e.g. Rpl_semi_sync_source_yes_tx). */
export async function statusVar(s: LocalServer, name: string): Promise<number> {
  const out = await s.sql(`SHOW GLOBAL STATUS LIKE '${name}'`);
  const v = out.trim().split('\t')[1];
  if (v === undefined) throw new Error(`no status variable ${name}`);
  return Number(v);
}

/** Ids of the source's Binlog Dump threads (our replicas). */
export async function dumpThreads(s: LocalServer): Promise<number[]> {
  const out = await s.sql(
    "SELECT ID FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%' ORDER BY ID",
  );
  return out.trim().split('\n').filter(Boolean).map(Number);
}

/** The id of the source's one Binlog Dump thread, once it runs (and any killed one is gone). */
export async function waitForDumpThread(s: LocalServer, timeoutMs = 10_000): Promise<number> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(25)) {
    const ids = await dumpThreads(s);
    if (ids.length === 1) return ids[0];
  }
  throw new Error(`not one Binlog Dump thread: ${(await dumpThreads(s)).join(', ') || 'none'}`);
}

/** SQL that inserts `n` rows (id from `first`, in id order) into `db`.`table` (id INT, v …) in one statement, via `db`.digits. */
export function bulkInsertSql(
  db: string,
  table: string,
  first: number,
  n: number,
  value = "REPEAT('x', 100)",
): string {
  return (
    `INSERT INTO ${db}.${table} SELECT ${first} + a.n + 10 * b.n + 100 * c.n + 1000 * d.n + 10000 * e.n, ${value} ` +
    `FROM ${db}.digits a, ${db}.digits b, ${db}.digits c, ${db}.digits d, ${db}.digits e ` +
    `WHERE a.n + 10 * b.n + 100 * c.n + 1000 * d.n + 10000 * e.n < ${n} ORDER BY 1`
  );
}

/** Creates `db`.digits (0..9) for bulkInsertSql. */
export function digitsSql(db: string): string {
  return `CREATE TABLE ${db}.digits (n INT PRIMARY KEY); INSERT INTO ${db}.digits VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9)`;
}

export async function collect(
  stream: AsyncIterable<StreamEvent>,
  until?: (ev: StreamEvent) => boolean,
): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const ev of stream) {
    out.push(ev);
    if (until?.(ev)) break;
  }
  return out;
}

/** Every event of a non-blocking stream from `at` to the end of the log, with a syncer of its own. */
export async function collectFrom(
  server: LocalServer,
  at: { file: string; pos: number },
  extra: Partial<BinlogSyncerOptions> = {},
): Promise<StreamEvent[]> {
  const syncer = new BinlogSyncer(syncerOptions(server, extra));
  try {
    return await collect(await syncer.startSync(at, { nonBlocking: true }));
  } finally {
    await syncer.close();
  }
}

/**
 * The source's files once they stop changing. MariaDB writes BINLOG_CHECKPOINT events into the new file
 * up to a second after a rotation (once InnoDB has flushed), the one naming the file itself last; a
 * non-blocking copy taken before would lack them. On a loaded machine one more checkpoint was seen
 * landing after the self-named one and 200 ms of quiet (CI of 2026-12-07: 45 bytes more than the
 * listing), so the listing must also stay the same for a whole second.
 */
export async function settledLogs(
  server: LocalServer,
  opts: { encrypted?: boolean } = {},
): Promise<{ file: string; size: number }[]> {
  let prev = '';
  let sameSince = Date.now();
  const deadline = Date.now() + 30_000;
  for (;;) {
    const now = await binaryLogs(server);
    const active = now.at(-1)!.file;
    // an encrypted file does not show the name in its bytes: ask the server, which decrypts
    const checkpointed =
      server.flavor === 'mysql' ||
      (opts.encrypted
        ? (await binlogEvents(server, active)).some(
            (e) => e.type === 'Binlog_checkpoint' && e.info === active,
          )
        : readFileSync(server.binlogPath(active)).includes(Buffer.from(active)));
    const listing = JSON.stringify(now);
    if (listing !== prev) sameSince = Date.now();
    if (checkpointed && listing === prev && Date.now() - sameSince >= 1000) return now;
    if (Date.now() > deadline)
      throw new Error(`${server.name}: binlog files not settled in 30 s: ${listing}`);
    prev = listing;
    await sleep(200);
  }
}

/**
 * A maker of temporary directories for one test file (call it at the file's top level): all of them are
 * deleted when the file's tests end, passed or not.
 */
export function tempDirs(prefix: string): () => string {
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  return () => {
    const d = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(d);
    return d;
  };
}

/** The stream's resume point is where the source's log ends now (SHOW BINARY LOG STATUS / SHOW MASTER STATUS). */
export async function assertResumeAtLogEnd(
  server: LocalServer,
  stream: { resumePoint: { file: string; pos: number } },
): Promise<void> {
  assert.deepEqual({ file: stream.resumePoint.file, pos: stream.resumePoint.pos }, await logStatus(server));
}

/**
 * The server's own raw client (`mysqlbinlog` / `mariadb-binlog --read-from-remote-server --raw
 * --to-last-log`, non-blocking) copies the files from `first` on into `dir`.
 */
export async function rawClientCopy(server: LocalServer, first: string, dir: string): Promise<void> {
  await promisify(execFile)(server.tools.binlogTool, [
    '--read-from-remote-server',
    '--raw',
    '--to-last-log',
    '--user=root',
    `--socket=${server.socket}`,
    `--result-file=${dir}/`,
    first,
  ]);
}

/** The two ends of a test proxy: an error or close on either side closes the other. */
export function linkSockets(client: Socket, upstream: Socket): void {
  for (const [a, b] of [
    [client, upstream],
    [upstream, client],
  ]) {
    a.on('error', () => b.destroy());
    a.on('close', () => b.destroy());
  }
}
