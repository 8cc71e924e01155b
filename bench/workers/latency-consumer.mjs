// Worker: follow a live server from its current end with binlogsync and, for each row of bench.lat, take
// the time the consumer receives it minus the client clock's time stamped into the row just before its
// single-row commit (both CLOCK_MONOTONIC: process.hrtime, shared by the processes of one machine).
// Prints "ready" once the stream is open, then the result after `expectRows` rows.
//   node bench/workers/latency-consumer.mjs '{"host","port","user","password","serverId","expectRows","timeoutMs"}'
import { args, done, fail, importDist } from './common.mjs';

const a = args();
let syncer;
const timer = setTimeout(() => {
  fail(new Error(`timed out after ${a.timeoutMs} ms`));
  process.exit(1);
}, a.timeoutMs);
try {
  const { BinlogSyncer } = await importDist('replication/syncer.js');
  syncer = new BinlogSyncer({
    host: a.host,
    port: a.port,
    user: a.user,
    password: a.password,
    serverId: a.serverId,
    tls: { mode: 'disabled' },
  });
  const stream = await syncer.startSync('now');
  process.stdout.write('ready\n');
  const lat = new Float64Array(a.expectRows);
  let n = 0;
  for await (const ev of stream) {
    if (ev.type !== 'write_rows' || ev.table !== 'lat') continue;
    const at = process.hrtime.bigint();
    for (const r of ev.rows) if (n < lat.length) lat[n++] = Number(at - BigInt(r.t_ns)) / 1e6;
    if (n >= a.expectRows) break;
  }
  lat.sort();
  const pct = (p) => lat[Math.min(n - 1, Math.floor((p / 100) * n))];
  done({ rows: n, p50Ms: pct(50), p90Ms: pct(90), p99Ms: pct(99), maxMs: lat[n - 1] });
} catch (e) {
  fail(e);
} finally {
  clearTimeout(timer);
  await syncer?.close();
}
