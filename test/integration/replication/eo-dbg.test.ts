// Exactly once, in commit order, across connection kills and server restarts.
//
// A writer commits numbered transactions (most of one row, every 10th of 9000 rows, so that kills land
// inside big transactions too) while the test kills the dump connection from the server side at random
// moments (KILL on the Binlog Dump thread, >= 50 times) and restarts the server 3 times (twice with
// SIGTERM, once with SIGKILL). The rows the consumer saw must equal the table's final content, each
// exactly once, in commit order.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { connect } from '../../../src/protocol/connect.js';
import type { Connection } from '../../../src/protocol/connection.js';
import { BinlogSyncer } from '../../../src/replication/syncer.js';
import type { LocalServer } from '../../../src/servers/local-server.js';
import { startTestServer, testServerNames } from '../../harness/servers.js';

const KILLS = 50;
const RESTARTS = 3;
const BIG_EVERY = 10;
const BIG_ROWS = 9000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function open(s: LocalServer): Promise<Connection> {
  return connect({ connection: { socketPath: s.socket }, auth: { user: 'root', password: '' } });
}

for (const name of testServerNames()) {
  describe(`exactly once on ${name}`, () => {
    test(
      `${KILLS} dump kills and ${RESTARTS} restarts lose and repeat nothing`,
      { timeout: 600_000 },
      async () => {
        const server = await startTestServer(name, { options: ['--binlog-row-metadata=FULL'] });
        await server.sql(
          'CREATE DATABASE eo; CREATE TABLE eo.t (trx INT NOT NULL, i INT NOT NULL, PRIMARY KEY (trx, i)); ' +
            'CREATE TABLE eo.d (n INT PRIMARY KEY); INSERT INTO eo.d VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9); ' +
            'CREATE TABLE eo.seq (n INT PRIMARY KEY); INSERT INTO eo.seq SELECT 1 + a.n + 10 * b.n + 100 * c.n + 1000 * d.n FROM eo.d a, eo.d b, eo.d c, eo.d d',
        );
        const syncer = new BinlogSyncer({
          host: server.host,
          port: server.port,
          user: 'root',
          password: '',
          serverId: 7100,
          heartbeatPeriod: 500,
          reconnect: { maxAttempts: 400, initialDelay: 10, maxDelay: 200 },
        });
        const stream = await syncer.startSync('now');
        const tick = setInterval(
          () =>
            console.error('progress', {
              kills,
              restarts,
              seen: seen.length,
              committedTrx,
              reconnects: stream.reconnects,
              stop,
            }),
          3000,
        );
        tick.unref();

        // consumer: every (trx, i) in the order delivered
        const seen: [number, number][] = [];
        let sentinel = false;
        const consumer = (async () => {
          for await (const ev of stream) {
            if (ev.type !== 'write_rows' || ev.table !== 't') continue;
            for (const r of ev.rows) {
              if (r.trx === -1) sentinel = true;
              else seen.push([r.trx as number, r.i as number]);
            }
            if (sentinel) break;
          }
        })();

        // writer: numbered transactions until told to stop; survives restarts
        let stop = false;
        let committedTrx = 0;
        const writer = (async () => {
          let conn: Connection | undefined;
          let trx = 0;
          while (!stop) {
            try {
              if (!conn || conn.closed) {
                conn = await open(server);
                const r = await conn.query('SELECT COALESCE(MAX(trx), 0) FROM eo.t');
                trx = Number(r.rows[0][0]);
              }
              const next = trx + 1;
              if (next % BIG_EVERY === 0) {
                await conn.query(`INSERT INTO eo.t SELECT ${next}, n FROM eo.seq WHERE n <= ${BIG_ROWS}`);
              } else {
                await conn.query(`INSERT INTO eo.t VALUES (${next}, 1)`);
              }
              trx = next;
              committedTrx = trx;
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
        const plan = new Set([12, 27, 41]); // restart after these kills
        while (kills < KILLS) {
          await sleep(20 + Math.random() * 120);
          try {
            const conn = await open(server);
            const ids = (
              await conn.query(
                "SELECT ID FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%'",
              )
            ).rows;
            for (const [id] of ids) {
              await conn.query(`KILL ${id}`).catch(() => undefined);
              kills++;
            }
            await conn.close();
          } catch {
            // the server is restarting
          }
          if (plan.has(kills) || (restarts < RESTARTS && kills >= KILLS - 1)) {
            plan.delete(kills);
            await server.restart({ kill: restarts === 1 });
            restarts++;
          }
        }
        while (restarts < RESTARTS) {
          await server.restart();
          restarts++;
        }
        await sleep(300);
        stop = true;
        await writer;
        const s = await open(server);
        await s.query('INSERT INTO eo.t VALUES (-1, 0)');
        const truth = (await s.query('SELECT trx, i FROM eo.t WHERE trx > 0 ORDER BY trx, i')).rows.map(
          ([a, b]) => [Number(a), Number(b)] as [number, number],
        );
        await s.close();
        await consumer;

        const key = (r: [number, number]) => `${r[0]}:${r[1]}`;
        const counts = new Map<string, number>();
        for (const r of seen) counts.set(key(r), (counts.get(key(r)) ?? 0) + 1);
        const duplicates = [...counts.values()].filter((c) => c > 1).length;
        const truthKeys = new Set(truth.map(key));
        const lost = truth.filter((r) => !counts.has(key(r))).length;
        const extra = [...counts.keys()].filter((k) => !truthKeys.has(k)).length;
        let outOfOrder = 0;
        for (let j = 1; j < seen.length; j++) {
          const [a, b] = [seen[j - 1], seen[j]];
          if (a[0] > b[0] || (a[0] === b[0] && a[1] >= b[1])) outOfOrder++;
        }
        const report = {
          server: name,
          kills,
          restarts,
          reconnects: stream.reconnects,
          duplicatesSkipped: stream.duplicatesSkipped,
          transactions: committedTrx,
          rowsChecked: truth.length,
          lost,
          duplicates,
          extra,
          outOfOrder,
        };
        console.log(`# exactly-once ${JSON.stringify(report)}`);
        await syncer.close();
        assert.ok(kills >= KILLS, `only ${kills} kills`);
        assert.ok(truth.length > 5000, 'the writer wrote big transactions too');
        assert.deepEqual(
          { lost, duplicates, extra, outOfOrder },
          { lost: 0, duplicates: 0, extra: 0, outOfOrder: 0 },
        );
      },
    );
  });
}
