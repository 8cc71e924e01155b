// Test servers for integration suites. Each suite starts its own private instances (each has its
// own datadir, port, socket and server_id) and stops them in `after`, also when a test fails.
//
// Env:
//   BINLOGSYNC_TEST_SERVERS   which flavors to run: comma list of mysql-9.7, mariadb-10.11, mariadb-11.8
//                             (default: all three)
//   BINLOGSYNC_TEST_MYSQL_URL, BINLOGSYNC_TEST_MARIADB_URL, BINLOGSYNC_TEST_MARIADB11_URL
//                             mysql://user:password@host:port of a server you run yourself; suites that
//                             need no special server options use it instead of a private instance.
import { after } from 'node:test';
import {
  SERVER_NAMES,
  startLocalServer,
  type LocalServer,
  type ServerName,
  type StartOptions,
} from '../../src/servers/local-server.js';

const URL_VARS: Record<string, string> = {
  'mysql-9.7': 'BINLOGSYNC_TEST_MYSQL_URL',
  'mariadb-10.11': 'BINLOGSYNC_TEST_MARIADB_URL',
  'mariadb-11.8': 'BINLOGSYNC_TEST_MARIADB11_URL',
};

export function testServerNames(): ServerName[] {
  const list = process.env.BINLOGSYNC_TEST_SERVERS;
  if (!list) return [...SERVER_NAMES];
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean) as ServerName[];
}

export function externalUrl(name: ServerName): string | undefined {
  const v = URL_VARS[name];
  return v ? process.env[v] : undefined;
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
