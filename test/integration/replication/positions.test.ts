// Every delivered event's pos / next are its real offsets in the source's file, as the server's own tool
// prints them (`# at N` of mysqlbinlog / mariadb-binlog on the datadir file), whatever the start: the
// beginning, a position in the middle, a GTID state. MariaDB 11.4+ writes end_log_pos 0 for the events
// inside a transaction (binlog_legacy_event_pos=OFF), so offsets there come from lengths, not headers.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { isArtificial } from '../../../src/replication/positions.js';
import type { StreamEvent } from '../../../src/replication/stream.js';
import { BinlogSyncer } from '../../../src/replication/syncer.js';
import type { LocalServer } from '../../../src/servers/local-server.js';
import { startTestServer, testServerNames } from '../../harness/servers.js';
import { bulkInsertSql, collect, digitsSql, logStatus, settledLogs, syncerOptions } from './helpers.js';

const run = promisify(execFile);

interface Place {
  file: string;
  pos: number;
  next: number;
}
const ANNOTATE_ROWS = 160;

/** The events of every binlog file as the server's tool places them (with their type code, from the file). */
async function toolPlaces(server: LocalServer): Promise<(Place & { code: number })[]> {
  const out: (Place & { code: number })[] = [];
  for (const { file } of await settledLogs(server)) {
    const path = server.binlogPath(file);
    const { stdout } = await run(server.tools.binlogTool, [path], { maxBuffer: 256 * 1024 * 1024 });
    const at = [...stdout.matchAll(/^# at (\d+)$/gm)].map((m) => Number(m[1]));
    const bytes = readFileSync(path);
    at.forEach((pos, i) => out.push({ file, pos, next: at[i + 1] ?? bytes.length, code: bytes[pos + 4] }));
  }
  return out;
}

/** Real events of a stream (those with a place in a file; events inside a payload share the payload's). */
function placesOf(events: StreamEvent[]): Place[] {
  return events
    .filter((e) => !isArtificial(e.code, e.logPos, e.flags) && !('payload' in e && e.payload !== undefined))
    .map((e) => ({ file: e.file, pos: e.pos, next: e.next }));
}

for (const name of testServerNames()) {
  describe(`event positions on ${name}`, () => {
    let server: LocalServer;
    let middle: { file: string; pos: number; gtid: string };
    let all: (Place & { code: number })[];
    /** What a stream delivers: MariaDB's ANNOTATE_ROWS only with annotateRows. */
    let expected: Place[];
    let legacyPositions = 0;

    test('setup: transactions of many events, big rows, DDL, rotations', async () => {
      server = await startTestServer(name);
      await server.sql(
        `CREATE DATABASE ps; ${digitsSql('ps')}; CREATE TABLE ps.t (id INT PRIMARY KEY, v TEXT)`,
      );
      await server.sql(
        "BEGIN; INSERT INTO ps.t VALUES (1, 'a'); UPDATE ps.t SET v = 'b' WHERE id = 1; " +
          "INSERT INTO ps.t VALUES (2, 'c'); DELETE FROM ps.t WHERE id = 2; COMMIT; " +
          `${bulkInsertSql('ps', 't', 1000, 3000, "REPEAT('z', 300)")}; FLUSH BINARY LOGS`,
      );
      const st = await logStatus(server);
      const gtid = (
        await server.sql(server.flavor === 'mysql' ? 'SELECT @@gtid_executed' : 'SELECT @@gtid_binlog_pos')
      )
        .trim()
        .replace(/\\n/g, '');
      middle = { ...st, gtid };
      await server.sql(
        'ALTER TABLE ps.t ADD COLUMN w INT; UPDATE ps.t SET w = id WHERE id < 1500; FLUSH BINARY LOGS; ' +
          "BEGIN; INSERT INTO ps.t VALUES (5, 'e', 5); INSERT INTO ps.t VALUES (6, 'f', 6); COMMIT",
      );
      all = await toolPlaces(server);
      expected = all
        .filter((p) => p.code !== ANNOTATE_ROWS)
        .map(({ file, pos, next }) => ({ file, pos, next }));
      assert.ok(expected.length > 40);
    });

    for (const [label, extra] of [
      ['decoded', {}],
      ['decoded, annotateRows', { annotateRows: true }],
      ['raw, annotateRows', { rawMode: true, annotateRows: true }],
    ] as const) {
      test(`from the first file, ${label}: every event where the tool puts it`, async () => {
        const syncer = new BinlogSyncer(syncerOptions(server, { ...extra, schemaLookup: 'off' }));
        try {
          const stream = await syncer.startSync({ file: expected[0].file, pos: 4 }, { nonBlocking: true });
          const events = await collect(stream);
          legacyPositions += events.filter((e) => e.logPos === 0 && !isArtificial(e.code, 0, e.flags)).length;
          const want =
            'annotateRows' in extra ? all.map(({ file, pos, next }) => ({ file, pos, next })) : expected;
          assert.deepEqual(placesOf(events), want);
        } finally {
          await syncer.close();
        }
      });
    }

    test('from a position in the middle and from a GTID state: the same places', async () => {
      const tail = expected.filter(
        (p) => p.file > middle.file || (p.file === middle.file && p.pos >= middle.pos),
      );
      assert.ok(tail.length > 10 && tail.length < expected.length);
      const syncer = new BinlogSyncer(syncerOptions(server, { schemaLookup: 'off' }));
      try {
        const byPos = await collect(await syncer.startSync(middle, { nonBlocking: true }));
        assert.deepEqual(placesOf(byPos), tail);
        const byGtid = await collect(await syncer.startSyncGtid(middle.gtid, { nonBlocking: true }));
        // A GTID dump starts at the beginning of a file and skips the transactions already seen: what it
        // sends sits where the tool says, and ends with the same events.
        const got = placesOf(byGtid);
        const known = new Set(expected.map((p) => `${p.file}:${p.pos}:${p.next}`));
        assert.deepEqual(
          got.filter((p) => !known.has(`${p.file}:${p.pos}:${p.next}`)),
          [],
        );
        assert.deepEqual(got.slice(-tail.length + 2), tail.slice(-tail.length + 2));
      } finally {
        await syncer.close();
      }
      if (name === 'mariadb-11.8') {
        assert.ok(legacyPositions > 20, `end_log_pos 0 inside transactions (${legacyPositions} events)`);
      }
    });
  });
}
