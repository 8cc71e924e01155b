// The benchmark run behind `npm run bench` (bench/run.mjs starts it after the build). Runs each bench one
// at a time, prints markdown tables and writes them to bench/results.md.
//
//   npm run bench [-- --only=decode,live,materialize,json,latency,profile] [--runs=N] [--quick] [--no-write]
//                    [--profile-servers=mysql-9.7,mariadb-11.8] [--top=15]
//
// --quick: one run each, peers on MariaDB only, 3 s of latency (a smoke test, not for results.md).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { provisionServers, type ServerName } from '../src/servers/local-server.js';
import { benchDecodeFile } from './decode-file.js';
import { benchJsonDocuments } from './json-documents.js';
import { benchLatency } from './latency.js';
import { ROOT, fmt, machine, ratio } from './lib.js';
import { NODE_PEERS, benchLiveCatchup } from './live-catchup.js';
import { benchMaterialize } from './materialize.js';
import { profileDecode } from './profile-decode.js';

const argv = process.argv.slice(2);
const flag = (name: string): string | undefined =>
  argv.find((a) => a === `--${name}` || a.startsWith(`--${name}=`))?.replace(/^[^=]*=?/, '');
const quick = flag('quick') !== undefined;
const runs = Number(flag('runs') || (quick ? 1 : 5));
const only = new Set((flag('only') || 'decode,live,materialize,json,latency,profile').split(','));
const write = flag('no-write') === undefined && !quick && flag('only') === undefined;

/** The "How each figure is measured" section of bench/README.md, printed with the results. */
function method(): string {
  const readme = readFileSync(join(ROOT, 'bench', 'README.md'), 'utf8');
  const start = readme.indexOf('## How each figure is measured');
  const end = readme.indexOf('\n## ', start + 1);
  return start < 0
    ? ''
    : readme
        .slice(start, end < 0 ? undefined : end)
        .trim()
        .replace(/^## /, '### ');
}

const SERVERS: ServerName[] = ['mysql-9.7', 'mariadb-11.8'];

async function main(): Promise<void> {
  const started = Date.now();
  const header = [
    '# binlogsync benchmarks',
    '',
    `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine()} (at the start).`,
    'Every figure is measured in the same run, on the same data, one benchmark at a time.',
  ].join('\n');
  console.log(`${header}\n`);
  await provisionServers(SERVERS);
  const sections: string[] = [header];
  const sendLimitMs = new Map<ServerName, number>();
  const summary: string[] = [];
  const emit = (md: string): void => {
    console.log(`${md}\n`);
    sections.push(md);
  };

  if (only.has('decode')) {
    const r = await benchDecodeFile(runs, SERVERS);
    emit(r.markdown);
    for (const server of SERVERS) {
      const mine = r.rows.find((x) => x.server === server && x.tool.startsWith('binlogsync readBinlogFile'));
      const cli = r.rows.find((x) => x.server === server && x.tool.startsWith('binlogsync parse'));
      const base = r.rows.find((x) => x.server === server && x.baseline);
      summary.push(
        `- decode ${server}: readBinlogFile ${ratio(base?.wallMs, mine?.wallMs)} the speed of \`${base?.tool}\`` +
          (cli?.wallMs !== undefined ? `; \`parse --json\` ${ratio(base?.wallMs, cli.wallMs)}` : '') +
          ' (goal: > 1×)',
      );
    }
  }

  if (only.has('live')) {
    const plan = quick
      ? [{ server: 'mariadb-11.8' as ServerName, peers: NODE_PEERS }]
      : [
          { server: 'mariadb-11.8' as ServerName, peers: NODE_PEERS },
          // mysqljs-based peers cannot do caching_sha2_password; the mysql2-based one is tried as well
          { server: 'mysql-9.7' as ServerName, peers: NODE_PEERS },
        ];
    const r = await benchLiveCatchup(runs, plan, quick ? 60_000 : 90_000);
    emit(r.markdown);
    for (const x of r.rows)
      if (x.kind === 'raw' && x.shape === 'bulk' && x.ms !== undefined) sendLimitMs.set(x.server, x.ms);
    for (const { server } of plan) {
      for (const shape of ['bulk', 'small'] as const) {
        const here = r.rows.filter((x) => x.server === server && x.shape === shape);
        const mine = here.find((x) => x.client === 'binlogsync');
        const raw = here.find((x) => x.kind === 'raw');
        const transport = here.find((x) => x.client.startsWith('binlogsync rawMode'));
        const peers = here.filter((x) => x.kind === 'peer' && x.ms !== undefined);
        const fastest = peers.sort((a, b) => (a.ms ?? 0) - (b.ms ?? 0))[0];
        // 5× the fastest peer is a time; the stream with no decoding at all (the server's sending and
        // our transport) says whether any decoder could reach it
        const fiveX = fastest?.ms !== undefined ? fastest.ms / 5 : undefined;
        summary.push(
          `- live ${server}, ${shape === 'bulk' ? '10k-row statements' : 'single-row transactions'}: ` +
            `binlogsync ${ratio(raw?.ms, mine?.ms)} the send limit (goal ≥ 0.80×)` +
            (fastest
              ? `; ${ratio(fastest.ms, mine?.ms)} the fastest Node peer, ${fastest.client} (goal ≥ 5×)`
              : '; no Node peer finished') +
            (fiveX !== undefined && transport?.ms !== undefined
              ? `; 5× that peer is ${(fiveX / 1000).toFixed(2)} s, the stream with no decoding at all takes ` +
                `${(transport.ms / 1000).toFixed(2)} s`
              : ''),
        );
      }
    }
  }

  if (only.has('materialize')) {
    const r = await benchMaterialize(runs, quick ? ['mariadb-11.8'] : SERVERS, sendLimitMs);
    emit(r.markdown);
    for (const server of quick ? ['mariadb-11.8' as ServerName] : SERVERS) {
      const mine = r.rows.find((x) => x.server === server && x.mode.startsWith('binlogsync'));
      const natives = r.rows.filter((x) => x.server === server && !x.mode.startsWith('binlogsync') && x.ms);
      const fastest = natives.sort((a, b) => (a.ms ?? 0) - (b.ms ?? 0))[0];
      const limit = sendLimitMs.get(server);
      summary.push(
        `- materialize ${server}: V8's fastest native way to make the same values (${fastest?.mode.split(' (')[0] ?? '–'}) ` +
          `takes ${ratio(fastest?.ms, mine?.ms)} binlogsync's time` +
          (limit !== undefined ? `; it alone runs at ${ratio(limit, fastest?.ms)} the send limit` : ''),
      );
    }
  }

  if (only.has('json')) {
    const r = await benchJsonDocuments(runs);
    emit(r.markdown);
    summary.push(
      `- JSON documents (MySQL 9.7): V8's JSON.parse of the same text takes ` +
        r.rows.map((x) => `${ratio(x.jsonMs, x.binlogsyncMs)} (${x.shape})`).join(', ') +
        " binlogsync's time",
    );
  }

  if (only.has('latency')) {
    const r = await benchLatency(quick ? ['mariadb-11.8'] : SERVERS, 500, quick ? 3 : 10);
    emit(r.markdown);
    for (const x of r.rows)
      summary.push(
        `- latency ${x.server}: p50 ${fmt(x.result.p50Ms, 2)} ms, p99 ${fmt(x.result.p99Ms, 2)} ms`,
      );
  }

  if (only.has('profile')) {
    const servers = (flag('profile-servers') || 'mysql-9.7').split(',') as ServerName[];
    const top = Number(flag('top') || 15);
    for (const server of servers) emit(await profileDecode(server, top));
    if (existsSync(join(ROOT, 'dist', 'cli', 'commands', 'parse.js')))
      emit(await profileDecode(servers[0], top, 'parse-json.mjs'));
  }

  emit(['### Summary', '', ...summary].join('\n'));
  emit(method());
  const took = `Whole run: ${fmt((Date.now() - started) / 1000, 0)} s.`;
  console.log(took);
  if (write) {
    writeFileSync(join(ROOT, 'bench', 'results.md'), `${sections.join('\n\n')}\n\n${took}\n`);
    console.log('written to bench/results.md');
  }
}

await main();
