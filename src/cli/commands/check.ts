// `binlogsync check <url>`: is this server ready for change data capture? Each item OK / WARN / FAIL,
// with the exact fix. Exit status 0 when nothing FAILs, 1 otherwise (3: cannot connect).
import { parseArgs } from 'node:util';
import { ConfigError } from '../../errors.js';
import { connect } from '../../protocol/connect.js';
import { evaluatePreflight, gatherServerFacts } from '../../replication/preflight.js';
import { resolveTarget } from '../target.js';
import { EXIT, tlsFrom, type CliIo } from './shared.js';

export const CHECK_USAGE = `Usage: binlogsync check <url> [--json] [--tls MODE] [--tls-ca FILE] [--user NAME] [--debug]

Check a server's settings and the user's privileges for change data capture: log_bin, binlog_format,
binlog_row_image, binlog_row_metadata, GTIDs, binlog_checksum, binlog expiry, server_id, and the
REPLICATION SLAVE / REPLICATION CLIENT (MariaDB: BINLOG MONITOR) / SELECT privileges.
Each item is OK, WARN or FAIL; every WARN and FAIL comes with the exact fix.
Exit status: 0 when no item FAILs, 1 when one does, 3 when the server cannot be reached.
`;

export async function runCheck(argv: string[], io: CliIo): Promise<number> {
  const { values: o, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      user: { type: 'string' },
      tls: { type: 'string' },
      'tls-ca': { type: 'string' },
      debug: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (o.help) {
    io.stdout.write(CHECK_USAGE);
    return EXIT.OK;
  }
  if (positionals.length !== 1)
    throw new ConfigError('check needs exactly one <url> (see binlogsync check --help)');
  const t = await resolveTarget(positionals[0], { user: o.user });
  const conn = await connect({
    connection: t.socketPath ? { socketPath: t.socketPath } : { host: t.host, port: t.port },
    auth: { user: t.user, password: t.password },
    tls: tlsFrom(o),
  });
  let facts;
  try {
    facts = await gatherServerFacts(async (sql) => (await conn.query(sql)).rows);
  } finally {
    await conn.close();
  }
  const items = evaluatePreflight(facts);
  if (o.json) {
    io.stdout.write(
      JSON.stringify({ server: facts.version, flavor: facts.flavor, account: facts.account, items }) + '\n',
    );
  } else {
    const color = io.stdoutIsTty && !process.env.NO_COLOR;
    const paint = (code: string, s: string): string => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
    const tag = { ok: paint('32', 'OK  '), warn: paint('33', 'WARN'), fail: paint('31', 'FAIL') };
    const width = Math.max(...items.map((i) => i.name.length));
    io.stdout.write(
      `${t.display} — ${facts.flavor === 'mariadb' ? 'MariaDB' : 'MySQL'} ${facts.version} as ${facts.account}\n`,
    );
    for (const i of items) {
      io.stdout.write(`  ${tag[i.status]}  ${i.name.padEnd(width)}  ${i.value.padEnd(10)}  ${i.message}\n`);
      if (i.fix) io.stdout.write(`        ${' '.repeat(width)}  fix: ${i.fix}\n`);
    }
    const fails = items.filter((i) => i.status === 'fail').length;
    const warns = items.filter((i) => i.status === 'warn').length;
    io.stdout.write(`${fails} FAIL, ${warns} WARN, ${items.length - fails - warns} OK\n`);
  }
  return items.some((i) => i.status === 'fail') ? EXIT.FAILURE : EXIT.OK;
}
