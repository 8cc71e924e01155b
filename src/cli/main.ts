// `binlogsync` command line entry. Each command lives in its own file under src/cli/commands/.
// Errors are one clear line on stderr (stack traces only with --debug); exit codes are stable (EXIT).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AbortError,
  AuthError,
  BinlogSyncError,
  ConfigError,
  ConnectionError,
  GtidError,
  ServerError,
  TlsError,
  TimeoutError,
} from '../errors.js';
import { BACKUP_USAGE, runBackup } from './commands/backup.js';
import { CHECK_USAGE, runCheck } from './commands/check.js';
import { DEMO_USAGE, runDemo } from './commands/demo.js';
import { runParse } from './commands/parse.js';
import { asFlags, EXIT, internalNote, isInternal, processIo, type CliIo } from './commands/shared.js';
import { runTail, TAIL_USAGE } from './commands/tail.js';

export { EXIT };

const HELP = `binlogsync — follow a MySQL or MariaDB binary log and print exact, typed change events

Usage: binlogsync <command> [options]

Commands:
  demo                 start a private MariaDB, write changes and stream them live
  tail <url>           follow a live server as a replica (JSON lines, or a colored view on a terminal)
  parse <file…>        decode binlog files offline
  check <url>          check a server's settings and privileges for change data capture
  backup <url>         mirror the server's binlog files byte for byte, resumable

  <url> is mysql://user@host:port (or mariadb://…) or a unix socket path; the password comes from
  the URL, BINLOGSYNC_PASSWORD or MYSQL_PWD, or a prompt.

Options:
  -h, --help           help (also: binlogsync <command> --help)
  -V, --version        print the version
  --debug              print stack traces on errors

Exit status: 0 ok, 1 failure (bad file, stream error, a FAIL in check), 2 usage error,
3 cannot connect, authenticate or lacks a privilege, 130 interrupted (Ctrl-C), 143 stopped by SIGTERM,
70 an internal error (a bug: please report it).
`;

export function version(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const pkg = JSON.parse(readFileSync(join(here, '..', '..', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

type Command = (argv: string[], io: CliIo) => Promise<number>;
const COMMANDS: Record<string, { run: Command; usage?: string }> = {
  demo: { run: runDemo, usage: DEMO_USAGE },
  tail: { run: runTail, usage: TAIL_USAGE },
  parse: { run: runParse },
  check: { run: runCheck, usage: CHECK_USAGE },
  backup: { run: runBackup, usage: BACKUP_USAGE },
};

/**
 * node:util parseArgs's errors in a line of ours: "Unknown option '--x'. To specify a positional argument
 * starting with a '-', …" → "unknown option --x"; "Option '--n <value>' argument is ambiguous. …" →
 * "--n needs a value …". Other errors as they are.
 */
function argsMessage(e: Error): string {
  const code = (e as { code?: string }).code;
  const opt = /'(-[^' ]+)/.exec(e.message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && opt) return `unknown option ${opt}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && opt) {
    if (/ambiguous/.test(e.message)) return `${opt} needs a value (one starting with '-' as ${opt}=-…)`;
    if (/argument missing/.test(e.message)) return `${opt} needs a value`;
    if (/does not take an argument/.test(e.message)) return `${opt} takes no value`;
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const arg = /'([^']*)'/.exec(e.message)?.[1];
    if (arg !== undefined) return `unexpected argument '${arg}'`;
  }
  return e.message;
}

/** @internal The exit status for an error that ended a command. */
export function exitCodeOf(e: unknown): number {
  // a GTID set or position that does not parse is the user's input too
  if (e instanceof ConfigError || e instanceof GtidError) return EXIT.USAGE;
  // the user's Ctrl-C (at the password prompt; a stream the user stops ends without an error)
  if (e instanceof AbortError) return EXIT.INTERRUPTED;
  if (
    e instanceof AuthError ||
    e instanceof TlsError ||
    e instanceof ConnectionError ||
    e instanceof TimeoutError
  ) {
    return EXIT.CONNECTION;
  }
  if (e instanceof ServerError && [1045, 1044, 1698, 1227, 1130].includes(e.errno)) return EXIT.CONNECTION;
  if (isInternal(e)) return EXIT.INTERNAL;
  return EXIT.FAILURE;
}

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  // `| head` closes stdout early: that is the reader's choice, not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(EXIT.OK);
  });
  // --debug is common to every command: before the command too (`binlogsync --debug tail …`)
  let args = argv;
  while (args[0] === '--debug' && args.length > 1) args = args.slice(1);
  const [cmd, ...given] = args;
  // (first: after a `--` it would be an argument)
  const rest = args === argv || given.includes('--debug') ? given : ['--debug', ...given];
  // `binlogsync help tail`: that command's help
  if (cmd === 'help' && given[0] !== undefined) {
    if (Object.hasOwn(COMMANDS, given[0])) return COMMANDS[given[0]].run(['--help'], io);
    io.stderr.write(`binlogsync: unknown command '${given[0]}' (see binlogsync --help)\n`);
    return EXIT.USAGE;
  }
  if (cmd === undefined || cmd === '-h' || cmd === '--help' || cmd === 'help') {
    io.stdout.write(HELP);
    return cmd === undefined ? EXIT.USAGE : EXIT.OK;
  }
  if (cmd === '-V' || cmd === '--version') {
    io.stdout.write(`binlogsync ${version()}\n`);
    return EXIT.OK;
  }
  const command = Object.hasOwn(COMMANDS, cmd) ? COMMANDS[cmd] : undefined;
  if (!command) {
    io.stderr.write(`binlogsync: unknown command '${cmd}' (see binlogsync --help)\n`);
    return EXIT.USAGE;
  }
  const debug = rest.includes('--debug');
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (debug && e instanceof Error) io.stderr.write(`${e.stack ?? e.message}\n`);
    const msg =
      e instanceof ConfigError ? asFlags(e.message) : e instanceof Error ? argsMessage(e) : String(e);
    const code = e instanceof BinlogSyncError ? ` (${e.code})` : '';
    // parseArgs errors (unknown option …) are usage errors too
    const usage = (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
      ? ` (see binlogsync ${cmd} --help)`
      : '';
    // refused without a password because none was found (no terminal to prompt on): say where it goes
    const noPassword =
      e instanceof AuthError &&
      /using password: NO/.test(msg) &&
      process.env.BINLOGSYNC_PASSWORD === undefined &&
      process.env.MYSQL_PWD === undefined &&
      !process.stdin.isTTY
        ? '; no password was given: put it in BINLOGSYNC_PASSWORD or MYSQL_PWD (no terminal to prompt on)'
        : '';
    const bug = usage ? '' : internalNote(e);
    io.stderr.write(`binlogsync ${cmd}: ${msg.split('\n')[0]}${code}${noPassword}${usage}${bug}\n`);
    return usage ? EXIT.USAGE : exitCodeOf(e);
  }
}
