// Binlogs encrypted at rest (MariaDB encrypt_binlog with file_key_management, MySQL binlog_encryption
// with the component_keyring_file keyring). The files cannot be read without the key: readBinlogFile
// stops with ERR_ENCRYPTED where the server's own tool stops, keeping every event before. A server's dump
// sends them decrypted: the stream's rows equal SELECT and its positions SHOW BINLOG EVENTS; a backup holds
// what the server sent, byte for byte as `mysqlbinlog --raw` writes it, and reads back as the stream did.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import type { BinlogEvent } from '../../../src/binlog/types.js';
import { DecodeError, ErrorCode } from '../../../src/errors.js';
import { readBinlogFile } from '../../../src/file/read-binlog-file.js';
import { backup } from '../../../src/replication/backup.js';
import { BinlogSyncer } from '../../../src/replication/syncer.js';
import type { LocalServer } from '../../../src/servers/local-server.js';
import { startTestServer, testServerNames } from '../../harness/servers.js';
import {
  assertResumeAtLogEnd,
  binlogEvents,
  collect,
  rawClientCopy,
  settledLogs,
  syncerOptions,
  tempDirs,
} from './helpers.js';

const run = promisify(execFile);
const tempDir = tempDirs('binlogsync-enc-');

type RowsEvent = Extract<BinlogEvent, { type: 'write_rows' | 'update_rows' | 'delete_rows' }>;
const isRows = (e: BinlogEvent): e is RowsEvent =>
  e.type === 'write_rows' || e.type === 'update_rows' || e.type === 'delete_rows';

/** The rows of the table's row events as the mysql client prints them: tab-separated, NULL as NULL. */
function rowLines(events: BinlogEvent[]): string[] {
  const out: string[] = [];
  for (const e of events) {
    if (!isRows(e) || e.type !== 'write_rows' || e.table !== 't') continue;
    for (const r of e.rows)
      out.push(
        Object.values(r)
          .map((v) => (v === null ? 'NULL' : typeof v === 'object' ? JSON.stringify(v) : String(v)))
          .join('\t'),
      );
  }
  return out;
}

/** Every event of a file, and the error that ended it (undefined when it was read to the end). */
async function readAll(path: string, fileName: string): Promise<{ events: BinlogEvent[]; error?: unknown }> {
  const events: BinlogEvent[] = [];
  try {
    for await (const ev of readBinlogFile(path, { fileName })) events.push(ev);
    return { events };
  } catch (error) {
    return { events, error };
  }
}

/** The server tool's verdict on a file: its exit code and everything it printed. */
async function tool(server: LocalServer, path: string): Promise<{ code: number; out: string }> {
  try {
    const r = await run(server.tools.binlogTool, ['-vv', path], { maxBuffer: 64 << 20 });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: x.code ?? -1, out: `${x.stdout ?? ''}${x.stderr ?? ''}` };
  }
}

const WRITES = [
  "INSERT INTO e.t VALUES (1, 'héllo wörld', 12345.678901, '2024-02-29 23:59:59.123456'), (2, NULL, -0.000001, NULL)",
  "INSERT INTO e.t SELECT 100 + a.n * 10 + b.n, REPEAT('x', a.n * 10 + b.n), a.n / 7, '1999-12-31 00:00:00' FROM e.digits a, e.digits b",
  'FLUSH BINARY LOGS',
  "INSERT INTO e.t VALUES (3, '日本語', 0, '2000-01-01 00:00:00.000001')",
].join('; ');

for (const name of testServerNames()) {
  const mysql = name.startsWith('mysql');
  describe(`binlog encrypted at rest on ${name}`, () => {
    let server: LocalServer;
    let files: { file: string; size: number }[];
    test('setup', async () => {
      server = await startTestServer(name, { encryptBinlog: true, options: ['--binlog-row-metadata=FULL'] });
      await server.sql(
        'CREATE DATABASE e; CREATE TABLE e.digits (n INT PRIMARY KEY); ' +
          'INSERT INTO e.digits VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9); ' +
          'CREATE TABLE e.t (id INT PRIMARY KEY, s VARCHAR(200), d DECIMAL(20,6), dt DATETIME(6)) DEFAULT CHARSET utf8mb4',
      );
      await server.sql(WRITES);
      files = await settledLogs(server, { encrypted: true });
      assert.ok(files.length >= 2);
    });

    test('the files: ERR_ENCRYPTED where the server tool stops, the events before it kept', async () => {
      for (const { file } of files) {
        const path = server.binlogPath(file);
        const { events, error } = await readAll(path, file);
        assert.ok(error instanceof DecodeError, `${file}: ${String(error)}`);
        assert.equal(error.code, ErrorCode.ERR_ENCRYPTED);
        assert.equal(error.file, file);
        const theirs = await tool(server, path);
        if (mysql) {
          assert.notEqual(theirs.code, 0, `${server.tools.binlogTool} read ${file}`);
          // a 512-byte encryption header instead of \xfebin: nothing readable at all
          assert.equal(error.pos, 0);
          assert.equal(events.length, 0);
          assert.match(theirs.out, /Reading encrypted log files directly is not supported/);
          assert.match(error.message, /binlog_encryption=ON.*key MySQLReplicationKey_/);
        } else {
          // FORMAT_DESCRIPTION and START_ENCRYPTION are plain; what follows is not (mariadb-binlog says
          // so, though its exit code is 0)
          assert.deepEqual(
            events.map((e) => e.type),
            ['format_description', 'mariadb_start_encryption'],
          );
          // where it stops: "Could not read entry at offset N" (a closed file); a file in use ends
          // quietly after the last event it printed, the START_ENCRYPTION (`# at N`)
          assert.match(theirs.out, /Event decryption failure/);
          const stopped = /Could not read entry at offset (\d+)/.exec(theirs.out)?.[1];
          if (stopped !== undefined) assert.equal(error.pos, Number(stopped), theirs.out.slice(-300));
          const lastAt = [...theirs.out.matchAll(/^# at (\d+)$/gm)].at(-1)?.[1];
          assert.equal(events[1].pos, Number(lastAt), theirs.out.slice(-300));
          assert.equal(error.pos, events[1].next);
        }
      }
    });

    test('a stream from the server is decrypted: rows equal SELECT, positions SHOW BINLOG EVENTS', async () => {
      // ANNOTATE_ROWS delivered too, so that every event SHOW BINLOG EVENTS lists is there
      const syncer = new BinlogSyncer(syncerOptions(server, { annotateRows: true }));
      try {
        const stream = await syncer.startSync({ file: files[0].file, pos: 4 }, { nonBlocking: true });
        const events = (await collect(stream)) as BinlogEvent[];
        const select = (await server.sql('SELECT id, s, d, dt FROM e.t ORDER BY id')).trim().split('\n');
        assert.deepEqual(rowLines(events).sort(), [...select].sort());
        assert.equal(rowLines(events).length, 103);
        for (const { file } of files) {
          const shown = (await binlogEvents(server, file)).map((e) => e.pos);
          const seen = [...new Set(events.filter((e) => e.file === file).map((e) => e.pos))];
          assert.deepEqual(seen, shown, `positions in ${file}`);
        }
        // from every transaction start in the first file, the same events as from its start (a MariaDB
        // dump re-sends START_ENCRYPTION there, which occupies no place)
        const starts = events
          .filter((e) => e.file === files[0].file && (e.type === 'gtid' || e.type === 'mariadb_gtid'))
          .map((e) => e.pos);
        assert.ok(starts.length >= 4, `${starts.length} transactions`);
        const key = (e: BinlogEvent): string => `${e.file}:${e.pos}:${e.type}`;
        for (const pos of starts) {
          const again = new BinlogSyncer(syncerOptions(server, { annotateRows: true }));
          try {
            const s2 = await again.startSync({ file: files[0].file, pos }, { nonBlocking: true });
            const got = ((await collect(s2)) as BinlogEvent[]).filter((e) => e.next > e.pos).map(key);
            const want = events
              .filter((e) => e.next > e.pos && (e.file !== files[0].file || e.pos >= pos))
              .map(key);
            assert.deepEqual(got, want, `from ${files[0].file}:${pos}`);
          } finally {
            await again.close();
          }
        }
        // not the file size on MySQL: its encrypted files have a 512-byte header before the offsets
        await assertResumeAtLogEnd(server, stream);
      } finally {
        await syncer.close();
      }
    });

    test('backup: the bytes the server sends, as its raw client writes them, resumed; read back like the stream', async () => {
      const ours = tempDir();
      const first = await backup(syncerOptions(server), { dir: ours, start: 'first', nonBlocking: true });
      assert.deepEqual(
        first.files,
        files.map((f) => f.file),
      );
      await server.sql("INSERT INTO e.t VALUES (4, 'after the first copy', 4, NULL); FLUSH BINARY LOGS");
      await server.sql("INSERT INTO e.t VALUES (5, 'in the newest file', 5, NULL)");
      const now = await settledLogs(server, { encrypted: true });
      const second = await backup(syncerOptions(server), { dir: ours, start: 'first', nonBlocking: true });
      assert.equal(second.resumed, true);
      assert.deepEqual(readdirSync(ours).sort(), now.map((f) => f.file).sort());

      const theirs = tempDir();
      await rawClientCopy(server, now[0].file, theirs);
      for (const { file } of now) {
        const a = readFileSync(join(ours, file));
        assert.ok(a.equals(readFileSync(join(theirs, file))), `${file} differs from the raw client's copy`);
        // plain text on disk: not the server's (encrypted) file
        assert.ok(!a.equals(readFileSync(server.binlogPath(file))));
      }

      const fromFiles: BinlogEvent[] = [];
      for (const { file } of now) {
        const { events, error } = await readAll(join(ours, file), file);
        assert.equal(error, undefined, `${file}: ${String(error)}`);
        fromFiles.push(...events);
      }
      const select = (await server.sql('SELECT id, s, d, dt FROM e.t ORDER BY id')).trim().split('\n');
      assert.deepEqual(rowLines(fromFiles).sort(), [...select].sort());
      const syncer = new BinlogSyncer(syncerOptions(server));
      try {
        const stream = await syncer.startSync({ file: now[0].file, pos: 4 }, { nonBlocking: true });
        const streamed = ((await collect(stream)) as BinlogEvent[]).filter(isRows);
        assert.deepEqual(
          fromFiles.filter(isRows).map((e) => [e.pos, e.rows]),
          streamed.map((e) => [e.pos, e.rows]),
        );
      } finally {
        await syncer.close();
      }
    });
  });
}
