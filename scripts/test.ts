// The test runner behind `npm test`: provisions the test servers (once; cached), runs every
// test file with node's test runner (the unit files two at a time, then the integration files one at a
// time), and afterwards stops any server a test left behind, by PID.
//
//   node --import tsx scripts/test.ts [--unit | --integration] [path-substring…]
//
// Env: BINLOGSYNC_TEST_SERVERS (comma list, default all of mysql-9.7,mariadb-10.11,mariadb-11.8 and,
//      in the shorter suites, mariadb-10.5),
//      BINLOGSYNC_CACHE (download cache),
//      BINLOGSYNC_TEST_STALL_MINUTES (stop a run that prints nothing this long; default 20).
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { provisionServers } from '../src/servers/local-server.js';
import { testServerNames } from '../test/harness/servers.js';

const args = process.argv.slice(2);
const unitOnly = args.includes('--unit');
const integrationOnly = args.includes('--integration');
const filters = args.filter((a) => !a.startsWith('--'));

function walk(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.test.ts')) out.push(relative(process.cwd(), p));
  }
  return out;
}

let files = walk('test', []);
const isIntegration = (f: string): boolean => f.includes('integration');
if (unitOnly) files = files.filter((f) => !isIntegration(f));
if (integrationOnly) files = files.filter(isIntegration);
if (filters.length) files = files.filter((f) => filters.some((x) => f.includes(x)));
if (!files.length) {
  console.error('no test files matched');
  process.exit(1);
}

const started = Date.now();
if (files.some(isIntegration)) {
  await provisionServers(testServerNames());
  console.error(`[test] servers ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

const runDir = mkdtempSync(join(tmpdir(), 'binlogsync-test-run-'));
function killLeftovers(): void {
  let pids: string[] = [];
  try {
    pids = readdirSync(join(runDir, 'pids'));
  } catch {
    pids = [];
  }
  for (const pid of pids) {
    try {
      process.kill(Number(pid), 'SIGKILL');
      console.error(`[test] stopped leftover server pid ${pid}`);
    } catch {
      // already gone
    }
  }
  rmSync(runDir, { recursive: true, force: true });
}

/**
 * Runs test files with node's test runner; resolves to its exit status. Unit files (no server) run two at
 * a time; integration files one at a time, as their servers share the machine's two cores. A run that
 * prints nothing for `stallMinutes` (no test finished: something hangs) is stopped, with its files'
 * processes, and fails: a hung test must not hold CI until its own limit.
 */
const stallMinutes = Number(process.env.BINLOGSYNC_TEST_STALL_MINUTES ?? 20); // 0: no watchdog
if (!(stallMinutes >= 0)) {
  console.error('BINLOGSYNC_TEST_STALL_MINUTES must be a number of minutes (0: never stop a quiet run)');
  process.exit(2);
}
let current: ReturnType<typeof spawn> | undefined;
function stopGroup(child: ReturnType<typeof spawn>, sig: NodeJS.Signals): void {
  if (child.pid === undefined) return; // never started (kill(0) would be this script's own group)
  try {
    process.kill(-child.pid, sig); // the runner and every test file it started
  } catch {
    child.kill(sig);
  }
}
function runFiles(list: string[], concurrency: number): Promise<number> {
  if (list.length === 0) return Promise.resolve(0);
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      `--test-concurrency=${concurrency}`,
      // its output is piped through here: the reporter a terminal gets, as if it wrote there itself
      ...(process.stdout.isTTY ? ['--test-reporter=spec'] : []),
      ...list,
    ],
    {
      stdio: ['inherit', 'pipe', 'pipe'],
      detached: true, // its own process group, so a stalled run is stopped whole
      env: { ...process.env, BINLOGSYNC_TEST_RUNDIR: runDir },
    },
  );
  current = child;
  let last = Date.now();
  child.stdout?.on('data', (b: Buffer) => {
    last = Date.now();
    process.stdout.write(b);
  });
  child.stderr?.on('data', (b: Buffer) => {
    last = Date.now();
    process.stderr.write(b);
  });
  let stalled = false;
  const watchdog = setInterval(() => {
    if (stalled || stallMinutes === 0 || Date.now() - last < stallMinutes * 60_000) return;
    stalled = true;
    console.error(`[test] nothing finished for ${stallMinutes} min: a test hangs; stopping the run`);
    stopGroup(child, 'SIGKILL');
  }, 5_000);
  return new Promise((resolve) => {
    const done = (code: number | null, signal: NodeJS.Signals | null): void => {
      clearInterval(watchdog);
      resolve(stalled ? 1 : (code ?? (signal ? 1 : 0)));
    };
    child.on('close', done);
    // a process the tests left behind may hold the output open: the runner's own exit is enough
    child.on('exit', (code, signal) => setTimeout(() => done(code, signal), 10_000).unref());
  });
}
let interrupted = false;
// its own process group does not get the terminal's signals: they are passed on (a hang-up too)
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(sig, () => {
    interrupted = true;
    if (current) stopGroup(current, sig);
  });
}
const unitStatus = await runFiles(
  files.filter((f) => !isIntegration(f)),
  2,
);
const integrationStatus = interrupted ? 1 : await runFiles(files.filter(isIntegration), 1);
killLeftovers();
console.error(`[test] ${files.length} files in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(unitStatus || integrationStatus);
