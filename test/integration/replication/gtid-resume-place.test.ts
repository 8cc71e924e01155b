// A dump by GTID: the resume point's place (file, pos) and its GTID state stand at the same point, so that
// either one resumes the stream.
// - The source leaves out the transactions the GTID state it was given holds: the place moves up to the
//   first transaction it sends. It stayed before the ones left out, and a resume by place repeated them.
// - A reconnect by GTID between transactions: the new dump's first ROTATE names the start of a file, and
//   the place stays where it was. It went back to pos 4 until the next commit, and a resume by place
//   handed out the whole file again.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ResumePoint } from '../../../src/replication/resume.js';
import type { StreamEvent } from '../../../src/replication/stream.js';
import { BinlogSyncer } from '../../../src/replication/syncer.js';
import type { LocalServer } from '../../../src/servers/local-server.js';
import { startTestServer, testServerNames } from '../../harness/servers.js';
import { syncerOptions, waitForDumpThread } from './helpers.js';

const TRX_START = new Set(['gtid', 'gtid_tagged', 'mariadb_gtid']);

for (const name of testServerNames()) {
  describe(`the resume point's place in a dump by GTID on ${name}`, () => {
    let server: LocalServer;
    before(async () => {
      server = await startTestServer(name);
      await server.sql('CREATE DATABASE gp; CREATE TABLE gp.t (id INT PRIMARY KEY)');
    });
    after(() => server?.stop());

    const gtidState = async (): Promise<string> =>
      (await server.sql(server.flavor === 'mysql' ? 'SELECT @@gtid_executed' : 'SELECT @@gtid_binlog_pos'))
        .trim()
        .replace(/\\n/g, '');

    const ids = (ev: StreamEvent): number[] =>
      ev.type === 'write_rows' && ev.schema === 'gp' ? ev.rows.map((r) => r.id as number) : [];

    /** The gp.t ids a non-blocking dump from the resume point's place hands out. */
    async function idsFromPlace(rp: ResumePoint): Promise<number[]> {
      const syncer = new BinlogSyncer(syncerOptions(server));
      try {
        const out: number[] = [];
        for await (const ev of await syncer.startSync({ file: rp.file, pos: rp.pos }, { nonBlocking: true }))
          out.push(...ids(ev));
        return out;
      } finally {
        await syncer.close();
      }
    }

    test('transactions the GTID state holds are left out: the place moves up to the first one sent', async () => {
      await server.sql(
        'FLUSH BINARY LOGS; INSERT INTO gp.t VALUES (1); INSERT INTO gp.t VALUES (2); INSERT INTO gp.t VALUES (3)',
      );
      const syncer = new BinlogSyncer(syncerOptions(server));
      try {
        const stream = await syncer.startSyncGtid(await gtidState());
        await server.sql('INSERT INTO gp.t VALUES (4)');
        let atStart: { pos: number; rp: ResumePoint } | undefined;
        const seen: number[] = [];
        for await (const ev of stream) {
          if (TRX_START.has(ev.type) && atStart === undefined)
            atStart = { pos: ev.pos, rp: stream.resumePoint };
          seen.push(...ids(ev));
          if (ev.type === 'xid') break;
        }
        assert.deepEqual(seen, [4]);
        assert.ok(atStart);
        assert.equal(atStart.rp.pos, atStart.pos, 'the resume point stands at the start of the transaction');
        assert.deepEqual(await idsFromPlace(atStart.rp), [4], 'a resume by its place hands out the rest');
      } finally {
        await syncer.close();
      }
    });

    test('a reconnect by GTID between transactions: the place stays where it was', async () => {
      const syncer = new BinlogSyncer(
        syncerOptions(server, { reconnect: { initialDelay: 20, maxDelay: 100, maxAttempts: 50 } }),
      );
      try {
        const stream = await syncer.startSyncGtid(await gtidState());
        await server.sql('INSERT INTO gp.t VALUES (10)');
        let afterFirst: ResumePoint | undefined;
        let atSecond: ResumePoint | undefined;
        const seen: number[] = [];
        for await (const ev of stream) {
          seen.push(...ids(ev));
          if (ev.type === 'xid' && afterFirst === undefined) {
            afterFirst = stream.resumePoint;
            await server.sql(`KILL ${await waitForDumpThread(server)}`);
            await server.sql('INSERT INTO gp.t VALUES (11)');
          } else if (TRX_START.has(ev.type) && afterFirst !== undefined) {
            atSecond = stream.resumePoint;
          } else if (ev.type === 'xid') break;
        }
        assert.deepEqual(seen, [10, 11]);
        assert.ok(stream.reconnects >= 1, 'the stream reconnected');
        assert.ok(afterFirst && atSecond);
        // (MariaDB may have written a BINLOG_CHECKPOINT in between, which the new dump leaves out)
        assert.equal(atSecond.file, afterFirst.file);
        assert.ok(atSecond.pos >= afterFirst.pos, `${atSecond.pos}: the resume point did not move back`);
        assert.equal(atSecond.gtid, afterFirst.gtid);
        assert.deepEqual(await idsFromPlace(atSecond), [11], 'a resume by its place hands out the rest');
      } finally {
        await syncer.close();
      }
    });
  });
}
