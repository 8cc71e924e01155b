// A binlog whose tail a crash cut off.
//
// A server killed while writing a transaction leaves its binlog file with the transaction's first events,
// the last one possibly cut short; restarted, it rolls the transaction back and writes a new file. This
// suite makes that state on purpose: it commits a transaction of many rows events, kills the server with
// SIGKILL, cuts the file inside that transaction (once inside an event, once at an event boundary) while
// the server is down, and starts it again. A stream from the start of the file must then hand out what
// the file holds (read back with readBinlogFile), end the cut transaction with an artificial ROLLBACK,
// carry on in the new file, and fail nowhere. MariaDB keeps the tail; a server that cuts its file back
// on recovery instead (MySQL) must give neither the tail nor a ROLLBACK.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { readBinlogFile } from '../../../src/file/read-binlog-file.js';
import { BinlogSyncError, ServerError } from '../../../src/errors.js';
import { backup } from '../../../src/replication/backup.js';
import { BinlogSyncer } from '../../../src/replication/syncer.js';
import type { StreamEvent } from '../../../src/replication/stream.js';
import type { LocalServer } from '../../../src/servers/local-server.js';
import { startTestServer, testServerNames } from '../../harness/servers.js';
import { binaryLogs, syncerOptions } from './helpers.js';

const BIG_ROWS = 120; // of 1000 bytes: 15 or so rows events

interface Whole {
  type: string;
  pos: number;
  next: number;
  /** ids of the rows of a write_rows event */
  ids?: number[];
}

/** The whole events a (possibly cut) binlog file holds, and whether it ends inside an event. */
async function wholeEvents(path: string): Promise<{ events: Whole[]; cutInside: boolean }> {
  const events: Whole[] = [];
  try {
    for await (const ev of readBinlogFile(path)) {
      const ids =
        ev.type === 'write_rows' ? ev.rows.map((r) => Number((r as Record<string, unknown>).id)) : undefined;
      events.push({ type: ev.type, pos: ev.pos, next: ev.next, ids });
    }
    return { events, cutInside: false };
  } catch (e) {
    if ((e as { code?: string }).code !== 'ERR_TRUNCATED') throw e;
    return { events, cutInside: true };
  }
}

async function crashAndCut(
  server: LocalServer,
  round: number,
  where: 'inside an event' | 'at an event boundary',
): Promise<{ file: string; gtidBefore: string }> {
  await server.sql('FLUSH BINARY LOGS');
  const file = (await binaryLogs(server)).at(-1)!.file;
  const base = round * 1000;
  await server.sql(`INSERT INTO ct.t VALUES (${base}, 'before')`);
  const gtidBefore = server.flavor === 'mariadb' ? (await server.sql('SELECT @@gtid_binlog_pos')).trim() : '';
  const values = Array.from({ length: BIG_ROWS }, (_, i) => `(${base + 1 + i}, REPEAT('x', 1000))`);
  await server.sql(`INSERT INTO ct.t VALUES ${values.join(',')}`);
  const { events } = await wholeEvents(server.binlogPath(file));
  const rows = events.filter((e) => e.ids?.some((id) => id > base));
  assert.ok(rows.length >= 6, `the big transaction has ${rows.length} rows events`);
  const third = rows[rows.length - Math.floor(rows.length / 2)];
  const cut = where === 'inside an event' ? third.pos + 10 : third.pos;
  await server.restart({ kill: true, whileStopped: () => truncateSync(server.binlogPath(file), cut) });
  await server.sql(`INSERT INTO ct.t VALUES (${base + 999}, 'after')`);
  return { file, gtidBefore };
}

/** Events of a stream until the row `sentinel` arrives; reconnect causes beside. */
async function follow(
  syncer: BinlogSyncer,
  start: { file: string; pos: number } | string,
  sentinel: number,
): Promise<{ events: StreamEvent[]; causes: unknown[]; cutOff: number; resume: { file: string } }> {
  const stream =
    typeof start === 'string' ? await syncer.startSyncGtid(start) : await syncer.startSync(start);
  const causes: unknown[] = [];
  stream.on('reconnect', ({ cause }: { cause: unknown }) => causes.push(cause));
  const events: StreamEvent[] = [];
  let seen = false;
  try {
    for await (const ev of stream) {
      events.push(ev);
      if (seen && ev.type === 'xid') break;
      if (ev.type === 'write_rows' && ev.rows.some((r) => r.id === sentinel)) seen = true;
    }
    return { events, causes, cutOff: stream.transactionsCutOff, resume: stream.resumePoint };
  } finally {
    await stream.close();
  }
}

for (const name of testServerNames()) {
  describe(`a crash cuts the binlog's tail on ${name}`, () => {
    for (const [round, where] of [
      [1, 'inside an event'],
      [2, 'at an event boundary'],
    ] as const) {
      test(
        `cut ${where}: the cut transaction ends in an artificial ROLLBACK, the stream goes on`,
        { timeout: 120_000 },
        async () => {
          const server = await startTestServer(name, { options: ['--binlog-row-metadata=FULL'] });
          await server.sql(
            'CREATE DATABASE ct; CREATE TABLE ct.t (id INT PRIMARY KEY, pad VARCHAR(1000) NOT NULL)',
          );
          const { file, gtidBefore } = await crashAndCut(server, round, where);

          // what the server left in the file (MariaDB: the tail as cut; MySQL may cut it back)
          const left = await wholeEvents(server.binlogPath(file));
          const big = round * 1000 + 1;
          const tailEnd = left.events.at(-1)!.next;
          const tailRows = left.events.filter((e) => e.ids?.some((id) => id >= big)).length;
          const files = await binaryLogs(server);
          assert.ok(
            files.findIndex((f) => f.file === file) < files.length - 1,
            'the restarted server writes a new file',
          );
          console.log(
            `# crash tail ${JSON.stringify({ server: name, where, tailRows, cutInside: left.cutInside, tailEnd })}`,
          );

          const syncer = new BinlogSyncer(
            syncerOptions(server, { reconnect: { maxAttempts: 5, initialDelay: 10 } }),
          );
          try {
            const starts: ({ file: string; pos: number } | string)[] = [{ file, pos: 4 }];
            if (server.flavor === 'mariadb') starts.push(gtidBefore);
            for (const start of starts) {
              const got = await follow(syncer, start, round * 1000 + 999);
              const mode = typeof start === 'string' ? 'gtid' : 'position';
              const inFile = got.events.filter(
                (e) => e.file === file && e.type !== 'rotate' && e.type !== 'format_description',
              );
              const bigRows = inFile.filter(
                (e) => e.type === 'write_rows' && e.rows.some((r) => (r.id as number) >= big),
              );
              const rollbacks = got.events.filter((e) => e.type === 'query' && e.query === 'ROLLBACK');
              // By position the dump reads the cut file to its end. By GTID, MariaDB starts in the file
              // whose GTID list its state matches: the new one, which lists no GTID of the cut transaction.
              const expectRows = mode === 'gtid' ? 0 : tailRows;
              assert.equal(
                bigRows.length,
                expectRows,
                `${mode}: every whole rows event of the tail, no more`,
              );
              assert.ok(
                got.events.some(
                  (e) => e.type === 'write_rows' && e.rows.some((r) => r.id === round * 1000 + 999),
                ),
                `${mode}: the row written after the restart`,
              );
              if (expectRows > 0) {
                assert.equal(rollbacks.length, 1, `${mode}: one ROLLBACK`);
                const rb = rollbacks[0];
                assert.equal(rb.file, file);
                assert.equal(rb.pos, tailEnd, `${mode}: the ROLLBACK sits where the tail's whole events end`);
                assert.equal(rb.next, tailEnd);
                assert.equal(rb.flags & 0x20, 0x20, 'LOG_EVENT_ARTIFICIAL_F');
                assert.equal(rb.serverId, server.serverId, "the source's server_id");
                const i = got.events.indexOf(rb);
                assert.equal(got.events[i - 1], bigRows.at(-1), `${mode}: right after the tail`);
                assert.ok(
                  got.events.slice(i + 1).every((e) => e.file !== file),
                  `${mode}: only the next file after the ROLLBACK`,
                );
                assert.equal(got.cutOff, 1);
              } else {
                assert.equal(rollbacks.length, 0, `${mode}: no tail, no ROLLBACK`);
                assert.equal(got.cutOff, 0);
              }
              const cutCauses = got.causes.filter((c) => c instanceof ServerError && c.errno === 1236);
              // a dump by position that reaches an event cut short gets error 1236 once, and steps over it
              if (left.cutInside && mode === 'position')
                assert.equal(cutCauses.length, 1, `${mode}: 1236 once`);
              assert.equal(got.causes.length, cutCauses.length, `${mode}: no other reconnect`);
              assert.notEqual(got.resume.file, file, `${mode}: the resume point left the cut file`);
            }
            // backup: the cut file up to its last whole event (all any replica can read of it), then
            // the following files byte for byte
            const dir = mkdtempSync(join(tmpdir(), 'bs-crash-backup-'));
            try {
              const r = await backup(syncerOptions(server), {
                dir,
                start: { file, pos: 4 },
                nonBlocking: true,
              });
              const later = (await binaryLogs(server)).map((f) => f.file).filter((f) => f >= file);
              assert.deepEqual(r.files, later);
              // the source sends (and a closed file has) LOG_EVENT_BINLOG_IN_USE_F clear in the FDE's
              // flags, byte 21; the file it writes, or one a crash left open, has it set (backup.test.ts)
              const bytes = (path: string): Buffer => {
                const b = readFileSync(path);
                b[21] &= ~1;
                return b;
              };
              const cut = bytes(server.binlogPath(file)).subarray(0, tailEnd);
              assert.ok(bytes(join(dir, file)).equals(cut), 'the cut file to its last whole event');
              for (const f of later.slice(1))
                assert.ok(bytes(join(dir, f)).equals(bytes(server.binlogPath(f))), `${f} identical`);
            } finally {
              rmSync(dir, { recursive: true, force: true });
            }
          } finally {
            await syncer.close();
            await server.stop();
          }
        },
      );
    }

    test(
      'an event cut short inside a file closed by a rotation is damage, not a crash tail: a typed error, nothing skipped',
      { timeout: 120_000 },
      async () => {
        const server = await startTestServer(name, { options: ['--binlog-row-metadata=FULL'] });
        try {
          await server.sql(
            'CREATE DATABASE ct; CREATE TABLE ct.t (id INT PRIMARY KEY, pad VARCHAR(1000) NOT NULL)',
          );
          await server.sql('FLUSH BINARY LOGS');
          const file = (await binaryLogs(server)).at(-1)!.file;
          await server.sql("INSERT INTO ct.t VALUES (1, 'one')");
          await server.sql("INSERT INTO ct.t VALUES (2, 'two')");
          await server.sql('FLUSH BINARY LOGS');
          await server.sql("INSERT INTO ct.t VALUES (3, 'three')");
          // the second transaction's rows event now says it runs 100 bytes past the file's end
          const path = server.binlogPath(file);
          const { events } = await wholeEvents(path);
          const second = events.find((e) => e.ids?.includes(2))!;
          const bytes = readFileSync(path);
          bytes.writeUInt32LE(bytes.length - second.pos + 100, second.pos + 9);
          writeFileSync(path, bytes);

          const syncer = new BinlogSyncer(
            syncerOptions(server, { reconnect: { maxAttempts: 3, initialDelay: 10 } }),
          );
          const got: StreamEvent[] = [];
          let failure: unknown;
          try {
            const stream = await syncer.startSync({ file, pos: 4 });
            try {
              for await (const ev of stream) got.push(ev);
            } catch (e) {
              failure = e;
            }
          } finally {
            await syncer.close();
          }
          const ids = got.flatMap((e) => (e.type === 'write_rows' ? e.rows.map((r) => r.id) : []));
          assert.deepEqual(ids, [1], 'the rows before the damage, and none after it');
          assert.ok(failure instanceof BinlogSyncError, `a typed error, not ${String(failure)}`);
          console.log(
            `# crash tail damage ${JSON.stringify({ server: name, code: failure.code, message: failure.message })}`,
          );
          assert.ok(
            failure.code === 'ERR_BAD_EVENT' || (failure instanceof ServerError && failure.errno === 1236),
            failure.message,
          );
          assert.ok(failure.message.includes(file), `the message names ${file}`);
          assert.ok(!got.some((e) => e.type === 'query' && e.query === 'ROLLBACK'), 'no ROLLBACK');
        } finally {
          await server.stop();
        }
      },
    );
  });
}
