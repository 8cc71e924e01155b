// Semi-synchronous replication: the source waits (up to a 60 s timeout) for a replica's ACK before a
// commit returns. Ours ACKs each transaction once its last event is handed to the consumer: commits return
// at once while the consumer takes events, block while it does not, and the source counts them as
// semi-sync (yes_tx), never as timed out (no_tx). MySQL 9.7: semisync_source plugin; MariaDB: built in.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BinlogSyncError, ErrorCode } from '../../../src/errors.js';
import { BinlogSyncer } from '../../../src/replication/syncer.js';
import type { StreamEvent } from '../../../src/replication/stream.js';
import type { LocalServer } from '../../../src/servers/local-server.js';
import { startTestServer, testServerNames } from '../../harness/servers.js';
import { rootConnection, statusVar, syncerOptions, waitForDumpThread } from './helpers.js';

const TIMEOUT_MS = 60_000;

for (const name of testServerNames()) {
  describe(`semi-sync on ${name}`, () => {
    let server: LocalServer;
    const mysql = name.startsWith('mysql');
    const v = mysql ? 'source' : 'master';

    test('setup', async () => {
      server = await startTestServer(name);
      await server.sql('CREATE DATABASE ss; CREATE TABLE ss.t (id INT PRIMARY KEY)');
    });

    test('a source without semi-sync: ERR_SEMI_SYNC_UNAVAILABLE', async () => {
      const syncer = new BinlogSyncer(syncerOptions(server, { semiSync: true }));
      try {
        await assert.rejects(
          syncer.startSync('now'),
          (e: unknown) =>
            e instanceof BinlogSyncError &&
            e.code === ErrorCode.ERR_SEMI_SYNC_UNAVAILABLE &&
            new RegExp(`rpl_semi_sync_${v}_enabled`).test(e.message),
        );
      } finally {
        await syncer.close();
      }
    });

    test('commits wait for our ACK, which comes when the consumer takes the transaction', async () => {
      if (mysql) await server.sql("INSTALL PLUGIN rpl_semi_sync_source SONAME 'semisync_source.so'");
      await server.sql(
        `SET GLOBAL rpl_semi_sync_${v}_enabled = ON; SET GLOBAL rpl_semi_sync_${v}_timeout = ${TIMEOUT_MS}`,
      );
      const syncer = new BinlogSyncer(syncerOptions(server, { semiSync: true, schemaLookup: 'off' }));
      const conn = await rootConnection(server);
      try {
        const stream = await syncer.startSync('now');
        const it = stream[Symbol.asyncIterator]();
        for (let i = 0; i < 100 && (await statusVar(server, `Rpl_semi_sync_${v}_clients`)) !== 1; i++) {
          await new Promise((r) => setTimeout(r, 50));
        }
        assert.equal(await statusVar(server, `Rpl_semi_sync_${v}_clients`), 1, 'registered as semi-sync');
        const yes0 = await statusVar(server, `Rpl_semi_sync_${v}_yes_tx`);
        const no0 = await statusVar(server, `Rpl_semi_sync_${v}_no_tx`);

        // A consumer that takes every event: each commit returns as soon as we ACK.
        const rowsSeen: number[] = [];
        let payloads = 0;
        const takeUntilRow = async (id: number): Promise<void> => {
          for (;;) {
            const r = await it.next();
            assert.ok(!r.done);
            const ev: StreamEvent = r.value;
            if (ev.type === 'write_rows') rowsSeen.push(...ev.rows.map((row) => row['@1'] as number));
            if (ev.type === 'transaction_payload') payloads++;
            if (ev.type === 'xid' && rowsSeen.at(-1) === id) return;
          }
        };
        const latencies: number[] = [];
        const N = 20;
        for (let id = 1; id <= N; id++) {
          // MySQL: the second half compressed, one TRANSACTION_PAYLOAD each; its ACK goes with the inner XID
          if (mysql && id === N / 2 + 1) await conn.query('SET SESSION binlog_transaction_compression = ON');
          const t0 = Date.now();
          const consumed = takeUntilRow(id);
          await conn.query(`INSERT INTO ss.t VALUES (${id})`);
          latencies.push(Date.now() - t0);
          await consumed;
        }
        const yes1 = await statusVar(server, `Rpl_semi_sync_${v}_yes_tx`);
        const no1 = await statusVar(server, `Rpl_semi_sync_${v}_no_tx`);

        // A consumer that does not take the transaction: the commit waits.
        const t0 = Date.now();
        let committedAt = 0;
        const blocked = conn
          .query(`INSERT INTO ss.t VALUES (${N + 1})`)
          .then(() => (committedAt = Date.now()));
        await new Promise((r) => setTimeout(r, 1500));
        const stillWaiting = committedAt === 0;
        await takeUntilRow(N + 1);
        const tookAt = Date.now();
        await blocked;
        const yes2 = await statusVar(server, `Rpl_semi_sync_${v}_yes_tx`);
        const no2 = await statusVar(server, `Rpl_semi_sync_${v}_no_tx`);
        await stream.close();

        console.log(
          `# semi-sync ${JSON.stringify({
            server: name,
            commits: N + 1,
            maxLatencyMs: Math.max(...latencies),
            medianLatencyMs: [...latencies].sort((a, b) => a - b)[N >> 1],
            yesTx: yes2 - yes0,
            noTx: no2 - no0,
            blockedCommitMs: committedAt - t0,
          })}`,
        );
        assert.deepEqual(
          rowsSeen,
          Array.from({ length: N + 1 }, (_, i) => i + 1),
        );
        assert.equal(payloads, mysql ? N / 2 + 1 : 0);
        assert.ok(Math.max(...latencies) < 5000, `commits took ${latencies.join(', ')} ms`);
        assert.equal(yes1 - yes0, N, 'every commit was acknowledged');
        assert.equal(no1 - no0, 0, 'no commit timed out');
        assert.ok(stillWaiting, 'the commit waited while the consumer held back');
        assert.ok(committedAt >= tookAt - 5, 'it returned once the consumer took the transaction');
        assert.equal(yes2 - yes1, 1);
        assert.equal(no2 - no1, 0);
      } finally {
        await conn.close();
        await syncer.close();
      }
    });

    test('a reconnect while the consumer holds a transaction back: its commit still waits for the consumer', async () => {
      // The source takes the place a semi-sync dump starts from as an ACK of everything before it: a
      // reconnect past events the consumer has not taken would release their commits early.
      const syncer = new BinlogSyncer(
        syncerOptions(server, { semiSync: true, schemaLookup: 'off', reconnect: { initialDelay: 10 } }),
      );
      const conn = await rootConnection(server);
      try {
        const stream = await syncer.startSync('now');
        let reconnects = 0;
        stream.on('reconnect', () => reconnects++);
        const it = stream[Symbol.asyncIterator]();
        const killed = await waitForDumpThread(server);
        let committedAt = 0;
        const blocked = conn.query('INSERT INTO ss.t VALUES (1001)').then(() => (committedAt = Date.now()));
        await new Promise((r) => setTimeout(r, 500)); // the XID is read into the stream, not taken
        await server.sql(`KILL ${killed}`);
        await new Promise((r) => setTimeout(r, 1500));
        const stillWaiting = committedAt === 0;
        let tookAt = 0;
        for (;;) {
          const r = await it.next();
          assert.ok(!r.done);
          if (r.value.type === 'xid') {
            tookAt = Date.now();
            break;
          }
        }
        await blocked;
        // then the stream reconnects, and the next commit is acknowledged as usual
        const t1 = Date.now();
        const next = conn.query('INSERT INTO ss.t VALUES (1002)');
        let row = 0;
        for (;;) {
          const r = await it.next();
          assert.ok(!r.done);
          if (r.value.type === 'write_rows') row = r.value.rows[0]['@1'] as number;
          if (r.value.type === 'xid' && row === 1002) break;
        }
        await next;
        assert.ok(stillWaiting, 'the commit waited through the reconnect');
        assert.ok(
          committedAt >= tookAt - 5,
          `returned ${tookAt - committedAt} ms before the consumer took it`,
        );
        assert.equal(reconnects, 1);
        assert.ok(
          Date.now() - t1 < 5000,
          `the next commit was acknowledged after the reconnect (${Date.now() - t1} ms, ${reconnects} reconnects, tookAt-committedAt ${tookAt - committedAt})`,
        );
        assert.notEqual(await waitForDumpThread(server), killed);
      } finally {
        await conn.close();
        await syncer.close();
      }
    });

    test('semi-sync switched off on the source, then a reconnect: the stream goes on, with a warning', async () => {
      const warnings: string[] = [];
      const syncer = new BinlogSyncer(
        syncerOptions(server, {
          semiSync: true,
          schemaLookup: 'off',
          reconnect: { initialDelay: 10 },
          logger: { debug() {}, info() {}, error() {}, warn: (_o, msg) => void warnings.push(String(msg)) },
        }),
      );
      try {
        const stream = await syncer.startSync('now');
        const killed = await waitForDumpThread(server);
        await server.sql(`SET GLOBAL rpl_semi_sync_${v}_enabled = OFF`);
        await server.sql(`KILL ${killed}`);
        await server.sql('INSERT INTO ss.t VALUES (2001)');
        let row = 0;
        for await (const ev of stream) {
          if (ev.type === 'write_rows') row = ev.rows[0]['@1'] as number;
          if (ev.type === 'xid' && row === 2001) break;
        }
        assert.ok(
          warnings.some((w) => /semi-sync is off on the source/.test(w)),
          JSON.stringify(warnings),
        );
      } finally {
        await server.sql(`SET GLOBAL rpl_semi_sync_${v}_enabled = ON`);
        await syncer.close();
      }
    });
  });
}
