// startSync('now'): the stream's first resume point is the end of the log and its GTID state, of the same
// moment, while a writer commits as fast as it can.
// - MariaDB: the status row has no GTIDs; read apart from @@gtid_binlog_pos, a commit in between put into
//   the state a transaction the position is before (a later resume by that state skipped it). Checked
//   against the server's own BINLOG_GTID_POS of each position.
// - MySQL: the status row's Executed_Gtid_Set is read apart from its position, and a transaction gets into
//   gtid_executed only at the commit stage, after the binlog holds it: the set lacked transactions before
//   the position (a later resume by it handed them out again). With BACKUP_ADMIN the start point comes
//   from performance_schema.log_status. Checked against the GTIDs the server lists in its binlog before
//   each position (SHOW BINLOG EVENTS: Previous_gtids, then each Gtid). Without BACKUP_ADMIN the stream
//   still starts, and says in a warning that its GTID set can lag.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MysqlGtidSet } from '../../../src/gtid/mysql-gtid-set.js';
import type { Connection } from '../../../src/protocol/connection.js';
import type { ResumePoint } from '../../../src/replication/resume.js';
import { BinlogSyncer } from '../../../src/replication/syncer.js';
import type { LocalServer } from '../../../src/servers/local-server.js';
import { startTestServer, testServerNames } from '../../harness/servers.js';
import { binlogEvents, rootConnection, syncerOptions } from './helpers.js';

/** Commits single-row INSERTs back to back until stopped; resolves to the number committed. */
function busyWriter(writer: Connection): { stop: () => Promise<number> } {
  let stop = false;
  let n = 0;
  const writing = (async () => {
    while (!stop) await writer.query(`INSERT INTO ng.t VALUES (${++n})`);
  })();
  return {
    stop: async () => {
      stop = true;
      await writing;
      return n;
    },
  };
}

/** MySQL: the executed GTID set at each resume point's position, from the server's own event list. */
async function mysqlSetsAt(server: LocalServer, points: ResumePoint[]): Promise<string[]> {
  const byFile = new Map<string, Awaited<ReturnType<typeof binlogEvents>>>();
  const out: string[] = [];
  for (const rp of points) {
    let events = byFile.get(rp.file);
    if (events === undefined) byFile.set(rp.file, (events = await binlogEvents(server, rp.file)));
    let set = new MysqlGtidSet();
    for (const ev of events) {
      if (ev.pos >= rp.pos) break;
      if (ev.type === 'Previous_gtids') set = MysqlGtidSet.parse(ev.info.replace(/\\n/g, ''));
      const gtid = /GTID_NEXT= '([^']+)'/.exec(ev.info);
      if (ev.type === 'Gtid' && gtid) set.addGtid(gtid[1]);
    }
    out.push(set.toString());
  }
  return out;
}

for (const name of testServerNames()) {
  describe(`startSync('now') under a busy writer on ${name}`, () => {
    let server: LocalServer;
    const mysql = name.startsWith('mysql');

    test("the first resume point's GTID state is its position's", async () => {
      server = await startTestServer(name);
      await server.sql('CREATE DATABASE ng; CREATE TABLE ng.t (id INT PRIMARY KEY)');
      const writer = await rootConnection(server);
      const checker = await rootConnection(server);
      const busy = busyWriter(writer);
      const points: ResumePoint[] = [];
      const mismatches: string[] = [];
      let n = 0;
      try {
        for (let i = 0; i < 40; i++) {
          const syncer = new BinlogSyncer(syncerOptions(server, { schemaLookup: 'off' }));
          try {
            const rp = (await syncer.startSync('now')).resumePoint;
            points.push(rp);
            if (!mysql) {
              const [[exact]] = (await checker.query(`SELECT BINLOG_GTID_POS('${rp.file}', ${rp.pos})`)).rows;
              if (exact !== rp.gtid) mismatches.push(`${rp.file}:${rp.pos} ${rp.gtid} ≠ ${exact}`);
            }
          } finally {
            await syncer.close();
          }
        }
      } finally {
        n = await busy.stop();
        await writer.close();
        await checker.close();
      }
      if (mysql) {
        const truth = await mysqlSetsAt(server, points);
        points.forEach((rp, i) => {
          if (rp.gtid !== truth[i]) mismatches.push(`${rp.file}:${rp.pos} ${rp.gtid} ≠ ${truth[i]}`);
        });
      }
      assert.ok(n > 100, `${n} commits while checking`);
      // the writer kept the end of the log moving under the starts (two starts between the same two
      // commits rightly stand at the same place: a CI run had 39 places for 40 starts)
      const places = new Set(points.map((p) => `${p.file}:${p.pos}`)).size;
      assert.ok(places >= 30, `${places} places for ${points.length} starts`);
      assert.deepEqual(mismatches, []);
    });

    if (mysql) {
      test('without BACKUP_ADMIN: the stream starts at the end of the log, with a warning', async () => {
        await server.sql(
          "CREATE USER 'nb'@'%' IDENTIFIED BY 'nb-pass'; GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'nb'@'%'",
        );
        await server.sql('INSERT INTO ng.t VALUES (1000000000)');
        const warnings: string[] = [];
        const syncer = new BinlogSyncer(
          syncerOptions(server, {
            user: 'nb',
            password: 'nb-pass',
            schemaLookup: 'off',
            logger: { debug() {}, info() {}, error() {}, warn: (_o, msg) => void warnings.push(String(msg)) },
          }),
        );
        try {
          const rp = (await syncer.startSync('now')).resumePoint;
          const status = (await server.sql('SHOW BINARY LOG STATUS')).trim().split('\t');
          assert.deepEqual([rp.file, rp.pos], [status[0], Number(status[1])]);
          assert.equal(rp.gtid, MysqlGtidSet.parse(status[4].replace(/\\n/g, '')).toString());
          assert.equal(warnings.length, 1);
          assert.match(warnings[0], /BACKUP_ADMIN/);
        } finally {
          await syncer.close();
        }
      });
    }
  });
}
