// Benchmark plumbing: timed child processes, best-of-N, machine facts and markdown tables.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const WORKERS = join(ROOT, 'bench', 'workers');

export interface Timed {
  /** spawn to exit, measured here */
  wallMs: number;
  /** user + system CPU of the process (needs /usr/bin/time) */
  cpuMs: number | undefined;
  /** peak resident set size (needs /usr/bin/time) */
  maxRssKiB: number | undefined;
  code: number | null;
  stdout: string;
  stderr: string;
}

const GNU_TIME = '/usr/bin/time';

/**
 * Runs a command to completion and times it. `stdout: 'null'` sends its output to /dev/null (as a shell
 * redirect would), otherwise it is collected. CPU time and peak RSS come from GNU time when installed.
 */
export async function runTimed(
  cmd: string,
  args: string[],
  o: { stdout?: 'null' | 'pipe'; timeoutMs?: number; onLine?: (line: string) => void } = {},
): Promise<Timed> {
  const dir = mkdtempSync(join(tmpdir(), 'binlogsync-bench-'));
  const timeFile = join(dir, 'time');
  const useTime = existsSync(GNU_TIME);
  const argv = useTime ? ['-f', '%U %S %M', '-o', timeFile, cmd, ...args] : args;
  const devNull = o.stdout === 'null' ? openSync('/dev/null', 'w') : undefined;
  try {
    const t0 = process.hrtime.bigint();
    const child = spawn(useTime ? GNU_TIME : cmd, argv, {
      stdio: ['ignore', devNull ?? 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let partial = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      if (o.onLine) {
        partial += d;
        let nl;
        while ((nl = partial.indexOf('\n')) >= 0) {
          o.onLine(partial.slice(0, nl));
          partial = partial.slice(nl + 1);
        }
      }
    });
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer =
      o.timeoutMs !== undefined
        ? setTimeout(() => {
            stderr += `\n(killed after ${o.timeoutMs} ms)`;
            if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
          }, o.timeoutMs)
        : undefined;
    const code = await new Promise<number | null>((ok, fail) => {
      child.on('error', fail);
      child.on('close', (c) => ok(c));
    });
    clearTimeout(timer);
    const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
    let cpuMs: number | undefined;
    let maxRssKiB: number | undefined;
    if (useTime && existsSync(timeFile)) {
      const last = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
      const [u, s, m] = last.split(' ').map(Number);
      if (Number.isFinite(u) && Number.isFinite(s)) cpuMs = (u + s) * 1000;
      if (Number.isFinite(m)) maxRssKiB = m;
    }
    return { wallMs, cpuMs, maxRssKiB, code, stdout, stderr };
  } finally {
    if (devNull !== undefined) closeSync(devNull);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What a worker (bench/workers/*.mjs) printed as its last line. */
export interface WorkerResult {
  error?: string;
  peakRssKiB?: number;
  rows?: number;
  events?: number;
  values?: number;
  decodeMs?: number;
  firstToLastMs?: number;
  totalMs?: number;
  p50Ms?: number;
  p90Ms?: number;
  p99Ms?: number;
  maxMs?: number;
  /** materialize.mjs: best pass, and the size of its prepared input */
  ms?: number;
  textBytes?: number;
  blobBytes?: number;
  /** json-documents.mjs: documents and members read */
  docs?: number;
  members?: number;
}

export function workerResult(t: Timed): WorkerResult {
  const lines = t.stdout.trim().split('\n');
  const last = lines[lines.length - 1] ?? '';
  try {
    return JSON.parse(last) as WorkerResult;
  } catch {
    const why = (
      t.stderr
        .trim()
        .split('\n')
        .find((l) => /error/i.test(l)) ?? t.stderr.trim()
    ).slice(0, 200);
    return { error: `worker exited with code ${t.code}: ${why || 'no output'}` };
  }
}

/** Runs a bench worker (plain node, no loader) and returns its timing and result. */
export async function runWorker(
  name: string,
  arg: object,
  o: {
    timeoutMs?: number;
    nodeArgs?: string[];
    onLine?: (line: string) => void;
    stdout?: 'null' | 'pipe';
  } = {},
): Promise<{ timed: Timed; result: WorkerResult }> {
  const timed = await runTimed(
    process.execPath,
    [...(o.nodeArgs ?? []), join(WORKERS, name), JSON.stringify(arg)],
    o,
  );
  return { timed, result: workerResult(timed) };
}

/** Runs `f` n times (one at a time) and keeps the run with the smallest key. */
export async function bestOf<T>(n: number, f: () => Promise<T>, key: (r: T) => number): Promise<T> {
  let best: T | undefined;
  for (let i = 0; i < n; i++) {
    const r = await f();
    if (best === undefined || key(r) < key(best)) best = r;
  }
  return best as T;
}

export function machine(): string {
  const cpu = cpus();
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  return `${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${load}`;
}

export function loadNow(): string {
  return loadavg()[0].toFixed(2);
}

export const MB = 1_000_000;
export const fmt = (n: number | undefined, digits = 1): string =>
  n === undefined || !Number.isFinite(n)
    ? '–'
    : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
export const fmtInt = (n: number | undefined): string =>
  n === undefined || !Number.isFinite(n) ? '–' : Math.round(n).toLocaleString('en-US');
export const mib = (kib: number | undefined): string => (kib === undefined ? '–' : fmtInt(kib / 1024));
export const ratio = (a: number | undefined, b: number | undefined): string =>
  a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0
    ? '–'
    : `${(a / b).toFixed(2)}×`;

export function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}
