// MariaDB as the oracle for GTID positions and lists: random transactions in several domains and server
// ids; after each one, the position and list kept by MariadbGtidPosition / MariadbGtidList must match
// @@gtid_binlog_pos and @@gtid_binlog_state, BINLOG_GTID_POS(file, pos) at every point must match the
// position then, and the GTID_LIST event of the next binlog must match the list. Set BINLOGSYNC_TEST_SEED
// to replay a run.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, test } from 'node:test';
import {
  MariadbGtidList,
  MariadbGtidPosition,
  parseMariadbGtid,
  type MariadbGtid,
} from '../../../src/gtid/index.js';
import type { LocalServer } from '../../../src/servers/local-server.js';
import { startTestServer, testServerNames } from '../../harness/servers.js';

const seed = Number(process.env.BINLOGSYNC_TEST_SEED ?? Math.floor(Math.random() * 2 ** 31));
function prng(s: number): () => number {
  let a = s >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DOMAINS = [0, 1, 2, 7, 4294967295];
const SERVERS = [1, 2, 3, 1000, 4294967295];

const flavors = (['mariadb-10.11', 'mariadb-11.8', 'mariadb-10.5'] as const).filter((n) =>
  testServerNames().includes(n),
);
const servers = new Map<string, LocalServer>();
// Started at the top level: the harness stops them when the file's tests end.
for (const name of flavors) servers.set(name, await startTestServer(name));

for (const name of ['mariadb-10.11', 'mariadb-11.8', 'mariadb-10.5'] as const) {
  const server = servers.get(name);
  describe(
    `${name} as the oracle for GTID positions and lists`,
    { skip: !server && `${name} not selected` },
    () => {
      const rnd = prng(seed);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];

      test(`random transactions in several domains (seed ${seed})`, async () => {
        const s = server!;
        await s.sql('CREATE DATABASE gtid_it; CREATE TABLE gtid_it.t (id INT PRIMARY KEY AUTO_INCREMENT)');
        const [state0, status0] = (await s.sql('SELECT @@gtid_binlog_state; SHOW MASTER STATUS')).split('\n');
        const list = MariadbGtidList.parse(state0);
        let pos = list.toPosition();
        const points: { file: string; at: number; pos: MariadbGtidPosition }[] = [
          { file: status0.split('\t')[0], at: Number(status0.split('\t')[1]), pos },
        ];

        const top = new Map<number, bigint>();
        const steps: string[] = [];
        for (let i = 0; i < 40; i++) {
          const d = pick(DOMAINS);
          let sql = `SET gtid_domain_id=${d}; SET server_id=${pick(SERVERS)}; `;
          if (rnd() < 0.2) {
            const next = (top.get(d) ?? 0n) + 1000n + BigInt(Math.floor(rnd() * 2 ** 40));
            top.set(d, next);
            sql += `SET gtid_seq_no=${next}; `;
          }
          steps.push(sql + 'INSERT INTO gtid_it.t VALUES ()');
        }
        const out = (
          await s.sql(
            steps
              .map(
                (x) =>
                  `${x}; SELECT @@last_gtid, @@gtid_binlog_pos, @@gtid_binlog_state; SHOW MASTER STATUS;`,
              )
              .join('\n'),
          )
        ).split('\n');
        let maxServersInDomain = 0;
        steps.forEach((step, k) => {
          const [last, binlogPos, binlogState] = out[2 * k].split('\t');
          const [file, at] = out[2 * k + 1].split('\t');
          const why = `seed ${seed}, step ${k}: ${step}`;
          const gtid: MariadbGtid = parseMariadbGtid(last);
          list.update(gtid);
          pos = pos.clone().update(gtid);
          points.push({ file, at: Number(at), pos });
          assert.equal(pos.toString(), binlogPos, `@@gtid_binlog_pos; ${why}`);
          assert.equal(list.toPosition().toString(), binlogPos, why);
          // The server sorts @@gtid_binlog_state by domain with an unstable sort: compare the GTIDs and the
          // domain order, not the order within a domain.
          const serverList = MariadbGtidList.parse(binlogState);
          assert.ok(
            serverList.equals(list),
            `@@gtid_binlog_state ${binlogState} vs ${list.toString()}; ${why}`,
          );
          const domains = binlogState.split(',').map((x) => Number(x.split('-')[0]));
          assert.deepEqual(
            domains,
            list.gtids().map((g) => g.domainId),
            why,
          );
          const perDomain = new Map<number, number>();
          for (const g of list) perDomain.set(g.domainId, (perDomain.get(g.domainId) ?? 0) + 1);
          maxServersInDomain = Math.max(maxServersInDomain, ...perDomain.values());
        });
        assert.ok(maxServersInDomain >= 2, 'some domain saw several server ids');

        const gtidPos = (
          await s.sql(points.map((p) => `SELECT BINLOG_GTID_POS('${p.file}', ${p.at});`).join('\n'))
        ).split('\n');
        points.forEach((p, k) => {
          const serverPos = MariadbGtidPosition.parse(gtidPos[k]);
          assert.ok(
            serverPos.equals(p.pos),
            `BINLOG_GTID_POS('${p.file}', ${p.at}) = ${gtidPos[k]}, expected ${p.pos.toString()}; seed ${seed}`,
          );
        });

        await s.sql('FLUSH BINARY LOGS');
        const [newFile] = (await s.sql('SHOW MASTER STATUS')).split('\t');
        const atStart = (await s.sql(`SELECT BINLOG_GTID_POS('${newFile}', 4)`)).split('\n')[0];
        assert.ok(MariadbGtidPosition.parse(atStart).equals(pos), `${atStart} vs ${pos.toString()}`);
        const printed = execFileSync(s.tools.binlogTool, ['-vv', s.binlogPath(newFile)], {
          encoding: 'utf8',
        });
        const m = /Gtid list \[([^\]]*)\]/.exec(printed);
        assert.ok(m, 'mariadb-binlog prints the GTID_LIST event');
        const fromEvent = MariadbGtidList.parse(m[1].replace(/,\n# /g, ','));
        assert.ok(fromEvent.equals(list), `Gtid list [${m[1]}] vs ${list.toString()}`);
        // GTID_LIST_EVENT keeps a domain's most recent GTID last (rpl_binlog_state::get_gtid_list)
        assert.ok(fromEvent.toPosition().equals(pos), `Gtid list [${m[1]}] vs position ${pos.toString()}`);
      });

      test('a formatted position round-trips through @@gtid_slave_pos', async () => {
        const s = server!;
        const pos = new MariadbGtidPosition();
        for (let i = 0; i < 8; i++) {
          pos.update({
            domainId: pick(DOMAINS),
            serverId: pick(SERVERS),
            seqNo: BigInt(Math.floor(rnd() * 2 ** 52)) * 4096n + BigInt(Math.floor(rnd() * 4096)),
          });
        }
        const out = (
          await s.sql(`SET GLOBAL gtid_slave_pos = '${pos.toString()}'; SELECT @@gtid_slave_pos`)
        ).trim();
        assert.equal(out, pos.toString());
        assert.ok(MariadbGtidPosition.parse(out).equals(pos));
        await s.sql("SET GLOBAL gtid_slave_pos = ''");
      });
    },
  );
}
