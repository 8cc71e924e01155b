// Faults in transit between a real server and the syncer, made by a TCP proxy in front of the server
// (TLS off, so that the proxy sees the packets): one byte of an event flipped after the dump started,
// and the connection cut in the middle of an event's packet. The server is real; only the wire is
// damaged. A flipped byte must end the stream with ERR_CHECKSUM_MISMATCH naming the file and offset,
// after every event before it; a cut must be survived by a reconnect, with every row exactly once.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { BinlogSyncError, ServerError } from '../../../src/errors.js';
import { backup } from '../../../src/replication/backup.js';
import type { BinlogSyncerOptions } from '../../../src/replication/options.js';
import { BinlogSyncer } from '../../../src/replication/syncer.js';
import type { LocalServer } from '../../../src/servers/local-server.js';
import { startTestServer, testServerNames } from '../../harness/servers.js';
import { bulkInsertSql, digitsSql, linkSockets, logStatus, syncerOptions } from './helpers.js';

const COM_BINLOG_DUMP = 0x12;
const COM_BINLOG_DUMP_GTID = 0x1e;

type Fault = (
  | { kind: 'flip'; packet: number; offset: number; xor?: number }
  | { kind: 'cut'; packet: number }
  | { kind: 'dup'; packet: number }
) & {
  /** to every dump, not only the first */
  every?: boolean;
  /** count only the packets of these event types (default: every packet) */
  eventTypes?: number[];
};

/**
 * A proxy to `target` that applies `fault` to the first dump: the `packet`-th packet the server sends
 * after the client asked for it. Other connections and later dumps pass through untouched.
 */
async function faultyProxy(target: LocalServer, fault: Fault): Promise<{ port: number; server: Server }> {
  let dumps = 0;
  const server = createServer((client: Socket) => {
    let first = false;
    const upstream = connect(target.port, target.host);
    let dumping = false;
    let sent = 0;
    let pending = Buffer.alloc(0);
    client.on('data', (d: Buffer) => {
      // a client packet: u24 length, seq, command byte
      if (d.length > 4 && (d[4] === COM_BINLOG_DUMP || d[4] === COM_BINLOG_DUMP_GTID)) {
        dumping = true;
        first = dumps++ === 0 || fault.every === true;
      }
      upstream.write(d);
    });
    upstream.on('data', (d: Buffer) => {
      if (!first || !dumping) {
        client.write(d);
        return;
      }
      pending = Buffer.concat([pending, d]);
      for (;;) {
        if (pending.length < 4) return;
        const len = pending.readUIntLE(0, 3);
        if (pending.length < 4 + len) return;
        const pkt = Buffer.from(pending.subarray(0, 4 + len));
        pending = pending.subarray(4 + len);
        // payload: status byte, then the event (its type code at byte 4)
        if (fault.eventTypes === undefined || (len > 5 && fault.eventTypes.includes(pkt[4 + 1 + 4]))) sent++;
        else {
          client.write(pkt);
          continue;
        }
        if (sent === fault.packet && fault.kind === 'flip') pkt[4 + fault.offset] ^= fault.xor ?? 0xff;
        if (sent === fault.packet && fault.kind === 'dup') client.write(pkt);
        if (sent === fault.packet && fault.kind === 'cut') {
          client.write(pkt.subarray(0, 4 + (len >> 1)), () => {
            client.destroy();
            upstream.destroy();
          });
          return;
        }
        client.write(pkt);
      }
    });
    linkSockets(client, upstream);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  after(() => new Promise<void>((r) => server.close(() => r())));
  return { port: (server.address() as { port: number }).port, server };
}

/**
 * A proxy to `target` that passes what the server sends at `bytesPerSecond` (in slices every 50 ms): a
 * slow but live link. What the client sends passes at once.
 */
async function slowProxy(target: LocalServer, bytesPerSecond: number): Promise<{ port: number }> {
  const server = createServer((client: Socket) => {
    const upstream = connect(target.port, target.host);
    client.on('data', (d: Buffer) => upstream.write(d));
    let pending = Buffer.alloc(0);
    let upstreamGone = false;
    const tick = setInterval(() => {
      if (pending.length > 0) {
        const n = Math.min(pending.length, Math.ceil(bytesPerSecond / 20));
        client.write(pending.subarray(0, n));
        pending = pending.subarray(n);
      }
      // the server closes a connection when its non-blocking dump ends: pass that on after its bytes
      if (pending.length === 0 && upstreamGone) client.end();
    }, 50);
    upstream.on('data', (d: Buffer) => {
      pending = Buffer.concat([pending, d]);
    });
    upstream.on('error', () => (upstreamGone = true));
    upstream.on('close', () => (upstreamGone = true));
    client.on('error', () => upstream.destroy());
    client.on('close', () => {
      clearInterval(tick);
      upstream.destroy();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  after(() => new Promise<void>((r) => server.close(() => r())));
  return { port: (server.address() as { port: number }).port };
}

/**
 * Streams from `at` to the end of the log through a proxy that flips a byte of the 400th packet: the
 * events before the failure, and the failure.
 */
async function flippedStream(
  server: LocalServer,
  at: { file: string; pos: number },
  extra: Partial<BinlogSyncerOptions> = {},
  fault: Fault = { kind: 'flip', packet: 400, offset: 30 },
): Promise<{
  seen: { type: string; file: string; pos: number; next: number }[];
  ids: number[];
  error: unknown;
}> {
  const proxy = await faultyProxy(server, fault);
  const syncer = new BinlogSyncer({
    ...syncerOptions(server),
    port: proxy.port,
    tls: { mode: 'disabled' },
    ...extra,
  });
  const seen: { type: string; file: string; pos: number; next: number }[] = [];
  const ids: number[] = [];
  let error: unknown;
  try {
    const stream = await syncer.startSync(at, { nonBlocking: true });
    for await (const ev of stream) {
      seen.push({ type: ev.type, file: ev.file, pos: ev.pos, next: ev.next });
      if (ev.type === 'write_rows' && ev.table === 't') for (const r of ev.rows) ids.push(r.id as number);
    }
  } catch (e) {
    error = e;
  } finally {
    await syncer.close();
  }
  return { seen, ids, error };
}

const ROWS = 300;

for (const name of testServerNames()) {
  describe(`faults on the wire, ${name}`, () => {
    let server: LocalServer;
    let at: { file: string; pos: number };

    test('setup: 300 single-row transactions', async () => {
      server = await startTestServer(name);
      at = await logStatus(server);
      const inserts = Array.from(
        { length: ROWS },
        (_, i) => `INSERT INTO pf.t VALUES (${i + 1}, 'row ${i + 1}')`,
      );
      await server.sql(
        `CREATE DATABASE pf; CREATE TABLE pf.t (id INT PRIMARY KEY, v VARCHAR(20)); ${inserts.join(';')}`,
      );
    });

    test('a flipped byte: ERR_CHECKSUM_MISMATCH with file and offset, after every event before it', async () => {
      // packet 400: well inside the 300 transactions (4-5 events each); byte 30 of the payload is in the
      // event body (1 status byte + 19 bytes of header before it)
      const { seen, error } = await flippedStream(server, at);
      assert.ok(error instanceof BinlogSyncError, String(error));
      assert.equal(error.code, 'ERR_CHECKSUM_MISMATCH', error.message);
      assert.ok(!error.message.includes('\n'), 'one line');
      // the damaged event starts where the last delivered one ends; the message names that place
      const last = seen.filter((e) => e.next > 0).at(-1)!;
      assert.match(error.message, new RegExp(`${last.file.replace('.', '\\.')}`), error.message);
      assert.match(error.message, new RegExp(`\\b${last.next}\\b`), error.message);
      // (fewer than 399 on MariaDB: its ANNOTATE_ROWS events are not delivered by default)
      assert.ok(seen.length >= 300, `${seen.length} events before the damaged one`);
    });

    /** The stream ended with `code` at the event after the last one delivered, in a one-line message naming that place. */
    function assertEndedAtNext(
      r: { seen: { file: string; next: number }[]; error: unknown },
      code: string | string[],
    ): BinlogSyncError {
      const { seen, error } = r;
      assert.ok(error instanceof BinlogSyncError, String(error));
      assert.ok([code].flat().includes(error.code), `${error.code}: ${error.message}`);
      // eslint-disable-next-line no-control-regex
      assert.doesNotMatch(error.message, /[\x00-\x1f]/, 'one line, no control characters');
      const last = seen.filter((e) => e.next > 0).at(-1)!;
      assert.ok(error.message.includes(`${last.file}`), error.message);
      assert.match(error.message, new RegExp(`\\b${last.next}\\b`), error.message);
      assert.ok(seen.length >= 300, `${seen.length} events before the damaged one`);
      return error;
    }

    test('a damaged end_log_pos or length: the error names where the event starts, not where its header says', async () => {
      // byte 1 of end_log_pos (header bytes 13-16, after the status byte): the header placed the event
      // 64 kB off, and the message named that place
      let r = await flippedStream(server, at, {}, { kind: 'flip', packet: 400, offset: 1 + 14 });
      const e = assertEndedAtNext(r, 'ERR_CHECKSUM_MISMATCH');
      assert.match(e.message, /its end_log_pos places it at \d+/);
      // bit 3 of the event length (header bytes 9-12), 8 bytes more or less: the event is as long as its
      // packet (before, its end_log_pos minus the damaged length placed it 8 bytes off)
      r = await flippedStream(server, at, {}, { kind: 'flip', packet: 400, offset: 1 + 9, xor: 0x08 });
      assert.match(
        assertEndedAtNext(r, ['ERR_TRUNCATED', 'ERR_BAD_EVENT']).message,
        /event length \d+ in the header/,
      );
    });

    test('a status byte damaged to 0xff or 0xfe: ERR_BAD_EVENT naming the place, the bytes never read as a server error', async () => {
      for (const xor of [0xff, 0xfe]) {
        const r = await flippedStream(server, at, {}, { kind: 'flip', packet: 400, offset: 0, xor });
        const e = assertEndedAtNext(r, 'ERR_BAD_EVENT');
        assert.ok(!(e instanceof ServerError), e.message);
        assert.match(e.message, /damaged in transit/);
      }
    });

    test('a packet sent twice: ERR_PACKET_SEQUENCE naming the place in the binlog', async () => {
      const r = await flippedStream(server, at, {}, { kind: 'dup', packet: 400 });
      assertEndedAtNext(r, 'ERR_PACKET_SEQUENCE');
    });

    test('verifyChecksum off, a rows event flagged artificial in transit: its rows are still delivered', async () => {
      // LOG_EVENT_ARTIFICIAL_F (0x20) set in the flags of the 100th rows event (header bytes 17-18): the
      // event was taken for one the source adds to the stream, and dropped
      const r = await flippedStream(
        server,
        at,
        { verifyChecksum: false },
        { kind: 'flip', packet: 100, offset: 1 + 17, xor: 0x20, eventTypes: [23, 30] },
      );
      assert.equal(r.error, undefined);
      assert.deepEqual(
        r.ids,
        Array.from({ length: ROWS }, (_, i) => i + 1),
      );
    });

    test('a flipped byte in raw mode and in backup(): ERR_CHECKSUM_MISMATCH too, nothing damaged kept', async () => {
      // events raw mode does not decode are checked all the same (before, they were handed out, and
      // backup() wrote them into its files)
      const { seen, error: rawError } = await flippedStream(server, at, { rawMode: true });
      assert.ok(rawError instanceof BinlogSyncError, String(rawError));
      assert.equal(rawError.code, 'ERR_CHECKSUM_MISMATCH', rawError.message);
      assert.ok(
        seen.length >= 300 && seen.every((e) => e.type === 'raw'),
        `${seen.length} raw events before the damaged one`,
      );

      // closed, so that its bytes are final (an open file's FORMAT_DESCRIPTION has the in-use flag set)
      await server.sql('FLUSH BINARY LOGS');
      const dir = mkdtempSync(join(tmpdir(), 'binlogsync-pf-backup-'));
      after(() => rmSync(dir, { recursive: true, force: true }));
      const bproxy = await faultyProxy(server, { kind: 'flip', packet: 400, offset: 30 });
      const err = await backup(
        { ...syncerOptions(server), port: bproxy.port, tls: { mode: 'disabled' } },
        { dir, start: { file: at.file }, nonBlocking: true },
      ).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(err instanceof BinlogSyncError && err.code === 'ERR_CHECKSUM_MISMATCH', String(err));
      // what was written is the source's file up to the damaged event, byte for byte
      const local = readFileSync(join(dir, at.file));
      const source = readFileSync(server.binlogPath(at.file));
      assert.ok(
        local.length > 4 && local.length < source.length,
        `${local.length} of ${source.length} bytes`,
      );
      const differs = local.findIndex((b, i) => b !== source[i]);
      assert.equal(differs, -1, `the local file is a prefix of the source file (${local.length} bytes)`);
    });

    test(
      'a slow link: an event longer in transit than the read timeout still arrives, no reconnect',
      { timeout: 60_000 },
      async () => {
        // 1.5 MB in one row event at 300 kB/s: 5 s on the wire, the read timeout 1.5 s. Bytes keep coming,
        // so the link is alive (before, only whole packets counted: every attempt was cut off at 1.5 s and
        // began the event again)
        const from = await logStatus(server);
        await server.sql(
          "CREATE TABLE pf.big (id INT PRIMARY KEY, b LONGBLOB); INSERT INTO pf.big VALUES (1, REPEAT('x', 1500000))",
        );
        const proxy = await slowProxy(server, 300_000);
        const syncer = new BinlogSyncer({
          ...syncerOptions(server, { schemaLookup: 'off' }),
          port: proxy.port,
          tls: { mode: 'disabled' },
          heartbeatPeriod: 500,
          readTimeout: 1500,
          reconnect: { maxAttempts: 3, initialDelay: 50, maxDelay: 100 },
        });
        let bytes = 0;
        let reconnects = -1;
        try {
          const stream = await syncer.startSync(from, { nonBlocking: true });
          for await (const ev of stream)
            if (ev.type === 'write_rows' && ev.table === 'big') bytes = (ev.rows[0]['@2'] as Buffer).length;
          reconnects = stream.reconnects;
        } finally {
          await syncer.close();
        }
        assert.equal(bytes, 1_500_000);
        assert.equal(reconnects, 0);
      },
    );

    test('a cut that recurs at the same place of every replay: ERR_RECONNECT_EXHAUSTED, not reconnects forever', async () => {
      // one transaction of many rows events, the connection cut in its 8th packet on every dump: each
      // reconnect replays the transaction from its start and is cut at the same place, delivering nothing new
      const from = await logStatus(server);
      await server.sql(
        `CREATE TABLE pf.many (id INT PRIMARY KEY, v VARCHAR(200)); ${digitsSql('pf')}; ` +
          bulkInsertSql('pf', 'many', 1, 2000, "REPEAT('v', 200)"),
      );
      const proxy = await faultyProxy(server, { kind: 'cut', packet: 8, every: true });
      const syncer = new BinlogSyncer({
        ...syncerOptions(server),
        port: proxy.port,
        tls: { mode: 'disabled' },
        reconnect: { maxAttempts: 4, initialDelay: 20, maxDelay: 100 },
      });
      let reconnects = 0;
      let failure: unknown;
      try {
        const stream = await syncer.startSync(from, { nonBlocking: true });
        stream.on('reconnect', () => {
          // before: a new dump every few ms, for ever
          if (++reconnects > 50) void syncer.close();
        });
        for await (const ev of stream) void ev;
      } catch (e) {
        failure = e;
      } finally {
        await syncer.close();
      }
      assert.ok(reconnects <= 50, `${reconnects} reconnects`);
      assert.ok(failure instanceof BinlogSyncError, String(failure));
      assert.equal(failure.code, 'ERR_RECONNECT_EXHAUSTED', failure.message);
      assert.match(failure.message, /^gave up after 4 reconnect attempts: /);
    });

    test('a connection cut in the middle of a packet: reconnected, every row exactly once', async () => {
      const proxy = await faultyProxy(server, { kind: 'cut', packet: 400 });
      const syncer = new BinlogSyncer({
        ...syncerOptions(server),
        port: proxy.port,
        tls: { mode: 'disabled' },
        reconnect: { maxAttempts: 5, initialDelay: 50, maxDelay: 200 },
      });
      const ids: number[] = [];
      let reconnects = 0;
      try {
        const stream = await syncer.startSync(at, { nonBlocking: true });
        for await (const ev of stream)
          if (ev.type === 'write_rows' && ev.table === 't') for (const r of ev.rows) ids.push(r.id as number);
        reconnects = stream.reconnects;
      } finally {
        await syncer.close();
      }
      assert.equal(reconnects, 1);
      assert.deepEqual(
        ids,
        Array.from({ length: ROWS }, (_, i) => i + 1),
      );
    });
  });
}
