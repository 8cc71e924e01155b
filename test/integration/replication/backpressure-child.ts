// Child process of backpressure.test.ts (run with --expose-gc): follows a source with a byte budget and
// a slow consumer, and reports its memory as one JSON line on stdout.
//
//   argv: host port file pos maxBufferedBytes rawMode(0|1) sleepMs
//
// Phase 1, a stalled consumer: nothing is taken until the stream stops reading (its queue is over the
// budget); then the heap + buffers it holds are compared with what the queue counts (bufferedBytes).
// Phase 2, a slow consumer: it sleeps on every event to the end of the log; RSS is sampled, and VmHWM
// (the kernel's peak RSS of this process) read at the end.
import { readFileSync } from 'node:fs';
import { BinlogSyncer } from '../../../src/replication/syncer.js';

const [host, port, file, pos, budget, raw, sleepMs] = process.argv.slice(2);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
function kib(name: string): number {
  const m = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}
/**
 * Heap + buffers in use, the least of three readings 100 ms apart, each after a full GC: a freed
 * Buffer's memory leaves `arrayBuffers` only once its finalizer has run, after the GC and not within it,
 * so one reading could count buffers already let go (a CI run read 13.0 MB for 8.5 MB queued, where
 * this machine reads 7.6).
 */
async function held(): Promise<number> {
  let least = Infinity;
  for (let i = 0; i < 3; i++) {
    gc!();
    await sleep(100);
    gc!();
    const m = process.memoryUsage();
    least = Math.min(least, m.heapUsed + m.arrayBuffers);
  }
  return least;
}

const syncer = new BinlogSyncer({
  host,
  port: Number(port),
  user: 'root',
  password: '',
  serverId: 31_000 + (process.pid % 1000),
  maxBufferedBytes: Number(budget),
  rawMode: raw === '1',
  schemaLookup: 'off',
  heartbeatPeriod: 1000,
  readTimeout: 0,
});
const before = await held();
const stream = await syncer.startSync({ file, pos: Number(pos) }, { nonBlocking: true });
const baselineRss = process.memoryUsage().rss;

// phase 1: stalled, until the stream stops reading (its count holds still for 300 ms)
let last = -1;
for (let waited = 0; waited < 30_000; waited += 300) {
  await sleep(300);
  if (stream.bufferedBytes > 0 && stream.bufferedBytes === last) break;
  last = stream.bufferedBytes;
}
const queued = stream.bufferedBytes;
const heldWhenFull = (await held()) - before;

// phase 2: slow
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
let events = 0;
let bytes = 0;
const t0 = Date.now();
for await (const ev of stream) {
  events++;
  bytes += ev.next > ev.pos ? ev.next - ev.pos : 0;
  await sleep(Number(sleepMs));
}
clearInterval(sampler);
await syncer.close();
console.log(
  JSON.stringify({
    budget: Number(budget),
    rawMode: raw === '1',
    events,
    eventBytes: bytes,
    seconds: (Date.now() - t0) / 1000,
    stalled: { queuedBytes: queued, heldBytes: heldWhenFull, ratio: +(heldWhenFull / queued).toFixed(2) },
    baselineRss,
    peakRssSampled: peakRss,
    vmHWM: kib('VmHWM'),
    overBaseline: kib('VmHWM') - baselineRss,
  }),
);
