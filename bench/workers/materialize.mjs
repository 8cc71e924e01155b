// Worker: how fast can these rows become JS values at all? One mode per process, on the corpus file:
//   binlogsync   readBinlogFile over the file (the decoder, every value read)
//   json         V8's native JSON.parse on the same rows as JSON text, one document per rows event
//   deserialize  v8.deserialize (the structured-clone reader, what a worker thread's postMessage costs
//                its receiver) on the same rows serialized, one blob per rows event
// Best of `loops` passes in the process, after the untimed pass that prepares the inputs.
//   node bench/workers/materialize.mjs '{"path":"…","mode":"json","loops":5}'
import { Buffer } from 'node:buffer';
import v8 from 'node:v8';
import { args, bestPass, done, fail, importDist, touchRow } from './common.mjs';

const { path, mode, loops = 5 } = args();

const rowsOf = (ev) =>
  ev.type === 'write_rows' || ev.type === 'delete_rows' || ev.type === 'update_rows' ? ev.rows : undefined;
const touchAll = (rows) => {
  let v = 0;
  for (const r of rows)
    v +=
      r.before !== undefined && r.after !== undefined ? touchRow(r.before) + touchRow(r.after) : touchRow(r);
  return v;
};
// JSON text of a row: bigint and Buffer as strings (their JSON forms), everything else as itself
const plain = (row) => {
  const o = {};
  for (const k in row) {
    const v = row[k];
    o[k] = typeof v === 'bigint' ? v.toString() : Buffer.isBuffer(v) ? v.toString('latin1') : v;
  }
  return o;
};

try {
  const { readBinlogFile } = await importDist('file/read-binlog-file.js');
  // inputs made by a first pass, which keeps no decoded row (a heap full of them would slow every pass)
  const inputs = [];
  let textBytes = 0;
  let blobBytes = 0;
  if (mode !== 'binlogsync') {
    for await (const ev of readBinlogFile(path)) {
      const rows = rowsOf(ev);
      if (!rows) continue;
      if (mode === 'json') {
        const s = JSON.stringify(
          rows.map((r) =>
            r.before !== undefined ? { before: plain(r.before), after: plain(r.after) } : plain(r),
          ),
        );
        textBytes += s.length;
        inputs.push(s);
      } else {
        const b = v8.serialize(rows);
        blobBytes += b.length;
        inputs.push(b);
      }
    }
  }
  // the native passes: one reader call per rows event
  const nativePass = (read) => async () => {
    let v = 0;
    let rows = 0;
    for (const input of inputs) {
      const r = read(input);
      rows += r.length;
      v += touchAll(r);
    }
    return { rows, values: v };
  };
  const pass = {
    binlogsync: async () => {
      let v = 0;
      let rows = 0;
      for await (const ev of readBinlogFile(path)) {
        const r = rowsOf(ev);
        if (!r) continue;
        rows += r.length;
        v += touchAll(r);
      }
      return { rows, values: v };
    },
    json: nativePass((s) => JSON.parse(s)),
    deserialize: nativePass((b) => v8.deserialize(b)),
  }[mode];
  if (!pass) throw new Error(`unknown mode ${mode}`);
  const { ms, last: counted } = await bestPass(loops, pass);
  done({ mode, ...counted, loops, ms, textBytes, blobBytes });
} catch (e) {
  fail(e);
}
