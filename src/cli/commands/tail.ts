// `binlogsync tail <url>`: follow a live server and print its change events.
//
// Output: JSON lines (spec §2) when stdout is not a terminal or with --json; a colored one-line view
// otherwise (--pretty forces it). A status line on stderr when stderr is a terminal.
//
// --checkpoint FILE: the resume point, rewritten atomically at transaction boundaries (at most every
// --checkpoint-interval ms, and on exit). It records how long stdout was at that point; when stdout is a
// regular file (`>> changes.jsonl`), a restart first cuts the file back to that length, so a crash at
// any moment (kill -9 included) leaves every row in the file exactly once. On a pipe, rows printed after
// the last checkpoint are printed again after a crash (at least once).
import { fstatSync, fsyncSync, ftruncateSync, writeSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { BinlogEvent } from '../../binlog/types.js';
import { isKnownCharset } from '../../binlog/rows/charsets.js';
import { BinlogSyncError, ConfigError, DecodeError, ErrorCode } from '../../errors.js';
import type { BinlogStream } from '../../replication/stream.js';
import { BinlogSyncer } from '../../replication/syncer.js';
import { readCheckpoint, writeCheckpoint, type Checkpoint } from '../checkpoint.js';
import { EVENT_REGISTRY } from '../../binlog/registry.js';
import { eventJson } from '../jsonl.js';
import { prettyLine } from '../pretty.js';
import { StatusLine } from '../status-line.js';
import { resolveTarget } from '../target.js';
import { cliLogger, connectionFlags, EXIT, signalExit, tlsFrom, type CliIo } from './shared.js';

export const TAIL_USAGE = `Usage: binlogsync tail <url> [options]

Follow a MySQL or MariaDB server's binary log as a replica and print its change events.
<url> is mysql://user[:password]@host[:port] (or mariadb://…), or a unix socket path.
The password comes from the URL, else BINLOGSYNC_PASSWORD or MYSQL_PWD, else a prompt.

Where to start (default: now, or the checkpoint when it exists):
  --start FILE:POS         a binlog file and position (first run; a checkpoint wins once it exists)
  --gtid SET               after these GTIDs (MySQL set / MariaDB position; '' = from the oldest
                           binlog; first run, likewise)
  --checkpoint FILE        resume from FILE and keep it up to date (written atomically)
  --checkpoint-interval MS at most one checkpoint write per MS (default 200)

What to print:
  --json                   JSON lines (default when stdout is not a terminal)
  --pretty                 the colored one-line view (default on a terminal)
  --include GLOB           only rows of matching schema.table, others not decoded (repeatable; * ?)
  --exclude GLOB           skip rows of matching schema.table (repeatable)
  --events TYPES           only these event types, comma separated (e.g. write_rows,update_rows)
  --max-events N           stop after printing N events
  --non-block              stop at the end of the log instead of waiting

Values the binlog does not describe (when the server's information_schema cannot tell either):
  --assume-charset CS      string columns of unknown charset are CS text (default: bytes)
  --assume-fsp N           MariaDB TIME/DATETIME/TIMESTAMP columns in the old formats are TIME(N) …
                           (default: 0, checked; bytes that do not fit stop with ERR_UNKNOWN_PRECISION)

Connection:
  --user NAME              user when <url> is a socket path (default root)
  --server-id N            this replica's server_id (default a random one from 1000000)
  --tls MODE               disabled | preferred | required | verify-ca | verify-identity
  --tls-ca FILE            CA certificate for verify-ca / verify-identity
  --heartbeat MS           heartbeat period asked of the server (default 10000)
  --debug                  stack traces on errors
  -h, --help               this help
`;

/** Every `type` an event printed by tail can have (the registry's names, and those the stream adds). */
const EVENT_TYPE_NAMES = new Set([
  ...EVENT_REGISTRY.flatMap((e) => (e ? [e.name] : [])),
  'format_description',
  'unknown',
  'heartbeat',
]);

function parseStart(v: string): { file: string; pos: number } {
  const i = v.lastIndexOf(':');
  const digits = v.slice(i + 1);
  const pos = /^\d+$/.test(digits) ? Number(digits) : NaN; // not 0x4, 4.0, ' 4', 1e3
  if (i <= 0 || !Number.isSafeInteger(pos) || pos < 4)
    throw new ConfigError(`--start needs FILE:POS with POS >= 4, got ${v}`);
  return { file: v.slice(0, i), pos };
}

export async function runTail(argv: string[], io: CliIo): Promise<number> {
  const { values: o, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...connectionFlags,
      start: { type: 'string' },
      gtid: { type: 'string' },
      checkpoint: { type: 'string' },
      'checkpoint-interval': { type: 'string' },
      json: { type: 'boolean' },
      pretty: { type: 'boolean' },
      include: { type: 'string', multiple: true },
      exclude: { type: 'string', multiple: true },
      events: { type: 'string' },
      'max-events': { type: 'string' },
      'non-block': { type: 'boolean' },
      'assume-charset': { type: 'string' },
      'assume-fsp': { type: 'string' },
    },
  });
  if (o.help) {
    io.stdout.write(TAIL_USAGE);
    return EXIT.OK;
  }
  if (positionals.length !== 1)
    throw new ConfigError('tail needs exactly one <url> (see binlogsync tail --help)');
  if (o.start !== undefined && o.gtid !== undefined)
    throw new ConfigError('give --start or --gtid, not both');
  const maxEvents = o['max-events'] === undefined ? Infinity : Number(o['max-events']);
  if (!(maxEvents > 0)) throw new ConfigError('--max-events needs a positive number');
  const interval = o['checkpoint-interval'] === undefined ? 200 : Number(o['checkpoint-interval']);
  if (!(interval >= 0)) throw new ConfigError('--checkpoint-interval needs a number of ms');
  const types = o.events ? new Set(o.events.split(',').map((s) => s.trim())) : undefined;
  for (const t of types ?? []) {
    if (!EVENT_TYPE_NAMES.has(t))
      throw new ConfigError(
        `--events: no event type '${t}' (the JSON lines' type names: write_rows, query, xid, …)`,
      );
  }
  if (o.json && o.pretty) throw new ConfigError('give --json or --pretty, not both');
  const assumeCharset = o['assume-charset'];
  if (assumeCharset !== undefined && !isKnownCharset(assumeCharset))
    throw new ConfigError(`--assume-charset: unknown character set '${assumeCharset}'`);
  const fsp = o['assume-fsp'];
  if (fsp !== undefined && !/^[0-6]$/.test(fsp))
    throw new ConfigError(`--assume-fsp needs 0 to 6, got ${fsp || 'nothing'}`);
  const assumeFsp = fsp === undefined ? undefined : Number(fsp);
  const pretty = o.pretty ?? (!o.json && io.stdoutIsTty);
  const color = pretty && io.stdoutIsTty && !process.env.NO_COLOR;

  const target = await resolveTarget(positionals[0], { user: o.user });
  const serverId =
    o['server-id'] !== undefined ? Number(o['server-id']) : 1_000_000 + Math.floor(Math.random() * 1_000_000);
  // the library's warnings (a name lookup that failed, a fallback) on stderr, above the status line
  let status: StatusLine | undefined = undefined;
  const logger = cliLogger('tail', o.debug === true, (line) =>
    status ? status.note(line) : io.stderr.write(line),
  );
  const syncer = new BinlogSyncer({
    logger,
    host: target.host,
    port: target.port,
    socketPath: target.socketPath,
    user: target.user,
    password: target.password,
    serverId,
    tls: tlsFrom(o),
    heartbeatPeriod: o.heartbeat !== undefined ? Number(o.heartbeat) : undefined,
    // JSON columns print as MySQL's own text (CAST(j AS CHAR)), per the JSON-lines format
    values: { json: 'text', assumeCharset, assumeFsp },
    // rows of other tables are not decoded, their table maps not printed
    tables: o.include || o.exclude ? { include: o.include, exclude: o.exclude } : undefined,
  });

  // Where to start.
  const cpPath = o.checkpoint;
  const cp: Checkpoint | undefined = cpPath ? readCheckpoint(cpPath) : undefined;
  const stdoutFile = isRegularFile(io.stdoutFd);
  const outputFile = stdoutFile ? fileId(io.stdoutFd) : undefined;
  if (cp && cp.outputSize !== undefined && stdoutFile) {
    if (cp.outputFile !== undefined && cp.outputFile !== outputFile) {
      throw new ConfigError(
        `checkpoint ${cpPath}: it was taken while printing to another file than stdout is now; ` +
          'append to that file again, or start a new checkpoint',
      );
    }
    const size = fstatSync(io.stdoutFd).size;
    // What was printed after the checkpoint belongs to a transaction the checkpoint does not cover.
    if (size > cp.outputSize) ftruncateSync(io.stdoutFd, cp.outputSize);
    // stdout is flushed to disk before each checkpoint: a shorter file lost rows since (edited by hand?)
    if (size < cp.outputSize) {
      throw new ConfigError(
        `checkpoint ${cpPath} says the output held ${cp.outputSize} bytes, the file has ${size}: ` +
          'rows printed before the checkpoint are missing; not resuming over the gap',
      );
    }
  }
  // A checkpoint, once it exists, wins: --start / --gtid say where the very first run begins, so the
  // same command line can be run again after a crash.
  const nb = { nonBlocking: o['non-block'] };
  let holding = false;
  let stream: BinlogStream;
  let mode: 'gtid' | 'position';
  if (cp) {
    mode = cp.mode === 'gtid' && cp.gtid !== undefined ? 'gtid' : 'position';
    stream =
      mode === 'gtid'
        ? await syncer.startSyncGtid(cp.gtid ?? '', nb)
        : await syncer.startSync({ file: cp.file, pos: cp.pos }, nb);
  } else if (o.start !== undefined) {
    mode = 'position';
    const start = parseStart(o.start);
    // the source says whether a start inside a file is where an event begins only once it reads from
    // there: until then (its fake ROTATE and FORMAT_DESCRIPTION come first) the output is held, so that a
    // refused start prints nothing (into `>> changes.jsonl`, say)
    holding = start.pos > 4;
    stream = await syncer.startSync(start, nb);
  } else if (o.gtid !== undefined) {
    mode = 'gtid';
    stream = await syncer.startSyncGtid(o.gtid, nb);
  } else {
    mode = 'position';
    stream = await syncer.startSync('now', nb);
  }

  // On one terminal, stdout's lines and the status line on stderr share the screen.
  status = io.stderrIsTty
    ? new StatusLine(io.stderr, stream, syncer, { sharesScreen: io.stdoutIsTty, width: io.stderrColumns })
    : undefined;

  // Output is counted in bytes so that a checkpoint can record how long stdout was at the last
  // transaction boundary, even while rows of the next transaction are already buffered or written.
  let buffered = '';
  let emitted = stdoutFile ? fstatSync(io.stdoutFd).size : 0;
  // set when the reader of a pipe went away (`tail | head`): nothing more can be printed
  let outputClosed = false;
  let stopping: NodeJS.Signals | undefined;
  // what a full pipe did not take yet (stdout may be non-blocking: a write then takes part, or nothing)
  let unwritten: Buffer | undefined;
  /** Writes what stdout takes now; true when nothing is left. */
  const writeNow = (): boolean => {
    const out = unwritten!;
    let off = 0;
    try {
      while (off < out.length) off += writeSync(io.stdoutFd, out, off, out.length - off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') {
        outputClosed = true;
        void stream.close();
      } else if (code !== 'EAGAIN') {
        // a full disk under `>> changes.jsonl`: say it was the output
        if (e instanceof Error) e.message = `writing stdout: ${e.message}`;
        throw e;
      }
    }
    unwritten = off < out.length && !outputClosed ? out.subarray(off) : undefined;
    return unwritten === undefined;
  };
  /**
   * Writes what is buffered. A full pipe (a slow reader, `| less` on a page) is waited for with the
   * event loop free, so that Ctrl-C works and no CPU is spent; once stopping, what it did not take is
   * given up (and never counted in a checkpoint).
   */
  const flush = async (): Promise<void> => {
    if (outputClosed || holding) return;
    if (buffered) {
      const more = Buffer.from(buffered, 'utf8');
      unwritten = unwritten ? Buffer.concat([unwritten, more]) : more;
      buffered = '';
    }
    for (let wait = 1; unwritten !== undefined; wait = Math.min(wait * 2, 50)) {
      const done = status ? status.around(writeNow) : writeNow();
      if (done || stopping) return;
      await new Promise((r) => setTimeout(r, wait));
    }
  };
  const emit = (line: string): void => {
    buffered += line;
    emitted += Buffer.byteLength(line);
  };
  // The FORMAT_DESCRIPTION of each file seen (made when, by which server_id): a checkpoint records its
  // file's, and a resume by position checks it, so that a source whose binlog was reset since (or
  // another server) is not read from the old offset as if nothing happened.
  const origins = new Map<string, { ts: number; serverId: number }>();
  let originChecked = !(cp?.origin && mode === 'position');
  const checkOrigin = (ev: { file: string; ts: number; serverId: number }): void => {
    if (originChecked || ev.file !== cp!.file) return;
    originChecked = true;
    const want = cp!.origin!;
    if (want.ts === ev.ts && want.serverId === ev.serverId) return;
    const made = (o: { ts: number; serverId: number }): string =>
      `made ${new Date(o.ts * 1000).toISOString()} by server_id ${o.serverId}`;
    buffered = ''; // nothing of this run is printed
    throw new ConfigError(
      `checkpoint ${cpPath}: it was taken in a ${cp!.file} ${made(want)}; the source's ${cp!.file} was ${made(ev)} ` +
        '(the source reset its binlog, or this is another server): not resuming from its offset; start a new checkpoint',
    );
  };
  /** The last boundary the output has passed: its resume point and the output length there. */
  let boundary: { key: string; cp: Checkpoint } | undefined;
  let lastCp = cp ? `${cp.file}:${cp.pos}` : '';
  let lastCpAt = 0;
  const noteBoundary = (): void => {
    const r = stream.resumePoint;
    const key = `${r.file}:${r.pos}`;
    if ((!r.file && r.gtid === undefined) || key === (boundary?.key ?? lastCp)) return;
    boundary = {
      key,
      cp: {
        file: r.file,
        pos: r.pos,
        ...(r.gtid !== undefined ? { gtid: r.gtid } : {}),
        mode,
        ...(stdoutFile ? { outputSize: emitted, outputFile } : {}),
        ...(origins.has(r.file) ? { origin: origins.get(r.file) } : {}),
      },
    };
  };
  const checkpointDue = (force: boolean): boolean =>
    cpPath !== undefined &&
    boundary !== undefined &&
    boundary.key !== lastCp &&
    !outputClosed &&
    (force || Date.now() - lastCpAt >= interval);
  const saveCheckpoint = async (): Promise<void> => {
    if (holding) return; // nothing of this run is out yet
    await flush(); // the file must hold at least outputSize bytes before the checkpoint says so
    if (outputClosed || unwritten !== undefined || !cpPath || !boundary) return;
    if (stdoutFile) fsyncSync(io.stdoutFd); // … on disk, not only in the page cache (a power loss)
    writeCheckpoint(cpPath, boundary.cp);
    lastCp = boundary.key;
    lastCpAt = Date.now();
  };

  if (cpPath && cp === undefined) {
    // No checkpoint yet: record the start at once, so that a crash before the first commit resumes
    // from here rather than from "now".
    noteBoundary();
    try {
      if (checkpointDue(true)) await saveCheckpoint();
    } catch (e) {
      await syncer.close();
      throw e;
    }
  }

  let printed = 0;
  const stop = (sig: NodeJS.Signals): void => {
    stopping = sig;
    void stream.close();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let failure: unknown;
  try {
    for await (const ev of stream) {
      status?.count(ev);
      if (ev.next > ev.pos) holding = false; // an event read from the start: the start is good
      if (ev.type === 'format_description') {
        checkOrigin(ev);
        if (origins.size >= 16) origins.clear(); // the files of a long run: only the recent ones matter
        origins.set(ev.file, { ts: ev.ts, serverId: ev.serverId });
      }
      // (past --max-events only while the start is unverified: held, and not printed)
      if ((types === undefined || types.has(ev.type)) && printed < maxEvents) {
        // tail never asks for raw mode: every event is decoded
        emit((pretty ? prettyLine(ev, { color, width: io.columns }) : eventJson(ev as BinlogEvent)) + '\n');
        printed++;
      }
      noteBoundary(); // the resume point moves only when this event ended a transaction
      if (checkpointDue(false)) await saveCheckpoint();
      // a start not yet known good goes on to its first event: refused, nothing held is printed
      if ((printed >= maxEvents && !holding) || outputClosed) break;
      // Caught up: the next event may be a long wait away, and what is printed must show meanwhile.
      if (buffered.length > 64 * 1024 || (buffered && stream.bufferedBytes === 0)) await flush();
    }
  } catch (e) {
    failure = e;
    if (holding) buffered = ''; // the start was refused: what came before it is not printed
    if (e instanceof DecodeError && e.code === ErrorCode.ERR_UNKNOWN_PRECISION)
      e.message += ' (binlogsync tail: --assume-fsp N if all such columns have that precision)';
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    if (!failure) holding = false; // ended or stopped before any event: the held lines are printed
    try {
      await flush();
      status?.stop();
      // not after the output was cut off: what was printed last may not have reached anyone
      if (!failure && checkpointDue(true)) await saveCheckpoint();
    } finally {
      await syncer.close();
    }
  }
  // the reader of the pipe is gone (`tail | head`): done, as `head` wanted
  if (outputClosed) return EXIT.OK;
  if (
    failure !== undefined &&
    !(stopping && failure instanceof BinlogSyncError && failure.code === 'ERR_ABORTED')
  ) {
    throw failure instanceof Error ? failure : new Error('tail failed', { cause: failure });
  }
  return stopping ? signalExit(stopping) : EXIT.OK;
}

function isRegularFile(fd: number): boolean {
  try {
    return fstatSync(fd).isFile();
  } catch {
    return false;
  }
}

/** Device and inode of an open file, as text. */
function fileId(fd: number): string {
  const st = fstatSync(fd);
  return `${st.dev}:${st.ino}`;
}
