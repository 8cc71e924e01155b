// bench/live-catchup: a private server holding the corpus changes (written by the same generator as the
// corpus file); each client streams them from the first event of that binlog file to the end of the log,
// every value of every row decoded. Compared with the server's own raw client (the send limit: it only
// writes the bytes it receives) and with the Node peers of the ZongJi family.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer, type LocalServer, type ServerName } from '../src/servers/local-server.js';
import { CORPUS_SERVER_OPTIONS, writeCorpusChanges, writeSmallTransactions } from './binlog-corpus.js';
import {
  MB,
  bestOf,
  fmt,
  fmtInt,
  loadNow,
  mib,
  ratio,
  runTimed,
  runWorker,
  table,
  type Timed,
  type WorkerResult,
} from './lib.js';

const requireHere = createRequire(import.meta.url);

export const NODE_PEERS = ['@vlasky/zongji', 'zongji', '@powersync/mysql-zongji'] as const;

/** The two shapes of the same table's changes: 10k-row statements, and single-row transactions. */
export type Shape = 'bulk' | 'small';
const SHAPE_LABEL: Record<Shape, string> = {
  bulk: '350k rows, 10k-row statements',
  small: '100k single-row transactions',
};

interface Row {
  server: ServerName;
  shape: Shape;
  client: string;
  kind: 'binlogsync' | 'raw' | 'peer';
  /** first event to last event (raw client: process start to exit) */
  ms?: number;
  cpuMs?: number;
  rssKiB?: number;
  rows?: number;
  note: string;
}

export interface LiveResult {
  markdown: string;
  rows: Row[];
  /** binlog bytes streamed, by `${server} ${shape}` */
  bytes: Map<string, number>;
}

let serverIdSeq = 7000;

async function binlogsAfter(s: LocalServer, file: string): Promise<number> {
  const out = await s.sql('SHOW BINARY LOGS');
  let bytes = 0;
  for (const line of out.trim().split('\n')) {
    const [name, size] = line.split('\t');
    if (name >= file) bytes += Number(size) - (name === file ? 4 : 0);
  }
  return bytes;
}

export async function benchLiveCatchup(
  runs: number,
  plan: { server: ServerName; peers: readonly string[] }[],
  peerTimeoutMs: number,
): Promise<LiveResult> {
  const out: Row[] = [];
  const bytesBy = new Map<string, number>();
  for (const { server, peers } of plan) {
    const s = await startLocalServer(server, { options: CORPUS_SERVER_OPTIONS });
    try {
      // the bulk clients first: they read to the end of the log, which the small transactions extend
      const bulk = await writeCorpusChanges(s);
      await measure(s, server, 'bulk', bulk.file, bulk.rowChanges, peers);
      const small = await writeSmallTransactions(s);
      await measure(s, server, 'small', small.file, small.rowChanges, peers);
    } finally {
      await s.stop();
    }
  }

  async function measure(
    s: LocalServer,
    server: ServerName,
    shape: Shape,
    file: string,
    rowChanges: number,
    peers: readonly string[],
  ): Promise<void> {
    bytesBy.set(`${server} ${shape}`, await binlogsAfter(s, file));
    const conn = { host: s.host, port: s.port, user: s.user, password: s.password, file, pos: 4 };
    const variants =
      shape === 'bulk'
        ? [
            { client: 'binlogsync', tls: false, raw: false },
            { client: 'binlogsync (TLS)', tls: true, raw: false },
            { client: 'binlogsync rawMode (no decoding)', tls: false, raw: true },
          ]
        : [
            { client: 'binlogsync', tls: false, raw: false },
            { client: 'binlogsync rawMode (no decoding)', tls: false, raw: true },
          ];
    for (const v of variants) {
      const r = await bestOf(
        runs,
        () =>
          runWorker(
            'live-binlogsync.mjs',
            { ...conn, serverId: ++serverIdSeq, tls: v.tls, raw: v.raw },
            { timeoutMs: 120_000 },
          ),
        (x) => (x.result.error ? Infinity : (x.result.firstToLastMs ?? Infinity)),
      );
      const row = fromWorker(server, shape, v.client, 'binlogsync', r, v.raw ? 0 : rowChanges, '');
      if (v.raw) row.rows = undefined;
      out.push(row);
    }

    const raw = await bestOf(
      runs,
      () => rawClient(s, file),
      (t) => (t.code === 0 ? t.wallMs : Infinity),
    );
    const toolName = s.tools.binlogTool.split('/').pop() ?? '';
    out.push({
      server,
      shape,
      client: `${toolName} --read-from-remote-server --raw`,
      kind: 'raw',
      ms: raw.code === 0 ? raw.wallMs : undefined,
      cpuMs: raw.cpuMs,
      rssKiB: raw.maxRssKiB,
      rows: rowChanges,
      note:
        raw.code === 0
          ? 'send limit: bytes to a file, no decoding; process start to exit'
          : `exit ${raw.code}: ${raw.stderr.trim().slice(0, 200)}`,
    });

    for (const pkg of peers) {
      // The peers take 10-30 s each: one run, more only when a run is short.
      const one = (): Promise<{ timed: Timed; result: WorkerResult }> =>
        runWorker(
          'live-zongji.mjs',
          { pkg, ...conn, serverId: ++serverIdSeq, expectRows: rowChanges, timeoutMs: peerTimeoutMs },
          { timeoutMs: peerTimeoutMs + 10_000 },
        );
      const key = (x: { result: WorkerResult }): number =>
        x.result.error ? Infinity : (x.result.firstToLastMs ?? Infinity);
      const tries = [await one()];
      while (tries.length < runs && key(tries[0]) < 5000) tries.push(await one());
      const r = tries.reduce((best, x) => (key(x) < key(best) ? x : best));
      out.push(fromWorker(server, shape, `${pkg}@${peerVersion(pkg)}`, 'peer', r, rowChanges, ''));
    }
  }

  const rows = out.map((r) => {
    const bytes = bytesBy.get(`${r.server} ${r.shape}`) ?? 0;
    const raw = out.find((x) => x.server === r.server && x.shape === r.shape && x.kind === 'raw');
    const s = r.ms === undefined ? undefined : r.ms / 1000;
    return [
      r.server,
      SHAPE_LABEL[r.shape],
      r.client,
      fmt(s, 2),
      fmtInt(s === undefined || r.rows === undefined ? undefined : r.rows / s),
      fmt(s === undefined ? undefined : bytes / MB / s),
      r.kind === 'raw' ? '1.00×' : ratio(raw?.ms, r.ms),
      mib(r.rssKiB),
      r.note,
    ];
  });
  const markdown = [
    `### Live catch-up over TCP (best of ${runs} for binlogsync and the raw client; load ${loadNow()} at the end)`,
    '',
    table(
      [
        'server',
        'changes',
        'client',
        'first→last s',
        'rows/s',
        'MB/s',
        'vs send limit',
        'peak RSS MiB',
        'notes',
      ],
      rows,
    ),
  ].join('\n');
  return { markdown, rows: out, bytes: bytesBy };
}

function fromWorker(
  server: ServerName,
  shape: Shape,
  client: string,
  kind: Row['kind'],
  r: { timed: Timed; result: WorkerResult },
  expectRows: number,
  note: string,
): Row {
  const e = r.result.error;
  const wrongRows =
    !e && expectRows > 0 && r.result.rows !== expectRows
      ? ` — got ${r.result.rows} of ${expectRows} rows!`
      : '';
  return {
    server,
    shape,
    client,
    kind,
    ms: e ? undefined : r.result.firstToLastMs,
    cpuMs: r.timed.cpuMs,
    rssKiB: r.result.peakRssKiB ?? r.timed.maxRssKiB,
    rows: r.result.rows,
    note: e
      ? `failed: ${e}`
      : `${note}${fmtInt(r.result.events)} events, ${fmtInt(r.result.values)} values; connect→last ${fmt((r.result.totalMs ?? 0) / 1000, 2)} s${wrongRows}`,
  };
}

/** The server's own client dumping the binlog raw to files (non-blocking: it stops at the end of the log). */
async function rawClient(s: LocalServer, file: string): Promise<Timed> {
  const dir = mkdtempSync(join(tmpdir(), 'binlogsync-bench-raw-'));
  try {
    return await runTimed(
      s.tools.binlogTool,
      [
        '--read-from-remote-server',
        '--raw',
        `--host=${s.host}`,
        `--port=${s.port}`,
        `--user=${s.user}`,
        s.flavor === 'mysql' ? '--ssl-mode=DISABLED' : '--skip-ssl',
        `--result-file=${dir}/`,
        file,
      ],
      { timeoutMs: 120_000 },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function peerVersion(pkg: string): string {
  try {
    const main = requireHere.resolve(pkg);
    const dir = main.slice(0, main.lastIndexOf(`/node_modules/${pkg}/`) + `/node_modules/${pkg}`.length);
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
}
