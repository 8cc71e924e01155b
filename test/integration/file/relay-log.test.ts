// readBinlogFile accepts a relay log: a MariaDB 11.8 replica's relay log (its own FORMAT_DESCRIPTION, the
// source's FORMAT_DESCRIPTION after an artificial ROTATE, then the replicated events with the source's
// end_log_pos) decodes completely and agrees with mariadb-binlog -vv, also read from a start past the
// source's FORMAT_DESCRIPTION whose checksum setting differs from the relay log's. (MariaDB: two harness servers of
// one flavor share the template's server UUID, which MySQL replication refuses.)
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, test } from 'node:test';
import type { BinlogEvent } from '../../../src/binlog/types.js';
import { readBinlogFile } from '../../../src/file/read-binlog-file.js';
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

  // The relay log's own FORMAT_DESCRIPTION says CRC32 (the replica's setting), its source's says NONE:
  // read from a start past the source's FORMAT_DESCRIPTION, the events must still be read without
  // checksums (the reader jumped over it, and checked each event for a CRC32 it does not have).
  test('read from a start past the source’s FORMAT_DESCRIPTION: its checksum setting still holds', async () => {
    const source = await startTestServer('mariadb-11.8', { options: ['--binlog-checksum=NONE'] });
    const replica = await startTestServer('mariadb-11.8', {
      options: ['--relay-log=relay-bin', '--skip-slave-start', '--binlog-checksum=CRC32'],
    });
    await source.sql(
      "CREATE USER 'repl'@'%' IDENTIFIED BY 'repl-pass'; GRANT REPLICATION SLAVE ON *.* TO 'repl'@'%'",
    );
    await replica.sql(
      `CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=${source.port}, MASTER_USER='repl', ` +
        "MASTER_PASSWORD='repl-pass', MASTER_USE_GTID=slave_pos; START SLAVE",
    );
    await source.sql(
      'CREATE DATABASE rs; CREATE TABLE rs.t (id INT PRIMARY KEY, v VARCHAR(10)); ' +
        "INSERT INTO rs.t VALUES (1, 'a'); INSERT INTO rs.t VALUES (2, 'b'); INSERT INTO rs.t VALUES (3, 'c')",
    );
    await waitFor(
      async () => (await replica.sql('SELECT COUNT(*) FROM rs.t').catch(() => '')).trim() === '3',
      'the replica to apply the rows',
    );
    await replica.sql('STOP SLAVE');
    // the relay log file that holds the rows
    let relay = '';
    let all: BinlogEvent[] = [];
    for (const f of readdirSync(replica.datadir).filter((n) => /^relay-bin\.\d+$/.test(n))) {
      const events: BinlogEvent[] = [];
      for await (const ev of readBinlogFile(replica.binlogPath(f))) events.push(ev);
      if (events.some((e) => e.type === 'write_rows')) [relay, all] = [replica.binlogPath(f), events];
    }
    assert.ok(relay, 'a relay log file with the rows');
    const fdes = all.filter((e) => e.type === 'format_description');
    assert.ok(fdes.length >= 2, 'the relay log’s and the source’s FORMAT_DESCRIPTION');
    assert.equal(all.filter((e) => e.type === 'write_rows').length, 3);
    // from each transaction start after the source's FORMAT_DESCRIPTION
    const starts = all.filter((e) => e.type === 'mariadb_gtid' && e.pos > fdes[1].pos);
    assert.ok(starts.length >= 3, `${starts.length} transactions`);
    for (const from of starts) {
      const got: BinlogEvent[] = [];
      for await (const ev of readBinlogFile(relay, { start: from.pos })) got.push(ev);
      assert.deepEqual(
        got.map((e) => [e.type, e.pos]),
        all.filter((e) => e.pos >= from.pos).map((e) => [e.type, e.pos]),
      );
    }
  });
});
