// Following a live server: every start mode, rotation, compression, non-blocking end, and the errors
// a user meets first (no binlog, statement format, wrong password, no privilege, purged binlog).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { backup } from '../../../src/replication/backup.js';
import { BinlogSyncer } from '../../../src/replication/syncer.js';
import type { BinlogSyncerOptions } from '../../../src/replication/options.js';
import type { StreamEvent } from '../../../src/replication/stream.js';
import type { LocalServer } from '../../../src/servers/local-server.js';
import { BinlogSyncError, ConfigError, ServerError } from '../../../src/errors.js';
import { startTestServer, testServerNames } from '../../harness/servers.js';
import { logStatus } from './helpers.js';

function options(s: LocalServer, extra: Partial<BinlogSyncerOptions> = {}): BinlogSyncerOptions {
  return {
    host: s.host,
    port: s.port,
    user: 'root',
    password: '',
    serverId: 5000 + (s.port % 1000),
    heartbeatPeriod: 1000,
    ...extra,
  };
}

async function collect(
  stream: AsyncIterable<StreamEvent>,
  until?: (ev: StreamEvent) => boolean,
): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const ev of stream) {
    out.push(ev);
    if (until?.(ev)) break;
  }
  return out;
}

const rowsOf = (events: StreamEvent[]): (readonly [string, string, unknown])[] =>
  events.flatMap((e): (readonly [string, string, unknown])[] =>
    e.type === 'write_rows'
      ? e.rows.map((r) => ['+', e.table, r.id] as const)
      : e.type === 'delete_rows'
        ? e.rows.map((r) => ['-', e.table, r.id] as const)
        : [],
  );

async function status(s: LocalServer): Promise<{ file: string; pos: number; gtid: string }> {
  const out = await s.sql(s.flavor === 'mysql' ? 'SHOW BINARY LOG STATUS' : 'SHOW MASTER STATUS');
  const [file, pos] = out.trim().split('\t');
  const gtid = (await s.sql(s.flavor === 'mysql' ? 'SELECT @@gtid_executed' : 'SELECT @@gtid_binlog_pos'))
    .trim()
    .replace(/\\n/g, '\n');
  return { file, pos: Number(pos), gtid };
}

/**
 * The status once the binlog stops growing. After FLUSH BINARY LOGS, MariaDB writes a BINLOG_CHECKPOINT
 * naming the new file once the old one is no longer needed for crash recovery — in the background, often
 * after the statements that follow (seen 300+ ms later; CI saw it land between the status read and the
 * dump: a resume point 45 bytes past the status). So on MariaDB wait for that checkpoint itself, not for a
 * quiet spell.
 */
async function settledStatus(s: LocalServer): Promise<{ file: string; pos: number; gtid: string }> {
  for (let i = 0; i < 100; i++) {
    const now = await status(s);
    if (s.flavor === 'mysql') return now;
    const events = await s.sql(`SHOW BINLOG EVENTS IN '${now.file}'`);
    const own = events
      .split('\n')
      .map((line) => line.split('\t'))
      .some((cols) => cols[2] === 'Binlog_checkpoint' && cols[5] === now.file);
    if (own) return status(s);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('MariaDB wrote no BINLOG_CHECKPOINT for the new file within 10 s');
}

for (const name of testServerNames()) {
  describe(`stream on ${name}`, () => {
    let server: LocalServer;
    test('setup', async () => {
      server = await startTestServer(name, { options: ['--binlog-row-metadata=FULL'] });
      await server.sql('CREATE DATABASE s; CREATE TABLE s.t (id INT PRIMARY KEY, v VARCHAR(10))');
    });

    test('from a position, across FLUSH BINARY LOGS, to the end (non-blocking)', async () => {
      const start = await status(server);
      await server.sql(
        "INSERT INTO s.t VALUES (1,'a'); FLUSH BINARY LOGS; INSERT INTO s.t VALUES (2,'b'); DELETE FROM s.t WHERE id = 1",
      );
      const end = await settledStatus(server);
      const syncer = new BinlogSyncer(options(server));
      try {
        const stream = await syncer.startSync({ file: start.file, pos: start.pos }, { nonBlocking: true });
        const events = await collect(stream);
        for (const e of events) assert.deepEqual(e.position, { file: e.file, pos: e.pos });
        assert.deepEqual(rowsOf(events), [
          ['+', 't', 1],
          ['+', 't', 2],
          ['-', 't', 1],
        ]);
        const rotates = events.filter((e) => e.type === 'rotate' && !(e.flags & 0x20));
        assert.equal(rotates.length, 1, 'one real rotate');
        // every real event sits where its header says, in the file the rotate named
        for (const e of events)
          if (e.type !== 'rotate' && e.logPos !== 0 && !(e.flags & 0x20)) assert.equal(e.next, e.logPos);
        assert.deepEqual(
          { file: stream.resumePoint.file, pos: stream.resumePoint.pos },
          { file: end.file, pos: end.pos },
        );
      } finally {
        await syncer.close();
      }
    });

    test('changes logged as statements mid-stream: a warning, once, naming the place', async () => {
      const start = await status(server);
      // one session switched to STATEMENT (MySQL warns that it is deprecated; it still logs so); the
      // command-line client may leave the comment out
      await server.sql(
        "SET SESSION binlog_format = 'STATEMENT'; INSERT INTO s.t VALUES (50,'st'); /* x */ UPDATE s.t SET v = 'st2' WHERE id = 50; " +
          "SET SESSION binlog_format = 'ROW'; DELETE FROM s.t WHERE id = 50",
      );
      const warnings: { msg: string; o: Record<string, unknown> }[] = [];
      const syncer = new BinlogSyncer(
        options(server, {
          logger: {
            debug() {},
            info() {},
            error() {},
            warn: (o, msg) => void warnings.push({ msg: String(msg), o: o as Record<string, unknown> }),
          },
        }),
      );
      try {
        const events = await collect(
          await syncer.startSync({ file: start.file, pos: start.pos }, { nonBlocking: true }),
        );
        const dml = events.filter(
          (e) => e.type === 'query' && /^(\/\* x \*\/ )?(INSERT|UPDATE)/.test(e.query),
        );
        assert.equal(dml.length, 2, 'the statements come as query events');
        assert.deepEqual(rowsOf(events), [['-', 't', 50]]);
        const w = warnings.filter((x) => /logged as a statement/.test(x.msg));
        assert.equal(w.length, 1, JSON.stringify(warnings));
        assert.deepEqual([w[0].o.file, w[0].o.pos], [dml[0].file, dml[0].pos]);
        // raw events (a backup's) are bytes whatever the format: no warning
        warnings.length = 0;
        const raw = new BinlogSyncer(options(server, { rawMode: true, logger: syncer.options.logger }));
        try {
          const rawEvents = await collect(
            await raw.startSync({ file: start.file, pos: start.pos }, { nonBlocking: true }),
          );
          assert.ok(rawEvents.length >= events.length - 2, `${rawEvents.length} raw events`);
          assert.deepEqual(warnings, []);
        } finally {
          await raw.close();
        }
      } finally {
        await syncer.close();
      }
    });

    test("from 'now' sees only later changes, and from a GTID set only missing transactions", async () => {
      const syncer = new BinlogSyncer(options(server));
      try {
        const before = await status(server);
        const now = await syncer.startSync('now');
        await server.sql("INSERT INTO s.t VALUES (10,'now')");
        const got = await collect(now, (e) => e.type === 'write_rows');
        assert.deepEqual(rowsOf(got), [['+', 't', 10]]);
        assert.ok(got.every((e) => typeof e.file === 'string' && e.file !== ''));
        await now.close();

        await server.sql("INSERT INTO s.t VALUES (11,'g')");
        const fromGtid = await syncer.startSyncGtid(before.gtid);
        const seen = await collect(fromGtid, (e) => e.type === 'write_rows' && e.rows[0]?.id === 11);
        assert.deepEqual(rowsOf(seen), [
          ['+', 't', 10],
          ['+', 't', 11],
        ]);
        // the dump by GTID learns its file from the first (fake) ROTATE, which stands at the place it names
        const first = seen[0];
        assert.equal(first.type, 'rotate');
        if (first.type === 'rotate')
          assert.deepEqual([first.file, first.pos], [first.nextFile, first.nextPos]);
        assert.deepEqual(
          seen.filter((e) => !e.file).map((e) => e.type),
          [],
          'every event names its file',
        );
        await fromGtid.close();
      } finally {
        await syncer.close();
      }
    });

    test('savepoints and ROLLBACK TO inside a transaction leave the resume point at its start', async () => {
      // MariaDB: a MyISAM change after the savepoint cannot be undone, so the server logs the ROLLBACK TO
      // as well (MySQL refuses that mix under enforce_gtid_consistency: there only SAVEPOINT is logged)
      const mariadb = server.flavor === 'mariadb';
      if (mariadb) await server.sql('CREATE TABLE s.m (id INT) ENGINE=MyISAM');
      const syncer = new BinlogSyncer(options(server));
      try {
        const stream = await syncer.startSync('now');
        await server.sql(
          "BEGIN; INSERT INTO s.t VALUES (20,'a'); SAVEPOINT sp1; INSERT INTO s.t VALUES (21,'b'); " +
            (mariadb ? 'INSERT INTO s.m VALUES (1); ' : '') +
            "ROLLBACK TO SAVEPOINT sp1; INSERT INTO s.t VALUES (22,'c'); COMMIT; INSERT INTO s.t VALUES (23,'d')",
        );
        const seen: { type: string; query?: string; resume: { file: string; pos: number } }[] = [];
        let before = stream.resumePoint;
        for await (const ev of stream) {
          seen.push({ type: ev.type, query: ev.type === 'query' ? ev.query : undefined, resume: before });
          before = stream.resumePoint;
          if (ev.type === 'write_rows' && ev.rows.some((x) => x.id === 23)) break;
        }
        console.log(
          `# savepoints ${JSON.stringify({ server: name, events: seen.map((e) => e.query ?? e.type) })}`,
        );
        const logged = (re: RegExp): boolean => seen.some((e) => e.query !== undefined && re.test(e.query));
        assert.ok(logged(/^SAVEPOINT/i), 'the server logs SAVEPOINT');
        if (mariadb) assert.ok(logged(/^ROLLBACK TO/i), 'and ROLLBACK TO');
        // the InnoDB transaction: from the GTID event before the SAVEPOINT to the XID after it; `resume` is
        // the resume point when the consumer got that event, i.e. after the one before it
        const sp = seen.findIndex((e) => e.query !== undefined && /^SAVEPOINT/i.test(e.query));
        let first = sp;
        while (first > 0 && seen[first].type !== 'gtid' && seen[first].type !== 'mariadb_gtid') first--;
        const xid = seen.findIndex((e, i) => i > sp && e.type === 'xid');
        assert.ok(first >= 0 && xid > sp);
        const atStart = seen[first + 1].resume;
        for (const e of seen.slice(first + 1, xid + 1))
          assert.deepEqual(
            e.resume,
            atStart,
            `the resume point moved inside the transaction, before ${e.query ?? e.type}`,
          );
        assert.notDeepEqual(stream.resumePoint, atStart);
        await stream.close();
      } finally {
        await syncer.close();
      }
    });

    test("tables: only the kept tables' table maps and rows, compressed ones too; the rest as without it", async () => {
      const mysql = server.flavor === 'mysql';
      await server.sql(
        'CREATE TABLE s.keep (id INT PRIMARY KEY, v TEXT); CREATE TABLE s.other (id INT PRIMARY KEY, v TEXT)',
      );
      // table maps without names, so that the stream looks the columns up (in information_schema)
      await server.sql("SET GLOBAL binlog_row_metadata = 'MINIMAL'");
      const start = await status(server);
      // MySQL: a zstd TRANSACTION_PAYLOAD; MariaDB: *_ROWS_COMPRESSED events (rows over 256 bytes)
      const [on, off] = mysql
        ? ['SET SESSION binlog_transaction_compression=ON', 'SET SESSION binlog_transaction_compression=OFF']
        : ['SET GLOBAL log_bin_compress=ON', 'SET GLOBAL log_bin_compress=OFF'];
      await server.sql(
        "BEGIN; INSERT INTO s.keep VALUES (1,'a'); INSERT INTO s.other VALUES (1,'b'); " +
          "UPDATE s.keep SET v = 'c' WHERE id = 1; COMMIT; INSERT INTO s.other VALUES (2, 'other only'); " +
          `${on}; BEGIN; INSERT INTO s.other VALUES (3, REPEAT('o', 400)); ` +
          "INSERT INTO s.keep VALUES (2, REPEAT('k', 400)); DELETE FROM s.other WHERE id = 1; COMMIT; " +
          `${off}; UPDATE s.other SET v = 'd' WHERE id = 2; DELETE FROM s.keep WHERE id = 1`,
      );
      await server.sql("SET GLOBAL binlog_row_metadata = 'FULL'");
      const end = await settledStatus(server);
      // the server's own log says which schema lookups the stream made
      await server.sql(
        "SET GLOBAL log_output = 'TABLE'; SET sql_log_bin = 0; TRUNCATE mysql.general_log; SET GLOBAL general_log = ON",
      );
      const lookups = async (table: string): Promise<number> => {
        // the stream's query names the table as CONVERT(0x… USING utf8mb4)
        const hex = Buffer.from(table).toString('hex');
        const n = await server.sql(
          "SELECT COUNT(*) FROM mysql.general_log WHERE argument LIKE '%information_schema.COLUMNS%' " +
            // (the pattern built by CONCAT, so that this query, logged too, does not match itself)
            `AND argument LIKE CONCAT('%TABLE_NAME = CONVERT(0x', '${hex}', ' %')`,
        );
        await server.sql('SET sql_log_bin = 0; TRUNCATE mysql.general_log');
        return Number(n.trim());
      };
      type Shape = {
        type: string;
        pos: number;
        next: number;
        table?: string;
        rows?: unknown;
        inPayload: boolean;
      };
      const run = async (tables?: BinlogSyncerOptions['tables']): Promise<[Shape[], unknown]> => {
        const syncer = new BinlogSyncer(options(server, { tables }));
        try {
          const stream = await syncer.startSync({ file: start.file, pos: start.pos }, { nonBlocking: true });
          const shapes = (await collect(stream)).map((e) => ({
            type: e.type,
            pos: e.pos,
            next: e.next,
            ...('table' in e && 'schema' in e ? { table: `${e.schema}.${e.table}` } : {}),
            ...('rows' in e ? { rows: e.rows } : {}),
            inPayload: 'payload' in e && e.payload !== undefined,
            ...('compressed' in e && e.compressed ? { compressed: true } : {}),
          }));
          return [shapes, stream.resumePoint];
        } finally {
          await syncer.close();
        }
      };
      try {
        const [all, allResume] = await run();
        assert.ok((await lookups('other')) > 0, 'without tables, s.other is looked up');
        assert.ok(
          all.some(
            (e) => e.table === 's.keep' && e.type === 'write_rows' && JSON.stringify(e.rows).includes('"v"'),
          ),
          'column names from the lookup',
        );
        const isTableEvent = (e: Shape): boolean =>
          e.type === 'table_map' || ['write_rows', 'update_rows', 'delete_rows'].includes(e.type);
        const others = all.filter((e) => isTableEvent(e) && e.table === 's.other');
        assert.ok(others.length >= 8, 'the binlog has table maps and rows of s.other');
        // the compressed transaction really is compressed, for both tables
        const packed = (t: string): boolean =>
          all.some(
            (e) =>
              e.table === t &&
              e.type.endsWith('_rows') &&
              (mysql ? e.inPayload : (e as { compressed?: boolean }).compressed === true),
          );
        assert.ok(packed('s.keep') && packed('s.other'), 'compressed rows of both tables');
        const want = all.filter((e) => !(isTableEvent(e) && e.table === 's.other'));
        for (const tables of [
          { include: ['s.keep'] },
          { exclude: ['*.oth?r'] },
          (schema: string, table: string) => table !== 'other',
        ]) {
          const [kept, keptResume] = await run(tables);
          assert.deepEqual(kept, want, `tables ${String(JSON.stringify(tables) ?? tables)}`);
          assert.deepEqual(keptResume, allResume);
          assert.equal(await lookups('other'), 0, 'no schema lookup for a table left out');
        }
        assert.deepEqual(allResume, { file: end.file, pos: end.pos, ...(allResume as { gtid?: string }) });
        assert.throws(
          () => new BinlogSyncer(options(server, { tables: { include: ['s.keep'] }, rawMode: true })),
        );
      } finally {
        await server.sql("SET GLOBAL general_log = OFF; SET GLOBAL log_output = 'FILE'");
      }
    });

    test('a purged binlog file is a ServerError 1236 quoting the server', async () => {
      const syncer = new BinlogSyncer(options(server));
      try {
        await assert.rejects(
          (async () => collect(await syncer.startSync({ file: 'no-such-file.000001', pos: 4 })))(),
          (e: unknown) => e instanceof ServerError && e.errno === 1236 && /binlog dump/.test(e.message),
        );
        // a file the source purged: the message says which files it has now. (MariaDB purges a file only
        // once the next one has its BINLOG_CHECKPOINT; non-blocking, so that a file still there ends it.)
        const old = (await status(server)).file;
        await server.sql('FLUSH BINARY LOGS');
        const now = (await settledStatus(server)).file;
        for (let i = 0; i < 50; i++) {
          await server.sql(`PURGE BINARY LOGS TO '${now}'`);
          if ((await server.sql('SHOW BINARY LOGS')).trim().split('\t')[0] === now) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        assert.equal((await server.sql('SHOW BINARY LOGS')).trim().split('\t')[0], now, 'purged');
        await assert.rejects(
          (async () => collect(await syncer.startSync({ file: old, pos: 4 }, { nonBlocking: true })))(),
          (e: unknown) =>
            e instanceof ServerError &&
            e.errno === 1236 &&
            e.message.endsWith(`(the source's binlogs now run from ${now} to ${now}: ${old} was purged)`),
        );
      } finally {
        await syncer.close();
      }
    });

    // COM_BINLOG_DUMP's position is 4 bytes: past 4 GiB the dump starts at the next file when the place
    // is a rotated file's end (test/replication/commands.test.ts); anywhere else it cannot start
    test('a position past 4 GiB that is no file end: a ConfigError naming the file size, from the source', async () => {
      const syncer = new BinlogSyncer(options(server));
      try {
        const [file, size] = (
          await server.sql(server.flavor === 'mysql' ? 'SHOW BINARY LOG STATUS' : 'SHOW MASTER STATUS')
        )
          .trim()
          .split('\t');
        await assert.rejects(syncer.startSync({ file, pos: 2 ** 32 + 4 }), (e: unknown) => {
          assert.ok(e instanceof ConfigError, String(e));
          assert.match(
            e.message,
            new RegExp(`${file}:4294967300: .*below 4 GiB.*\\(${size} bytes, the last file\\)`),
          );
          return true;
        });
      } finally {
        await syncer.close();
      }
    });

    test('wrong password and missing REPLICATION SLAVE privilege give clear errors', async () => {
      await server.sql("CREATE USER weak@'%' IDENTIFIED BY 'pw'; GRANT SELECT ON *.* TO weak@'%'");
      const bad = new BinlogSyncer(options(server, { user: 'root', password: 'wrong-secret' }));
      await assert.rejects(bad.startSync('now'), (e: unknown) => {
        assert.ok(e instanceof BinlogSyncError);
        assert.match(e.message, /denied/i);
        assert.doesNotMatch(e.message, /wrong-secret/);
        return true;
      });
      const weak = new BinlogSyncer(options(server, { user: 'weak', password: 'pw' }));
      try {
        await assert.rejects(
          (async () => collect(await weak.startSync('now')))(),
          (e: unknown) =>
            e instanceof ServerError &&
            [1227, 1045].includes(e.errno) &&
            /REPLICATION|privilege/i.test(e.message),
        );
      } finally {
        await weak.close();
      }
    });
  });
}

describe('start-up checks', () => {
  const name = testServerNames()[0];
  test('a server without binlog, or with STATEMENT format, is refused at start', async () => {
    const noBinlog = await startTestServer(name, {
      options: [
        '--skip-log-bin',
        ...(name.startsWith('mysql') ? ['--gtid-mode=OFF', '--enforce-gtid-consistency=OFF'] : []),
      ],
    });
    await assert.rejects(
      new BinlogSyncer(options(noBinlog)).startSync({ file: 'x.000001', pos: 4 }),
      /binary logging off/,
    );
    const stmt = await startTestServer(name, { options: ['--binlog-format=STATEMENT'] });
    await assert.rejects(new BinlogSyncer(options(stmt)).startSync('now'), /binlog_format=STATEMENT/);
    // raw events are bytes in any format: backup() copies a STATEMENT binlog byte for byte
    const { file } = await logStatus(stmt);
    await stmt.sql(
      'CREATE DATABASE s; CREATE TABLE s.t (id INT); INSERT INTO s.t VALUES (1); FLUSH BINARY LOGS',
    );
    const dir = mkdtempSync(join(tmpdir(), 'binlogsync-stmt-'));
    try {
      await backup(options(stmt), { dir, start: { file }, nonBlocking: true });
      assert.ok(
        readFileSync(join(dir, file)).equals(readFileSync(stmt.binlogPath(file))),
        `${file} identical`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
