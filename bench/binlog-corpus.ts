// Makes (once, cached) a large real binlog for the benchmarks: a mixed-type table receiving
// 200k inserts, 100k updates and 50k deletes (350k row changes), written by a private server.
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from '../src/protocol/connect.js';
import {
  cacheDir,
  provisionServers,
  startLocalServer,
  type LocalServer,
  type ServerName,
} from '../src/servers/local-server.js';

export interface Corpus {
  server: ServerName;
  path: string;
  bytes: number;
  rowChanges: number;
}

const INSERTS = 200_000;
const UPDATES = 100_000;
const DELETES = 50_000;

function tableSql(mysql: boolean): string {
  return `CREATE TABLE bench.mixed (
    id INT UNSIGNED NOT NULL PRIMARY KEY,
    i BIGINT NOT NULL, u INT UNSIGNED, s SMALLINT, d DECIMAL(14,4), f FLOAT, g DOUBLE,
    dt DATETIME(6), ts TIMESTAMP(3) NULL, dd DATE, tm TIME(2), y YEAR,
    name VARCHAR(64) CHARACTER SET utf8mb4, note TEXT, bin VARBINARY(32),
    e ENUM('red','green','blue'), st SET('a','b','c'),
    ${mysql ? 'j JSON' : 'j LONGTEXT CHECK (JSON_VALID(j))'}
  ) ENGINE=InnoDB`;
}

/** Schema `bench` and its table of the digits 0-9, from which the benches make sequences by cross joins. */
export const BENCH_DIGITS_SQL =
  'CREATE DATABASE bench; CREATE TABLE bench.digits (n INT PRIMARY KEY); ' +
  'INSERT INTO bench.digits VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9)';

/** Server options the corpus is written with (FULL row metadata, one binlog file for all of it). */
export const CORPUS_SERVER_OPTIONS = ['--binlog-row-metadata=FULL', '--max-binlog-size=1G'];

/**
 * Writes the corpus changes into a running server (started with CORPUS_SERVER_OPTIONS): schema `bench`,
 * then FLUSH BINARY LOGS, the 350k row changes, FLUSH BINARY LOGS. Returns the binlog file that holds
 * exactly the changes (from position 4 to its end).
 */
export async function writeCorpusChanges(s: LocalServer): Promise<{ file: string; rowChanges: number }> {
  const mysql = s.flavor === 'mysql';
  await s.sql(`${BENCH_DIGITS_SQL};` + tableSql(mysql));
  await s.sql('FLUSH BINARY LOGS');
  const [file] = (await s.sql(mysql ? 'SHOW BINARY LOG STATUS' : 'SHOW MASTER STATUS')).split('\t');
  // 10k rows per statement: realistic multi-row events, 20 transactions.
  for (let chunk = 0; chunk < INSERTS / 10_000; chunk++) {
    await s.sql(
      `INSERT INTO bench.mixed
      SELECT n, n * 7919 - 1000000000, n * 13, (n % 65535) - 32768, n / 7, n / 3, n / 11,
        TIMESTAMPADD(MICROSECOND, n * 1234567, '2020-01-01 00:00:00'),
        TIMESTAMPADD(SECOND, n, '2021-06-01 12:00:00.000'), DATE_ADD('2000-01-01', INTERVAL n % 9000 DAY),
        SEC_TO_TIME((n % 3000000) - 1500000), 1901 + n % 255,
        CONCAT('name-', n, '-ü€'), REPEAT(CONCAT('note ', n, ' '), 1 + n % 8), UNHEX(LPAD(HEX(n * 2654435761), 16, '0')),
        1 + n % 3, 1 + n % 7, JSON_OBJECT('n', n, 'tags', JSON_ARRAY('x', n % 10), 'ok', n % 2 = 0)
      FROM (SELECT ${chunk * 10_000} + a.n + b.n * 10 + c.n * 100 + d.n * 1000 AS n
            FROM bench.digits a, bench.digits b, bench.digits c, bench.digits d) seq`,
      { database: 'bench' },
    );
  }
  await s.sql(`UPDATE bench.mixed SET i = i + 1, name = CONCAT(name, '+'), g = g * 2 WHERE id < ${UPDATES}`);
  await s.sql(`DELETE FROM bench.mixed WHERE id >= ${INSERTS - DELETES}`);
  await s.sql('FLUSH BINARY LOGS');
  return { file, rowChanges: INSERTS + UPDATES + DELETES };
}

export async function binlogCorpus(server: ServerName = 'mysql-9.7'): Promise<Corpus> {
  const dir = join(cacheDir(), 'bench');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `mixed-${server}.binlog`);
  const rowChanges = INSERTS + UPDATES + DELETES;
  if (existsSync(path)) return { server, path, bytes: statSync(path).size, rowChanges };

  await provisionServers([server]);
  const s = await startLocalServer(server, { options: CORPUS_SERVER_OPTIONS });
  try {
    const { file } = await writeCorpusChanges(s);
    copyFileSync(s.binlogPath(file), path);
  } finally {
    await s.stop();
  }
  return { server, path, bytes: statSync(path).size, rowChanges };
}

/** The small-transaction shape: single-row transactions, as most OLTP writers commit. */
const SMALL = { inserts: 60_000, updates: 20_000, deletes: 20_000 };

/**
 * After writeCorpusChanges: table `bench.small` (the corpus table's columns) and, in a binlog file of
 * their own, 100k single-row transactions (autocommit): 60k inserts of corpus rows, 20k updates, 20k
 * deletes, sent one by one over the unix socket. Each transaction is GTID/BEGIN, TABLE_MAP, one rows
 * event, XID: the per-transaction cost, where the corpus file measures the per-row cost.
 */
export async function writeSmallTransactions(s: LocalServer): Promise<{ file: string; rowChanges: number }> {
  const mysql = s.flavor === 'mysql';
  await s.sql(
    'CREATE TABLE bench.small LIKE bench.mixed; ' +
      'SET GLOBAL innodb_flush_log_at_trx_commit = 2; SET GLOBAL sync_binlog = 0; FLUSH BINARY LOGS',
  );
  const [file] = (await s.sql(mysql ? 'SHOW BINARY LOG STATUS' : 'SHOW MASTER STATUS')).split('\t');
  const conn = await connect({
    connection: { socketPath: s.socket },
    auth: { user: s.user, password: s.password },
  });
  try {
    for (let id = 0; id < SMALL.inserts; id++)
      await conn.query(`INSERT INTO bench.small SELECT * FROM bench.mixed WHERE id = ${id}`);
    for (let id = 0; id < SMALL.updates; id++)
      await conn.query(`UPDATE bench.small SET i = i + 1, name = CONCAT(name, '+') WHERE id = ${id}`);
    for (let id = SMALL.inserts - SMALL.deletes; id < SMALL.inserts; id++)
      await conn.query(`DELETE FROM bench.small WHERE id = ${id}`);
  } finally {
    await conn.close();
  }
  await s.sql('FLUSH BINARY LOGS');
  return { file, rowChanges: SMALL.inserts + SMALL.updates + SMALL.deletes };
}
