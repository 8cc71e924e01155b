// Worker: catch up on a live server with binlogsync's BinlogSyncer (non-blocking dump: the stream ends at
// the end of the log), every value of every row read.
//   node bench/workers/live-binlogsync.mjs '{"host","port","user","password","serverId","file","pos","tls","raw"}'
import { args, done, fail, importDist, now, touchRow } from './common.mjs';

const a = args();
let syncer;
try {
  const { BinlogSyncer } = await importDist('replication/syncer.js');
  const t0 = now();
  syncer = new BinlogSyncer({
    host: a.host,
    port: a.port,
    user: a.user,
    password: a.password,
    serverId: a.serverId,
    ...(a.tls ? {} : { tls: { mode: 'disabled' } }),
    // raw: events are delivered undecoded (the transport alone, for comparison)
    ...(a.raw ? { rawMode: true } : {}),
  });
  const stream = await syncer.startSync({ file: a.file, pos: a.pos }, { nonBlocking: true });
  let first;
  let last = 0;
  let events = 0;
  let rows = 0;
  let values = 0;
  for await (const ev of stream) {
    last = now();
    first ??= last;
    events++;
    if (ev.type === 'write_rows' || ev.type === 'delete_rows') {
      rows += ev.rows.length;
      for (const r of ev.rows) values += touchRow(r);
    } else if (ev.type === 'update_rows' || ev.type === 'partial_update_rows') {
      rows += ev.rows.length;
      for (const r of ev.rows) values += touchRow(r.before) + touchRow(r.after);
    }
  }
  done({ events, rows, values, firstToLastMs: last - (first ?? last), totalMs: now() - t0 });
} catch (e) {
  fail(e);
} finally {
  await syncer?.close();
}
