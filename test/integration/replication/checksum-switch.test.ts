// binlog_checksum changed while a replica follows: the server rotates to a file whose FORMAT_DESCRIPTION
// names the new algorithm (CRC32 → NONE → CRC32). A stream across the switches verifies what has a
// checksum, reads what has none, keeps every row once in commit order — also when its dump connection is
// killed right after each switch and it reconnects into the file without checksums.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BinlogSyncer } from '../../../src/replication/syncer.js';
import type { LocalServer } from '../../../src/servers/local-server.js';
import { startTestServer, testServerNames } from '../../harness/servers.js';
import { dumpThreads, logStatus, sleep, syncerOptions } from './helpers.js';

for (const name of testServerNames()) {
  describe(`binlog_checksum switched under a live stream on ${name}`, () => {
    let server: LocalServer;
    test('setup', async () => {
      server = await startTestServer(name, {
        options: ['--binlog-checksum=CRC32', '--binlog-row-metadata=FULL'],
      });
      await server.sql('CREATE DATABASE ck; CREATE TABLE ck.t (id INT PRIMARY KEY, v VARCHAR(100))');
    });

    test('CRC32 → NONE → CRC32: every row once, in order, across kills after each switch', async () => {
      const start = await logStatus(server);
      const syncer = new BinlogSyncer(
        syncerOptions(server, { reconnect: { initialDelay: 10, maxDelay: 100, maxAttempts: 20 } }),
      );
      const ids: number[] = [];
      const checksums: { file: string; alg: string }[] = [];
      let reconnects = 0;
      try {
        const stream = await syncer.startSync(start);
        const reader = (async () => {
          for await (const ev of stream) {
            if (ev.type === 'format_description') checksums.push({ file: ev.file, alg: ev.checksumAlg });
            if (ev.type === 'write_rows') for (const r of ev.rows) ids.push(r.id as number);
            if (ids.at(-1) === 300) return;
          }
        })();
        let id = 0;
        const batch = async (): Promise<void> => {
          const values: string[] = [];
          for (let i = 0; i < 50; i++) values.push(`(${++id}, 'row ${id}')`);
          await server.sql(
            `INSERT INTO ck.t VALUES ${values.slice(0, 25).join(',')}; INSERT INTO ck.t VALUES ${values.slice(25).join(',')}`,
          );
        };
        const killDump = async (): Promise<void> => {
          // wait until our dump thread is there (it may be reconnecting), then kill it
          for (let i = 0; i < 100; i++) {
            const threads = await dumpThreads(server);
            if (threads.length > 0) {
              await server.sql(threads.map((t) => `KILL ${t}`).join('; '));
              return;
            }
            await sleep(50);
          }
        };
        await batch();
        await server.sql("SET GLOBAL binlog_checksum = 'NONE'");
        await batch();
        await killDump();
        await batch();
        await server.sql("SET GLOBAL binlog_checksum = 'CRC32'");
        await batch();
        await killDump();
        await batch();
        await batch();
        let timer: NodeJS.Timeout | undefined;
        const stalled = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`stream stalled at ${ids.length} rows`)), 60_000);
        });
        await Promise.race([reader, stalled]).finally(() => clearTimeout(timer));
        reconnects = stream.reconnects;
      } finally {
        await syncer.close();
      }
      assert.deepEqual(
        ids,
        Array.from({ length: 300 }, (_, i) => i + 1),
      );
      const algs = checksums.map((c) => c.alg);
      assert.deepEqual(algs, ['crc32', 'off', 'crc32'], JSON.stringify(checksums));
      assert.equal(reconnects, 2);
    });
  });
}
