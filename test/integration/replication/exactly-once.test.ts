// Exactly once, in commit order, across connection kills and server restarts.
//
// A writer commits numbered transactions (most of one small row; every 10th of 3000 rows of 1 KB, more
// than every buffer on the way holds, so the source is blocked in the middle of it) while the test kills
// the dump connection from the server side at random moments (KILL on the Binlog Dump thread, >= 50
// times; every other kill waits until the consumer is inside a big transaction) and restarts the server
// 3 times (twice with SIGTERM, once with SIGKILL). The rows the consumer saw must equal the table's
// final content, each exactly once, in commit order. Rows count at their transaction's XID: a SIGKILL
// that lands while MariaDB writes a big transaction leaves its first events in the binlog, and the
// stream ends such a transaction with an artificial ROLLBACK (crash-tail.test.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { connect } from '../../../src/protocol/connect.js';
import type { Connection } from '../../../src/protocol/connection.js';
import { BinlogSyncer } from '../../../src/replication/syncer.js';
import type { LocalServer } from '../../../src/servers/local-server.js';
import { startTestServer, testServerNames } from '../../harness/servers.js';

const KILLS = 50;
const RESTARTS = 3;
const RESTART_AFTER_KILLS = [12, 27, 41];
const BIG_EVERY = 10;
const BIG_ROWS = 3000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function open(s: LocalServer): Promise<Connection> {
  return connect({ connection: { socketPath: s.socket }, auth: { user: 'root', password: '' } });
}

async function killDumps(server: LocalServer): Promise<number> {
  const conn = await open(server);
  try {
    const ids = (
      await conn.query("SELECT ID FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%'")
    ).rows;
    for (const [id] of ids) await conn.query(`KILL ${id}`).catch(() => undefined);
    return ids.length;
  } finally {
    await conn.close();
  }
}

for (const name of testServerNames({ long: true })) {
  describe(`exactly once on ${name}`, () => {
    test(
      `${KILLS} dump kills and ${RESTARTS} restarts lose and repeat nothing`,
      { timeout: 300_000 },
      async () => {
        const server = await startTestServer(name, { options: ['--binlog-row-metadata=FULL'] });
        await server.sql(
          'CREATE DATABASE eo; ' +
            'CREATE TABLE eo.t (trx INT NOT NULL, i INT NOT NULL, pad VARCHAR(1000) NOT NULL, PRIMARY KEY (trx, i)); ' +
            'CREATE TABLE eo.d (n INT PRIMARY KEY); INSERT INTO eo.d VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9); ' +
            'CREATE TABLE eo.seq (n INT PRIMARY KEY); ' +
            'INSERT INTO eo.seq SELECT 1 + a.n + 10 * b.n + 100 * c.n + 1000 * d.n FROM eo.d a, eo.d b, eo.d c, eo.d d',
        );
        // Over the unix socket (small kernel buffers) with small queues, a big transaction does not fit
        // in the buffers between source and consumer: the source blocks inside it, and kills cut it.
        const syncer = new BinlogSyncer({
          socketPath: server.socket,
          connection: { highWaterMark: 128 * 1024 },
          maxBufferedBytes: 256 * 1024,
          user: 'root',
          password: '',
          serverId: 7100,
          heartbeatPeriod: 500,
          reconnect: { maxAttempts: 400, initialDelay: 10, maxDelay: 200 },
        });
        let stop = false;
        try {
          const stream = await syncer.startSync('now');

          // consumer: every (trx, i) in the order delivered
          // rows count once their transaction commits; an artificial ROLLBACK (a transaction the
          // SIGKILL cut off while the server wrote it, which its recovery rolled back) drops them
          const seen: [number, number][] = [];
          let pending: [number, number][] = [];
          let rolledBack = 0;
          let insideBig = false; // between the first rows and the XID of a big transaction
          const consumer = (async () => {
            for await (const ev of stream) {
              if (ev.type === 'xid') {
                insideBig = false;
                seen.push(...pending);
                pending = [];
              }
              if (ev.type === 'query' && ev.query === 'ROLLBACK') {
                insideBig = false;
                rolledBack += pending.length;
                pending = [];
              }
              if (ev.type !== 'write_rows' || ev.table !== 't') continue;
              let sentinel = false;
              for (const r of ev.rows) {
                if (r.trx === -1) sentinel = true;
                else pending.push([r.trx as number, r.i as number]);
              }
              if (sentinel) break;
              insideBig = (ev.rows[0]?.trx as number) % BIG_EVERY === 0;
              // slow inside big transactions, so that the stream's 256 KiB budget fills and its reader
              // waits mid-transaction: kills then cut transactions in two (a fast consumer had read every
              // transaction whole before the kill landed, and the replay path went untested)
              // (until the kills end: then it drains the backlog at full speed)
              if (insideBig && !stop) await sleep(1);
            }
          })();

          // writer: numbered transactions until told to stop; survives restarts
          let committedTrx = 0;
          const writer = (async () => {
            let conn: Connection | undefined;
            let trx = 0;
            while (!stop) {
              try {
                if (!conn || conn.closed) {
                  conn = await open(server);
                  trx = Number((await conn.query('SELECT COALESCE(MAX(trx), 0) FROM eo.t')).rows[0][0]);
                }
                const next = trx + 1;
                await conn.query(
                  next % BIG_EVERY === 0
                    ? `INSERT INTO eo.t SELECT ${next}, n, REPEAT('x', 1000) FROM eo.seq WHERE n <= ${BIG_ROWS}`
                    : `INSERT INTO eo.t VALUES (${next}, 1, '')`,
                );
                trx = committedTrx = next;
              } catch {
                conn?.destroy();
                conn = undefined;
                await sleep(50);
              }
            }
            await conn?.close();
          })();

          // killer and restarter
          let kills = 0;
          let restarts = 0;
          while (kills < KILLS) {
            await sleep(20 + Math.random() * 120);
            for (let w = 0; kills % 2 === 0 && !insideBig && w < 100; w++) await sleep(5);
            kills += await killDumps(server).catch(() => 0); // 0 while the server restarts
            if (restarts < RESTARTS && kills >= RESTART_AFTER_KILLS[restarts]) {
              await server.restart({ kill: restarts === 1 });
              restarts++;
            }
          }
          await sleep(300);
          const killedAt = Date.now();
          stop = true;
          await writer;
          const s = await open(server);
          await s.query("INSERT INTO eo.t VALUES (-1, 0, '')");
          const truth = (await s.query('SELECT trx, i FROM eo.t WHERE trx > 0 ORDER BY trx, i')).rows.map(
            ([a, b]) => [Number(a), Number(b)] as [number, number],
          );
          await s.close();
          await consumer;

          const key = (r: [number, number]) => `${r[0]}:${r[1]}`;
          const counts = new Map<string, number>();
          for (const r of seen) counts.set(key(r), (counts.get(key(r)) ?? 0) + 1);
          const truthKeys = new Set(truth.map(key));
          let outOfOrder = 0;
          for (let j = 1; j < seen.length; j++) {
            const [a, b] = [seen[j - 1], seen[j]];
            if (a[0] > b[0] || (a[0] === b[0] && a[1] >= b[1])) outOfOrder++;
          }
          const result = {
            lost: truth.filter((r) => !counts.has(key(r))).length,
            duplicates: [...counts.values()].filter((c) => c > 1).length,
            extra: [...counts.keys()].filter((k) => !truthKeys.has(k)).length,
            outOfOrder,
          };
          const report = {
            server: name,
            kills,
            restarts,
            reconnects: stream.reconnects,
            replayedEventsSkipped: stream.duplicatesSkipped,
            transactionsCutOff: stream.transactionsCutOff,
            rowsRolledBack: rolledBack,
            transactions: committedTrx,
            rowsChecked: truth.length,
            drainMs: Date.now() - killedAt,
            ...result,
          };
          console.log(`# exactly-once ${JSON.stringify(report)}`);
          assert.ok(kills >= KILLS, `only ${kills} kills`);
          assert.equal(restarts, RESTARTS);
          assert.ok(truth.length > 5000, 'the writer wrote big transactions too');
          assert.ok(stream.duplicatesSkipped > 0, 'some reconnects cut a transaction in two');
          assert.deepEqual(result, { lost: 0, duplicates: 0, extra: 0, outOfOrder: 0 });
        } finally {
          stop = true;
          await syncer.close();
        }
      },
    );
  });
}
