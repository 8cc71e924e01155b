// Heartbeats and the read timeout. An idle source sends a heartbeat every heartbeatPeriod; they keep the
// read timeout from firing, are delivered only with `heartbeats: true`, and never move the resume point. A
// source that stops sending (the process frozen with SIGSTOP) trips the read timeout (ERR_READ_TIMEOUT):
// the stream reconnects once it is back and resumes where it was, losing and repeating nothing.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ErrorCode, type BinlogSyncError } from '../../../src/errors.js';
import { BinlogSyncer } from '../../../src/replication/syncer.js';
import type { StreamEvent } from '../../../src/replication/stream.js';
import type { LocalServer } from '../../../src/servers/local-server.js';
import { startTestServer, testServerNames } from '../../harness/servers.js';
import { sleep, syncerOptions } from './helpers.js';

/** Pulls events with a deadline, keeping a pending next() for the following call (one next() at a time). */
class Puller {
  #pending: Promise<IteratorResult<StreamEvent>> | undefined;
  constructor(readonly it: AsyncIterator<StreamEvent>) {}

  /** Events that arrive within `ms`. */
  async within(ms: number): Promise<StreamEvent[]> {
    const out: StreamEvent[] = [];
    const deadline = Date.now() + ms;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) return out;
      this.#pending ??= this.it.next();
      let timer: NodeJS.Timeout | undefined;
      const r = await Promise.race([
        this.#pending,
        new Promise<undefined>((res) => (timer = setTimeout(() => res(undefined), left))),
      ]);
      clearTimeout(timer);
      if (r === undefined) return out;
      this.#pending = undefined;
      if (r.done) return out;
      out.push(r.value);
    }
  }

  /** Events up to and including the first that `pred` accepts. */
  async until(pred: (ev: StreamEvent) => boolean, ms = 10_000): Promise<StreamEvent[]> {
    const out: StreamEvent[] = [];
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      for (const ev of await this.within(Math.min(200, deadline - Date.now()))) {
        out.push(ev);
        if (pred(ev)) return out;
      }
    }
    throw new Error(`no matching event within ${ms} ms; got ${out.map((e) => e.type).join(', ')}`);
  }
}

for (const name of testServerNames()) {
  describe(`heartbeats and read timeout on ${name}`, () => {
    let server: LocalServer;
    test('setup', async () => {
      server = await startTestServer(name);
      await server.sql('CREATE DATABASE hb; CREATE TABLE hb.t (id INT PRIMARY KEY)');
    });

    test('heartbeats: true delivers them on an idle source; the resume point stays', async (t) => {
      const syncer = new BinlogSyncer(
        syncerOptions(server, { heartbeatPeriod: 200, heartbeats: true, schemaLookup: 'off' }),
      );
      try {
        const stream = await syncer.startSync('now');
        const pull = new Puller(stream[Symbol.asyncIterator]());
        await server.sql('INSERT INTO hb.t VALUES (1)');
        await pull.until((e) => e.type === 'xid');
        const before = stream.resumePoint;
        const idle = await pull.within(1500);
        const beats = idle.filter((e) => e.type === 'heartbeat');
        assert.deepEqual(
          idle.map((e) => e.type).filter((t) => t !== 'heartbeat'),
          [],
          'nothing but heartbeats on an idle source',
        );
        assert.ok(beats.length >= 4, `${beats.length} heartbeats in 1.5 s at 200 ms`);
        for (const b of beats) {
          if (b.type !== 'heartbeat') continue;
          // the source says where it is: the end of the transaction we saw
          assert.equal(b.logFile, before.file);
          assert.equal(b.sourcePos, before.pos);
          // no place in the file: it stands where the stream is, next = pos
          assert.deepEqual([b.file, b.pos, b.next], [before.file, before.pos, before.pos]);
        }
        assert.deepEqual(stream.resumePoint, before, 'heartbeats do not move the resume point');
        assert.equal(stream.reconnects, 0, 'heartbeats keep the read timeout (600 ms) from firing');
        // which layout the source sent: HEARTBEAT_LOG_EVENT (27) or HEARTBEAT_LOG_EVENT_V2 (41)
        t.diagnostic(`${name}: heartbeat event codes ${[...new Set(beats.map((b) => b.code))].join(', ')}`);
      } finally {
        await syncer.close();
      }
    });

    test('by default heartbeats are filtered out', async () => {
      const syncer = new BinlogSyncer(syncerOptions(server, { heartbeatPeriod: 200, schemaLookup: 'off' }));
      try {
        const stream = await syncer.startSync('now');
        const pull = new Puller(stream[Symbol.asyncIterator]());
        await server.sql('INSERT INTO hb.t VALUES (2)');
        await pull.until((e) => e.type === 'xid');
        const before = stream.resumePoint;
        assert.deepEqual(await pull.within(1200), []);
        assert.deepEqual(stream.resumePoint, before);
        assert.equal(stream.reconnects, 0);
        await server.sql('INSERT INTO hb.t VALUES (3)');
        const next = await pull.until((e) => e.type === 'xid');
        assert.ok(next.some((e) => e.type === 'write_rows' && e.rows[0]['@1'] === 3));
      } finally {
        await syncer.close();
      }
    });

    test('a frozen source trips the read timeout; the stream reconnects and resumes exactly', async () => {
      const syncer = new BinlogSyncer(
        syncerOptions(server, {
          heartbeatPeriod: 200,
          schemaLookup: 'off',
          connection: { connectTimeout: 1500 },
          reconnect: { initialDelay: 50, maxDelay: 300, maxAttempts: 50 },
        }),
      );
      const causes: string[] = [];
      try {
        const stream = await syncer.startSync('now');
        stream.on('reconnect', (r: { cause: BinlogSyncError }) => causes.push(r.cause.code));
        const seen: number[] = [];
        const consumer = (async () => {
          for await (const ev of stream) {
            if (ev.type === 'write_rows') seen.push(...ev.rows.map((r) => r['@1'] as number));
            if (seen.includes(20)) return;
          }
        })();
        await server.sql(
          Array.from({ length: 5 }, (_, i) => `INSERT INTO hb.t VALUES (${11 + i})`).join(';'),
        );
        for (let i = 0; i < 100 && seen.length < 5; i++) await sleep(50);
        assert.equal(seen.length, 5);

        const t0 = Date.now();
        process.kill(server.pid, 'SIGSTOP');
        let detectedMs = -1;
        try {
          for (let i = 0; i < 60 && causes.length === 0; i++) await sleep(50);
          detectedMs = Date.now() - t0;
          await sleep(1000); // reconnect attempts meet a frozen server meanwhile
        } finally {
          process.kill(server.pid, 'SIGCONT');
        }
        assert.equal(causes[0], ErrorCode.ERR_READ_TIMEOUT, `first reconnect cause: ${causes.join(', ')}`);
        await server.sql(
          Array.from({ length: 5 }, (_, i) => `INSERT INTO hb.t VALUES (${16 + i})`).join(';'),
        );
        await consumer;
        assert.deepEqual(
          seen,
          Array.from({ length: 10 }, (_, i) => 11 + i),
        );
        assert.ok(stream.reconnects >= 1);
        console.log(
          `# read-timeout ${JSON.stringify({ server: name, detectedWithinMs: detectedMs, causes, reconnects: stream.reconnects })}`,
        );
      } finally {
        await syncer.close();
      }
    });
  });
}
