// Is this server ready for change data capture? The facts are read with plain SQL (see
// `preflightQueries`) and judged here, purely, so that `binlogsync check`, the syncer's start-up check
// and the tests share one set of rules. Each item says OK / WARN / FAIL and, when not OK, the exact fix.

/** Which server family. */
export type Flavor = 'mysql' | 'mariadb';
/** A check's verdict: fine, works with a caveat, or cannot work. */
export type CheckStatus = 'ok' | 'warn' | 'fail';

/** One line of the preflight report (`binlogsync check` prints one per item). */
export interface CheckItem {
  /** What is checked: a variable (`binlog_format`) or a privilege (`privilege REPLICATION SLAVE`). */
  name: string;
  /** The verdict. */
  status: CheckStatus;
  /** What the server reports, e.g. `ROW`. */
  value: string;
  /** One line: why this status. */
  message: string;
  /** The exact fix: SQL to run or a config line; absent when OK. */
  fix?: string;
}

/** What the checks look at, read from the server by {@link gatherServerFacts}. */
export interface ServerFacts {
  flavor: Flavor;
  version: string;
  /** Lower-case variable name → value as the server prints it; null when the variable does not exist. */
  variables: Record<string, string | null>;
  /** Global privileges of the current user, upper case (`REPLICATION SLAVE`, `SELECT`, …). */
  privileges: ReadonlySet<string>;
  /** The account, as CURRENT_USER() prints it (`repl@%`). */
  account: string;
}

/** Variables the checks read; missing ones come back as null (they differ by flavor and version). */
export const PREFLIGHT_VARIABLES = [
  'log_bin',
  'binlog_format',
  'binlog_row_image',
  'binlog_row_metadata',
  'gtid_mode',
  'enforce_gtid_consistency',
  'binlog_checksum',
  'binlog_expire_logs_seconds',
  'expire_logs_days',
  'server_id',
  'log_bin_compress',
  'binlog_transaction_compression',
] as const;

/** SQL that reads the privileges of the current account (works on MySQL and MariaDB). */
export const PRIVILEGES_SQL =
  'SELECT PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES WHERE GRANTEE = ' +
  "CONCAT('''', SUBSTRING_INDEX(CURRENT_USER(), '@', 1), '''@''', SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''')";

function account(f: ServerFacts): string {
  const [user, host] = f.account.split('@');
  return `'${user ?? ''}'@'${host ?? '%'}'`;
}

const on = (v: string | null | undefined): boolean =>
  v !== null && v !== undefined && /^(1|ON|YES|TRUE)$/i.test(v);

/**
 * Judges a server for change data capture: binlog on, ROW format, row image and metadata, GTIDs,
 * checksums, binlog expiry, server_id and the user's privileges, each with the exact fix when not OK.
 * Pure: give it facts from {@link gatherServerFacts}, or made up ones in a test.
 */
export function evaluatePreflight(f: ServerFacts): CheckItem[] {
  const v = f.variables;
  const items: CheckItem[] = [];
  const mysql = f.flavor === 'mysql';
  const cnf = (line: string): string => `add \`${line}\` under [mysqld] in my.cnf and restart`;

  items.push(
    on(v.log_bin)
      ? { name: 'log_bin', status: 'ok', value: 'ON', message: 'binary logging is on' }
      : {
          name: 'log_bin',
          status: 'fail',
          value: v.log_bin ?? 'OFF',
          message: 'binary logging is off: there is no binlog to follow',
          fix: cnf(mysql ? 'log_bin=binlog' : 'log_bin=mariadb-bin'),
        },
  );

  const format = (v.binlog_format ?? '').toUpperCase();
  items.push(
    format === 'ROW'
      ? { name: 'binlog_format', status: 'ok', value: format, message: 'row-based logging' }
      : {
          name: 'binlog_format',
          status: 'fail',
          value: format || '(unknown)',
          message: `${format || 'this format'} logs statements, not row changes`,
          fix: `SET GLOBAL binlog_format = 'ROW';  -- and ${cnf('binlog_format=ROW')}`,
        },
  );

  const image = (v.binlog_row_image ?? 'FULL').toUpperCase();
  items.push(
    image === 'FULL'
      ? { name: 'binlog_row_image', status: 'ok', value: image, message: 'every column is logged' }
      : {
          name: 'binlog_row_image',
          status: 'warn',
          value: image,
          message: `${image} logs only some columns: updates and deletes will lack the others`,
          fix: `SET GLOBAL binlog_row_image = 'FULL';  -- and ${cnf('binlog_row_image=FULL')}`,
        },
  );

  const meta = v.binlog_row_metadata;
  if (meta === null || meta === undefined) {
    items.push({
      name: 'binlog_row_metadata',
      status: 'warn',
      value: '(not supported)',
      message:
        'the binlog carries no column names or charsets; binlogsync reads them from information_schema',
    });
  } else if (meta.toUpperCase() === 'FULL') {
    items.push({
      name: 'binlog_row_metadata',
      status: 'ok',
      value: 'FULL',
      message: 'column names, charsets and signedness are logged',
    });
  } else {
    items.push({
      name: 'binlog_row_metadata',
      status: 'warn',
      value: meta.toUpperCase(),
      message:
        'no column names in the binlog: binlogsync looks them up in information_schema, which can race with DDL',
      fix: `SET GLOBAL binlog_row_metadata = 'FULL';  -- and ${cnf('binlog_row_metadata=FULL')}`,
    });
  }

  if (mysql) {
    const gtid = (v.gtid_mode ?? 'OFF').toUpperCase();
    items.push(
      gtid === 'ON'
        ? {
            name: 'gtid_mode',
            status: 'ok',
            value: gtid,
            message: 'GTIDs identify every transaction: resume by GTID set',
          }
        : {
            name: 'gtid_mode',
            status: 'warn',
            value: gtid,
            message: 'without GTIDs, resuming depends on file names and positions, which a failover changes',
            fix:
              "SET GLOBAL enforce_gtid_consistency = ON; then SET GLOBAL gtid_mode = 'OFF_PERMISSIVE', 'ON_PERMISSIVE', 'ON' in turn" +
              `  -- and ${cnf('gtid_mode=ON')} with enforce_gtid_consistency=ON`,
          },
    );
  } else {
    items.push({
      name: 'gtid',
      status: 'ok',
      value: 'MariaDB GTID',
      message: 'MariaDB always writes GTIDs: resume by GTID position',
    });
  }

  const checksum = (v.binlog_checksum ?? 'NONE').toUpperCase();
  items.push(
    checksum === 'CRC32'
      ? {
          name: 'binlog_checksum',
          status: 'ok',
          value: checksum,
          message: 'events carry CRC32 checksums, verified on receipt',
        }
      : {
          name: 'binlog_checksum',
          status: 'warn',
          value: checksum,
          message: 'events carry no checksum: corruption in transit would go unnoticed',
          fix: `SET GLOBAL binlog_checksum = 'CRC32';  -- and ${cnf('binlog_checksum=CRC32')}`,
        },
  );

  // Expiry: binlog_expire_logs_seconds (MySQL 8+, MariaDB 10.6+) wins over expire_logs_days when non-zero.
  let seconds = Number(v.binlog_expire_logs_seconds ?? 0);
  if (!(seconds > 0)) seconds = Number(v.expire_logs_days ?? 0) * 86400;
  const day = 86400;
  // MariaDB before 10.6 has only expire_logs_days
  const keepAWeek =
    v.binlog_expire_logs_seconds === null || v.binlog_expire_logs_seconds === undefined
      ? 'SET GLOBAL expire_logs_days = 7;'
      : `SET GLOBAL binlog_expire_logs_seconds = ${7 * day};`;
  if (!(seconds > 0)) {
    items.push({
      name: 'binlog expiry',
      status: 'warn',
      value: 'never',
      message: 'binlogs are never purged: the disk fills up unless something purges them',
      fix: `${keepAWeek}  -- 7 days; and in my.cnf`,
    });
  } else if (seconds < day) {
    items.push({
      name: 'binlog expiry',
      status: 'warn',
      value: `${seconds} s`,
      message: 'binlogs are purged within a day: a consumer that stops longer loses its place',
      fix: keepAWeek,
    });
  } else {
    items.push({
      name: 'binlog expiry',
      status: 'ok',
      value: `${(seconds / day).toFixed(1)} days`,
      message: 'binlogs are kept long enough to resume',
    });
  }

  const sid = Number(v.server_id ?? 0);
  items.push(
    sid > 0
      ? { name: 'server_id', status: 'ok', value: String(sid), message: 'the server has an id' }
      : {
          name: 'server_id',
          status: 'fail',
          value: '0',
          message: 'server_id 0 refuses replicas',
          fix: cnf('server_id=1'),
        },
  );

  const has = (p: string): boolean => f.privileges.has(p) || f.privileges.has('ALL PRIVILEGES');
  const grant = (p: string): string => `GRANT ${p} ON *.* TO ${account(f)};`;
  items.push(
    has('REPLICATION SLAVE') || has('REPLICATION REPLICA')
      ? {
          name: 'privilege REPLICATION SLAVE',
          status: 'ok',
          value: 'granted',
          message: 'may read the binlog stream',
        }
      : {
          name: 'privilege REPLICATION SLAVE',
          status: 'fail',
          value: 'missing',
          message: 'needed to register as a replica and dump the binlog',
          fix: grant('REPLICATION SLAVE'),
        },
  );
  const clientPriv = mysql ? 'REPLICATION CLIENT' : 'BINLOG MONITOR';
  items.push(
    has(clientPriv) || has('REPLICATION CLIENT') || has('SUPER')
      ? {
          name: `privilege ${clientPriv}`,
          status: 'ok',
          value: 'granted',
          message: 'may read the binlog position (SHOW BINARY LOG STATUS)',
        }
      : {
          name: `privilege ${clientPriv}`,
          status: 'fail',
          value: 'missing',
          message: 'needed to start from the current position and to measure lag',
          fix: grant(clientPriv),
        },
  );
  if (mysql && (f.variables.gtid_mode ?? '').toUpperCase() === 'ON') {
    items.push(
      has('BACKUP_ADMIN')
        ? {
            name: 'privilege BACKUP_ADMIN',
            status: 'ok',
            value: 'granted',
            message:
              "startSync('now') reads its position and GTID set of one moment (performance_schema.log_status)",
          }
        : {
            name: 'privilege BACKUP_ADMIN',
            status: 'warn',
            value: 'missing',
            message:
              "startSync('now') falls back to SHOW BINARY LOG STATUS, whose GTID set can lack transactions committing at that instant",
            fix: grant('BACKUP_ADMIN'),
          },
    );
  }
  items.push(
    has('SELECT')
      ? {
          name: 'privilege SELECT',
          status: 'ok',
          value: 'granted',
          message: 'may read column names from information_schema',
        }
      : {
          name: 'privilege SELECT',
          status: 'warn',
          value: 'missing on *.*',
          message:
            'without SELECT, information_schema hides columns of tables the user cannot read: rows come without names',
          fix: grant('SELECT'),
        },
  );
  return items;
}

/** Runs one SQL statement and returns its rows as text (NULL as null). */
export type QueryRows = (sql: string) => Promise<(string | null)[][]>;

/**
 * Reads the facts {@link evaluatePreflight} judges, through `query` (any client: a {@link Connection},
 * mysql2, …), with a few SELECTs and SHOW statements that need no privilege beyond the login.
 *
 * @example
 * ```ts
 * const conn = await connect({ connection: { host: 'db' }, auth: { user: 'repl', password } });
 * const facts = await gatherServerFacts(async (sql) => (await conn.query(sql)).rows);
 * for (const item of evaluatePreflight(facts)) if (item.status !== 'ok') console.log(item.name, item.fix);
 * await conn.close();
 * ```
 */
export async function gatherServerFacts(query: QueryRows): Promise<ServerFacts> {
  const [[version = '', account = '']] = await query('SELECT VERSION(), CURRENT_USER()');
  const names = PREFLIGHT_VARIABLES.map((n) => `'${n}'`).join(', ');
  const rows = await query(`SHOW GLOBAL VARIABLES WHERE Variable_name IN (${names})`);
  const variables: Record<string, string | null> = {};
  for (const n of PREFLIGHT_VARIABLES) variables[n] = null;
  for (const [name, value] of rows) if (name) variables[name.toLowerCase()] = value;
  const privileges = new Set((await query(PRIVILEGES_SQL)).map(([p]) => (p ?? '').toUpperCase()));
  return {
    flavor: /mariadb/i.test(version ?? '') ? 'mariadb' : 'mysql',
    version: version ?? '',
    variables,
    privileges,
    account: account ?? '',
  };
}
