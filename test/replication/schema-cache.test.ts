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
  await cache.load('h', 't');
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
  await cache.load('p', 't');
  assert.deepEqual(cache.provider('p', 't'), [
    { name: 'e', charset: 'utf8mb4', enumValues: ['a\nb', 'c\\d', "q'r", 't\tx', 'z\0y', 'w\rv', '\x1a'] },
    { name: 'ip', charset: 'binary' },
    { name: 'ip4', charset: 'binary' },
    { name: 'u', charset: 'binary' },
    { name: 'v', charset: 'binary' },
  ]);
});
