// A source that stops a waiting dump sends it an EOF packet before closing: MySQL's Binlog_sender and
// MariaDB's mysql_binlog_send end with my_eof() on a shutdown and on KILL QUERY of the dump thread. For a
// blocking stream that is not the end of the log: it must reconnect and go on, every row once. (Before,
// the stream took it for the end of a non-blocking dump and ended without an error: rows written after
// a graceful restart never arrived.)
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { BinlogStream } from '../../../src/replication/stream.js';
import { BinlogSyncer } from '../../../src/replication/syncer.js';
import type { LocalServer } from '../../../src/servers/local-server.js';
import { startTestServer, testServerNames } from '../../harness/servers.js';
import { sleep, syncerOptions, waitForDumpThread } from './helpers.js';

/** The next row's id of table dt.t, skipping other events; fails after `ms`. */
async function nextId(it: AsyncIterator<unknown>, ms = 20_000): Promise<number> {
  const deadline = Date.now() + ms;
  for (;;) {
    const r = await Promise.race([
      it.next() as Promise<IteratorResult<{ type: string; table?: string; rows?: { id: number }[] }>>,
      sleep(Math.max(0, deadline - Date.now())).then(() => 'timeout' as const),
    ]);
    assert.notEqual(r, 'timeout', 'no row in time');
    if (r === 'timeout') throw new Error('unreachable');
    assert.ok(!r.done, 'the stream ended');
    if (r.value.type === 'write_rows' && r.value.table === 't') return r.value.rows![0].id;
  }
}

for (const name of testServerNames()) {
  describe(`the source ends a waiting dump on ${name}`, () => {
    let server: LocalServer;
    let syncer: BinlogSyncer;
    let stream: BinlogStream;
    let it: AsyncIterator<unknown>;

    test('setup: a blocking stream at the end of the log', async () => {
      server = await startTestServer(name);
      await server.sql('CREATE DATABASE dt; CREATE TABLE dt.t (id INT PRIMARY KEY)');
      syncer = new BinlogSyncer(
        syncerOptions(server, { reconnect: { maxAttempts: 200, initialDelay: 50, maxDelay: 250 } }),
      );
      stream = await syncer.startSync('now');
      it = stream[Symbol.asyncIterator]();
      await server.sql('INSERT INTO dt.t VALUES (1)');
      assert.equal(await nextId(it), 1);
    });

    test('KILL QUERY of the dump thread: reconnected, the next row arrives once', async () => {
      const thread = await waitForDumpThread(server);
      await server.sql(`KILL QUERY ${thread}`);
      await sleep(300);
      await server.sql('INSERT INTO dt.t VALUES (2)');
      assert.equal(await nextId(it), 2);
      assert.ok(stream.reconnects >= 1, `${stream.reconnects} reconnects`);
    });

    test('a graceful restart (SIGTERM): reconnected, the rows after it arrive once, in order', async () => {
      const before = stream.reconnects;
      await server.restart();
      await server.sql('INSERT INTO dt.t VALUES (3); INSERT INTO dt.t VALUES (4)');
      assert.equal(await nextId(it), 3);
      assert.equal(await nextId(it), 4);
      assert.ok(stream.reconnects > before, `${stream.reconnects} reconnects`);
      await syncer.close();
      assert.deepEqual(
        (await server.sql('SELECT id FROM dt.t ORDER BY id')).trim().split('\n').map(Number),
        [1, 2, 3, 4],
      );
    });
  });
}
