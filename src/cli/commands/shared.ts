// What the commands share: exit codes, the I/O they write to, connection flags.
import { readFileSync } from 'node:fs';
import { BinlogSyncError, ConfigError } from '../../errors.js';
import type { TlsMode, TlsOptions } from '../../protocol/options.js';
import type { Logger } from '../../replication/options.js';

/** Stable exit codes (documented in the README). */
export const EXIT = {
  OK: 0,
  /** a bad binlog file, a stream that failed, a check with FAIL items */
  FAILURE: 1,
  /** wrong arguments */
  USAGE: 2,
  /** cannot connect, authenticate, or the server refused */
  CONNECTION: 3,
  /** a fault of binlogsync itself (a TypeError, say): a bug to report */
  INTERNAL: 70,
  /** stopped by SIGINT (Ctrl-C): 128 + 2 */
  INTERRUPTED: 130,
  /** stopped by SIGTERM (a service manager's stop): 128 + 15 */
  TERMINATED: 143,
} as const;

/** The exit status of a command that a signal stopped cleanly, as shells report a signal's: 128 + its number. */
export function signalExit(sig: NodeJS.Signals): number {
  return sig === 'SIGTERM' ? EXIT.TERMINATED : EXIT.INTERRUPTED;
}

export interface CliIo {
  stdout: { write(chunk: string): boolean; once?(event: 'drain', cb: () => void): unknown };
  stderr: { write(chunk: string): boolean };
  stdoutFd: number;
  stdoutIsTty: boolean;
  stderrIsTty: boolean;
  /** Terminal width for the pretty view (0: unlimited). */
  columns: number;
  /** Terminal width of stderr, for status lines (0: not a terminal). */
  stderrColumns: number;
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdoutFd: 1,
    stdoutIsTty: Boolean(process.stdout.isTTY),
    stderrIsTty: Boolean(process.stderr.isTTY),
    columns: process.stdout.isTTY ? process.stdout.columns : 0,
    stderrColumns: process.stderr.isTTY ? process.stderr.columns : 0,
  };
}

export const connectionFlags = {
  user: { type: 'string' },
  'server-id': { type: 'string' },
  tls: { type: 'string' },
  'tls-ca': { type: 'string' },
  heartbeat: { type: 'string' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const TLS_MODES = new Set(['disabled', 'preferred', 'required', 'verify-ca', 'verify-identity']);

export function tlsFrom(o: { tls?: string; 'tls-ca'?: string }): TlsOptions | undefined {
  if (o.tls === undefined && o['tls-ca'] === undefined) return undefined;
  const mode = (o.tls ?? 'verify-ca') as TlsMode;
  if (!TLS_MODES.has(mode)) throw new ConfigError(`--tls must be one of ${[...TLS_MODES].join(', ')}`);
  const caFile = o['tls-ca'];
  if (!caFile) return { mode };
  let ca: Buffer;
  try {
    ca = readFileSync(caFile);
  } catch (e) {
    throw new ConfigError(
      `--tls-ca ${caFile} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
    );
  }
  return { mode, ca };
}

/** `key=value` pairs of a log record's fields (an error as its message), for one stderr line. */
function fields(obj: object): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined) continue;
    const text = v instanceof Error ? v.message : typeof v === 'string' ? v : JSON.stringify(v);
    parts.push(`${k}=${(text ?? String(v)).split('\n')[0]}`);
  }
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/**
 * The library's logger for a command: each warning one line on stderr (`binlogsync tail: warning: …`);
 * info, debug and error records (an error also ends the command, which prints it) only with --debug.
 * `write` takes the line (tail routes it around its status line). The library never logs a password.
 */
export function cliLogger(cmd: string, debug: boolean, write: (line: string) => void): Logger {
  const line =
    (level: string) =>
    (obj: object, msg?: string): void =>
      write(`binlogsync ${cmd}: ${level}: ${msg ?? ''}${fields(obj)}\n`);
  const off = (): void => {};
  return {
    warn: line('warning'),
    error: debug ? line('error') : off,
    info: debug ? line('info') : off,
    debug: debug ? line('debug') : off,
  };
}

/** The library's option names in its ConfigError messages, as the command-line flags that set them. */
const FLAG_OF: Record<string, string> = {
  serverId: '--server-id',
  heartbeatPeriod: '--heartbeat',
  'tables.include': '--include',
  'tables.exclude': '--exclude',
  start: '--start',
};

/** The option a message starts with, as its flag; the rest (a path, a glob the user gave) as it is. */
export function asFlags(message: string): string {
  for (const [option, flag] of Object.entries(FLAG_OF)) {
    if (message.startsWith(option) && !/[\w.]/.test(message.charAt(option.length)))
      return flag + message.slice(option.length);
  }
  return message;
}

/** A fault of binlogsync itself, not of the input, the server or the system: a bug to report. */
export function isInternal(e: unknown): boolean {
  return (
    !(e instanceof BinlogSyncError) &&
    (e instanceof TypeError ||
      e instanceof RangeError ||
      e instanceof ReferenceError ||
      e instanceof SyntaxError) &&
    (e as NodeJS.ErrnoException).code === undefined
  );
}

/** What an error line adds for an internal error: '' for any other error. */
export function internalNote(e: unknown): string {
  return isInternal(e)
    ? ' — an internal error of binlogsync: please report it with the output of --debug'
    : '';
}
