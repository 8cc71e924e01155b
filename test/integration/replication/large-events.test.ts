// Events larger than one protocol packet (16 MiB - 1): the server splits them over several packets, the
// last one empty when the event fills whole packets exactly. Rows of tens of MiB arrive whole, equal to
// the server's SHA2 of the value, at the positions SHOW BINLOG EVENTS gives — with a byte budget far
// smaller than one event (it cannot be split: it is delivered, then reading waits), in raw mode and
// through a backup byte-identical to the server's file.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { StreamEvent } from '../../../src/replication/stream.js';
import { backup } from '../../../src/replication/backup.js';
import { BinlogSyncer } from '../../../src/replication/syncer.js';
import type { LocalServer } from '../../../src/servers/local-server.js';
import { startTestServer, testServerNames } from '../../harness/servers.js';
import { assertResumeAtLogEnd, binlogEvents, logStatus, sleep, syncerOptions, tempDirs } from './helpers.js';

const MAX_PACKET = 0xffffff;
const tempDir = tempDirs('binlogsync-big-');

type Shown = Awaited<ReturnType<typeof binlogEvents>>[number];

for (const name of testServerNames()) {
  describe(`events over several packets on ${name}`, () => {
    let server: LocalServer;
    let file: string;
    /** id → [length, sha256 hex] as the server computes them */
    const expected = new Map<number, [number, string]>();

    test('setup: rows of 20 MiB, and one whose event fills two packets exactly', async () => {
      server = await startTestServer(name, {
        options: ['--max-allowed-packet=256M', '--binlog-row-metadata=FULL'],
      });
      await server.sql('CREATE DATABASE big; CREATE TABLE big.t (id INT PRIMARY KEY, b LONGBLOB)');
      file = (await logStatus(server)).file;
      // a probe row tells how long a rows event is for a value of n bytes (length = n + constant)
      const n0 = 20 * 1024 * 1024;
      await server.sql(`INSERT INTO big.t VALUES (1, REPEAT('a', ${n0}))`);
      const probe = (await binlogEvents(server, file)).filter((e) => /^Write_rows/.test(e.type)).at(-1)!;
      const overhead = probe.end - probe.pos - n0;
      // event + the packet's 0x00 header byte = exactly two full packets: a third, empty packet follows
      const exact = 2 * MAX_PACKET - 1 - overhead;
      await server.sql(
        `INSERT INTO big.t VALUES (2, REPEAT('b', ${exact})); ` +
          `INSERT INTO big.t VALUES (3, CONCAT(REPEAT('c', ${MAX_PACKET}), 'tail')); ` +
          "INSERT INTO big.t VALUES (4, 'small after the big ones')",
      );
      const rows = (await binlogEvents(server, file)).filter((e) => /^Write_rows/.test(e.type));
      assert.equal(rows.length, 4);
      assert.equal(rows[1].end - rows[1].pos + 1, 2 * MAX_PACKET, 'the event fills two packets exactly');
      for (const line of (await server.sql('SELECT id, LENGTH(b), SHA2(b, 256) FROM big.t'))
        .trim()
        .split('\n')) {
        const [id, len, sha] = line.split('\t');
        expected.set(Number(id), [Number(len), sha]);
      }
    });

    function check(events: StreamEvent[], shown: Shown[]): void {
      const rows = events.filter((e) => e.type === 'write_rows');
      const got = new Map<number, [number, string]>();
      for (const e of rows) {
        for (const r of e.rows) {
          const b = r.b as Buffer;
          got.set(r.id as number, [b.length, createHash('sha256').update(b).digest('hex')]);
        }
      }
      assert.deepEqual(got, expected);
      const placed = shown.filter((s) => /^Write_rows/.test(s.type)).map((s) => [s.pos, s.end]);
      assert.deepEqual(
        rows.map((e) => [e.pos, e.next]),
        placed,
      );
    }

    test('decoded, with a 1 MiB budget and a consumer slower than the server', async () => {
      const syncer = new BinlogSyncer(syncerOptions(server, { maxBufferedBytes: 1024 * 1024 }));
      try {
        const stream = await syncer.startSync({ file, pos: 4 }, { nonBlocking: true });
        const events: StreamEvent[] = [];
        for await (const ev of stream) {
          events.push(ev);
          if (ev.type === 'write_rows') await sleep(50);
        }
        check(events, await binlogEvents(server, file));
        await assertResumeAtLogEnd(server, stream);
      } finally {
        await syncer.close();
      }
    });

    test('raw mode: the same bytes as the file, and a backup identical to it', async () => {
      const syncer = new BinlogSyncer(syncerOptions(server, { rawMode: true }));
      const disk = readFileSync(server.binlogPath(file));
      try {
        const stream = await syncer.startSync({ file, pos: 4 }, { nonBlocking: true });
        let big = 0;
        for await (const ev of stream) {
          if (ev.type !== 'raw' || ev.next <= ev.pos || ev.file !== file) continue;
          const want = Buffer.from(disk.subarray(ev.pos, ev.next));
          // the open file's FORMAT_DESCRIPTION says "in use" (LOG_EVENT_BINLOG_IN_USE_F); what is sent does not
          if (ev.pos === 4) want[17] &= ~1;
          assert.ok(ev.data.equals(want), `event at ${ev.pos}`);
          if (ev.data.length > MAX_PACKET) big++;
        }
        assert.equal(big, 3);
      } finally {
        await syncer.close();
      }
      const dir = tempDir();
      await backup(syncerOptions(server), { dir, start: { file }, nonBlocking: true });
      const copy = readFileSync(join(dir, file));
      // the source's open file says "in use" in its FDE flags (byte 21); what it sends does not
      copy[21] = disk[21];
      assert.ok(copy.equals(disk), `backup of ${file}: ${copy.length} vs ${disk.length} bytes`);
    });
  });
}
