// readBinlogFile accepts a relay log: a MariaDB 11.8 replica's relay log (its own FORMAT_DESCRIPTION, the
// source's FORMAT_DESCRIPTION after an artificial ROTATE, then the replicated events with the source's
// end_log_pos) decodes completely and agrees with mariadb-binlog -vv. (MariaDB: two harness servers of
// one flavor share the template's server UUID, which MySQL replication refuses.)
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, test } from 'node:test';
import { startTestServer, testServerNames } from '../../harness/servers.js';
import { workloadSql } from '../../fixtures/workload.js';
import { compareEvents } from '../../binlog/reference/compare.js';
import { parseMysqlbinlogOutput } from '../../binlog/reference/mysqlbinlog-output.js';
import { decodeFile, referenceOutputOf } from '../binlog/select-compare.js';

const enabled = testServerNames().includes('mariadb-11.8');

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('relay log', { skip: enabled ? false : 'mariadb-11.8 not in BINLOGSYNC_TEST_SERVERS' }, () => {
  test('a MariaDB 11.8 replica relay log decodes and matches mariadb-binlog', async () => {
    const source = await startTestServer('mariadb-11.8', { options: ['--binlog-row-metadata=FULL'] });
    const replica = await startTestServer('mariadb-11.8', {
      options: ['--relay-log=relay-bin', '--skip-slave-start'],
    });
    await source.sql(
      "CREATE USER 'repl'@'%' IDENTIFIED BY 'repl-pass'; GRANT REPLICATION SLAVE ON *.* TO 'repl'@'%'",
    );
    await replica.sql(
      `CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=${source.port}, MASTER_USER='repl', ` +
        "MASTER_PASSWORD='repl-pass', MASTER_USE_GTID=slave_pos; START SLAVE",
    );
    await source.sql(workloadSql('mariadb', 'relaytest'));
    await waitFor(
      async () =>
        (
          await replica.sql(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'relaytest' AND table_name = 'geo'",
          )
        ).trim() === '1' && (await replica.sql('SELECT COUNT(*) FROM relaytest.geo')).trim() === '3',
      'the replica to apply the workload',
    );
    await replica.sql('STOP SLAVE');
    const relays = readdirSync(replica.datadir)
      .filter((f) => /^relay-bin\.\d+$/.test(f))
      .sort();
    assert.ok(relays.length >= 1, 'a relay log file');
    let rowsEvents = 0;
    for (const name of relays) {
      const path = replica.binlogPath(name);
      const events = await decodeFile(path);
      const ref = parseMysqlbinlogOutput(await referenceOutputOf(replica, path));
      const diffs = compareEvents(events, ref, { flavor: 'mariadb' });
      assert.deepEqual(diffs, [], `${name}: ${diffs.join('\n')}`);
      assert.equal(events.length, ref.length);
      assert.equal(events[0].type, 'format_description');
      rowsEvents += events.filter((e) => e.type.endsWith('_rows')).length;
      // relay-log events keep the source's positions: end_log_pos is not pos + length
      if (events.some((e) => e.type === 'write_rows'))
        assert.ok(events.some((e) => e.logPos !== 0 && e.logPos !== e.next));
    }
    assert.ok(rowsEvents >= 5, `${rowsEvents} rows events in the relay logs`);
  });
});
