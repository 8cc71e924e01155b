// The client against every real server flavor: TCP and unix socket, queries and their results, server
// errors, wrong passwords, payloads of 16 MiB and more in both directions, the low-level packet API the
// replication layer uses, backpressure, and no handle left after close().
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { inspect } from 'node:util';
import { AuthError, ClosedError, ConnectionError, ErrorCode, ServerError } from '../../../src/errors.js';
import { COM } from '../../../src/protocol/capabilities.js';
import { connect } from '../../../src/protocol/connect.js';
import type { Connection } from '../../../src/protocol/connection.js';
import type { ConnectOptions } from '../../../src/protocol/options.js';
import { encodeComQuery } from '../../../src/protocol/query.js';
import { startLocalServer, type LocalServer } from '../../../src/servers/local-server.js';
import { testServerNames } from '../../harness/servers.js';
import { assertNoNewHandles, handleCounts } from './handles.js';

const PASSWORD = 'Conn-Test-pw-9';
const MAX = 0xffffff;

for (const name of testServerNames()) {
  describe(name, () => {
    let server: LocalServer;
    let tcp: ConnectOptions;

    before(async () => {
      // one server at a time (2 shared cores): started here, stopped in after()
      server = await startLocalServer(name, { options: ['--performance-schema=ON'] });
      await server.sql(
        `CREATE USER 'bs'@'%' IDENTIFIED BY '${PASSWORD}'; GRANT ALL ON *.* TO 'bs'@'%'; CREATE DATABASE proto;
         CREATE TABLE proto.t (id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY, v VARCHAR(20)) AUTO_INCREMENT=9007199254740993`,
      );
      // MySQL's caching_sha2_password needs TLS (offered by default) for a first login over TCP
      tcp = {
        connection: { host: server.host, port: server.port },
        auth: { user: 'bs', password: PASSWORD, database: 'proto' },
      };
    });

    after(() => server?.stop());

    async function withConnection<T>(
      fn: (c: Connection) => Promise<T>,
      opts: ConnectOptions = tcp,
    ): Promise<T> {
      const c = await connect(opts);
      try {
        return await fn(c);
      } finally {
        await c.close();
      }
    }

    test('connects over TCP; the server info matches what the server reports', async () => {
      const before = handleCounts();
      await withConnection(async (c) => {
        const r = await c.query('SELECT VERSION(), CONNECTION_ID(), DATABASE(), CURRENT_USER()');
        assert.deepEqual(r.rows, [[c.server.serverVersion, String(c.server.connectionId), 'proto', 'bs@%']]);
        assert.equal(c.server.flavor, server.flavor);
        assert.ok(c.server.serverVersion.startsWith(server.version));
      });
      await assertNoNewHandles(before, 'TCP');
    });

    test('connects over the unix socket (root, no password)', async () => {
      const before = handleCounts();
      await withConnection(
        async (c) => {
          assert.equal(c.server.tls, false);
          const r = await c.query('SELECT CURRENT_USER(), @@socket');
          assert.deepEqual(r.rows, [['root@localhost', server.socket]]);
        },
        { connection: { socketPath: server.socket }, auth: { user: 'root' } },
      );
      await assertNoNewHandles(before, 'unix socket');
    });

    test('connection attributes reach performance_schema', async () => {
      await withConnection(
        async (c) => {
          const r = await c.query(
            'SELECT ATTR_NAME, ATTR_VALUE FROM performance_schema.session_connect_attrs WHERE PROCESSLIST_ID = CONNECTION_ID() ORDER BY ATTR_NAME',
          );
          const attrs: Record<string, string | null> = Object.fromEntries(
            r.rows.map(([k, v]) => [k ?? '', v]),
          );
          assert.equal(attrs._client_name, 'binlogsync');
          assert.match(attrs._client_version ?? '', /^\d+\.\d+\.\d+/);
          assert.equal(attrs._pid, String(process.pid));
          assert.equal(attrs._os, 'Linux');
          assert.equal(attrs.program_name, 'protocol-test');
        },
        { ...tcp, attributes: { program_name: 'protocol-test' } },
      );
    });

    test('statements: OK packets with affected rows, a last insert id above 2^53, info', async () => {
      await withConnection(async (c) => {
        const ins = await c.query("INSERT INTO t (v) VALUES ('a'), ('b')");
        assert.equal(ins.kind, 'ok');
        assert.equal(ins.affectedRows, 2n);
        assert.equal(ins.lastInsertId, 9007199254740993n);
        assert.equal(ins.info, 'Records: 2  Duplicates: 0  Warnings: 0');
        const upd = await c.query("UPDATE t SET v = 'c'");
        assert.equal(upd.affectedRows, 2n);
        assert.equal(upd.info, 'Rows matched: 2  Changed: 2  Warnings: 0');
        const sel = await c.query('SELECT id, v, NULL AS n FROM t ORDER BY id');
        assert.equal(sel.kind, 'rows');
        assert.deepEqual(
          sel.columns.map((col) => [col.name, col.orgTable, col.schema]),
          [
            ['id', 't', 'proto'],
            ['v', 't', 'proto'],
            ['n', '', ''],
          ],
        );
        assert.deepEqual(sel.rows, [
          ['9007199254740993', 'c', null],
          ['9007199254740994', 'c', null],
        ]);
        const cli = await server.sql("SELECT 'é€😀', '' ");
        const text = await c.query("SELECT 'é€😀', '' ");
        assert.deepEqual(text.rows, [cli.replace(/\n$/, '').split('\t')]);
        const none = await c.query('SELECT id FROM t WHERE id = 0');
        assert.deepEqual([none.kind, none.rows.length, none.columns.length], ['rows', 0, 1]);
        await c.query('DELETE FROM t');
      });
    });

    test('a bad query is a ServerError with the errno, SQL state and message of the server', async () => {
      const cli = await server.sql('SELEC 1').then(
        () => assert.fail('the CLI accepted a bad query'),
        (e: Error) => e.message,
      );
      await withConnection(async (c) => {
        const err = await c.query('SELEC 1').then(
          () => assert.fail('resolved'),
          (e: unknown) => e,
        );
        assert.ok(err instanceof ServerError);
        assert.equal(err.code, ErrorCode.ERR_SERVER);
        assert.equal(err.errno, 1064);
        assert.equal(err.sqlState, '42000');
        assert.ok(cli.includes(`ERROR 1064 (42000) at line 1: ${err.serverMessage}`), cli);
        // the connection survives a server error
        assert.deepEqual((await c.query('SELECT 2')).rows, [['2']]);
        const missing = await c.query('SELECT * FROM proto.nope').catch((e: unknown) => e);
        assert.ok(
          missing instanceof ServerError && missing.errno === 1146 && missing.symbol === 'ER_NO_SUCH_TABLE',
        );
        await c.ping();
      });
    });

    test('a wrong password fails fast with the server message, and no password anywhere', async () => {
      const before = handleCounts();
      const started = Date.now();
      const wrong = 'Wrong-pw-123';
      const err = await connect({ ...tcp, auth: { user: 'bs', password: wrong } }).then(
        () => assert.fail('connected'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof AuthError, inspect(err));
      assert.equal(err.code, ErrorCode.ERR_AUTH_FAILED);
      assert.match(
        err.message,
        /^authentication of 'bs' at 127\.0\.0\.1:\d+ failed: server error 1045 \(28000\): Access denied for user 'bs'@'[^']+' \(using password: YES\)$/,
      );
      assert.ok(err.cause instanceof ServerError && err.cause.errno === 1045);
      const shown = inspect(err, { depth: 10 });
      assert.equal(shown.includes(wrong) || shown.includes(PASSWORD), false);
      assert.ok(Date.now() - started < 3000);
      await assertNoNewHandles(before, 'wrong password');
    });

    test('a result of 16 MiB and more, and a row of exactly 0xffffff bytes', async () => {
      await withConnection(async (c) => {
        const big = await c.query(`SELECT REPEAT('x', ${17 * 1024 * 1024}), 'tail'`);
        assert.equal(big.rows[0][0]?.length, 17 * 1024 * 1024);
        assert.ok(/^x+$/.test(big.rows[0][0] ?? ''));
        assert.equal(big.rows[0][1], 'tail');
        // row payload = 0xfe + 8-byte length + value: exactly 0xffffff bytes, then an empty packet
        const exact = await c.query(`SELECT REPEAT('y', ${MAX - 9})`);
        assert.equal(exact.rows[0][0]?.length, MAX - 9);
        assert.deepEqual((await c.query('SELECT 3')).rows, [['3']], 'framing still in step');
      });
    });

    test('query texts of 16 MiB and more, including exact multiples of 0xffffff', async () => {
      await withConnection(async (c) => {
        // COM_QUERY payload = 0x03 + text; choose the literal so the payload is exactly n bytes
        for (const payloadSize of [MAX, MAX + 1, 2 * MAX, 17 * 1024 * 1024]) {
          const overhead = 1 + "SELECT LENGTH('')".length;
          const n = payloadSize - overhead;
          const r = await c.query(`SELECT LENGTH('${'z'.repeat(n)}')`);
          assert.deepEqual(r.rows, [[String(n)]], `payload ${payloadSize}`);
        }
      });
    });

    test('concurrent queries run one at a time, in order', async () => {
      await withConnection(async (c) => {
        const results = await Promise.all([1, 2, 3, 4, 5].map((i) => c.query(`SELECT ${i}, SLEEP(0)`)));
        assert.deepEqual(
          results.map((r) => r.rows[0][0]),
          ['1', '2', '3', '4', '5'],
        );
      });
    });

    test('the packet API: writeCommand, readPacket, packets(), with the socket paused above the high-water mark', async () => {
      const before = handleCounts();
      await withConnection(
        async (c) => {
          // 2000 rows of ~1 KiB: well above the 64 KiB high-water mark if nobody reads
          await c.writeCommand(
            encodeComQuery(
              "SELECT REPEAT('r', 1000) FROM (SELECT 1 FROM information_schema.COLLATIONS LIMIT 50) a, (SELECT 1 FROM information_schema.COLLATIONS LIMIT 40) b",
            ),
          );
          await new Promise((r) => setTimeout(r, 200));
          assert.ok(c.socket.isPaused(), 'socket paused');
          assert.ok(
            c.queuedBytes > 64 * 1024 && c.queuedBytes < 64 * 1024 + 256 * 1024,
            `queued ${c.queuedBytes}`,
          );
          let rows = 0;
          let sawEnd = false;
          for await (const p of c.packets()) {
            if (p[0] === 0xfe && p.length < 9) {
              sawEnd = true;
              break;
            }
            if (p.length > 1000) rows++;
          }
          assert.ok(sawEnd);
          assert.equal(rows, 2000);
          assert.equal(c.socket.isPaused(), false);
          // a command the replication layer might send: COM_PING by hand
          await c.writeCommand(Buffer.from([COM.COM_PING]));
          assert.equal((await c.readPacket())[0], 0x00);
          c.pause();
          assert.ok(c.socket.isPaused());
          c.resume();
        },
        { ...tcp, connection: { ...tcp.connection, highWaterMark: 64 * 1024 } },
      );
      await assertNoNewHandles(before, 'packet API');
    });

    test('after close(): every call rejects with ClosedError, and close() again is a no-op', async () => {
      const before = handleCounts();
      const c = await connect(tcp);
      const pending = c.readPacket().then(
        () => 'resolved',
        (e: unknown) => e,
      );
      await c.close();
      const err = await pending;
      assert.ok(err instanceof ClosedError && err.code === ErrorCode.ERR_CLOSED, inspect(err));
      await assert.rejects(c.query('SELECT 1'), ClosedError);
      await assert.rejects(c.readPacket(), ClosedError);
      await assert.rejects(c.writeCommand(Buffer.from([COM.COM_PING])), ClosedError);
      await c.close();
      await assertNoNewHandles(before, 'close');
    });

    test('an idle session ended by wait_timeout: the next query says what the server said', async () => {
      await withConnection(async (c) => {
        await c.query('SET SESSION wait_timeout = 1');
        const ended = await Promise.race([
          c.whenClosed().then(() => true),
          new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 15_000).unref()),
        ]);
        assert.ok(ended, 'the server did not end the idle session within 15 s');
        const err = await c.query('SELECT 1').then(
          () => assert.fail('a query on the ended session succeeded'),
          (e: unknown) => e,
        );
        assert.ok(err instanceof ConnectionError, inspect(err));
        assert.equal(err.code, ErrorCode.ERR_CONNECTION_CLOSED);
        if (server.flavor === 'mysql') {
          // MySQL 8.0.24+ sends ER_CLIENT_INTERACTION_TIMEOUT before it hangs up
          assert.ok(err.cause instanceof ServerError, inspect(err));
          assert.equal(err.cause.errno, 4031);
          assert.match(
            err.message,
            /^127\.0\.0\.1:\d+ closed the connection: server error 4031 \(HY000\): .*inactivity/,
          );
        } else {
          // MariaDB hangs up without a word (a reset, as it does not wait for our reading)
          assert.ok(!(err.cause instanceof ServerError), inspect(err));
          assert.match(
            err.message,
            /^127\.0\.0\.1:\d+ (closed the connection|reset the connection \(ECONNRESET\))$/,
          );
        }
      });
    });

    test('the server killing the session surfaces as a closed connection', async () => {
      await withConnection(async (c) => {
        const id = c.server.connectionId;
        const waiting = c.readPacket().then(
          (p) => p,
          (e: unknown) => e,
        );
        await server.sql(`KILL ${id}`);
        // MySQL 9.7 and MariaDB send no packet to a killed idle session: they hang up
        const err = await waiting;
        assert.ok(err instanceof ConnectionError, inspect(err));
        assert.equal(err.code, ErrorCode.ERR_CONNECTION_CLOSED);
        assert.match(err.message, /^127\.0\.0\.1:\d+ closed the connection$/);
        await assert.rejects(c.query('SELECT 1'), ConnectionError);
      });
    });
  });
}
