// A stream by GTID whose source comes back with the same GTIDs but new binlog files, numbered from 1 again
// (a source rebuilt from a backup, or a failover to a server whose files are numbered lower). The stream
// reconnects by GTID; the transactions after it are new whatever their file and offset, and must each
// arrive once. (Before, they were compared by place with the old files and skipped as duplicates: none
// arrived and the resume point stayed where it was.)
import assert from 'node:assert/strict';
import { readdirSync, rmSync } from 'node:fs';
import { describe, test } from 'node:test';
import type { BinlogStream } from '../../../src/replication/stream.js';
import { BinlogSyncer } from '../../../src/replication/syncer.js';
import type { LocalServer } from '../../../src/servers/local-server.js';
import { startTestServer, testServerNames } from '../../harness/servers.js';
import { sleep, syncerOptions } from './helpers.js';

async function gtidState(s: LocalServer): Promise<string> {
  const q = s.flavor === 'mysql' ? 'SELECT @@gtid_executed' : 'SELECT @@gtid_binlog_pos';
  return (await s.sql(q)).trim().replace(/\\n/g, '');
}

for (const name of testServerNames()) {
  describe(`a GTID stream across a source whose binlog numbering starts again on ${name}`, () => {
    let server: LocalServer;

    test('the rows after it arrive once; the resume point moves into the new files', async () => {
      server = await startTestServer(name);
      const mysql = server.flavor === 'mysql';
      await server.sql('CREATE DATABASE gr; CREATE TABLE gr.t (id INT PRIMARY KEY)');
      for (let i = 0; i < 5; i++) await server.sql('FLUSH BINARY LOGS');
      await server.sql('INSERT INTO gr.t VALUES (1)');
      const syncer = new BinlogSyncer(
        syncerOptions(server, { reconnect: { maxAttempts: 400, initialDelay: 50, maxDelay: 250 } }),
      );
      const ids: number[] = [];
      let stream: BinlogStream | undefined;
      try {
        stream = await syncer.startSyncGtid(await gtidState(server));
        const s = stream;
        const consumer = (async () => {
          for await (const ev of s)
            if (ev.type === 'write_rows' && ev.table === 't') ids.push(...ev.rows.map((r) => r.id as number));
        })();
        await server.sql('INSERT INTO gr.t VALUES (2)');
        for (let i = 0; i < 100 && ids.length < 1; i++) await sleep(50);
        assert.deepEqual(ids, [2]);
        const before = stream.resumePoint;
        assert.match(before.file, /\.000006$/);
        const state = (await server.sql('SELECT @@gtid_binlog_state').catch(() => '')).trim();
        const executed = await gtidState(server);
        // The stream may see a transaction before its engine commit is written: the server relies on the
        // binlog to finish it after a crash, and this test deletes that binlog. Written out first, the
        // rebuilt source has every GTID the stream has (else MySQL refuses the reconnect: 1236, "the
        // replica has more GTIDs than the source").
        await server.sql('FLUSH NO_WRITE_TO_BINLOG ENGINE LOGS'); // not logged: no GTID of its own
        // stopped hard, its binlog files gone; MySQL keeps its GTIDs in mysql.gtid_executed, MariaDB is
        // given its GTID state again (as a rebuilt source would be)
        await server.restart({
          kill: true,
          whileStopped: () => {
            for (const f of readdirSync(server.datadir))
              if (/^(binlog|mariadb-bin)\.(\d+|index|state)$/.test(f)) rmSync(server.binlogPath(f));
          },
        });
        if (!mysql) await server.sql(`RESET MASTER; SET GLOBAL gtid_binlog_state = '${state}'`);
        assert.equal(await gtidState(server), executed, 'the rebuilt source lost GTIDs');
        for (let i = 3; i <= 6; i++) await server.sql(`INSERT INTO gr.t VALUES (${i})`);
        assert.match((await server.sql('SHOW BINARY LOGS')).trim(), /\.000001\t/);
        for (let i = 0; i < 400 && ids.length < 5; i++) await sleep(50);
        await sleep(300);
        assert.deepEqual(ids, [2, 3, 4, 5, 6]);
        assert.ok(stream.reconnects >= 1);
        assert.match(stream.resumePoint.file, /\.000001$/);
        assert.equal(stream.resumePoint.gtid, await gtidState(server));
        await syncer.close();
        await consumer;
      } finally {
        await syncer.close();
      }
    });
  });
}
