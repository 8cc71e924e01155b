// Transaction shapes, as each server logs them: XA (MySQL: GTID, `XA START xid`, rows, `XA END xid`,
// XA_PREPARE, and the later `XA COMMIT xid` / `XA ROLLBACK xid` as a transaction of its own; MariaDB opens
// it with its GTID event), CREATE TABLE … SELECT (MySQL: BEGIN, `CREATE … START TRANSACTION`, rows, XID),
// a MyISAM table (COMMIT as a query), triggers writing a second table, TRUNCATE, MariaDB sequences,
// temporary tables (not logged), savepoints, ALTER (MariaDB: two-phase, START ALTER + COMMIT ALTER). The resume point must never fall inside a transaction (a
// dump started there would begin with rows whose table map it never sent): every resume point the stream
// offers is checked against the places where the server's own SHOW BINLOG EVENTS starts a transaction,
// and a stream started from each (by file and position, and by GTID state) must give exactly the row
// changes not seen before it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { BinlogEvent } from '../../../src/binlog/types.js';
import { BinlogSyncError } from '../../../src/errors.js';
import { readBinlogFile } from '../../../src/file/read-binlog-file.js';
import type { ResumePoint } from '../../../src/replication/resume.js';
import type { BinlogStream } from '../../../src/replication/stream.js';
import { BinlogSyncer } from '../../../src/replication/syncer.js';
import type { LocalServer } from '../../../src/servers/local-server.js';
import { startTestServer, testServerNames } from '../../harness/servers.js';
import { logStatus, syncerOptions } from './helpers.js';

/** A full XID, its format id above 2^31 where the server takes one (MariaDB's grammar stops at 2^31 - 1). */
const xid1 = (mysql: boolean): string => `'a1','b1',${mysql ? 4294967295 : 2147483647}`;

function workload(mysql: boolean): string {
  return `CREATE DATABASE xa; CREATE TABLE xa.t (id INT PRIMARY KEY, v VARCHAR(20));
  XA START ${xid1(mysql)}; INSERT INTO xa.t VALUES (1, 'one'); INSERT INTO xa.t VALUES (2, 'two');
  XA END ${xid1(mysql)}; XA PREPARE ${xid1(mysql)}; XA COMMIT ${xid1(mysql)};
  XA START 'a2'; INSERT INTO xa.t VALUES (3, 'one phase'); XA END 'a2'; XA COMMIT 'a2' ONE PHASE;
  XA START 'a3'; INSERT INTO xa.t VALUES (4, 'rolled back'); XA END 'a3'; XA PREPARE 'a3'; XA ROLLBACK 'a3';
  INSERT INTO xa.t VALUES (5, 'plain');
  CREATE TABLE xa.c AS SELECT * FROM xa.t;
  CREATE TABLE xa.m (id INT PRIMARY KEY) ENGINE=MyISAM; INSERT INTO xa.m VALUES (1);
  CREATE TABLE xa.l (id INT PRIMARY KEY);
  CREATE TRIGGER xa.tr AFTER INSERT ON xa.t FOR EACH ROW INSERT INTO xa.l VALUES (NEW.id + 100);
  INSERT INTO xa.t VALUES (6, 'trigger');
  TRUNCATE xa.c; DROP TABLE xa.c;
  ${mysql ? '' : 'CREATE SEQUENCE xa.seq; SELECT NEXTVAL(xa.seq);'}
  CREATE TEMPORARY TABLE xa.tmp (id INT); INSERT INTO xa.tmp VALUES (1); DROP TEMPORARY TABLE xa.tmp;
  SET autocommit = 0; INSERT INTO xa.t VALUES (7, 'x'); SAVEPOINT s1; INSERT INTO xa.t VALUES (8, 'y');
  ROLLBACK TO SAVEPOINT s1; COMMIT; SET autocommit = 1;
  ALTER TABLE xa.t ADD COLUMN w INT; INSERT INTO xa.t VALUES (9, 'altered', 1)`;
}

// MySQL also with gtid_mode=OFF (its default): transactions start with ANONYMOUS_GTID events
const variants = testServerNames().flatMap((name) =>
  name.startsWith('mysql')
    ? [
        { name, gtids: true },
        { name, gtids: false },
      ]
    : [{ name, gtids: true }],
);

for (const { name, gtids } of variants) {
  describe(`transaction shapes on ${name}${gtids ? '' : ' with gtid_mode=OFF'}`, () => {
    let server: LocalServer;
    let at: { file: string; pos: number };
    /** Where the server starts a transaction (its GTID events) in this file, after `at`, and the file's end. */
    let starts: Set<number>;
    let end: number;
    /** The GTID state before the workload. */
    let gtid0: string;

    test('setup', async () => {
      // MariaDB 10.8+: an ALTER logged twice, START ALTER when it begins and COMMIT ALTER when it is done
      server = await startTestServer(name, {
        options:
          name === 'mariadb-10.11' || name === 'mariadb-11.8'
            ? ['--binlog-alter-two-phase=ON']
            : gtids
              ? []
              : ['--gtid-mode=OFF', '--enforce-gtid-consistency=OFF'],
      });
      at = await logStatus(server);
      gtid0 = (
        await server.sql(server.flavor === 'mysql' ? 'SELECT @@gtid_executed' : 'SELECT @@gtid_binlog_pos')
      ).trim();
      await server.sql(workload(server.flavor === 'mysql'));
      end = (await logStatus(server)).pos;
      const events = (await server.sql(`SHOW BINLOG EVENTS IN '${at.file}' FROM ${at.pos}`))
        .trim()
        .split('\n')
        .map((l) => l.split('\t'));
      if (name === 'mariadb-10.11' || name === 'mariadb-11.8') {
        const info = events.map((e) => e[5] ?? '');
        assert.ok(info.some((q) => / START ALTER$/.test(q)) && info.some((q) => / COMMIT ALTER id=/.test(q)));
      }
      const gtidType = gtids ? 'Gtid' : 'Anonymous_Gtid';
      assert.ok(
        events.every((e) => e[2] !== (gtids ? 'Anonymous_Gtid' : 'Gtid')),
        'the GTID mode asked for',
      );
      starts = new Set(events.filter((e) => e[2] === gtidType).map((e) => Number(e[1])));
      // the XA part alone: CREATE DATABASE, CREATE TABLE, a1 prepare + commit, a2, a3 prepare + rollback,
      // the plain insert; then 9 more (11 on MariaDB, with the sequence)
      assert.ok(starts.size >= 17, events.map((e) => e.join(' ')).join('\n'));
    });

    /** Row changes of a stream, in order, as text (table and row; bigint as text). */
    const rowKeys = (ev: BinlogEvent): string[] =>
      ev.type === 'write_rows' || ev.type === 'update_rows' || ev.type === 'delete_rows'
        ? ev.rows.map(
            (r) =>
              `${ev.type} ${ev.table} ${JSON.stringify(r, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))}`,
          )
        : [];

    /** Follows the log to its end; the row changes, and each new resume point with the rows seen before it. */
    async function follow(
      start: (syncer: BinlogSyncer) => Promise<BinlogStream>,
    ): Promise<{ rows: string[]; types: string[]; points: { rp: ResumePoint; before: number }[] }> {
      const syncer = new BinlogSyncer(syncerOptions(server));
      const rows: string[] = [];
      const types: string[] = [];
      const points: { rp: ResumePoint; before: number }[] = [];
      try {
        const stream = await start(syncer);
        for await (const ev of stream) {
          types.push(ev.type);
          rows.push(...rowKeys(ev as BinlogEvent));
          const rp = stream.resumePoint;
          if (points.at(-1)?.rp.pos !== rp.pos) points.push({ rp, before: rows.length });
        }
      } finally {
        await syncer.close();
      }
      return { rows, types, points };
    }

    test('the resume point moves only to transaction starts; from each one, the rest exactly once', async () => {
      const all = await follow((s) => s.startSync(at, { nonBlocking: true }));
      assert.ok(all.types.filter((t) => t === 'xa_prepare').length >= 2, all.types.join());
      const positions = all.points.map((p) => p.rp.pos);
      const inside = positions.filter((p) => p !== at.pos && p !== end && !starts.has(p));
      assert.deepEqual(inside, [], `resume points inside a transaction; starts ${[...starts].join()}`);
      // every transaction end was a resume point: each start after the first, and the end of the log
      assert.deepEqual(
        positions.filter((p) => p !== at.pos),
        [...[...starts].filter((p) => p > Math.min(...starts)), end].filter((p) => p > at.pos),
      );
      // a consumer restarted from any of them gets exactly the row changes it had not seen
      for (const { rp, before } of all.points) {
        const rest = await follow((s) => s.startSync({ file: rp.file, pos: rp.pos }, { nonBlocking: true }));
        assert.deepEqual(rest.rows, all.rows.slice(before), `from ${rp.file}:${rp.pos}`);
      }
      // what the server kept: a1 and a2 committed, a3 rolled back, the row after the savepoint too
      assert.equal(
        (await server.sql('SELECT id FROM xa.t ORDER BY id')).trim().split('\n').join(),
        '1,2,3,5,6,7,9',
      );
      assert.ok(all.rows.length >= 12, all.rows.join('\n'));
    });

    test('XA PREPARE events carry the XID SHOW BINLOG EVENTS shows (a format id of 2^32 - 1 on MySQL)', async () => {
      const shown = (await server.sql(`SHOW BINLOG EVENTS IN '${at.file}' FROM ${at.pos}`))
        .trim()
        .split('\n')
        .map((l) => l.split('\t'))
        .filter((e) => e[2] === 'XA_prepare')
        .map((e) => e[5]);
      const decoded: string[] = [];
      for await (const ev of readBinlogFile(server.binlogPath(at.file), { start: at.pos }))
        if (ev.type === 'xa_prepare')
          decoded.push(
            `XA ${ev.onePhase ? 'COMMIT' : 'PREPARE'} X'${ev.gtrid.toString('hex')}',X'${ev.bqual.toString('hex')}',` +
              `${ev.formatId}${ev.onePhase ? ' ONE PHASE' : ''}`,
          );
      // a1 and a3 prepared, and on MySQL a2 committed in one phase
      assert.equal(shown.length, server.flavor === 'mysql' ? 3 : 2, shown.join('\n'));
      assert.deepEqual(decoded, shown);
      assert.ok(shown[0].endsWith(server.flavor === 'mysql' ? ',4294967295' : ',2147483647'), shown[0]);
    });

    test('by GTID too: from the GTID state of each resume point, the rest exactly once', async () => {
      if (!gtids) {
        // no GTIDs to resume from: said clearly, at the start
        const syncer = new BinlogSyncer(syncerOptions(server));
        try {
          await assert.rejects(
            (async () => {
              for await (const _ of await syncer.startSyncGtid(gtid0, { nonBlocking: true }));
            })(),
            (e: unknown) => {
              assert.ok(e instanceof BinlogSyncError, String(e));
              assert.match(e.message, /gtid_mode/i);
              return true;
            },
          );
        } finally {
          await syncer.close();
        }
        return;
      }
      const all = await follow((s) => s.startSyncGtid(gtid0, { nonBlocking: true }));
      const withGtid = all.points.filter((p) => p.rp.gtid !== undefined);
      assert.ok(withGtid.length >= starts.size, `${withGtid.length} GTID resume points`);
      for (const { rp, before } of withGtid) {
        const rest = await follow((s) => s.startSyncGtid(rp.gtid!, { nonBlocking: true }));
        assert.deepEqual(rest.rows, all.rows.slice(before), `from ${rp.gtid}`);
      }
    });
  });
}
