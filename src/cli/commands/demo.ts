// `binlogsync demo`: the first thing a newcomer runs. Provisions and starts a private MariaDB (the same
// provisioning as the tests: downloaded once into ~/.cache/binlogsync, no system changes, no root needed
// for the default MariaDB 11.8), creates a table, writes changes on a timer and streams them live.
// Ctrl-C (or --duration) stops the writer, the stream and the server, and removes its files.
import { parseArgs } from 'node:util';
import { ConfigError } from '../../errors.js';
import { connect } from '../../protocol/connect.js';
import type { Connection } from '../../protocol/connection.js';
import { BinlogSyncer } from '../../replication/syncer.js';
import {
  cacheDir,
  provisionServers,
  startLocalServer,
  type LocalServer,
  type ServerName,
} from '../../servers/local-server.js';
import { eventJson } from '../jsonl.js';
import { prettyLine } from '../pretty.js';
import { cliLogger, EXIT, signalExit, type CliIo } from './shared.js';

export const DEMO_USAGE = `Usage: binlogsync demo [--server NAME] [--duration SECONDS] [--json] [--debug]

Start a private MariaDB, write changes to a table every half second, and stream them live.
Nothing is installed system-wide: the server is downloaded once into ~/.cache/binlogsync
(BINLOGSYNC_CACHE) and runs from a temporary directory. Ctrl-C stops everything.

  --server NAME        mariadb-11.8 (default), mariadb-10.11 (needs root: apt), mysql-9.7
  --duration SECONDS   stop by itself after this long
  --json               JSON lines instead of the colored view
  --debug              warnings of the library, and the stack trace of an error
`;

const CUSTOMERS = ['Ada', 'Linus', 'Grace', 'Ken', 'Barbara', 'Dennis', 'Margaret', 'Edsger'];
const STATUSES = ['new', 'paid', 'shipped', 'cancelled'];

async function writeSomething(conn: Connection, n: number): Promise<void> {
  const r = Math.random();
  if (n < 3 || r < 0.55) {
    const who = CUSTOMERS[Math.floor(Math.random() * CUSTOMERS.length)];
    const amount = (Math.random() * 500).toFixed(2);
    await conn.query(
      `INSERT INTO demo.orders (customer, amount, status, items) VALUES ('${who}', ${amount}, 'new', ` +
        `'{"sku": "A-${100 + n}", "qty": ${1 + (n % 4)}}')`,
    );
  } else if (r < 0.9) {
    const status = STATUSES[1 + Math.floor(Math.random() * 3)];
    await conn.query(
      `UPDATE demo.orders SET status = '${status}', amount = amount + 1 ORDER BY RAND() LIMIT 1`,
    );
  } else {
    await conn.query('DELETE FROM demo.orders ORDER BY id LIMIT 1');
  }
}

export async function runDemo(argv: string[], io: CliIo): Promise<number> {
  const { values: o } = parseArgs({
    args: argv,
    options: {
      server: { type: 'string' },
      duration: { type: 'string' },
      json: { type: 'boolean' },
      debug: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (o.help) {
    io.stdout.write(DEMO_USAGE);
    return EXIT.OK;
  }
  const name = (o.server ?? 'mariadb-11.8') as ServerName;
  if (!['mariadb-11.8', 'mariadb-10.11', 'mysql-9.7'].includes(name))
    throw new ConfigError(`unknown --server ${name}`);
  const duration = o.duration === undefined ? Infinity : Number(o.duration);
  if (!(duration > 0)) throw new ConfigError('--duration needs a number of seconds');
  const pretty = !o.json;
  const color = pretty && io.stdoutIsTty && !process.env.NO_COLOR;
  const say = (s: string): void =>
    void io.stderr.write(`${color ? '\x1b[2m' : ''}[demo] ${s}${color ? '\x1b[0m' : ''}\n`);

  const t0 = Date.now();
  say(`provisioning ${name} (the first run downloads it into ${cacheDir()})…`);
  await provisionServers([name]);
  let server: LocalServer | undefined;
  let syncer: BinlogSyncer | undefined;
  let writer: Connection | undefined;
  let timer: NodeJS.Timeout | undefined;
  let interrupted: NodeJS.Signals | undefined;
  const stopped = new Promise<void>((resolve) => {
    const onSignal = (sig: NodeJS.Signals): void => {
      interrupted = sig;
      resolve();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    if (duration !== Infinity) setTimeout(resolve, duration * 1000).unref();
  });
  try {
    server = await startLocalServer(name, { options: ['--binlog-row-metadata=FULL'] });
    say(
      `${name} ${server.version} is running on 127.0.0.1:${server.port} (pid ${server.pid}, files in ${server.root})`,
    );
    say(
      `follow it from another terminal too, in this folder (root, no password): BINLOGSYNC_PASSWORD= npx binlogsync tail mysql://root@127.0.0.1:${server.port}`,
    );
    writer = await connect({
      connection: { socketPath: server.socket },
      auth: { user: 'root', password: '' },
    });
    await writer.query('CREATE DATABASE demo');
    await writer.query(
      'CREATE TABLE demo.orders (id INT AUTO_INCREMENT PRIMARY KEY, customer VARCHAR(40) NOT NULL, ' +
        "amount DECIMAL(10,2) NOT NULL, status ENUM('new','paid','shipped','cancelled') NOT NULL, " +
        `items ${server.flavor === 'mysql' ? 'JSON' : 'LONGTEXT'}, created DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3))`,
    );
    syncer = new BinlogSyncer({
      host: server.host,
      port: server.port,
      user: 'root',
      password: '',
      serverId: 4242,
      values: { json: 'text' },
      logger: cliLogger('demo', o.debug === true, (line) => io.stderr.write(line)),
    });
    const stream = await syncer.startSync('now');
    say(`streaming its binlog; writing a change every 0.5 s — Ctrl-C to stop`);
    let n = 0;
    let busy = false;
    timer = setInterval(() => {
      if (busy || !writer) return;
      busy = true;
      writeSomething(writer, n++)
        .catch((e: unknown) => say(`write failed: ${(e as Error).message}`))
        .finally(() => (busy = false));
    }, 500);
    let first = true;
    const reader = (async () => {
      for await (const ev of stream) {
        if (
          ev.type !== 'write_rows' &&
          ev.type !== 'update_rows' &&
          ev.type !== 'delete_rows' &&
          ev.type !== 'query'
        )
          continue;
        if (ev.type === 'query' && /^(BEGIN|COMMIT)/i.test(ev.query)) continue;
        if (first && ev.type !== 'query') {
          say(`first change event ${((Date.now() - t0) / 1000).toFixed(1)} s after start`);
          first = false;
        }
        const line = pretty ? prettyLine(ev, { color, width: io.columns }) : eventJson(ev);
        io.stdout.write(line + '\n');
      }
    })();
    await Promise.race([stopped, reader]);
    await stream.close();
    await reader.catch(() => undefined);
  } finally {
    if (timer) clearInterval(timer);
    await writer?.close().catch(() => undefined);
    await syncer?.close();
    if (server) {
      await server.stop();
      say('server stopped and its files removed');
    }
  }
  return interrupted ? signalExit(interrupted) : EXIT.OK;
}
