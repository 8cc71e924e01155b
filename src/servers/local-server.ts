// Private MySQL / MariaDB instances for the tests, the demo and the benchmarks.
//
// `provisionServers()` runs scripts/provision/provision.sh (downloads and unpacks the server packages once,
// into ~/.cache/binlogsync, and makes an initialized template datadir). `startLocalServer()` copies the
// template into a temp directory and starts the server on a free 127.0.0.1 port plus a unix socket, with
// binlog on, ROW format and GTIDs (MySQL). Each instance is stopped by its own PID: by `stop()`, when the
// process exits, and by the test runner from the PID files it finds in BINLOGSYNC_TEST_RUNDIR.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
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
  /**
   * Binlog files encrypted at rest: MariaDB with the file_key_management plugin and a key file of its
   * own, `--encrypt-binlog=ON`; MySQL with the component_keyring_file keyring in its datadir,
   * `--binlog-encryption=ON`.
   */
  encryptBinlog?: boolean;
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
  /** The server's own folder (datadir, socket, logs), removed by stop(). */
  root: string;
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
  /** Stops the server (SIGTERM, SIGKILL after 20 s) and deletes its files. */
  stop(): Promise<void>;
  /**
   * Stops and starts the same server again: same datadir, port and socket. `kill` uses SIGKILL;
   * `whileStopped` runs between the two (e.g. to damage files as a crash would).
   */
  restart(opts?: { kill?: boolean; whileStopped?: () => void | Promise<void> }): Promise<void>;
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

/** Server processes of this process that have not exited. */
const live = new Set<number>();
/** The root folders (datadir, socket, logs) of the servers not stopped yet, running or not. */
const roots = new Set<string>();
let exitHookInstalled = false;
/**
 * However this process ends, no server it started outlives it: at exit every live one is killed and its
 * folder removed. SIGINT / SIGTERM end the process when nothing else listens for them; when something
 * does (the demo stops its server and says so), that listener owns the shutdown, and a second signal,
 * once it has let go, ends the process here.
 */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const killAll = (): void => {
    const pidDir = process.env.BINLOGSYNC_TEST_RUNDIR;
    for (const pid of live) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
      // the test runner's list of servers to stop: this one is (the child's 'exit' will not run now)
      if (pidDir) rmSync(join(pidDir, 'pids', String(pid)), { force: true });
    }
    live.clear();
    for (const root of roots) rmSync(root, { recursive: true, force: true });
    roots.clear();
  };
  process.on('exit', killAll);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    // first in line, so that it sees the other listeners before a `once` one removes itself
    process.prependListener(sig, () => {
      if (process.listenerCount(sig) > 1) return;
      killAll();
      process.exit(130);
    });
  }
}

let counter = 0;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

class Instance implements LocalServer {
  readonly host = '127.0.0.1';
  readonly user = 'root';
  readonly password = '';
  readonly flavor: 'mysql' | 'mariadb';
  readonly version: string;
  readonly datadir: string;
  readonly socket: string;
  pid = 0;
  #child: ChildProcess | undefined;
  #exited = true;

  constructor(
    readonly name: ServerName,
    readonly tools: ProvisionedServer,
    readonly root: string,
    readonly port: number,
    readonly serverId: number,
    readonly args: string[],
  ) {
    this.flavor = tools.flavor;
    this.version = tools.version;
    this.datadir = join(root, 'data');
    this.socket = join(root, 'server.sock');
  }

  sql(statements: string, o?: { database?: string; user?: string }): Promise<string> {
    const user = o?.user;
    return run(this.tools.client, [
      `--user=${user ? user.split(':')[0] : 'root'}`,
      ...(user?.includes(':') ? [`--password=${user.slice(user.indexOf(':') + 1)}`] : []),
      `--socket=${this.socket}`,
      '--default-character-set=utf8mb4',
      '-N',
      '-B',
      ...(o?.database ? [o.database] : []),
      '-e',
      statements,
    ]);
  }

  binlogPath(file: string): string {
    return join(this.datadir, file);
  }

  /** Starts the process and waits until it answers; throws with the error log's tail if it does not. */
  async launch(): Promise<void> {
    const child = spawn(this.tools.mysqld, this.args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const pid = child.pid;
    if (pid === undefined) throw new Error(`could not start ${this.name}`);
    installExitHook();
    this.#child = child;
    this.pid = pid;
    this.#exited = false;
    live.add(pid);
    const pidDir = process.env.BINLOGSYNC_TEST_RUNDIR;
    if (pidDir) {
      mkdirSync(join(pidDir, 'pids'), { recursive: true });
      writeFileSync(join(pidDir, 'pids', String(pid)), this.root);
    }
    child.on('exit', () => {
      if (this.#child === child) this.#exited = true;
      live.delete(pid);
      if (pidDir) rmSync(join(pidDir, 'pids', String(pid)), { force: true });
    });
    child.stderr?.resume();
    const deadline = Date.now() + 60_000;
    while (!this.#exited && Date.now() < deadline) {
      try {
        await this.sql('SELECT 1');
        return;
      } catch {
        await sleep(100);
      }
    }
    const log = this.errorLog();
    await this.#terminate(true);
    throw new Error(`${this.name} did not start:\n${log.split('\n').slice(-15).join('\n')}`);
  }

  errorLog(): string {
    const f = join(this.root, 'error.log');
    return existsSync(f) ? readFileSync(f, 'utf8') : '';
  }

  async #terminate(kill: boolean): Promise<void> {
    const child = this.#child;
    if (!child || this.#exited) return;
    const pid = this.pid;
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
      try {
        process.kill(pid, kill ? 'SIGKILL' : 'SIGTERM');
      } catch {
        // gone already
      }
    });
  }

  async stop(): Promise<void> {
    await this.#terminate(false);
    rmSync(this.root, { recursive: true, force: true });
    roots.delete(this.root);
  }

  async restart(opts: { kill?: boolean; whileStopped?: () => void | Promise<void> } = {}): Promise<void> {
    await this.#terminate(opts.kill ?? false);
    await opts.whileStopped?.();
    // The socket file of a killed server would make the new one wait for it.
    rmSync(this.socket, { force: true });
    await this.launch();
  }
}

/**
 * Server options (and the files they name) for binlog encryption at rest. MySQL loads keyring components
 * only from manifests: a global one next to the mysqld binary that defers to the datadir's (so servers
 * started without this option load nothing), and the component's global config deferring likewise.
 */
function encryptionOptions(tools: ProvisionedServer, root: string, datadir: string): string[] {
  if (tools.flavor === 'mariadb') {
    const keys = join(root, 'binlog-keys.txt');
    // key id 1 (the default encryption key): 256 bits, hex
    writeFileSync(keys, `1;${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
    return [
      '--plugin-load-add=file_key_management',
      `--file-key-management-filename=${keys}`,
      '--encrypt-binlog=ON',
    ];
  }
  const globalManifest = join(tools.basedir, 'sbin', 'mysqld.my');
  if (!existsSync(globalManifest)) writeFileSync(globalManifest, '{ "read_local_manifest": true }\n');
  const globalConfig = join(tools.pluginDir, 'component_keyring_file.cnf');
  if (!existsSync(globalConfig)) writeFileSync(globalConfig, '{ "read_local_config": true }\n');
  writeFileSync(join(datadir, 'mysqld.my'), '{ "components": "file://component_keyring_file" }\n');
  writeFileSync(
    join(datadir, 'component_keyring_file.cnf'),
    JSON.stringify({ path: join(root, 'keyring'), read_only: false }),
  );
  return ['--binlog-encryption=ON'];
}

export async function startLocalServer(name: ServerName, opts: StartOptions = {}): Promise<LocalServer> {
  const tools = provisioned(name);
  const serverId = opts.serverId ?? 100 + ((process.pid * 7 + ++counter) % 100000);
  const asRoot = process.getuid?.() === 0 ? ['--user=root'] : [];
  let lastErr: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    installExitHook();
    const root = mkdtempSync(join(process.env.BINLOGSYNC_TEST_TMP ?? tmpdir(), `binlogsync-${name}-`));
    roots.add(root); // before the datadir copy: a signal during it leaves nothing either
    const datadir = join(root, 'data');
    const tmp = join(root, 'tmp');
    mkdirSync(tmp);
    cpSync(tools.template, datadir, { recursive: true });
    const encryption = opts.encryptBinlog ? encryptionOptions(tools, root, datadir) : [];
    const port = await freePort();
    const args = [
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
      `--socket=${join(root, 'server.sock')}`,
      `--pid-file=${join(root, 'server.pid')}`,
      `--log-error=${join(root, 'error.log')}`,
      `--server-id=${serverId}`,
      '--binlog-format=ROW',
      '--innodb-buffer-pool-size=64M',
      '--innodb-flush-log-at-trx-commit=2',
      '--sync-binlog=0',
      '--max-allowed-packet=64M',
      '--performance-schema=OFF',
      ...(tools.flavor === 'mysql'
        ? [
            `--secure-file-priv=${tmp}`,
            '--mysqlx=OFF',
            '--log-bin=binlog',
            '--gtid-mode=ON',
            '--enforce-gtid-consistency=ON',
          ]
        : ['--log-bin=mariadb-bin']),
      ...encryption,
      ...(opts.options ?? []),
    ];
    const server = new Instance(name, tools, root, port, serverId, args);
    try {
      await server.launch();
      return server;
    } catch (e) {
      lastErr = e;
      rmSync(root, { recursive: true, force: true });
      roots.delete(root);
      if (!/already in use|Bind on TCP\/IP port/i.test(String(e))) break;
    }
  }
  throw lastErr instanceof Error ? lastErr : new Error(`${name} did not start`);
}
