// Faults in transit between a real server and the syncer, made by a TCP proxy in front of the server
// (TLS off, so that the proxy sees the packets): one byte of an event flipped after the dump started,
// and the connection cut in the middle of an event's packet. The server is real; only the wire is
// damaged. A flipped byte must end the stream with ERR_CHECKSUM_MISMATCH naming the file and offset,
// after every event before it; a cut must be survived by a reconnect, with every row exactly once.
import assert from 'node:assert/strict';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { after, describe, test } from 'node:test';
import { BinlogSyncError } from '../../../src/errors.js';
import { BinlogSyncer } from '../../../src/replication/syncer.js';
import type { LocalServer } from '../../../src/servers/local-server.js';
import { startTestServer, testServerNames } from '../../harness/servers.js';
import { linkSockets, logStatus, syncerOptions } from './helpers.js';

const COM_BINLOG_DUMP = 0x12;
const COM_BINLOG_DUMP_GTID = 0x1e;

type Fault = { kind: 'flip'; packet: number; offset: number } | { kind: 'cut'; packet: number };

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
        first = dumps++ === 0;
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
        sent++;
        if (sent === fault.packet && fault.kind === 'flip') pkt[4 + fault.offset] ^= 0xff;
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
      const proxy = await faultyProxy(server, { kind: 'flip', packet: 400, offset: 30 });
      const syncer = new BinlogSyncer({
        ...syncerOptions(server),
        port: proxy.port,
        tls: { mode: 'disabled' },
      });
      const seen: { file: string; pos: number; next: number }[] = [];
      let error: unknown;
      try {
        const stream = await syncer.startSync(at, { nonBlocking: true });
        for await (const ev of stream) seen.push({ file: ev.file, pos: ev.pos, next: ev.next });
      } catch (e) {
        error = e;
      } finally {
        await syncer.close();
      }
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
