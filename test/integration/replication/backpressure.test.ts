// Backpressure: the source holds a binlog ten times the byte budget (maxBufferedBytes 8 MiB, about
// 90 MB of row events) and the consumer sleeps on every event. The consumer runs in a child process
// (backpressure-child.ts) so that its peak RSS (VmHWM) is its own: it must stay within the budget plus
// a fixed margin over its RSS before the stream started. The child also measures, with the consumer
// stalled, how much memory the queue holds against what it counts (bufferedBytes).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, test } from 'node:test';
import type { LocalServer } from '../../../src/servers/local-server.js';
import { startTestServer, testServerNames } from '../../harness/servers.js';
import { binaryLogs, bulkInsertSql, digitsSql } from './helpers.js';

const run = promisify(execFile);
const CHILD = fileURLToPath(new URL('./backpressure-child.ts', import.meta.url));
const MiB = 1024 * 1024;
const BUDGET = 8 * MiB;
/**
 * Beyond the budget, and whatever the budget: the connection's 1 MiB packet queue, socket buffers, and
 * V8's garbage slack (young generation, old-generation growth before a full GC, freed Buffers whose
 * wrappers are not yet collected). Measured 35 MiB with a 64 KiB budget, 40 to 47 MiB with 8 MiB.
 */
const MARGIN = 64 * MiB;

interface Report {
  budget: number;
  rawMode: boolean;
  events: number;
  eventBytes: number;
  seconds: number;
  stalled: { queuedBytes: number; heldBytes: number; ratio: number };
  baselineRss: number;
  peakRssSampled: number;
  vmHWM: number;
  overBaseline: number;
}

async function consume(
  server: LocalServer,
  from: { file: string; pos: number },
  raw: boolean,
  budget: number,
): Promise<Report> {
  const { stdout } = await run(
    process.execPath,
    [
      '--import',
      'tsx',
      '--expose-gc',
      CHILD,
      server.host,
      String(server.port),
      from.file,
      String(from.pos),
      String(budget),
      raw ? '1' : '0',
      '1',
    ],
    { maxBuffer: 1024 * 1024, timeout: 240_000 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Report;
}

for (const name of testServerNames({ long: true })) {
  describe(`backpressure on ${name}`, () => {
    let server: LocalServer;
    let from: { file: string; pos: number };
    let binlogBytes = 0;

    test('setup: a binlog over ten times the budget', { timeout: 300_000 }, async () => {
      // rows events of up to 16 KiB (default 8 KiB): ~6,000 events, so the consumer's sleeps take 7 s, not 15
      server = await startTestServer(name, {
        options: ['--max-binlog-size=1G', '--binlog-row-event-max-size=16384'],
      });
      await server.sql(
        `CREATE DATABASE bp; ${digitsSql('bp')}; CREATE TABLE bp.t (id INT PRIMARY KEY, v VARCHAR(500))`,
      );
      const start = await binaryLogs(server);
      from = { file: start.at(-1)!.file, pos: start.at(-1)!.size };
      for (let i = 0; i < 5; i++) {
        await server.sql(
          bulkInsertSql(
            'bp',
            't',
            1 + i * 50_000,
            50_000,
            'CONCAT(SHA2(RAND(), 512), SHA2(RAND(), 512), SHA2(RAND(), 512))',
          ),
        );
      }
      const logs = await binaryLogs(server);
      binlogBytes = logs.at(-1)!.size - from.pos;
      assert.ok(binlogBytes >= 10 * BUDGET, `${binlogBytes} bytes of binlog`);
    });

    const first = name === testServerNames({ long: true })[0];
    for (const raw of first ? [false, true] : [false]) {
      test(
        `a consumer that sleeps on every event (${raw ? 'raw' : 'decoded'})`,
        { timeout: 300_000 },
        async () => {
          const r = await consume(server, from, raw, BUDGET);
          console.log(`# backpressure ${JSON.stringify({ server: name, binlogBytes, ...r })}`);
          assert.ok(r.eventBytes >= binlogBytes - 4096, 'read the whole binlog');
          assert.ok(r.stalled.queuedBytes >= BUDGET, 'the stalled stream filled its budget');
          assert.ok(r.stalled.queuedBytes < BUDGET + MiB, 'and stopped reading there');
          assert.ok(
            r.stalled.heldBytes <= r.stalled.queuedBytes * 1.25 + 2 * MiB,
            `the queue holds ${r.stalled.heldBytes} bytes and counts ${r.stalled.queuedBytes}`,
          );
          assert.ok(
            r.overBaseline <= BUDGET + MARGIN,
            `peak RSS ${r.vmHWM} is ${r.overBaseline} over the baseline ${r.baselineRss}`,
          );
        },
      );
    }

    if (first) {
      test(
        'for contrast, a budget above the binlog: memory follows the binlog',
        { timeout: 300_000 },
        async () => {
          const r = await consume(server, from, false, 1024 * MiB);
          console.log(
            `# backpressure ${JSON.stringify({ server: name, binlogBytes, unbounded: true, ...r })}`,
          );
          assert.ok(r.stalled.heldBytes > binlogBytes, 'the whole binlog was held');
          assert.ok(r.overBaseline > 2 * (BUDGET + MARGIN), `peak ${r.overBaseline} over the baseline`);
        },
      );
    }
  });
}
