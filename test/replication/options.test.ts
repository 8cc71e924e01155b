// BinlogSyncer's options: the name registered with the source (COM_REGISTER_SLAVE's report host) is at
// most 60 bytes — MariaDB 10.5 aborts (signal 6 in THD::register_slave) on a name of 190 bytes and MySQL
// 9.7 refuses one of 253 — so a longer one given is a ConfigError and the default host name is cut.
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { test } from 'node:test';
import { ConfigError } from '../../src/errors.js';
import { resolveSyncerOptions } from '../../src/replication/options.js';

const base = { host: '127.0.0.1', user: 'repl', serverId: 7 };

test('localhost: up to 60 bytes as given, longer refused, the default host name at most 60 bytes', () => {
  assert.equal(resolveSyncerOptions({ ...base, localhost: 'r'.repeat(60) }).localhost, 'r'.repeat(60));
  assert.equal(resolveSyncerOptions({ ...base, localhost: 'é'.repeat(30) }).localhost, 'é'.repeat(30));
  for (const localhost of ['r'.repeat(61), 'é'.repeat(31), 'x'.repeat(190)])
    assert.throws(
      () => resolveSyncerOptions({ ...base, localhost }),
      (e: unknown) => e instanceof ConfigError && /longer than 60 bytes/.test(e.message),
    );
  const dflt = resolveSyncerOptions(base).localhost;
  assert.ok(Buffer.byteLength(dflt) <= 60 && hostname().startsWith(dflt), dflt);
});

test('every bad option is refused by the constructor: connection, TLS and value options too', () => {
  for (const [extra, says] of [
    [{ port: 70000 }, /connection\.port/],
    [{ tls: { mode: 'sometimes' } }, /tls\.mode/],
    [{ values: { json: 'yaml' } }, /values\.json/],
    [{ values: { assumeFsp: 9 } }, /values\.assumeFsp/],
    [{ connection: { connectTimeout: -1 } }, /connection\.connectTimeout/],
  ] as const) {
    assert.throws(
      () => resolveSyncerOptions({ ...base, ...(extra as object) }),
      (e: unknown) => e instanceof ConfigError && says.test(e.message),
      JSON.stringify(extra),
    );
  }
  // and good ones pass
  resolveSyncerOptions({ ...base, port: 3307, tls: { mode: 'required' }, values: { json: 'text' } });
});
