// Helpers shared by the benchmark worker processes. Each worker is its own process (so its peak RSS is
// its own) and prints one JSON line, its result, as the last line of its stdout.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Peak resident set size of this process, in KiB (VmHWM), or undefined off Linux. */
export function peakRssKiB() {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Imports a module of the built library (dist/), which `npm run bench` builds first. */
export function importDist(rel) {
  // BENCH_DIST: another build's folder (absolute, or relative to the repository), for before/after comparisons
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', process.env.BENCH_DIST ?? 'dist');
  return import(pathToFileURL(join(root, rel)).href);
}

/**
 * Reads every value of a row image (so that no library can win by decoding lazily) and returns how many
 * were not null.
 */
export function touchRow(row) {
  let n = 0;
  for (const k in row) if (row[k] !== null && row[k] !== undefined) n++;
  return n;
}

/** The worker's argument: one JSON object. */
export function args() {
  return JSON.parse(process.argv[2] ?? '{}');
}

export function done(result) {
  process.stdout.write(`${JSON.stringify({ ...result, peakRssKiB: peakRssKiB() })}\n`);
}

export function fail(error) {
  const message = error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error);
  process.stdout.write(`${JSON.stringify({ error: message.split('\n')[0], peakRssKiB: peakRssKiB() })}\n`);
}

export const now = () => Number(process.hrtime.bigint()) / 1e6;

/** Runs `pass` (async) `loops` times: the fastest pass's ms, and what the last pass returned. */
export async function bestPass(loops, pass) {
  let ms = Infinity;
  let last;
  for (let i = 0; i < loops; i++) {
    const t = now();
    last = await pass();
    ms = Math.min(ms, now() - t);
  }
  return { ms, last };
}
