// bench/profile-decode: runs the decode-file worker under `node --cpu-prof` and lists the functions with
// the most self time (and their inclusive time), by source file and line of the built library.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerName } from '../src/servers/local-server.js';
import { binlogCorpus } from './binlog-corpus.js';
import { ROOT, fmt, runWorker, table } from './lib.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const maps = new Map<string, SourceMap | undefined>();

/** `src/…ts:line` for code of the built library (through its source map), else the script's own place. */
function where(url: string, line: number, column: number): string {
  if (url === '') return '(native)';
  if (!url.startsWith('file://')) return url;
  const path = fileURLToPath(url);
  if (!maps.has(path)) {
    try {
      maps.set(path, new SourceMap(JSON.parse(readFileSync(`${path}.map`, 'utf8')) as SourceMapPayload));
    } catch {
      maps.set(path, undefined);
    }
  }
  const entry = maps.get(path)?.findEntry(line, column);
  if (entry && 'originalSource' in entry && entry.originalSource) {
    const src = entry.originalSource.startsWith('file://')
      ? fileURLToPath(entry.originalSource)
      : resolve(dirname(path), entry.originalSource);
    return `${relative(ROOT, src)}:${entry.originalLine + 1}`;
  }
  return `${path.startsWith(ROOT) ? relative(ROOT, path) : path}:${line + 1}`;
}

/** The functions with the most self time: [name, where, self %, inclusive %] rows, and the µs sampled. */
export function topFunctions(prof: CpuProfile, top: number): { total: number; rows: string[][] } {
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  let total = 0;
  prof.samples.forEach((id, i) => {
    const dt = prof.timeDeltas[i] ?? 0;
    total += dt;
    self.set(id, (self.get(id) ?? 0) + dt);
  });
  // aggregate by function (name + location): self time, and inclusive time counted once per sample stack
  const key = (n: ProfileNode): string =>
    `${n.callFrame.functionName || '(anonymous)'}\u0000${where(n.callFrame.url, n.callFrame.lineNumber, n.callFrame.columnNumber)}`;
  const selfBy = new Map<string, number>();
  const inclBy = new Map<string, number>();
  for (const [id, t] of self) {
    const n = byId.get(id);
    if (!n) continue;
    selfBy.set(key(n), (selfBy.get(key(n)) ?? 0) + t);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const k = key(byId.get(cur) as ProfileNode);
      if (seen.has(k)) continue;
      seen.add(k);
      inclBy.set(k, (inclBy.get(k) ?? 0) + t);
    }
  }
  const rows = [...selfBy.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, t]) => {
      const sp = k.indexOf('\u0000');
      return [
        k.slice(0, sp),
        k.slice(sp + 1),
        fmt((100 * t) / total),
        fmt((100 * (inclBy.get(k) ?? 0)) / total),
      ];
    });
  return { total, rows };
}

export async function profileDecode(
  server: ServerName,
  top: number,
  worker: 'decode-file.mjs' | 'parse-json.mjs' = 'decode-file.mjs',
): Promise<string> {
  const corpus = await binlogCorpus(server);
  const dir = mkdtempSync(join(tmpdir(), 'binlogsync-prof-'));
  try {
    const { timed, result } = await runWorker(
      worker,
      { path: corpus.path },
      {
        nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=250'],
        // parse --json prints ~hundreds of MB of JSON lines: to /dev/null, as in the decode bench
        stdout: worker === 'parse-json.mjs' ? 'null' : 'pipe',
      },
    );
    if (worker === 'decode-file.mjs' && result.error) return `profile failed: ${result.error}`;
    if (timed.code !== 0) return `profile failed: exit ${timed.code}: ${timed.stderr.trim().slice(0, 200)}`;
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (file === undefined) return 'profile failed: no .cpuprofile written';
    const prof = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;

    const { total, rows } = topFunctions(prof, top);
    return [
      `### Where ${worker === 'decode-file.mjs' ? "binlogsync's file decode" : '`parse --json`'} spends its time (${server}, node --cpu-prof, ${fmt(total / 1e6, 2)} s sampled)`,
      '',
      table(['function', 'where', 'self %', 'inclusive %'], rows),
    ].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
