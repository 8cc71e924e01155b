// Worker: catch up on a live server with a ZongJi-family peer (zongji, @vlasky/zongji,
// @powersync/mysql-zongji), each through its own API, every value of every row read. These peers have no
// non-blocking mode that all share, so the run ends when the expected number of rows has arrived.
//   node bench/workers/live-zongji.mjs '{"pkg","host","port","user","password","serverId","file","pos","expectRows","timeoutMs"}'
import { args, done, fail, now, touchRow } from './common.mjs';

const a = args();
let zongji;
let finished = false;
function finish(result, error) {
  if (finished) return;
  finished = true;
  clearTimeout(timer);
  if (error !== undefined) fail(error);
  else done(result);
  // Some peers never close their sockets on stop(): the result is out, end the process.
  setTimeout(() => process.exit(0), 200).unref();
  try {
    zongji?.stop();
  } catch {
    process.exit(0);
  }
}
const timer = setTimeout(
  () =>
    finish(undefined, new Error(`timed out after ${a.timeoutMs} ms with ${rows} of ${a.expectRows} rows`)),
  a.timeoutMs,
);
let first;
let last = 0;
let events = 0;
let rows = 0;
let values = 0;
const t0 = now();
try {
  const mod = await import(a.pkg);
  const ZongJi = mod.default ?? mod;
  zongji = new ZongJi({ host: a.host, port: a.port, user: a.user, password: a.password });
  zongji.on('error', (e) => finish(undefined, e));
  zongji.on('binlog', (ev) => {
    last = now();
    first ??= last;
    events++;
    const name = ev.getEventName();
    if (name === 'writerows' || name === 'deleterows') {
      rows += ev.rows.length;
      for (const r of ev.rows) values += touchRow(r);
    } else if (name === 'updaterows') {
      rows += ev.rows.length;
      for (const r of ev.rows) values += touchRow(r.before) + touchRow(r.after);
    }
    if (rows >= a.expectRows)
      finish({ events, rows, values, firstToLastMs: last - first, totalMs: now() - t0 });
  });
  zongji.start({
    serverId: a.serverId,
    filename: a.file,
    position: a.pos,
    includeEvents: ['rotate', 'tablemap', 'writerows', 'updaterows', 'deleterows'],
  });
} catch (e) {
  finish(undefined, e);
}
