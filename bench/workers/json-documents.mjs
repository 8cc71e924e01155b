// Worker: JSON documents as JS values. One mode per process, on the documents of one shape:
//   binlogsync  readBinlogFile over the binlog file holding the documents' INSERTs (MySQL's JSON binary
//               format → values), the JSON column's value of every row
//   json        V8's native JSON.parse on the same documents as MySQL's CAST(j AS CHAR) text, one call each
// Every member of every document is read. Best of `loops` passes in the process, after one untimed pass.
//   node bench/workers/json-documents.mjs '{"path":"…","texts":"…","mode":"json","loops":5}'
import { readFileSync } from 'node:fs';
import { args, bestPass, done, fail, importDist, touchRow } from './common.mjs';

const { path, texts, mode, loops = 5 } = args();

try {
  const { readBinlogFile } = await importDist('file/read-binlog-file.js');
  const lines = mode === 'json' ? readFileSync(texts, 'utf8').split('\n').filter(Boolean) : [];
  const pass = {
    binlogsync: async () => {
      let docs = 0;
      let members = 0;
      for await (const ev of readBinlogFile(path)) {
        if (ev.type !== 'write_rows') continue;
        for (const row of ev.rows) {
          docs++;
          members += touchRow(row.j);
        }
      }
      return { docs, members };
    },
    json: async () => {
      let docs = 0;
      let members = 0;
      for (const line of lines) {
        docs++;
        members += touchRow(JSON.parse(line));
      }
      return { docs, members };
    },
  }[mode];
  if (!pass) throw new Error(`unknown mode ${mode}`);
  await pass();
  const { ms, last } = await bestPass(loops, pass);
  done({ ...last, ms });
} catch (e) {
  fail(e);
}
