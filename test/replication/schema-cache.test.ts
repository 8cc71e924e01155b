// SchemaCache turns information_schema.COLUMNS rows into SchemaColumns: names, signedness, charsets,
// ENUM/SET members, and the fsp of TIME/DATETIME/TIMESTAMP (DATETIME_PRECISION), which MariaDB's old
// temporal formats need. The rows here are what MariaDB 10.11 returns for such a table.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SchemaCache } from '../../src/replication/schema-cache.js';

test('DATETIME_PRECISION becomes fsp for TIME, DATETIME and TIMESTAMP only', async () => {
  const queries: string[] = [];
  const cache = new SchemaCache((sql) => {
    queries.push(sql);
    return Promise.resolve([
      ['id', 'int', 'int(10) unsigned', null, null],
      ['t0', 'time', 'time /* mariadb-5.3 */', null, '0'],
      ['t3', 'time', 'time(3) /* mariadb-5.3 */', null, '3'],
      ['d6', 'datetime', 'datetime(6) /* mariadb-5.3 */', null, '6'],
      ['s4', 'timestamp', 'timestamp(4) /* mariadb-5.3 */', null, '4'],
      ['dt', 'date', 'date', null, null],
      ['v', 'varchar', 'varchar(10)', 'latin1', null],
    ]);
  });
  await cache.load('h', 't', 7);
  assert.equal(cache.expect('h', 't', [3, 19, 19, 18, 17, 10, 15]), false);
  assert.match(queries[0], /DATETIME_PRECISION FROM information_schema\.COLUMNS/);
  assert.deepEqual(cache.provider('h', 't'), [
    { name: 'id', unsigned: true },
    { name: 't0', fsp: 0 },
    { name: 't3', fsp: 3 },
    { name: 'd6', fsp: 6 },
    { name: 's4', fsp: 4 },
    { name: 'dt' },
    { name: 'v', charset: 'latin1' },
  ]);
});

test("ENUM members with the server's escapes (\\n \\r \\0 \\Z \\\\ ''), and MariaDB's binary fixed types", async () => {
  // COLUMN_TYPE and DATA_TYPE exactly as MySQL 9.7 and MariaDB 11.8 print them for
  // e ENUM('a\nb','c\\d','q''r','t<TAB>x','z\0y','w\rv'), ip INET6, ip4 INET4, u UUID, v VECTOR(2)
  const cache = new SchemaCache(() =>
    Promise.resolve([
      ['e', 'enum', "enum('a\\nb','c\\\\d','q''r','t\tx','z\\0y','w\\rv','\\Z')", 'utf8mb4', null],
      ['ip', 'inet6', 'inet6', null, null],
      ['ip4', 'inet4', 'inet4', null, null],
      ['u', 'uuid', 'uuid', null, null],
      ['v', 'vector', 'vector(2)', null, null],
    ]),
  );
  await cache.load('p', 't', 5);
  assert.equal(cache.expect('p', 't', [247, 254, 254, 254, 15]), false);
  assert.deepEqual(cache.provider('p', 't'), [
    { name: 'e', charset: 'utf8mb4', enumValues: ['a\nb', 'c\\d', "q'r", 't\tx', 'z\0y', 'w\rv', '\x1a'] },
    { name: 'ip', charset: 'binary' },
    { name: 'ip4', charset: 'binary' },
    { name: 'u', charset: 'binary' },
    { name: 'v', charset: 'binary' },
  ]);
  // from MariaDB, the types its binlog does not tell (BINARY(n), VARBINARY) are named for the decoder
  const maria = new SchemaCache(
    () =>
      Promise.resolve([
        ['ip', 'inet6', 'inet6', null, null],
        ['ip4', 'inet4', 'inet4', null, null],
        ['u', 'uuid', 'uuid', null, null],
        ['v', 'vector', 'vector(2)', null, null],
      ]),
    { mariadb: true },
  );
  await maria.load('p', 't', 4);
  assert.equal(maria.expect('p', 't', [254, 254, 254, 15]), false);
  assert.deepEqual(maria.provider('p', 't'), [
    { name: 'ip', charset: 'binary', mariadbType: 'inet6' },
    { name: 'ip4', charset: 'binary', mariadbType: 'inet4' },
    { name: 'u', charset: 'binary', mariadbType: 'uuid' },
    { name: 'v', charset: 'binary', vector: true },
  ]);
});

// MariaDB's information_schema leaves out the implicit row_start/row_end of a system-versioned table and
// the hash field of each long UNIQUE key, which its table map has after the listed columns (checked live
// against binlog_row_metadata=FULL in test/integration/replication/schema.test.ts).
test('MariaDB hidden fields after the listed columns: row_start, row_end, DB_ROW_HASH_<n>', async () => {
  const tables: Record<string, [string, string, string]> = {
    sv: ['SYSTEM VERSIONED', 'InnoDB', '0'],
    lu: ['BASE TABLE', 'InnoDB', '2'],
    both: ['SYSTEM VERSIONED', 'InnoDB', '1'],
    mem: ['BASE TABLE', 'MEMORY', '2'],
  };
  const queries: string[] = [];
  const cache = new SchemaCache(
    (sql) => {
      queries.push(sql);
      const name = Object.keys(tables).find((t) => sql.includes(Buffer.from(t).toString('hex')))!;
      return Promise.resolve(
        sql.includes('information_schema.TABLES')
          ? [tables[name]]
          : [
              ['id', 'int', 'int(11)', null, null],
              ['v', 'varchar', 'varchar(10)', 'utf8mb4', null],
            ],
      );
    },
    { mariadb: true },
  );
  const row = [
    { name: 'id', unsigned: false },
    { name: 'v', charset: 'utf8mb4' },
  ];
  const ts = [
    { name: 'row_start', fsp: 6 },
    { name: 'row_end', fsp: 6 },
  ];
  const hash = (n: number) => ({ name: `DB_ROW_HASH_${n}`, unsigned: true });

  await cache.load('h', 'sv', 4);
  assert.equal(cache.expect('h', 'sv', [3, 15, 17, 17]), false);
  assert.deepEqual(cache.provider('h', 'sv'), [...row, ...ts]);
  // two more columns of other types are not the versioning pair: another shape (a later DDL), no names
  assert.equal(cache.expect('h', 'sv', [3, 15, 3, 3]), true);
  assert.equal(cache.provider('h', 'sv'), undefined);
  assert.equal(cache.expect('h', 'sv', [3, 15, 3, 3]), false, 'warned once');

  await cache.load('h', 'lu', 4);
  assert.equal(cache.expect('h', 'lu', [3, 15, 8, 8]), false);
  assert.deepEqual(cache.provider('h', 'lu'), [...row, hash(1), hash(2)]);
  assert.equal(cache.expect('h', 'lu', [3, 15, 8]), true, 'one hash field for two long UNIQUE keys');
  cache.expect('h', 'lu', [3, 15, 17, 17, 8, 8]);
  assert.equal(cache.provider('h', 'lu'), undefined, 'not versioned');

  await cache.load('h', 'both', 5);
  assert.equal(cache.expect('h', 'both', [3, 15, 17, 17, 8]), false);
  assert.deepEqual(cache.provider('h', 'both'), [...row, ...ts, hash(1)]);

  // MEMORY's own HASH indexes have no hash field
  await cache.load('h', 'mem', 2);
  assert.equal(cache.expect('h', 'mem', [3, 15]), false);
  assert.deepEqual(cache.provider('h', 'mem'), row);
  assert.equal(
    queries.filter((q) => q.includes('information_schema.TABLES')).length,
    3,
    'asked only when fewer',
  );

  // MySQL has no such fields: a longer table map is another shape
  const mysql = new SchemaCache(() => Promise.resolve([['id', 'int', 'int', null, null]]));
  await mysql.load('h', 'sv', 3);
  assert.equal(mysql.expect('h', 'sv', [3, 17, 17]), true);
  assert.equal(mysql.provider('h', 'sv'), undefined);
});

// information_schema describes the table as it is now; a consumer behind a DDL that moved or changed
// columns sees table maps of the old shape: names are put on them only when every column's type fits.
test('a column whose type is not the one logged: the table map is of another shape, no names', async () => {
  const cache = new SchemaCache(() =>
    Promise.resolve([
      ['id', 'int', 'int(11)', null, null],
      ['b', 'int', 'int(11)', null, null],
      ['a', 'varchar', 'varchar(5)', 'utf8mb4', null],
      ['x', 'some_future_type', 'some_future_type', null, null],
    ]),
  );
  await cache.load('s', 'r', 4);
  assert.equal(cache.expect('s', 'r', [3, 15, 3, 99]), true, 'a and b in their old places');
  assert.equal(cache.provider('s', 'r'), undefined);
  assert.equal(
    cache.expect('s', 'r', [3, 3, 15, 99]),
    false,
    'the new shape; an unknown type is not checked',
  );
  assert.deepEqual(
    cache.provider('s', 'r')?.map((c) => c.name),
    ['id', 'b', 'a', 'x'],
  );
});
