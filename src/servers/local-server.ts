// Private MySQL / MariaDB instances for the tests, the demo and the benchmarks.
//
// `provisionServers()` runs scripts/provision/provision.sh (downloads and unpacks the server packages once,
// into ~/.cache/binlogsync, and makes an initialized template datadir). `startLocalServer()` copies the
// template into a temp directory and starts the server on a free 127.0.0.1 port plus a unix socket, with
// binlog on, ROW format and GTIDs (MySQL). Each instance is stopped by its own PID: by `stop()`, when the
// process exits, and by the test runner from the PID files it finds in BINLOGSYNC_TEST_RUNDIR.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SERVER_NAMES = ['mysql-9.7', 'mariadb-10.11', 'mariadb-11.8'] as const;
export type ServerName = (typeof SERVER_NAMES)[number] | 'mariadb-10.5';

export interface ProvisionedServer {
  flavor: 'mysql' | 'mariadb';
  version: string;
  mysqld: string;
  client: string;
  binlogTool: string;
  admin: string;
  basedir: string;
  pluginDir: string;
  shareDir: string;
  charsetsDir: string;
  template: string;
}

export interface StartOptions {
  /** Extra server options, e.g. `--binlog-checksum=NONE`. */
  options?: string[];
  /** server_id (default: a number derived from the PID and a counter). */
  serverId?: number;
  /** Print the server's error log on failure (default true). */
  verbose?: boolean;
}

export interface LocalServer {
  name: ServerName;
  flavor: 'mysql' | 'mariadb';
  version: string;
  host: string;
  port: number;
  socket: string;
  user: string;
  password: string;
  serverId: number;
  datadir: string;
  pid: number;
  tools: ProvisionedServer;
  /**
   * Runs SQL with the server's own command-line client over the socket; returns tab-separated rows.
   * `user` is `name` or `name:password` (default root).
   */
  sql(statements: string, opts?: { database?: string; user?: string }): Promise<string>;
  /** Path of a binlog file inside the datadir. */
  binlogPath(file: string): string;
  stop(): Promise<void>;
}

export function cacheDir(): string {
  return process.env.BINLOGSYNC_CACHE ?? join(homedir(), '.cache', 'binlogsync');
}

function packageRoot(): string {
  // src/servers/local-server.ts or dist/servers/local-server.js → package root
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

export async function provisionServers(names: readonly ServerName[]): Promise<void> {
  const script = join(packageRoot(), 'scripts', 'provision', 'provision.sh');
  await new Promise<void>((ok, fail) => {
    const child = spawn('bash', [script, ...names], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', fail);
    child.on('exit', (code) =>
      code === 0 ? ok() : fail(new Error(`provisioning ${names.join(', ')} failed (exit ${code})`)),
    );
  });
}

export function provisioned(name: ServerName): ProvisionedServer {
  const file = join(cacheDir(), name, 'server.json');
  if (!existsSync(file))
    throw new Error(`${name} is not provisioned: run scripts/provision/provision.sh ${name}`);
  return JSON.parse(readFileSync(file, 'utf8')) as ProvisionedServer;
}

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => ok(port));
    });
  });
}

function run(cmd: string, args: string[], input?: string): Promise<string> {
  return new Promise((ok, fail) => {
    const child = execFile(
      cmd,
      args,
      { maxBuffer: 512 * 1024 * 1024, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (err) fail(new Error(`${cmd.split('/').pop()} failed: ${stderr.trim() || err.message}`));
        else ok(stdout);
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

const live = new Map<number, ChildProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const killAll = (): void => {
    for (const pid of live.keys()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  process.on('exit', killAll);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      killAll();
      process.exit(130);
    });
  }
}

let counter = 0;

export async function startLocalServer(name: ServerName, opts: StartOptions = {}): Promise<LocalServer> {
  const tools = provisioned(name);
  const serverId = opts.serverId ?? 100 + ((process.pid * 7 + ++counter) % 100000);
  const asRoot = process.getuid?.() === 0 ? ['--user=root'] : [];
  let lastErr = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const root = mkdtempSync(join(process.env.BINLOGSYNC_TEST_TMP ?? tmpdir(), `binlogsync-${name}-`));
    const datadir = join(root, 'data');
    const tmp = join(root, 'tmp');
    mkdirSync(tmp);
    cpSync(tools.template, datadir, { recursive: true });
    const socket = join(root, 'server.sock');
    const port = await freePort();
    const common = [
      '--no-defaults',
      `--basedir=${tools.basedir}`,
      `--datadir=${datadir}`,
      `--plugin-dir=${tools.pluginDir}`,
      `--lc-messages-dir=${tools.shareDir}`,
      `--character-sets-dir=${tools.charsetsDir}`,
      `--tmpdir=${tmp}`,
      ...asRoot,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--socket=${socket}`,
      `--pid-file=${join(root, 'server.pid')}`,
      `--log-error=${join(root, 'error.log')}`,
      `--server-id=${serverId}`,
      '--binlog-format=ROW',
      '--innodb-buffer-pool-size=64M',
      '--innodb-flush-log-at-trx-commit=2',
      '--sync-binlog=0',
      '--max-allowed-packet=64M',
      '--performance-schema=OFF',
    ];
    const flavorArgs =
      tools.flavor === 'mysql'
        ? [
            `--secure-file-priv=${tmp}`,
            '--mysqlx=OFF',
            '--log-bin=binlog',
            '--gtid-mode=ON',
            '--enforce-gtid-consistency=ON',
          ]
        : ['--log-bin=mariadb-bin', '--skip-name-resolve=OFF'];
    const child = spawn(tools.mysqld, [...common, ...flavorArgs, ...(opts.options ?? [])], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const pid = child.pid;
    if (pid === undefined) throw new Error(`could not start ${name}`);
    installExitHook();
    live.set(pid, child);
    const pidDir = process.env.BINLOGSYNC_TEST_RUNDIR;
    if (pidDir) {
      mkdirSync(join(pidDir, 'pids'), { recursive: true });
      writeFileSync(join(pidDir, 'pids', String(pid)), root);
    }
    let exited = false;
    child.on('exit', () => {
      exited = true;
      live.delete(pid);
    });
    child.stderr?.resume();
    const server: LocalServer = {
      name,
      flavor: tools.flavor,
      version: tools.version,
      host: '127.0.0.1',
      port,
      socket,
      user: 'root',
      password: '',
      serverId,
      datadir,
      pid,
      tools,
      sql: (statements, o) =>
        run(tools.client, [
          `--user=${o?.user ? o.user.split(':')[0] : 'root'}`,
          ...(o?.user?.includes(':') ? [`--password=${o.user.slice(o.user.indexOf(':') + 1)}`] : []),
          `--socket=${socket}`,
          '--default-character-set=utf8mb4',
          '-N',
          '-B',
          ...(o?.database ? [o.database] : []),
          '-e',
          statements,
        ]),
      binlogPath: (file) => join(datadir, file),
      stop: async () => {
        if (!exited) {
          await new Promise<void>((ok) => {
            const t = setTimeout(() => {
              try {
                process.kill(pid, 'SIGKILL');
              } catch {
                // gone
              }
            }, 20_000);
            child.once('exit', () => {
              clearTimeout(t);
              ok();
            });
            process.kill(pid, 'SIGTERM');
          });
        }
        if (pidDir) rmSync(join(pidDir, 'pids', String(pid)), { force: true });
        rmSync(root, { recursive: true, force: true });
      },
    };
    const deadline = Date.now() + 60_000;
    while (!exited && Date.now() < deadline) {
      try {
        await server.sql('SELECT 1');
        return server;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    lastErr = existsSync(join(root, 'error.log')) ? readFileSync(join(root, 'error.log'), 'utf8') : '';
    if (!exited) await server.stop().catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
    if (!/already in use|Can't start server: Bind/i.test(lastErr)) break;
  }
  throw new Error(
    `${name} did not start${opts.verbose === false ? '' : ':\n' + lastErr.split('\n').slice(-15).join('\n')}`,
  );
}
