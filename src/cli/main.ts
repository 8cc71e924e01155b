// `binlogsync` command line entry. Each command lives in its own file under src/cli/commands/.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const EXIT = { OK: 0, FAILURE: 1, USAGE: 2, INTERRUPTED: 130 } as const;

const HELP = `binlogsync — follow a MySQL or MariaDB binary log and print exact, typed change events

Usage: binlogsync <command> [options]

Commands:
  parse <file…>        decode binlog files offline
  tail <url>           follow a live server as a replica
  backup <url>         mirror the server's binlog files byte for byte
  check <url>          check a server's settings for change data capture
  demo                 start a private MariaDB, write changes and stream them live

Options:
  -h, --help           show help (also: binlogsync <command> --help)
  -V, --version        print the version
  --debug              print stack traces on errors
`;

export function version(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const pkg = JSON.parse(readFileSync(join(here, '..', '..', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

export async function main(argv: string[]): Promise<number> {
  const [cmd] = argv;
  if (cmd === undefined || cmd === '-h' || cmd === '--help' || cmd === 'help') {
    process.stdout.write(HELP);
    return cmd === undefined ? EXIT.USAGE : EXIT.OK;
  }
  if (cmd === '-V' || cmd === '--version') {
    process.stdout.write(`binlogsync ${version()}\n`);
    return EXIT.OK;
  }
  process.stderr.write(`binlogsync: unknown command '${cmd}' (see binlogsync --help)\n`);
  return await Promise.resolve(EXIT.USAGE);
}
