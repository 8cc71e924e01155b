// bench/materialize: how fast the corpus rows can become JS values at all, next to binlogsync's decoder.
// V8's own native ways of making the same values — JSON.parse of their JSON text, v8.deserialize of their
// structured-clone bytes (what a worker thread's postMessage costs the receiving thread) — measured on the
// same rows in the same run. It answers whether decoding "at the send limit" is within reach of any
// decoder that hands JS values to one JS thread.
import type { ServerName } from '../src/servers/local-server.js';
import { binlogCorpus } from './binlog-corpus.js';
import { fmt, fmtInt, loadNow, mib, ratio, runWorker, table } from './lib.js';

interface Row {
  server: ServerName;
  mode: string;
  ms?: number;
  rssKiB?: number;
  note: string;
}

export interface MaterializeResult {
  markdown: string;
  rows: Row[];
}

const MODES: [string, string][] = [
  ['binlogsync', 'binlogsync readBinlogFile (binlog bytes → values)'],
  ['json', 'V8 JSON.parse (JSON text → the same values)'],
  ['deserialize', 'v8.deserialize (structured-clone bytes → the same values)'],
];

/** `sendLimitMs`: the raw client's time per server from the live bench of the same run, when it ran. */
export async function benchMaterialize(
  runs: number,
  servers: ServerName[],
  sendLimitMs: Map<ServerName, number>,
): Promise<MaterializeResult> {
  const out: Row[] = [];
  for (const server of servers) {
    const corpus = await binlogCorpus(server);
    for (const [mode, label] of MODES) {
      // one process per mode; the best of `runs` passes inside it (the inputs are made once)
      const { result: res } = await runWorker(
        'materialize.mjs',
        { path: corpus.path, mode, loops: runs },
        { nodeArgs: ['--max-old-space-size=4096'], timeoutMs: 600_000 },
      );
      const ok = res.error === undefined && res.values === 8_100_000;
      out.push({
        server,
        mode: label,
        ms: ok ? res.ms : undefined,
        rssKiB: res.peakRssKiB,
        note:
          res.error ??
          (res.values !== 8_100_000
            ? `read ${res.values} values!`
            : `${fmtInt(res.rows)} rows, ${fmtInt(res.values)} values` +
              (res.textBytes ? `; ${fmt(res.textBytes / 1e6, 0)} MB of JSON text` : '') +
              (res.blobBytes ? `; ${fmt(res.blobBytes / 1e6, 0)} MB serialized` : '')),
      });
    }
  }
  const rows = out.map((r) => {
    const mine = out.find((x) => x.server === r.server && x.mode.startsWith('binlogsync'));
    const limit = sendLimitMs.get(r.server);
    return [
      r.server,
      r.mode,
      fmt(r.ms === undefined ? undefined : r.ms / 1000, 2),
      r.ms === undefined ? '–' : fmt((r.ms * 1e6) / 8_100_000, 0),
      ratio(r.ms, mine?.ms),
      limit === undefined ? '–' : ratio(limit, r.ms),
      mib(r.rssKiB),
      r.note,
    ];
  });
  const markdown = [
    `### How fast can these rows become JS values at all? (best of ${runs} passes in one process each; load ${loadNow()} at the end)`,
    '',
    table(
      [
        'server',
        'how',
        's',
        'ns/value',
        'time vs binlogsync',
        'speed vs send limit',
        'peak RSS MiB',
        'notes',
      ],
      rows,
    ),
  ].join('\n');
  return { markdown, rows: out };
}
