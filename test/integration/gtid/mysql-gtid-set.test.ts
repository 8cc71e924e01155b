// MySQL 9.7 as the oracle for GTID sets: random sets in random text forms go through the server's
// GTID_SUBTRACT / GTID_SUBSET and through MysqlGtidSet, and the results must be the same bytes. Then the
// PREVIOUS_GTIDS event of binlogs the server writes must decode to @@gtid_executed and encode back to
// the same bytes. Set BINLOGSYNC_TEST_SEED to replay a run.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import type { LocalServer } from '../../../src/servers/local-server.js';
import {
  decodeMysqlGtidSet,
  MYSQL_GNO_MAX,
  MysqlGtidSet,
  parseMysqlGtidSet,
} from '../../../src/gtid/index.js';
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
const rnd = prng(seed);
const int = (n: number): number => Math.floor(rnd() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
const hex = (n: number): string => Array.from({ length: n }, () => '0123456789abcdef'[int(16)]).join('');

const UUIDS = [
  `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`,
  `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`,
  `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`,
  '00000000-0000-0000-0000-000000000000',
];
const TAGS = ['a', 'tag_1', 'Zz', '_x', 'abcdefghijklmnopqrstuvwxyz012345', 'A1'];
const SPACES = ['', '', '', ' ', '\t', '\n', ' \r\n '];

function uuidText(u: string): string {
  const cased = rnd() < 0.3 ? u.toUpperCase() : u;
  const form = int(6);
  if (form === 0) return cased.replace(/-/g, '');
  if (form === 1) return `{${cased}}`;
  return cased;
}

function gnoText(): [bigint, string] {
  const g = rnd() < 0.1 ? MYSQL_GNO_MAX - BigInt(int(6)) : BigInt(1 + int(50));
  return [g, g.toString()];
}

/** A GTID set in a random, non-canonical text form (the server and the parser must agree on it). */
function randomSetText(): string {
  const sp = (): string => pick(SPACES);
  const items: string[] = [];
  for (let i = int(5); i > 0; i--) {
    let item = uuidText(pick(UUIDS)) + sp();
    for (let k = int(5); k > 0; k--) {
      item += ':' + sp();
      if (rnd() < 0.3) {
        const t = pick(TAGS);
        item += rnd() < 0.3 ? t.toUpperCase() : t;
      } else {
        const [start, text] = gnoText();
        item += text;
        if (rnd() < 0.6) {
          let end = start + BigInt(int(12) - 2);
          if (end > MYSQL_GNO_MAX) end = MYSQL_GNO_MAX;
          if (end < 0n) end = 0n;
          item += sp() + '-' + sp() + end.toString();
        }
      }
      item += sp();
    }
    items.push(item);
  }
  return sp() + items.join(',' + sp() + (rnd() < 0.1 ? ',' : '')) + sp();
}

const lit = (s: string): string => `CONVERT(X'${Buffer.from(s, 'utf8').toString('hex')}' USING utf8mb4)`;
const unhex = (h: string | undefined): string => Buffer.from(h ?? '', 'hex').toString('utf8');

const enabled = testServerNames().includes('mysql-9.7');
// Started at the top level: the harness stops it when the file's tests end.
const server: LocalServer | undefined = enabled ? await startTestServer('mysql-9.7') : undefined;

describe(
  'MySQL 9.7 as the oracle for GTID sets',
  { skip: !server && 'mysql-9.7 is not in BINLOGSYNC_TEST_SERVERS' },
  () => {
    test(`random sets: canonical text, subset, subtract, union, intersection, contains (seed ${seed})`, async () => {
      const pairs = Array.from({ length: 160 }, () => {
        const [gno] = gnoText();
        const tag = rnd() < 0.4 ? pick(TAGS) : '';
        return {
          a: randomSetText(),
          b: randomSetText(),
          gtid: `${pick(UUIDS)}${tag ? ':' + tag : ''}:${gno}`,
        };
      });
      const rows: string[][] = [];
      for (let i = 0; i < pairs.length; i += 40) {
        const sql = pairs
          .slice(i, i + 40)
          .map(
            (p) =>
              `SET @a = ${lit(p.a)}, @b = ${lit(p.b)}, @g = ${lit(p.gtid)}; ` +
              "SELECT HEX(GTID_SUBTRACT(@a, '')), HEX(GTID_SUBTRACT(@b, '')), GTID_SUBSET(@a, @b), " +
              'GTID_SUBSET(@b, @a), HEX(GTID_SUBTRACT(@a, @b)), HEX(GTID_SUBTRACT(@b, @a)), ' +
              "HEX(GTID_SUBTRACT(CONCAT(@a, ',', @b), '')), HEX(GTID_SUBTRACT(@a, GTID_SUBTRACT(@a, @b))), " +
              'GTID_SUBSET(@g, @a);',
          )
          .join('\n');
        rows.push(
          ...(await server!.sql(sql))
            .split('\n')
            .filter((l) => l !== '')
            .map((l) => l.split('\t')),
        );
      }
      assert.equal(rows.length, pairs.length);
      let nonEmpty = 0;
      pairs.forEach((p, k) => {
        const r = rows[k];
        const why = `seed ${seed}, pair ${k}: a=${JSON.stringify(p.a)} b=${JSON.stringify(p.b)}`;
        const a = parseMysqlGtidSet(p.a);
        const b = parseMysqlGtidSet(p.b);
        if (!a.isEmpty()) nonEmpty++;
        assert.equal(a.toString(), unhex(r[0]), `canonical a; ${why}`);
        assert.equal(b.toString(), unhex(r[1]), `canonical b; ${why}`);
        assert.equal(a.isSubsetOf(b), r[2] === '1', `GTID_SUBSET(a, b); ${why}`);
        assert.equal(a.contains(b), r[3] === '1', `GTID_SUBSET(b, a); ${why}`);
        assert.equal(a.subtract(b).toString(), unhex(r[4]), `GTID_SUBTRACT(a, b); ${why}`);
        assert.equal(b.subtract(a).toString(), unhex(r[5]), `GTID_SUBTRACT(b, a); ${why}`);
        assert.equal(a.union(b).toString(), unhex(r[6]), `union; ${why}`);
        assert.equal(a.intersection(b).toString(), unhex(r[7]), `intersection; ${why}`);
        assert.equal(a.contains(p.gtid), r[8] === '1', `GTID_SUBSET(${p.gtid}, a); ${why}`);
      });
      assert.ok(nonEmpty > pairs.length / 2, 'the generator makes mostly non-empty sets');
    });

    test(`mutated text: the server rejects exactly what parseMysqlGtidSet rejects (seed ${seed})`, async () => {
      const CHARS = [':', ':', '-', ',', ' ', 'x', 'g', '0', '1', '9', '{', '}', '_', 'A', '+', '\n'];
      const inputs = Array.from({ length: 300 }, () => {
        const t = randomSetText();
        const at = int(t.length + 1);
        const op = int(3);
        if (op === 0) return t.slice(0, at) + pick(CHARS) + t.slice(at);
        if (op === 1) return t.slice(0, at) + t.slice(at + 1);
        return t.slice(0, at) + t.slice(at, at + 1 + int(3)).repeat(2) + t.slice(at + 1 + int(3));
      });
      await server!.sql(
        'CREATE DATABASE IF NOT EXISTS gtid_fn;\nDELIMITER //\nCREATE FUNCTION gtid_fn.canon(x LONGTEXT) ' +
          "RETURNS LONGTEXT DETERMINISTIC NO SQL BEGIN DECLARE EXIT HANDLER FOR SQLEXCEPTION RETURN '!'; " +
          "RETURN HEX(GTID_SUBTRACT(x, '')); END //\nDELIMITER ;",
      );
      const rows: string[] = [];
      for (let i = 0; i < inputs.length; i += 100) {
        const sql = inputs
          .slice(i, i + 100)
          .map((x) => `SELECT gtid_fn.canon(${lit(x)});`)
          .join('\n');
        rows.push(...(await server!.sql(sql)).split('\n').slice(0, -1));
      }
      assert.equal(rows.length, inputs.length);
      let rejected = 0;
      inputs.forEach((x, k) => {
        let ours: string;
        try {
          ours = parseMysqlGtidSet(x).toString();
        } catch (e) {
          assert.equal((e as { code?: string }).code, 'ERR_INVALID_GTID');
          ours = '!';
        }
        if (rows[k] === '!') rejected++;
        assert.equal(
          ours,
          rows[k] === '!' ? '!' : unhex(rows[k]),
          `seed ${seed}, input ${JSON.stringify(x)}`,
        );
      });
      assert.ok(rejected > 20 && rejected < inputs.length - 20, `${rejected} of ${inputs.length} rejected`);
    });

    test(`PREVIOUS_GTIDS of new binlogs = @@gtid_executed, and encodes back to the same bytes (seed ${seed})`, async () => {
      await server!.sql(
        'CREATE DATABASE gtid_it; CREATE TABLE gtid_it.t (id INT PRIMARY KEY AUTO_INCREMENT)',
      );
      const used = new MysqlGtidSet();
      const formats: number[] = [];
      for (let round = 0; round < 4; round++) {
        const stmts: string[] = [];
        for (let i = 0; i < 12; i++) {
          const tag = round > 0 && rnd() < 0.5 ? pick(TAGS) : '';
          if (rnd() < 0.4) {
            stmts.push(`SET gtid_next = 'AUTOMATIC${tag ? ':' + tag : ''}'`);
          } else {
            const uuid = pick(UUIDS);
            let [gno] = gnoText();
            while (used.contains({ uuid, tag, gno })) gno = BigInt(1 + int(1000));
            used.addGtid({ uuid, tag, gno });
            stmts.push(`SET gtid_next = '${uuid}${tag ? ':' + tag : ''}:${gno}'`);
          }
          stmts.push('INSERT INTO gtid_it.t VALUES ()', "SET gtid_next = 'AUTOMATIC'");
        }
        const executed = (await server!.sql(`${stmts.join(';\n')}; SELECT HEX(@@gtid_executed)`)).trim();
        await server!.sql('FLUSH BINARY LOGS');
        const file = (await server!.sql('SHOW BINARY LOG STATUS')).split('\t')[0];
        const b = readFileSync(server!.binlogPath(file));
        const fde = 4 + b.readUInt32LE(4 + 9);
        assert.equal(b[fde + 4], 35, 'PREVIOUS_GTIDS_LOG_EVENT after FORMAT_DESCRIPTION');
        const body = b.subarray(fde + 19, fde + b.readUInt32LE(fde + 9) - 4);
        const set = decodeMysqlGtidSet(body);
        assert.equal(set.toString(), unhex(executed), `round ${round}`);
        assert.ok(set.equals(MysqlGtidSet.parse(unhex(executed))));
        assert.deepEqual(set.encode(body[7] === 1 ? 'tagged' : 'untagged'), body, `round ${round}`);
        formats.push(body[7]);
      }
      assert.equal(formats[0], 0, 'without tags the server writes the untagged format');
      assert.ok(formats.includes(1), 'with tags the server writes the tagged format');
    });
  },
);
