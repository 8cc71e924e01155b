// A start position that is not where an event starts.
//
// The source reads whatever bytes are there as an event header and answers with error 1236 ("binlog
// truncated in the middle of event", "log event entry exceeded max_allowed_packet", "bogus data in log
// event") or sends bytes whose CRC32 fails. "Truncated" is also what a crash's cut-off tail gets, which
// the stream steps over to the next file when that file was opened at a server start: so a start inside
// an event of a file followed by such a file skipped the rest of the file without an error (a review
// found rows 1–3 missing, exit 0). Now the stream fails naming the start: MariaDB says whether an offset
// starts an event (BINLOG_GTID_POS), MySQL cannot be asked, so its error asks the question.
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { describe, test } from 'node:test';
import { BinlogSyncError, ConfigError } from '../../../src/errors.js';
import { BinlogSyncer } from '../../../src/replication/syncer.js';
import type { LocalServer } from '../../../src/servers/local-server.js';
import { startTestServer, testServerNames } from '../../harness/servers.js';
import { binlogEvents, logStatus, syncerOptions } from './helpers.js';

/** The ids of the rows a non-blocking stream from `file`:`pos` hands out, and how it ended. */
async function streamFrom(
  server: LocalServer,
  file: string,
  pos: number,
): Promise<{ ids: number[]; error: unknown }> {
  const syncer = new BinlogSyncer(syncerOptions(server));
  const ids: number[] = [];
  let error: unknown;
  try {
    const stream = await syncer.startSync({ file, pos }, { nonBlocking: true });
    for await (const ev of stream)
      if (ev.type === 'write_rows' && ev.table === 't') for (const r of ev.rows) ids.push(r.id as number);
  } catch (e) {
    error = e;
  } finally {
    await syncer.close();
  }
  return { ids, error };
}

for (const name of testServerNames()) {
  describe(`a start inside an event, ${name}`, () => {
    let server: LocalServer;
    let file: string;
    let events: { pos: number; end: number; type: string }[];

    test('setup: rows 1-3 in a file closed by a restart, row 4 in the next', async () => {
      server = await startTestServer(name);
      file = (await logStatus(server)).file;
      await server.sql(
        "CREATE DATABASE bs; CREATE TABLE bs.t (id INT PRIMARY KEY, v VARCHAR(100)); INSERT INTO bs.t VALUES (1, 'a'), (2, 'b'); INSERT INTO bs.t VALUES (3, REPEAT('c', 60))",
      );
      events = await binlogEvents(server, file);
      // the next file is opened at a server start, as after a crash
      await server.restart();
      await server.sql("INSERT INTO bs.t VALUES (4, 'after')");
      assert.notEqual((await logStatus(server)).file, file);
    });

    test('inside the FORMAT_DESCRIPTION, a table map, a rows event: an error naming the start, no row skipped to', async () => {
      const map = events.filter((e) => e.type === 'Table_map').at(-1)!;
      const rows = events.filter((e) => /^Write_rows/.test(e.type)).at(-1)!;
      for (const pos of [7, map.pos + 3, rows.pos + 5]) {
        const { ids, error } = await streamFrom(server, file, pos);
        assert.deepEqual(ids, [], `start ${pos}: rows handed out`);
        assert.ok(error instanceof BinlogSyncError, `start ${pos}: ${String(error)}`);
        // eslint-disable-next-line no-control-regex
        assert.doesNotMatch(error.message, /[\x00-\x1f]/);
        if (server.flavor === 'mariadb') {
          assert.ok(error instanceof ConfigError, error.message);
          assert.equal(error.code, 'ERR_INVALID_OPTION');
          assert.match(error.message, new RegExp(`^start ${file}:${pos} is not where an event starts \\(`));
        } else {
          assert.ok(error.message.includes(`is ${file}:${pos} where an event starts?`), error.message);
        }
      }
    });

    test('past the end of its file: an error naming the start and the size of the file', async () => {
      const size = statSync(server.binlogPath(file)).size;
      const { ids, error } = await streamFrom(server, file, size + 100);
      assert.deepEqual(ids, []);
      assert.ok(error instanceof ConfigError, String(error));
      assert.match(
        error.message,
        new RegExp(`^start ${file}:${size + 100} is past the end of ${file} \\(${size} bytes`),
      );
    });

    test('where an event starts: every row from there, into the next file', async () => {
      const rows = events.filter((e) => /^Write_rows/.test(e.type));
      // the second INSERT's transaction (its GTID event), then the first one's
      const gtids = events.filter((e) => /Gtid/.test(e.type) && e.pos < rows[1].pos);
      const { ids, error } = await streamFrom(server, file, gtids.at(-1)!.pos);
      assert.equal(error, undefined);
      assert.deepEqual(ids, [3, 4]);
      const all = await streamFrom(server, file, 4);
      assert.deepEqual(all.ids, [1, 2, 3, 4]);
    });
  });
}
