// MariaDB GTID positions over several replication domains: a dump from a GTID state makes the server skip
// the transactions of each domain that the state already has, so the events it sends have gaps between
// them. Every event must still carry its place in the file (SHOW BINLOG EVENTS), the rows must be exactly
// those of the transactions past the state, in binlog order, and a stream started again from each resume
// point's GTID state must give exactly the rest.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { StreamEvent } from '../../../src/replication/stream.js';
import { BinlogSyncer } from '../../../src/replication/syncer.js';
import type { LocalServer } from '../../../src/servers/local-server.js';
import { startTestServer, testServerNames } from '../../harness/servers.js';
import { binlogEvents, collect, logStatus, syncerOptions } from './helpers.js';

const DOMAINS = [1, 2, 3];
const TRANSACTIONS = 36;

interface Trx {
  id: number;
  domain: number;
  seq: number;
}

/** A small deterministic generator (the test must be the same every run). */
function lcg(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

for (const name of testServerNames().filter((n) => n.startsWith('mariadb'))) {
  describe(`GTID positions over several domains on ${name}`, () => {
    let server: LocalServer;
    let file: string;
    const trxs: Trx[] = [];
    /** SHOW BINLOG EVENTS: start → end of every event in the file */
    const places = new Map<number, number>();

    test('setup: transactions interleaved over three domains', async () => {
      server = await startTestServer(name, { options: ['--binlog-row-metadata=FULL'] });
      file = (await logStatus(server)).file;
      await server.sql('CREATE DATABASE dm; CREATE TABLE dm.t (id INT PRIMARY KEY, domain INT)');
      const rnd = lcg(7);
      const steps: string[] = [];
      // one transaction per domain first, so that every domain has a GTID a state can name
      const order = [
        ...DOMAINS,
        ...Array.from({ length: TRANSACTIONS }, () => DOMAINS[Math.floor(rnd() * 3)]),
      ];
      order.forEach((d, i) => {
        const rows = 1 + Math.floor(rnd() * 3);
        const values = Array.from({ length: rows }, (_, r) => `(${(i + 1) * 10 + r}, ${d})`).join(', ');
        steps.push(`SET gtid_domain_id = ${d}; INSERT INTO dm.t VALUES ${values}; SELECT @@last_gtid`);
      });
      const out = (await server.sql(steps.join('; '))).trim().split('\n');
      out.forEach((gtid, i) => {
        const [d, , seq] = gtid.split('-').map(Number);
        assert.equal(d, order[i]);
        trxs.push({ id: (i + 1) * 10, domain: d, seq });
      });
      for (const e of await binlogEvents(server, file)) places.set(e.pos, e.end);
    });

    /** The first row id of each transaction a stream delivered, and the resume points with rows before them. */
    function firstIds(events: StreamEvent[]): number[] {
      const ids: number[] = [];
      for (const ev of events) {
        if (ev.type !== 'write_rows' || ev.table !== 't') continue;
        ids.push(ev.rows[0].id as number);
      }
      return ids;
    }

    test('from GTID states that skip part of each domain: the rest, each event at its place', async () => {
      const rnd = lcg(11);
      for (let k = 0; k < 8; k++) {
        // a state: for each domain, one of its transactions (the stream must start after it)
        const state = DOMAINS.map((d) => {
          const mine = trxs.filter((t) => t.domain === d);
          return mine[Math.floor(rnd() * mine.length)];
        });
        const gtid = state.map((t) => `${t.domain}-${server.serverId}-${t.seq}`).join(',');
        const want = trxs
          .filter((t) => t.seq > state.find((s) => s.domain === t.domain)!.seq)
          .map((t) => t.id);

        const syncer = new BinlogSyncer(syncerOptions(server, { annotateRows: true }));
        try {
          const stream = await syncer.startSyncGtid(gtid, { nonBlocking: true });
          const points: { gtid: string; before: number }[] = [];
          const events: StreamEvent[] = [];
          for await (const ev of stream) {
            events.push(ev);
            const rp = stream.resumePoint.gtid;
            if (rp !== undefined && points.at(-1)?.gtid !== rp)
              points.push({ gtid: rp, before: firstIds(events).length });
          }
          assert.deepEqual(firstIds(events), want, `from ${gtid}`);
          for (const ev of events) {
            if (ev.file !== file || ev.next <= ev.pos) continue;
            const where = `from ${gtid}: ${ev.type} at ${ev.pos}..${ev.next}`;
            assert.equal(places.get(ev.pos), ev.next, where);
            // the header's end_log_pos (0 inside a transaction on 11.4+) is the server's own word
            if (ev.logPos !== 0) assert.equal(ev.logPos, ev.next, where);
          }
          // from every resume point's GTID state (those of this stream), exactly the rest
          for (const { gtid: from, before } of points.filter((_, i) => i % 3 === 0)) {
            const again = new BinlogSyncer(syncerOptions(server));
            try {
              const rest = await collect(await again.startSyncGtid(from, { nonBlocking: true }));
              assert.deepEqual(firstIds(rest), want.slice(before), `from ${from} (resume point of ${gtid})`);
            } finally {
              await again.close();
            }
          }
        } finally {
          await syncer.close();
        }
      }
    });
  });
}
