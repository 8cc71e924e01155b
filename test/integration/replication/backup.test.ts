// backup(): local binlog files byte-identical to the source's datadir files (sha256), and to what
// `mysqlbinlog --read-from-remote-server --raw` writes; across rotations, a killed dump connection, an
// abort in the middle of a transaction and a file cut mid-event (a crash), then resumed.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { AbortError, BinlogSyncError, ConfigError, ErrorCode } from '../../../src/errors.js';
import { backup } from '../../../src/replication/backup.js';
import type { LocalServer } from '../../../src/servers/local-server.js';
import { startTestServer, testServerNames } from '../../harness/servers.js';
import {
  binaryLogs,
  bulkInsertSql,
  digitsSql,
  dumpThreads,
  rawClientCopy,
  settledLogs,
  sha256,
  sleep,
  syncerOptions,
  tempDirs,
} from './helpers.js';

const tempDir = tempDirs('binlogsync-backup-');

/**
 * Every file of `dir` has the sha256 of the source's file of that name. The file the source still writes
 * differs in one bit: its copy says "in use" (LOG_EVENT_BINLOG_IN_USE_F in the FDE's flags, byte 21), what it
 * sends does not (and its copy neither once closed, with a ROTATE appended). The CRC32 of a FDE is computed
 * with that flag clear, so both verify.
 */
function assertIdentical(server: LocalServer, dir: string, files: string[], active?: string): void {
  for (const f of files) {
    if (f !== active) {
      assert.equal(sha256(join(dir, f)), sha256(server.binlogPath(f)), `${f} differs from the source's`);
      continue;
    }
    const src = readFileSync(server.binlogPath(f));
    const copy = readFileSync(join(dir, f));
    assert.equal(src[21] & 1, 1, 'the source marks its open file in use');
    assert.equal(copy[21], src[21] & ~1, 'the copy does not');
    copy[21] = src[21];
    assert.ok(
      copy.equals(src),
      `${f} differs from the source's (beyond the in-use flag): ${copy.length} vs ${src.length} bytes`,
    );
  }
}

for (const name of testServerNames()) {
  describe(`backup on ${name}`, () => {
    let server: LocalServer;
    test('setup', async () => {
      server = await startTestServer(name);
      await server.sql(
        `CREATE DATABASE bk; ${digitsSql('bk')}; CREATE TABLE bk.t (id INT PRIMARY KEY, v VARCHAR(200))`,
      );
    });

    test('non-blocking from the first file: identical to the datadir files and to mysqlbinlog --raw', async () => {
      await server.sql(
        "INSERT INTO bk.t VALUES (1, 'one'); FLUSH BINARY LOGS; " +
          `${bulkInsertSql('bk', 't', 100, 3000)}; FLUSH BINARY LOGS; ` +
          "UPDATE bk.t SET v = 'u' WHERE id < 200; DELETE FROM bk.t WHERE id > 3000; FLUSH BINARY LOGS; " +
          "INSERT INTO bk.t VALUES (2, 'two')",
      );
      const logs = await settledLogs(server);
      assert.ok(logs.length >= 4);
      const ours = tempDir();
      const progress: number[] = [];
      const r = await backup(syncerOptions(server), {
        dir: ours,
        start: 'first',
        nonBlocking: true,
        onProgress: (p) => progress.push(p.events),
      });
      assert.deepEqual(
        r.files,
        logs.map((l) => l.file),
      );
      assert.equal(r.resumed, false);
      assert.equal(progress.length, r.events);
      assert.deepEqual(r.end, { file: logs.at(-1)!.file, pos: logs.at(-1)!.size });

      const theirs = tempDir();
      await rawClientCopy(server, logs[0].file, theirs);
      assert.deepEqual(readdirSync(theirs).sort(), [...r.files].sort());

      const active = logs.at(-1)!.file;
      assertIdentical(server, ours, r.files, active);
      assertIdentical(server, theirs, r.files, active);
    });

    test('live: rotations, a killed dump, an abort mid-transaction and a cut file, then resumed: identical', async () => {
      const dir = tempDir();
      const ac = new AbortController();
      let cutAt: { file: string; size: number } | undefined = undefined;
      let last = { file: '', size: 0 };
      const running = backup(syncerOptions(server, { reconnect: { initialDelay: 10, maxDelay: 100 } }), {
        dir,
        start: 'now',
        signal: ac.signal,
        onProgress: (p) => {
          last = { file: p.file, size: p.size };
          if (cutAt && p.file === cutAt.file && p.size > cutAt.size + 200_000)
            ac.abort(new Error('test stop'));
        },
      });
      // settled now: it may end while the test still writes
      const outcome = running.then(
        () => new Error('the backup ended by itself'),
        (e: unknown) => e,
      );
      const first = (await binaryLogs(server)).at(-1)!.file;
      await server.sql(`${bulkInsertSql('bk', 't', 10_000, 2000)}; FLUSH BINARY LOGS`);
      // kill our dump connection on the source: the backup reconnects and goes on where it was
      let killed: number[] = [];
      for (let i = 0; i < 100 && killed.length === 0; i++) {
        killed = await dumpThreads(server);
        if (killed.length === 0) await sleep(50);
      }
      assert.equal(killed.length, 1);
      await server.sql(`KILL ${killed[0]}`);
      let again: number[] = [];
      for (let i = 0; i < 100 && !(again.length === 1 && again[0] !== killed[0]); i++) {
        await sleep(50);
        again = await dumpThreads(server);
      }
      assert.ok(again.length === 1 && again[0] !== killed[0], 'the backup reconnected');
      await server.sql(`${bulkInsertSql('bk', 't', 20_000, 2000)}; FLUSH BINARY LOGS`);
      const logs = await binaryLogs(server);
      cutAt = { file: logs.at(-1)!.file, size: logs.at(-1)!.size };
      // one big transaction (about 6 MB of rows): the abort lands in its middle
      await server.sql(`${bulkInsertSql('bk', 't', 100_000, 30_000, "REPEAT('y', 180)")}`);
      assert.ok((await outcome) instanceof AbortError);
      const stoppedAt = last;
      const srcSize = statSync(server.binlogPath(stoppedAt.file)).size;
      assert.equal(stoppedAt.file, cutAt.file);
      assert.ok(stoppedAt.size < srcSize, `stopped mid-file (${stoppedAt.size} of ${srcSize})`);
      assert.equal(statSync(join(dir, stoppedAt.file)).size, stoppedAt.size, 'every event written whole');

      // a crash in the middle of a write: the file ends in a partial event; and a power loss: a byte
      // of an earlier event lost (its CRC32 fails), zeros where data never reached the disk
      const local = join(dir, stoppedAt.file);
      truncateSync(local, stoppedAt.size - 7);
      const damaged = readFileSync(local);
      damaged[damaged.length - 50_000] ^= 0x10;
      writeFileSync(local, Buffer.concat([damaged, Buffer.alloc(4096)]));
      await server.sql(
        "INSERT INTO bk.t VALUES (3, 'three'); FLUSH BINARY LOGS; INSERT INTO bk.t VALUES (4, 'four')",
      );
      await settledLogs(server);
      const warnings: string[] = [];
      const logger = {
        debug() {},
        info() {},
        error() {},
        warn: (_o: object, m?: string) => warnings.push(m ?? ''),
      };
      const r = await backup(syncerOptions(server, { logger }), { dir, nonBlocking: true, start: 'first' });
      assert.equal(r.resumed, true, 'continued the backup found in dir (start ignored)');
      assert.ok(
        warnings.some((w) => w.includes(`off the end of ${stoppedAt.file}, an event whose CRC32 fails`)),
        warnings.join('\n'),
      );
      assert.equal(r.files[0], stoppedAt.file);
      const all = (await binaryLogs(server)).map((l) => l.file);
      const expected = all.slice(all.indexOf(first));
      assert.deepEqual(readdirSync(dir).sort(), expected);
      assertIdentical(server, dir, expected, all.at(-1));
    });

    test('start errors: a position past 4, a purged file', async () => {
      await assert.rejects(
        backup(syncerOptions(server), { dir: tempDir(), start: { file: 'binlog.000001', pos: 120 } }),
        (e: unknown) => e instanceof ConfigError && /offset 4/.test(e.message),
      );
      await assert.rejects(
        backup(syncerOptions(server), { dir: tempDir(), start: { file: 'gone.000001' }, nonBlocking: true }),
        (e: unknown) =>
          e instanceof BinlogSyncError && e.code === ErrorCode.ERR_SERVER && /1236/.test(e.message),
      );
    });

    test('resumed after the source reset its binlog: ERR_BACKUP_MISMATCH, nothing appended to the old copy', async () => {
      // (last: it resets the binlog) a backup of the first file after a reset …
      const reset = server.flavor === 'mysql' ? 'RESET BINARY LOGS AND GTIDS' : 'RESET MASTER';
      await server.sql(`${reset}; INSERT INTO bk.t VALUES (9001, 'a'), (9002, 'b')`);
      const file = (await binaryLogs(server)).at(-1)!.file;
      const dir = tempDir();
      await backup(syncerOptions(server), { dir, start: { file }, nonBlocking: true });
      const copy = readFileSync(join(dir, file));
      // … then a new binlog of the same name, longer than the copy (a second later: its own time)
      await sleep(1100);
      await server.sql(`${reset}; ${bulkInsertSql('bk', 't', 500_000, 200)}`);
      assert.ok((await binaryLogs(server))[0].size > copy.length);
      await assert.rejects(
        backup(syncerOptions(server), { dir, nonBlocking: true }),
        (e: unknown) =>
          e instanceof BinlogSyncError &&
          e.code === ErrorCode.ERR_BACKUP_MISMATCH &&
          e.message.includes(`is not a copy of the source's ${file}`),
      );
      assert.ok(readFileSync(join(dir, file)).equals(copy), 'the copy is as it was');
    });
  });
}
