// bench/latency: commit-to-event latency at a steady write rate. A writer (this process, over the
// server's unix socket) commits single-row INSERTs at a fixed rate, each row carrying the writer's
// CLOCK_MONOTONIC time (process.hrtime) taken just before the statement is sent; a binlogsync consumer
// (its own process, over TCP, started at the end of the log) takes the same clock when the row reaches
// its for-await loop. Latency = consumer time - row time: commit, binlog write, dump thread, network,
// framing and decoding.
import { connect } from '../src/protocol/connect.js';
import { startLocalServer, type ServerName } from '../src/servers/local-server.js';
import { fmt, fmtInt, loadNow, mib, runWorker, table, type WorkerResult } from './lib.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Row {
  server: ServerName;
  rate: number;
  achieved: number;
  result: WorkerResult;
}

export async function benchLatency(
  servers: ServerName[],
  rate: number,
  seconds: number,
): Promise<{ markdown: string; rows: Row[] }> {
  const out: Row[] = [];
  for (const server of servers) {
    const s = await startLocalServer(server, { options: ['--binlog-row-metadata=FULL'] });
    try {
      await s.sql(
        'CREATE DATABASE bench; CREATE TABLE bench.lat (id INT PRIMARY KEY, t_ns BIGINT NOT NULL, note VARCHAR(64))',
      );
      const total = rate * seconds;
      let ready!: () => void;
      const isReady = new Promise<void>((r) => (ready = r));
      const consumer = runWorker(
        'latency-consumer.mjs',
        {
          host: s.host,
          port: s.port,
          user: s.user,
          password: s.password,
          serverId: 9100 + out.length,
          expectRows: total,
          timeoutMs: (seconds + 60) * 1000,
        },
        { timeoutMs: (seconds + 70) * 1000, onLine: (l) => l === 'ready' && ready() },
      );
      const early = consumer.then((c) => c.result);
      const first = await Promise.race([isReady.then(() => undefined), early]);
      if (first !== undefined) {
        out.push({ server, rate, achieved: 0, result: first });
        continue;
      }
      const conn = await connect({ connection: { socketPath: s.socket }, auth: { user: s.user } });
      let achieved = 0;
      try {
        const period = 1000 / rate;
        const t0 = performance.now();
        for (let i = 0; i < total; i++) {
          const wait = t0 + i * period - performance.now();
          if (wait >= 1) await sleep(wait);
          const t = process.hrtime.bigint();
          await conn.query(`INSERT INTO bench.lat VALUES (${i}, ${t}, 'steady write ${i}')`);
        }
        achieved = total / ((performance.now() - t0) / 1000);
      } finally {
        await conn.close();
      }
      out.push({ server, rate, achieved, result: (await consumer).result });
    } finally {
      await s.stop();
    }
  }
  const rows = out.map((r) => [
    r.server,
    `${fmtInt(r.rate)}/s × ${seconds} s (achieved ${fmtInt(r.achieved)}/s)`,
    fmt(r.result.p50Ms, 2),
    fmt(r.result.p90Ms, 2),
    fmt(r.result.p99Ms, 2),
    fmt(r.result.maxMs, 2),
    mib(r.result.peakRssKiB),
    r.result.error ? `failed: ${r.result.error}` : `${fmtInt(r.result.rows)} rows seen`,
  ]);
  const markdown = [
    `### Commit-to-event latency, binlogsync consumer (load ${loadNow()} at the end)`,
    '',
    table(
      [
        'server',
        'single-row commits',
        'p50 ms',
        'p90 ms',
        'p99 ms',
        'max ms',
        'consumer peak RSS MiB',
        'notes',
      ],
      rows,
    ),
  ].join('\n');
  return { markdown, rows: out };
}
