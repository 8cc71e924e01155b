// `binlogsync backup <url> --dir D`: mirror the source's binlog files byte for byte (as
// `mysqlbinlog --read-from-remote-server --raw --stop-never` does), resumable: run it again on the same
// directory and it continues where it stopped, cutting off a partial event left by a crash.
import { parseArgs } from 'node:util';
import { ConfigError } from '../../errors.js';
import { backup } from '../../replication/backup.js';
import { resolveTarget } from '../target.js';
import { cliLogger, connectionFlags, EXIT, signalExit, tlsFrom, type CliIo } from './shared.js';

export const BACKUP_USAGE = `Usage: binlogsync backup <url> --dir DIR [options]

Copy the server's binlog files into DIR, byte for byte, and keep following (Ctrl-C stops cleanly).
Run it again on the same DIR to resume.

  --dir DIR                where the files go (created if missing)
  --start first|now|FILE   where an empty DIR starts: the oldest file the server has, the file it
                           writes now (default), or that file from its start
  --non-block              stop at the end of the server's last file
  --user NAME              user when <url> is a socket path
  --server-id N            this replica's server_id (default a random one from 1000000)
  --tls MODE, --tls-ca FILE   as for tail
  -h, --help               this help

Progress goes to stderr when it is a terminal.
`;

export async function runBackup(argv: string[], io: CliIo): Promise<number> {
  const { values: o, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...connectionFlags,
      dir: { type: 'string' },
      start: { type: 'string' },
      'non-block': { type: 'boolean' },
    },
  });
  if (o.help) {
    io.stdout.write(BACKUP_USAGE);
    return EXIT.OK;
  }
  if (positionals.length !== 1)
    throw new ConfigError('backup needs exactly one <url> (see binlogsync backup --help)');
  if (!o.dir) throw new ConfigError('backup needs --dir DIR');
  const t = await resolveTarget(positionals[0], { user: o.user });
  const start =
    o.start === undefined || o.start === 'now' ? 'now' : o.start === 'first' ? 'first' : { file: o.start };
  const ac = new AbortController();
  let interrupted: NodeJS.Signals | undefined;
  const stop = (sig: NodeJS.Signals): void => {
    interrupted = sig;
    ac.abort();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let last = 0;
  try {
    const result = await backup(
      {
        host: t.host,
        port: t.port,
        socketPath: t.socketPath,
        user: t.user,
        password: t.password,
        serverId:
          o['server-id'] !== undefined
            ? Number(o['server-id'])
            : 1_000_000 + Math.floor(Math.random() * 1_000_000),
        tls: tlsFrom(o),
        heartbeatPeriod: o.heartbeat !== undefined ? Number(o.heartbeat) : undefined,
        // warnings on a line of their own (the progress line is redrawn after)
        logger: cliLogger('backup', o.debug === true, (line) =>
          io.stderr.write(io.stderrIsTty ? `\r\x1b[K${line}` : line),
        ),
      },
      {
        dir: o.dir,
        start,
        nonBlocking: o['non-block'],
        signal: ac.signal,
        onProgress: io.stderrIsTty
          ? (p) => {
              const now = Date.now();
              if (now - last < 500) return;
              last = now;
              io.stderr.write(`\r\x1b[K${p.file} ${p.size} B  (${p.events} events, ${p.bytes} B this run)`);
            }
          : undefined,
      },
    );
    if (io.stderrIsTty) io.stderr.write('\r\x1b[K');
    io.stderr.write(
      `backup: ${result.resumed ? 'resumed, ' : ''}${result.events} events, ${result.bytes} bytes into ${result.files.length} file(s); at ${result.end.file}:${result.end.pos}\n`,
    );
    return EXIT.OK;
  } catch (e) {
    if (interrupted) {
      if (io.stderrIsTty) io.stderr.write('\r\x1b[K');
      io.stderr.write('backup: stopped; every event in the files is whole — run again to resume\n');
      return signalExit(interrupted);
    }
    throw e;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
