// close() and the stream's life: bounded in time and idempotent wherever the stream is (reading, backing
// off before a reconnect, connecting to a frozen source); no unhandled rejection; every socket and timer
// gone afterwards; a consumer's `break` ends the source's Binlog Dump thread; the Node Readable works with
// pipeline() and its backpressure, and a failing destination closes the dump.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { after, before, describe, test } from 'node:test';
import { ConfigError } from '../../../src/errors.js';
import { BinlogSyncer } from '../../../src/replication/syncer.js';
import type { StreamEvent } from '../../../src/replication/stream.js';
import type { LocalServer } from '../../../src/servers/local-server.js';
import { startTestServer, testServerNames } from '../../harness/servers.js';
import { handleCounts as allHandles, type HandleCounts } from '../protocol/handles.js';
import { dumpThreads, logStatus, sleep, syncerOptions } from './helpers.js';

const unhandled: unknown[] = [];
const onUnhandled = (e: unknown): void => void unhandled.push(e);
before(() => process.on('unhandledRejection', onUnhandled));
after(() => {
  process.off('unhandledRejection', onUnhandled);
  assert.deepEqual(unhandled, [], 'no unhandled rejections');
});

// The syncers here use TCP; the unix-socket pipes of the CLI client (server.sql) come and go on their own.
const handleCounts = (): HandleCounts => {
  const c = allHandles();
  delete c.PipeWrap;
  return c;
};
async function assertNoNewHandles(before: HandleCounts, label: string): Promise<void> {
  await new Promise((r) => setImmediate(r));
  const now = handleCounts();
  for (const k of Object.keys(now)) {
    assert.ok(now[k] <= (before[k] ?? 0), `${label} left ${k}: ${JSON.stringify({ before, now })}`);
  }
}

async function noDumpThreads(server: LocalServer, ms = 3000): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if ((await dumpThreads(server)).length === 0) return true;
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
}

async function timed(p: Promise<unknown>): Promise<number> {
  const t0 = Date.now();
  await p;
  return Date.now() - t0;
}

for (const name of testServerNames({ long: true })) {
  describe(`stream lifecycle on ${name}`, () => {
    let server: LocalServer;
    test('setup', async () => {
      server = await startTestServer(name);
      await server.sql('CREATE DATABASE lc; CREATE TABLE lc.t (id INT PRIMARY KEY, v VARCHAR(20))');
    });

    test('close(): fast, idempotent, ends the iterator, the dump thread and every handle', async (t) => {
      const baseline = handleCounts();
      const syncer = new BinlogSyncer(syncerOptions(server)); // schema lookup on: a second connection
      // a failed assertion must not leave the dump running for the tests after this one
      t.after(() => syncer.close());
      const stream = await syncer.startSync('now');
      const it = stream[Symbol.asyncIterator]();
      await server.sql("INSERT INTO lc.t VALUES (1, 'a')");
      let ev: StreamEvent;
      do ev = (await it.next()).value as StreamEvent;
      while (ev.type !== 'write_rows');
      assert.equal(ev.rows[0].id, 1, 'names came from the lookup connection');
      // take the transaction's XID too: the next next() then waits, whatever arrived already
      do ev = (await it.next()).value as StreamEvent;
      while (ev.type !== 'xid');
      const pending = it.next(); // a consumer waiting for more
      const first = stream.close();
      assert.equal(stream.close(), first, 'the same promise');
      assert.ok((await timed(first)) < 2000);
      assert.deepEqual(await pending, { value: undefined, done: true });
      assert.deepEqual(await it.next(), { value: undefined, done: true });
      await stream.close();
      await syncer.close();
      await syncer.close();
      assert.ok(await noDumpThreads(server), 'the Binlog Dump thread ended');
      await assertNoNewHandles(baseline, 'close()');
    });

    test('break in for-await closes the dump', async () => {
      const baseline = handleCounts();
      const syncer = new BinlogSyncer(syncerOptions(server, { schemaLookup: 'off' }));
      const stream = await syncer.startSync('now');
      assert.equal((await dumpThreads(server)).length, 1);
      await server.sql("INSERT INTO lc.t VALUES (2, 'b'), (3, 'c')");
      let seen = 0;
      for await (const ev of stream) {
        if (ev.type === 'write_rows') {
          seen++;
          break;
        }
      }
      assert.equal(seen, 1);
      await stream.done;
      assert.ok(await noDumpThreads(server), 'the Binlog Dump thread ended');
      await syncer.close();
      await assertNoNewHandles(baseline, 'break');
    });

    // the source ends the older of two dumps with the same server id (MariaDB 4052, MySQL 1236 "same
    // server_uuid/server_id"): one syncer, one stream at a time
    test('a second stream of a running syncer is a ConfigError; after close() and after the end, a new one runs', async () => {
      const syncer = new BinlogSyncer(syncerOptions(server, { schemaLookup: 'off' }));
      try {
        const first = await syncer.startSync('now');
        await assert.rejects(syncer.startSync('now'), (e: unknown) => {
          assert.ok(e instanceof ConfigError, String(e));
          assert.match(e.message, /still running/);
          return true;
        });
        assert.equal((await dumpThreads(server)).length, 1, 'the first dump runs on');
        await first.close();
        const at = await logStatus(server);
        const second = await syncer.startSync(at, { nonBlocking: true });
        for await (const _ of second);
        const third = await syncer.startSync('now');
        assert.ok(third.active);
      } finally {
        await syncer.close();
      }
    });

    test('close() during a reconnect back-off, and while connecting to a frozen source', async () => {
      const baseline = handleCounts();
      // a long back-off: the dump connection is killed, close() comes during the wait
      const slow = new BinlogSyncer(
        syncerOptions(server, { schemaLookup: 'off', reconnect: { initialDelay: 20_000, maxDelay: 20_000 } }),
      );
      const s1 = await slow.startSync('now');
      const backingOff = new Promise((r) => s1.once('reconnect', r));
      for (const id of await dumpThreads(server)) await server.sql(`KILL ${id}`);
      await backingOff;
      assert.ok((await timed(s1.close())) < 1000, 'close() cuts the back-off short');
      await slow.close();
      await assertNoNewHandles(baseline, 'close during back-off');

      // a frozen source: the read timeout fires, the reconnect hangs on the greeting; close() ends it
      const frozen = new BinlogSyncer(
        syncerOptions(server, {
          schemaLookup: 'off',
          heartbeatPeriod: 200,
          connection: { connectTimeout: 60_000 },
          reconnect: { initialDelay: 10, maxDelay: 10 },
        }),
      );
      const s2 = await frozen.startSync('now');
      const reconnecting = new Promise((r) => s2.once('reconnect', r));
      process.kill(server.pid, 'SIGSTOP');
      try {
        await reconnecting;
        await sleep(200); // the new connection waits for a greeting that does not come
        assert.ok((await timed(s2.close())) < 1000, 'close() aborts the connect');
        await frozen.close();
      } finally {
        process.kill(server.pid, 'SIGCONT');
      }
      await assertNoNewHandles(baseline, 'close while connecting');
      assert.ok(await noDumpThreads(server, 5000));
    });

    test('sourcePosition(): one connection for many calls, dropped on close()', async () => {
      const baseline = handleCounts();
      const connections = async (): Promise<number> =>
        Number((await server.sql("SHOW GLOBAL STATUS LIKE 'Connections'")).trim().split('\t')[1]);
      const syncer = new BinlogSyncer(syncerOptions(server));
      const before = await connections();
      const got = await Promise.all([syncer.sourcePosition(), syncer.sourcePosition()]);
      for (let i = 0; i < 8; i++) got.push(await syncer.sourcePosition());
      const truth = await logStatus(server);
      // the client's own SQL runs (server.sql) count as connections too: one each
      assert.equal((await connections()) - before, 1 + 2, 'one connection for ten calls');
      for (const p of got) assert.deepEqual({ file: p.file, pos: p.pos }, truth);
      await syncer.close();
      await assertNoNewHandles(baseline, 'sourcePosition');
      await assert.rejects(syncer.sourcePosition(), /closed/);
    });

    test('a non-blocking stream that reaches the end releases everything by itself', async () => {
      const baseline = handleCounts();
      const at = await logStatus(server);
      await server.sql("INSERT INTO lc.t VALUES (4, 'd')");
      const syncer = new BinlogSyncer(syncerOptions(server));
      const stream = await syncer.startSync(at, { nonBlocking: true });
      let rows = 0;
      for await (const ev of stream) if (ev.type === 'write_rows') rows += ev.rows.length;
      assert.equal(rows, 1);
      await stream.done;
      await stream.close();
      await assertNoNewHandles(baseline, 'end of log');
    });

    test('toReadable(): pipeline with a slow destination, and a failing one', async () => {
      const baseline = handleCounts();
      const at = await logStatus(server);
      const N = 400;
      const stmts = Array.from({ length: N }, (_, i) => `INSERT INTO lc.t VALUES (${1000 + i}, 'r')`);
      await server.sql(stmts.join(';'));
      const syncer = new BinlogSyncer(syncerOptions(server, { maxBufferedBytes: 64 * 1024 }));

      const stream = await syncer.startSync(at, { nonBlocking: true });
      const readable = stream.toReadable();
      const ids: number[] = [];
      let maxReadable = 0;
      let maxQueued = 0;
      await pipeline(
        readable,
        new Writable({
          objectMode: true,
          highWaterMark: 2,
          write(ev: StreamEvent, _enc, cb) {
            if (ev.type === 'write_rows') ids.push(...ev.rows.map((r) => r.id as number));
            maxReadable = Math.max(maxReadable, readable.readableLength);
            maxQueued = Math.max(maxQueued, stream.bufferedBytes);
            setTimeout(cb, 1);
          },
        }),
      );
      assert.deepEqual(
        ids,
        Array.from({ length: N }, (_, i) => 1000 + i),
      );
      assert.ok(maxReadable <= 16, `the Readable held ${maxReadable} events (highWaterMark 16)`);
      assert.ok(maxQueued <= 64 * 1024 + 4096, `the stream queued ${maxQueued} bytes (budget 64 KiB)`);

      const again = await syncer.startSync(at, { nonBlocking: false });
      let n = 0;
      await assert.rejects(
        pipeline(
          again.toReadable(),
          new Writable({
            objectMode: true,
            write(_ev, _enc, cb) {
              cb(++n === 10 ? new Error('destination failed') : null);
            },
          }),
        ),
        /destination failed/,
      );
      await again.done;
      assert.ok(await noDumpThreads(server), 'the failed pipeline closed the dump');
      await syncer.close();
      await assertNoNewHandles(baseline, 'pipeline');
    });
  });
}
