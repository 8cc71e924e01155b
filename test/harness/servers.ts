// Test servers for integration suites. Each suite starts its own private instances (each has its
// own datadir, port, socket and server_id) and stops them in `after`, also when a test fails.
//
// Env:
//   BINLOGSYNC_TEST_SERVERS   which flavors to run: comma list of mysql-9.7, mariadb-10.11, mariadb-11.8,
//                             mariadb-10.5 (default: all four; the long suites — exactly once, backpressure,
//                             lifecycle, the CLI — run on the first three unless 10.5 is named here)
import { after } from 'node:test';
import {
  SERVER_NAMES,
  startLocalServer,
  type LocalServer,
  type ServerName,
  type StartOptions,
} from '../../src/servers/local-server.js';

/** MariaDB 10.5 (end of life, the oldest MariaDB tested live): by default only in the shorter suites. */
const EXTRA_SERVER_NAMES: ServerName[] = ['mariadb-10.5'];

/**
 * The flavors a suite runs on: BINLOGSYNC_TEST_SERVERS when set, else all of them; `long` suites (minutes
 * per flavor) leave out the extra flavors unless BINLOGSYNC_TEST_SERVERS names them.
 */
export function testServerNames(opts: { long?: boolean } = {}): ServerName[] {
  const list = process.env.BINLOGSYNC_TEST_SERVERS;
  if (!list) return opts.long ? [...SERVER_NAMES] : [...SERVER_NAMES, ...EXTRA_SERVER_NAMES];
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean) as ServerName[];
}

const started = new Set<LocalServer>();
// Registered when this module is first imported, at the file's top level: runs once all of the
// file's tests are done, whether they passed or not.
after(async () => {
  await Promise.all([...started].map((s) => s.stop()));
  started.clear();
});

/** Starts a private server for this test file; it is stopped when the file's tests end. */
export async function startTestServer(name: ServerName, opts: StartOptions = {}): Promise<LocalServer> {
  const server = await startLocalServer(name, opts);
  started.add(server);
  return server;
}
