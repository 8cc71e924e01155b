// The binlog a stream stands in is purged while its dump connection is down: the reconnect meets the
// server's error 1236, and the stream ends with a ServerError quoting it and naming the file and offset
// where the stream stood — once, not retried (it cannot get better), after every row before in order.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ServerError } from '../../../src/errors.js';
import type { BinlogStream } from '../../../src/replication/stream.js';
import { BinlogSyncer } from '../../../src/replication/syncer.js';
import type { LocalServer } from '../../../src/servers/local-server.js';
import { startTestServer, testServerNames } from '../../harness/servers.js';
import { binaryLogs, dumpThreads, logStatus, settledLogs, sleep, syncerOptions } from './helpers.js';

const ROWS = 1000;

for (const name of testServerNames()) {
  describe(`a binlog purged under a stream on ${name}`, () => {
    let server: LocalServer;
    let first: string;
    test('setup: 20 MB in the first file (more than socket buffers hold), then a second file', async () => {
      server = await startTestServer(name);
      first = (await logStatus(server)).file;
      let sql = 'CREATE DATABASE pg; CREATE TABLE pg.t (id INT PRIMARY KEY, v TEXT)';
      for (let i = 1; i <= ROWS; i++) sql += `; INSERT INTO pg.t VALUES (${i}, REPEAT('x', 20000))`;
      await server.sql(`${sql}; FLUSH BINARY LOGS; INSERT INTO pg.t VALUES (${ROWS + 1}, 'second file')`);
      await settledLogs(server);
    });

    test('the reconnect meets 1236: a ServerError naming where the stream stood, not retried', async () => {
      const syncer = new BinlogSyncer(
        syncerOptions(server, {
          maxBufferedBytes: 64 * 1024,
          // long enough for the purge to happen before the reconnect
          reconnect: { initialDelay: 1500, maxDelay: 3000, maxAttempts: 5 },
        }),
      );
      const ids: number[] = [];
      let failure: unknown;
      let stream: BinlogStream | undefined;
      try {
        stream = await syncer.startSync({ file: first, pos: 4 });
        for await (const ev of stream) {
          if (ev.type !== 'write_rows') continue;
          for (const r of ev.rows) ids.push(r.id as number);
          if (ids.length !== 10) continue;
          const threads = await dumpThreads(server);
          assert.equal(threads.length, 1);
          await server.sql(`KILL ${threads[0]}`);
          // MariaDB purges a file only once its binlog checkpoint allows: retry until it is gone
          for (let i = 0; i < 50; i++) {
            await server.sql(`PURGE BINARY LOGS TO '${(await binaryLogs(server)).at(-1)!.file}'`);
            if (!(await binaryLogs(server)).some((l) => l.file === first)) break;
            await sleep(100);
          }
          assert.ok(!(await binaryLogs(server)).some((l) => l.file === first), `${first} purged`);
        }
      } catch (e) {
        failure = e;
      } finally {
        await syncer.close();
      }
      assert.ok(stream !== undefined);
      assert.ok(failure instanceof ServerError, String(failure));
      assert.equal(failure.errno, 1236);
      assert.match(failure.message, new RegExp(`^binlog dump at ${first}:\\d+: server error 1236`));
      const at = Number(new RegExp(`${first}:(\\d+)`).exec(failure.message)![1]);
      assert.ok(at > 4);
      assert.equal(stream.reconnects, 1, 'one reconnect attempt, then the error');
      assert.ok(ids.length >= 10 && ids.length < ROWS, `${ids.length} rows before the error`);
      assert.deepEqual(
        ids,
        Array.from({ length: ids.length }, (_, i) => i + 1),
      );
      assert.equal(stream.resumePoint.file, first);
      assert.equal(stream.resumePoint.pos, at);
    });

    test('from an empty GTID set once GTIDs were purged: 1236 says where the binlogs start; from there by position it runs', async () => {
      const logs = await binaryLogs(server);
      assert.ok(!logs.some((l) => l.file === first), `${first} purged`);
      const syncer = new BinlogSyncer(syncerOptions(server));
      try {
        const drain = async (): Promise<void> => {
          const s = await syncer.startSyncGtid('', { nonBlocking: true });
          for await (const ev of s) void ev;
        };
        await assert.rejects(drain(), (e: unknown) => {
          assert.ok(e instanceof ServerError, String(e));
          assert.equal(e.errno, 1236);
          assert.ok(
            e.message.includes(
              `(the source's binlogs now run from ${logs[0].file} to ${logs.at(-1)!.file}: the transactions before them are gone; to start from the oldest anyway, start by position at ${logs[0].file}:4)`,
            ),
            e.message,
          );
          return true;
        });
        const ids: number[] = [];
        const stream = await syncer.startSync({ file: logs[0].file, pos: 4 }, { nonBlocking: true });
        for await (const ev of stream)
          if (ev.type === 'write_rows') ids.push(...ev.rows.map((r) => r.id as number));
        assert.deepEqual(ids, [ROWS + 1]);
      } finally {
        await syncer.close();
      }
    });
  });
}
