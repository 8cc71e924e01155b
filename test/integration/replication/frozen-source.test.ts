// A source that logs the replica in and then stops answering (frozen, overloaded, half dead), made by a
// TCP proxy in front of a real server: on the connections it is told to freeze, it passes the handshake
// and the login, then holds every query (TLS off, so that the proxy sees the packets). Every start, a
// reconnect and close() must end in bounded time, with a typed error. Also: close() while a start is
// under way leaves no dump running on the server.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { BinlogSyncError, ErrorCode, ServerError } from '../../../src/errors.js';
import { connect as connect_ } from '../../../src/protocol/connect.js';
import { backup } from '../../../src/replication/backup.js';
import { BinlogSyncer } from '../../../src/replication/syncer.js';
import type { LocalServer } from '../../../src/servers/local-server.js';
import { startTestServer, testServerNames } from '../../harness/servers.js';
import { dumpThreads, linkSockets, logStatus, sleep, syncerOptions, waitForDumpThread } from './helpers.js';

const COM_QUERY = 0x03;

interface Proxy {
  port: number;
  server: Server;
  /** connections opened while set get no answer to any query */
  freeze: boolean;
  /** The connections open now pass nothing more either way, and stay open (a partition). */
  partition(): void;
  /** The partitioned connections' server ends close (the server notices its peer is gone). */
  endPartitioned(): void;
}

async function freezingProxy(target: LocalServer): Promise<Proxy> {
  const links = new Set<{ upstream: Socket; cut: boolean }>();
  const proxy: Proxy = {
    port: 0,
    server: createServer((client: Socket) => {
      const frozen = proxy.freeze;
      let held = false;
      const upstream = connect(target.port, target.host);
      const link = { upstream, cut: false };
      links.add(link);
      upstream.on('close', () => links.delete(link));
      linkSockets(client, upstream);
      client.on('data', (d: Buffer) => {
        // a client packet: u24 length, sequence id, command byte; a command starts at sequence 0
        if (frozen && d.length > 4 && d[3] === 0 && d[4] === COM_QUERY) held = true;
        if (!held && !link.cut) upstream.write(d);
      });
      upstream.on('data', (d: Buffer) => {
        if (!link.cut) client.write(d);
      });
    }),
    freeze: false,
    partition: () => {
      for (const l of links) l.cut = true;
    },
    endPartitioned: () => {
      for (const l of links) if (l.cut) l.upstream.destroy();
    },
  };
  await new Promise<void>((r) => proxy.server.listen(0, '127.0.0.1', r));
  proxy.port = (proxy.server.address() as { port: number }).port;
  return proxy;
}

const TIMEOUTS = { readTimeout: 800, heartbeatPeriod: 300, connection: { connectTimeout: 800 } };

for (const name of testServerNames()) {
  describe(`a source that stops answering after the login, on ${name}`, () => {
    let server: LocalServer;
    let proxy: Proxy;
    before(async () => {
      server = await startTestServer(name);
      proxy = await freezingProxy(server);
    });
    after(async () => {
      proxy?.server.close();
      await server?.stop();
    });
    const options = () => ({
      ...syncerOptions(server),
      port: proxy.port,
      tls: { mode: 'disabled' as const },
    });

    test(
      'startSync, startSync("now"), startSyncGtid, sourcePosition and backup end with ERR_READ_TIMEOUT',
      { timeout: 60_000 },
      async () => {
        proxy.freeze = true;
        try {
          const at = await logStatus(server);
          const gtid = (
            await server.sql(
              server.flavor === 'mysql' ? 'SELECT @@gtid_executed' : 'SELECT @@gtid_binlog_pos',
            )
          ).trim();
          const calls: [string, (s: BinlogSyncer) => Promise<unknown>][] = [
            ['startSync', (s) => s.startSync(at)],
            ["startSync('now')", (s) => s.startSync('now')],
            ['startSyncGtid', (s) => s.startSyncGtid(gtid.replace(/\n/g, ''))],
            ['sourcePosition', (s) => s.sourcePosition()],
          ];
          // all at once (each on its own connection through the proxy): each waits out its own deadline
          const backupDir = mkdtempSync(join(tmpdir(), 'binlogsync-frozen-'));
          calls.push([
            'backup',
            () => backup({ ...options(), ...TIMEOUTS }, { dir: backupDir, start: 'first' }),
          ]);
          try {
            await Promise.all(
              calls.map(async ([what, call]) => {
                const syncer = new BinlogSyncer({ ...options(), ...TIMEOUTS });
                const t0 = Date.now();
                try {
                  await assert.rejects(call(syncer), (e: unknown) => {
                    assert.ok(e instanceof BinlogSyncError, `${what}: ${String(e)}`);
                    assert.equal(e.code, ErrorCode.ERR_READ_TIMEOUT, `${what}: ${e.message}`);
                    return true;
                  });
                } finally {
                  await syncer.close();
                }
                const ms = Date.now() - t0;
                assert.ok(ms < 5_000, `${what} took ${ms} ms (deadline 1,600 ms)`);
              }),
            );
          } finally {
            rmSync(backupDir, { recursive: true, force: true });
          }
        } finally {
          proxy.freeze = false;
        }
      },
    );

    test(
      'a reconnect to it times out and retries; close() meanwhile returns at once',
      { timeout: 60_000 },
      async () => {
        const syncer = new BinlogSyncer({
          ...options(),
          ...TIMEOUTS,
          schemaLookup: 'off',
          reconnect: { initialDelay: 10, maxDelay: 50, maxAttempts: 100 },
        });
        try {
          const stream = await syncer.startSync('now');
          const attempts: { attempt: number; cause: unknown }[] = [];
          stream.on('reconnect', (r: { attempt: number; cause: unknown }) => attempts.push(r));
          const it = stream[Symbol.asyncIterator]();
          proxy.freeze = true;
          await server.sql(`KILL ${await waitForDumpThread(server)}`);
          // each attempt against the frozen source ends at its deadline (1.6 s), and the next one starts
          for (let i = 0; i < 100 && attempts.length < 3; i++) await sleep(100);
          assert.ok(attempts.length >= 3, `${attempts.length} attempts in 10 s`);
          const cause = attempts[2].cause;
          assert.ok(
            cause instanceof BinlogSyncError && cause.code === ErrorCode.ERR_READ_TIMEOUT,
            String(cause),
          );
          const t0 = Date.now();
          await syncer.close();
          const ms = Date.now() - t0;
          assert.ok(ms < 1_000, `close() took ${ms} ms`);
          // the events read before the kill, then the end
          let next: IteratorResult<unknown> | undefined;
          for (let i = 0; i < 100 && !(next = await it.next()).done; i++);
          assert.equal(next?.done, true, 'the stream ended');
        } finally {
          proxy.freeze = false;
          await syncer.close();
        }
      },
    );

    test(
      'a reconnect refused for too many connections (the source still holds our last dump): retried',
      { timeout: 60_000 },
      async () => {
        await server.sql(
          "CREATE USER 'mc'@'%' IDENTIFIED BY 'mc-pw' WITH MAX_USER_CONNECTIONS 1; " +
            "GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'mc'@'%'",
        );
        // a login over the socket first: MySQL's caching_sha2 then takes the fast path over plain TCP
        await (
          await connect_({
            connection: { socketPath: server.socket },
            auth: { user: 'mc', password: 'mc-pw' },
          })
        ).close();
        const syncer = new BinlogSyncer({
          ...options(),
          ...TIMEOUTS,
          user: 'mc',
          password: 'mc-pw',
          schemaLookup: 'off',
          reconnect: { initialDelay: 50, maxDelay: 200, maxAttempts: 200 },
        });
        try {
          const stream = await syncer.startSync('now');
          const causes: unknown[] = [];
          stream.on('reconnect', (r: { cause: unknown }) => causes.push(r.cause));
          const refused = (e: unknown): boolean => e instanceof ServerError && e.errno === 1226;
          const rows = (async () => {
            for await (const ev of stream) if (ev.type === 'write_rows' && ev.table === 'mc') return ev.rows;
          })();
          await sleep(300);
          proxy.partition();
          // the read timeout ends our side; the source still runs the dump, so the login is refused
          for (let i = 0; i < 100 && !causes.some(refused); i++) await sleep(100);
          assert.ok(
            causes.some(refused),
            `refused for the connection limit: ${causes.map(String).join('; ')}`,
          );
          proxy.endPartitioned();
          await server.sql(
            'CREATE DATABASE mcdb; CREATE TABLE mcdb.mc (id INT PRIMARY KEY); INSERT INTO mcdb.mc VALUES (1)',
          );
          assert.deepEqual(
            (await rows)?.map((r) => Object.values(r)),
            [[1]],
          );
        } finally {
          await syncer.close();
        }
      },
    );

    test(
      'close() while startSync is under way: the start rejects and no dump is left on the server',
      { timeout: 60_000 },
      async () => {
        for (const delay of [0, 5, 15, 40]) {
          const syncer = new BinlogSyncer({ ...syncerOptions(server), tls: { mode: 'disabled' } });
          const start = syncer.startSync(await logStatus(server));
          await sleep(delay);
          await syncer.close();
          const outcome = await start.then(
            (stream) => {
              // it may have been running before close(): then close() ended it
              assert.equal(stream.active, false, `delay ${delay}: the stream still runs`);
              return 'resolved';
            },
            (e: unknown) => {
              assert.ok(e instanceof BinlogSyncError, String(e));
              return e.code;
            },
          );
          for (let i = 0; i < 100 && (await dumpThreads(server)).length > 0; i++) await sleep(20);
          assert.deepEqual(
            await dumpThreads(server),
            [],
            `delay ${delay} (${outcome}): a dump thread is left`,
          );
        }
      },
    );
  });
}
