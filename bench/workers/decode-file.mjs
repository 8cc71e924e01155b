// Worker: decode a binlog file with binlogsync's offline reader, every value of every row read.
//   node bench/workers/decode-file.mjs '{"path":"…"}'
import { args, done, fail, importDist, now, touchRow } from './common.mjs';

const { path } = args();
try {
  const { readBinlogFile } = await importDist('file/read-binlog-file.js');
  const t0 = now();
  let events = 0;
  let rows = 0;
  let values = 0;
  for await (const ev of readBinlogFile(path)) {
    events++;
    if (ev.type === 'write_rows' || ev.type === 'delete_rows') {
      rows += ev.rows.length;
      for (const r of ev.rows) values += touchRow(r);
    } else if (ev.type === 'update_rows' || ev.type === 'partial_update_rows') {
      rows += ev.rows.length;
      for (const r of ev.rows) values += touchRow(r.before) + touchRow(r.after);
    }
  }
  done({ events, rows, values, decodeMs: now() - t0 });
} catch (e) {
  fail(e);
}
