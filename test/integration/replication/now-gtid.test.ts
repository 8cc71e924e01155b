// startSync('now') on MariaDB: the stream's first resume point is the end of the log and its GTID state,
// of the same moment. The status row has no GTIDs; read apart from @@gtid_binlog_pos, a commit in between
// put into the state a transaction the position is before, and a later resume by that GTID state skipped
// it. Checked against the server's own BINLOG_GTID_POS of each position, while a writer commits as fast
// as it can.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BinlogSyncer } from '../../../src/replication/syncer.js';
import type { LocalServer } from '../../../src/servers/local-server.js';
import { startTestServer, testServerNames } from '../../harness/servers.js';
import { rootConnection, syncerOptions } from './helpers.js';

for (const name of testServerNames().filter((n) => n.startsWith('mariadb'))) {
  describe(`startSync('now') under a busy writer on ${name}`, () => {
    let server: LocalServer;

    test("the first resume point's GTID state is its position's (BINLOG_GTID_POS)", async () => {
      server = await startTestServer(name);
      await server.sql('CREATE DATABASE ng; CREATE TABLE ng.t (id INT PRIMARY KEY)');
      const writer = await rootConnection(server);
      let stop = false;
      let n = 0;
      const writing = (async () => {
        while (!stop) await writer.query(`INSERT INTO ng.t VALUES (${++n})`);
      })();
      const checker = await rootConnection(server);
      const mismatches: string[] = [];
      try {
        for (let i = 0; i < 40; i++) {
          const syncer = new BinlogSyncer(syncerOptions(server, { schemaLookup: 'off' }));
          try {
            const rp = (await syncer.startSync('now')).resumePoint;
            const [[exact]] = (await checker.query(`SELECT BINLOG_GTID_POS('${rp.file}', ${rp.pos})`)).rows;
            if (exact !== rp.gtid) mismatches.push(`${rp.file}:${rp.pos} ${rp.gtid} ≠ ${exact}`);
          } finally {
            await syncer.close();
          }
        }
      } finally {
        stop = true;
        await writing;
        await writer.close();
        await checker.close();
      }
      assert.ok(n > 100, `${n} commits while checking`);
      assert.deepEqual(mismatches, []);
    });
  });
}
