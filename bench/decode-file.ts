// bench/decode-file: decode the corpus binlog file offline, binlogsync against the server's own
// `mysqlbinlog -v` / `mariadb-binlog -v` (C/C++) on the same file, in the same run.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { provisioned, type ServerName } from '../src/servers/local-server.js';
import { binlogCorpus } from './binlog-corpus.js';
import {
  MB,
  ROOT,
  WORKERS,
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
} from './lib.js';

interface Row {
  server: ServerName;
  tool: string;
  wallMs?: number;
  cpuMs?: number;
  rssKiB?: number;
  rows?: number;
  bytes: number;
  note: string;
  baseline?: boolean;
}

const PARSE_CLI = join(ROOT, 'dist', 'cli', 'commands', 'parse.js');

export interface DecodeFileResult {
  markdown: string;
  rows: Row[];
}

export async function benchDecodeFile(runs: number, servers: ServerName[]): Promise<DecodeFileResult> {
  const out: Row[] = [];
  for (const server of servers) {
    const corpus = await binlogCorpus(server);
    const tool = provisioned(server).binlogTool;
    const toolName = tool.split('/').pop() ?? tool;

    // binlogsync: readBinlogFile, in a fresh node process per run (start-up included, like the C tools)
    const bs = await bestOf(
      runs,
      () => runWorker('decode-file.mjs', { path: corpus.path }),
      (r) => (r.result.error ? Infinity : r.timed.wallMs),
    );
    out.push({
      server,
      tool: 'binlogsync readBinlogFile',
      wallMs: bs.result.error ? undefined : bs.timed.wallMs,
      cpuMs: bs.timed.cpuMs,
      rssKiB: bs.result.peakRssKiB ?? bs.timed.maxRssKiB,
      rows: bs.result.rows,
      bytes: corpus.bytes,
      note:
        bs.result.error ??
        `${fmtInt(bs.result.events)} events, ${fmtInt(bs.result.values)} values; decode loop ${fmt((bs.result.decodeMs ?? 0) / 1000, 2)} s` +
          (bs.result.rows !== corpus.rowChanges ? ` — expected ${corpus.rowChanges} rows!` : ''),
    });

    // the CLI path, when the parse command exists
    if (existsSync(PARSE_CLI)) {
      const cli = await bestOf(
        runs,
        () =>
          runTimed(
            process.execPath,
            [join(WORKERS, 'parse-json.mjs'), JSON.stringify({ path: corpus.path })],
            {
              stdout: 'null',
            },
          ),
        (t) => (t.code === 0 ? t.wallMs : Infinity),
      );
      out.push(cliRow(server, corpus.bytes, corpus.rowChanges, cli));
    } else {
      out.push({
        server,
        tool: 'binlogsync parse --json > /dev/null',
        bytes: corpus.bytes,
        note: 'not measured: src/cli/commands/parse.ts (runParse) is not in this build yet',
      });
    }

    // the server's own tool, -v (decoded rows as commented pseudo-SQL), to /dev/null
    const own = await bestOf(
      runs,
      () => runTimed(tool, ['-v', corpus.path], { stdout: 'null' }),
      (t) => (t.code === 0 ? t.wallMs : Infinity),
    );
    out.push({
      server,
      tool: `${toolName} -v > /dev/null`,
      wallMs: own.code === 0 ? own.wallMs : undefined,
      cpuMs: own.cpuMs,
      rssKiB: own.maxRssKiB,
      rows: corpus.rowChanges,
      bytes: corpus.bytes,
      note:
        own.code === 0
          ? `C/C++, ${provisioned(server).version}`
          : `exit ${own.code}: ${own.stderr.trim().slice(0, 160)}`,
      baseline: true,
    });
  }

  const rows = out.map((r) => {
    const base = out.find((b) => b.server === r.server && b.baseline);
    const s = r.wallMs === undefined ? undefined : r.wallMs / 1000;
    return [
      r.server,
      r.tool,
      fmt(s, 2),
      fmt(s === undefined ? undefined : r.bytes / MB / s),
      fmtInt(s === undefined || r.rows === undefined ? undefined : r.rows / s),
      fmt(r.cpuMs === undefined ? undefined : r.cpuMs / 1000, 2),
      mib(r.rssKiB),
      r.baseline ? '1.00×' : ratio(base?.wallMs, r.wallMs),
      r.note,
    ];
  });
  const markdown = [
    `### Decode a binlog file (best of ${runs}; load ${loadNow()} at the end)`,
    '',
    table(
      [
        'server',
        'tool',
        'wall s',
        'MB/s',
        'rows/s',
        'CPU s',
        'peak RSS MiB',
        'speed vs server tool',
        'notes',
      ],
      rows,
    ),
  ].join('\n');
  return { markdown, rows: out };
}

function cliRow(server: ServerName, bytes: number, rows: number, t: Timed): Row {
  return {
    server,
    tool: 'binlogsync parse --json > /dev/null',
    wallMs: t.code === 0 ? t.wallMs : undefined,
    cpuMs: t.cpuMs,
    rssKiB: t.maxRssKiB,
    rows,
    bytes,
    note: t.code === 0 ? 'JSON lines, every event' : `exit ${t.code}: ${t.stderr.trim().slice(0, 160)}`,
  };
}
