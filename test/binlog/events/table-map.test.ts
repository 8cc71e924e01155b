// TABLE_MAP with every optional-metadata kind (rows_event.cpp Optional_metadata_fields), and the rows
// events built on it: v2 with NDB and partition extra info, v1, pre-GA v0, MariaDB compressed v1.
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { test } from 'node:test';
import { EventType as T } from '../../../src/binlog/constants.js';
import type { BinlogParser } from '../../../src/binlog/parser.js';
import type { Row } from '../../../src/binlog/rows/row-types.js';
import { decodeOne, le, primedParser, splitEvents } from '../helpers.js';

const lenStr = (s: string | Buffer): Buffer => {
  const b = typeof s === 'string' ? Buffer.from(s) : s;
  return Buffer.concat([le.u8(b.length), b]);
};
const field = (type: number, value: Buffer): Buffer =>
  Buffer.concat([le.u8(type), le.u8(value.length), value]);

// columns: id INT UNSIGNED, name VARCHAR(10) utf8mb4, color ENUM('red','€'), tags SET('x','y'),
//          g GEOMETRY, v VECTOR(2), note BLOB (TEXT latin1), code CHAR(10) latin1
const TYPES = Buffer.from([3, 15, 254, 254, 255, 242, 252, 254]);
const META = Buffer.concat([
  le.u16(40), // VARCHAR max bytes
  Buffer.from([0xf7, 1]), // STRING → ENUM, 1 byte
  Buffer.from([0xf8, 1]), // STRING → SET, 1 byte
  le.u8(4), // GEOMETRY length bytes
  le.u8(4), // VECTOR length bytes
  le.u8(2), // BLOB length bytes
  Buffer.from([0xfe, 10]), // CHAR(10) latin1
]);
// DEFAULT_CHARSET 45 (utf8mb4), pairs (character column index, collation) for the others. Which columns
// count as character columns: VARCHAR, BLOB, CHAR; VECTOR too on MySQL (binary, 63); and on MariaDB
// GEOMETRY (binary) — as the servers write them (test/integration/binlog/metadata-order.test.ts).
const DEFAULT_CHARSET = {
  // name 0, v 1 (binary), note 2 (latin1), code 3 (latin1)
  mysql: Buffer.from([45, 1, 63, 2, 8, 3, 8]),
  // name 0, g 1 (binary), v 2 (binary), note 3 (latin1), code 4 (latin1)
  mariadb: Buffer.from([45, 1, 63, 2, 63, 3, 8, 4, 8]),
};
const optional = (flavor: 'mysql' | 'mariadb'): Buffer =>
  Buffer.concat([
    field(1, Buffer.from([0x80])), // SIGNEDNESS: the one numeric column is unsigned
    field(2, DEFAULT_CHARSET[flavor]),
    field(4, Buffer.concat(['id', 'name', 'color', 'tags', 'g', 'v', 'note', 'code'].map((s) => lenStr(s)))),
    field(5, Buffer.concat([le.u8(2), lenStr('x'), lenStr('y')])),
    field(6, Buffer.concat([le.u8(2), lenStr('red'), lenStr(Buffer.from([0x80]))])),
    field(7, le.u8(1)), // GEOMETRY_TYPE point
    field(8, le.u8(0)), // SIMPLE_PRIMARY_KEY id
    field(10, Buffer.from([8])), // ENUM_AND_SET_DEFAULT_CHARSET latin1
    field(12, Buffer.from([0xfe])), // COLUMN_VISIBILITY: the last column is invisible
    field(13, le.u8(2)), // VECTOR_DIMENSIONS
    field(200, Buffer.from([1, 2])), // a kind from the future: skipped
  ]);
const OPTIONAL = optional('mysql');

function tableMap(tableId: number, optional = OPTIONAL): Buffer {
  return Buffer.concat([
    le.u48(tableId),
    le.u16(1),
    lenStr('shop'),
    le.u8(0),
    lenStr('items'),
    le.u8(0),
    le.u8(TYPES.length),
    TYPES,
    le.u8(META.length),
    META,
    Buffer.from([0xfe]), // nullable: all but id
    optional,
  ]);
}

// one row: id 4000000000, name 'ab', color 2 ('€'), tags 3, g NULL, v [1.5, -2], note 'caf\xe9', code 'ok'
const ROW = Buffer.concat([
  Buffer.from([0x10]), // null bitmap: g
  le.u32(4_000_000_000),
  lenStr('ab'),
  le.u8(2),
  le.u8(3),
  le.u32(8),
  Buffer.from([0, 0, 0xc0, 0x3f, 0, 0, 0, 0xc0]),
  le.u16(4),
  Buffer.from('caf\xe9', 'latin1'),
  lenStr('ok'),
]);

function rowsV2(tableId: number, extra: Buffer, rows: Buffer): Buffer {
  return Buffer.concat([
    le.u48(tableId),
    le.u16(1),
    le.u16(2 + extra.length),
    extra,
    le.u8(8),
    Buffer.from([0xff]),
    rows,
  ]);
}
const rowsV1 = (tableId: number, rows: Buffer): Buffer =>
  Buffer.concat([le.u48(tableId), le.u16(1), le.u8(8), Buffer.from([0xff]), rows]);

const EXPECTED: Row = {
  id: 4_000_000_000,
  name: 'ab',
  color: '€',
  tags: ['x', 'y'],
  g: null,
  v: new Float32Array([1.5, -2]),
  note: 'café',
  code: 'ok',
};

function withMap(): BinlogParser {
  const p = primedParser();
  decodeOne(p, T.TABLE_MAP_EVENT, tableMap(70));
  return p;
}

test('every optional metadata kind', () => {
  const ev = decodeOne(primedParser(), T.TABLE_MAP_EVENT, tableMap(70));
  assert.ok(ev.type === 'table_map');
  assert.deepEqual([ev.tableId, ev.schema, ev.table, ev.columnCount], [70, 'shop', 'items', 8]);
  const m = ev.metadata;
  assert.deepEqual(m.signedness?.slice(0, 1), [true]);
  assert.deepEqual(m.columnNames, ['id', 'name', 'color', 'tags', 'g', 'v', 'note', 'code']);
  assert.deepEqual(m.enumValues, [['red', '€']]);
  assert.deepEqual(m.setValues, [['x', 'y']]);
  assert.deepEqual(m.geometryTypes, [1]);
  assert.deepEqual(m.primaryKey, [{ column: 0, prefix: 0 }]);
  assert.deepEqual(m.vectorDimensions, [2]);
  assert.deepEqual(m.unknown, [200]);
  const c = ev.columns;
  assert.deepEqual(
    c.map((x) => [x.key, x.realType, x.charset ?? null]),
    [
      ['id', 3, null],
      ['name', 15, 'utf8mb4'],
      ['color', 247, 'latin1'],
      ['tags', 248, 'latin1'],
      ['g', 255, null],
      ['v', 242, null],
      ['note', 252, 'latin1'],
      ['code', 254, 'latin1'],
    ],
  );
  assert.deepEqual(
    c.map((x) => x.visible),
    [true, true, true, true, true, true, true, false],
  );
  assert.equal(c[0].unsigned, true);
  assert.equal(c[4].geometryType, 1);
  assert.equal(c[5].vectorDimensions, 2);
});

test('COLUMN_CHARSET, ENUM_AND_SET_COLUMN_CHARSET, PRIMARY_KEY_WITH_PREFIX', () => {
  const opt = Buffer.concat([
    field(3, Buffer.from([45, 63, 63, 8])), // name utf8mb4, v binary, note binary (a BLOB), code latin1
    field(11, Buffer.from([45, 8])),
    field(9, Buffer.from([1, 4, 0, 0])),
  ]);
  const ev = decodeOne(primedParser(), T.TABLE_MAP_EVENT, tableMap(71, opt));
  assert.ok(ev.type === 'table_map');
  assert.deepEqual(
    ev.columns.map((x) => x.charset ?? null),
    [null, 'utf8mb4', 'utf8mb4', 'latin1', null, null, 'binary', 'latin1'],
  );
  assert.deepEqual(ev.metadata.primaryKey, [
    { column: 1, prefix: 4 },
    { column: 0, prefix: 0 },
  ]);
  assert.equal(ev.columns[0].key, '@1');
});

// Only NDB Cluster writes the NDB block, so these bytes are made here, laid out as mysql-server's
// rows_event.h (EXTRA_ROW_INFO_LEN_OFFSET 0, EXTRA_ROW_INFO_FORMAT_OFFSET 1, a length that counts the
// 2-byte header) and its Rows_event reader (type, then `len` bytes from the length byte) have it.
test('WRITE_ROWS v2 with NDB and partition extra info', () => {
  const extra = Buffer.concat([Buffer.from([0, 4, 7, 0xaa, 0xbb]), Buffer.from([1]), le.u16(5)]);
  const ev = decodeOne(withMap(), T.WRITE_ROWS_EVENT, rowsV2(70, extra, ROW));
  assert.ok(ev.type === 'write_rows');
  assert.deepEqual([ev.version, ev.schema, ev.table], [2, 'shop', 'items']);
  assert.deepEqual(ev.extra, { ndbFormat: 7, ndb: Buffer.from([0xaa, 0xbb]), partitionId: 5 });
  assert.deepEqual(ev.rows, [EXPECTED]);
});

test('UPDATE_ROWS v2 with source partition; v1 and pre-GA v0 rows; partial images', () => {
  const p = withMap();
  const extra = Buffer.concat([Buffer.from([1]), le.u16(5), le.u16(6)]);
  const upd = decodeOne(
    p,
    T.UPDATE_ROWS_EVENT,
    Buffer.concat([
      le.u48(70),
      le.u16(1),
      le.u16(2 + extra.length),
      extra,
      le.u8(8),
      Buffer.from([0x01]),
      Buffer.from([0x02]),
      Buffer.from([0]),
      le.u32(1),
      Buffer.from([0]),
      lenStr('zz'),
    ]),
  );
  assert.ok(upd.type === 'update_rows');
  assert.deepEqual(upd.extra, { partitionId: 5, sourcePartitionId: 6 });
  assert.deepEqual(upd.rows, [{ before: { id: 1 }, after: { name: 'zz' } }]);
  for (const code of [T.WRITE_ROWS_EVENT_V1, T.PRE_GA_WRITE_ROWS_EVENT]) {
    const ev = decodeOne(p, code, rowsV1(70, ROW));
    assert.ok(ev.type === 'write_rows');
    assert.equal(ev.version, code === T.PRE_GA_WRITE_ROWS_EVENT ? 0 : 1);
    assert.deepEqual(ev.rows, [EXPECTED]);
  }
});

test('MariaDB WRITE_ROWS_COMPRESSED v1: the rows are one zlib block', () => {
  const p = primedParser('mariadb');
  decodeOne(p, T.TABLE_MAP_EVENT, tableMap(70, optional('mariadb')));
  const rows = Buffer.concat([ROW, ROW]);
  const block = Buffer.concat([Buffer.from([0x81, rows.length]), deflateSync(rows)]);
  const ev = decodeOne(p, T.WRITE_ROWS_COMPRESSED_EVENT_V1, rowsV1(70, block));
  assert.ok(ev.type === 'write_rows');
  assert.equal(ev.compressed, true);
  assert.deepEqual(ev.rows, [EXPECTED, EXPECTED]);
});

test('a caller-given schema fills what the binlog does not say', () => {
  const p = primedParser('mysql', {
    values: {
      schema: (db, t) =>
        db === 'shop' && t === 'items'
          ? [
              { name: 'id', unsigned: true },
              { name: 'name', charset: 'utf8mb4' },
              { name: 'color', enumValues: ['red', '€'] },
              { name: 'tags', setValues: ['x', 'y'] },
              { name: 'g' },
              { name: 'v' },
              { name: 'note', collation: 8 },
              { name: 'code', charset: 'latin1' },
            ]
          : undefined,
    },
  });
  decodeOne(p, T.TABLE_MAP_EVENT, tableMap(70, Buffer.alloc(0)));
  const ev = decodeOne(p, T.WRITE_ROWS_EVENT, rowsV2(70, Buffer.alloc(0), ROW));
  assert.ok(ev.type === 'write_rows');
  assert.deepEqual(ev.rows, [EXPECTED]);
});

test('an ENUM index or a SET bit past the members the schema knows: the number, as with no members', () => {
  // the schema changed since (members added): nothing is dropped and no member is made up
  const p = primedParser('mysql', {
    values: {
      schema: () => [
        { name: 'id', unsigned: true },
        { name: 'name', charset: 'utf8mb4' },
        { name: 'color', enumValues: ['red'] },
        { name: 'tags', setValues: ['x'] },
        { name: 'g' },
        { name: 'v' },
        { name: 'note', collation: 8 },
        { name: 'code', charset: 'latin1' },
      ],
    },
  });
  decodeOne(p, T.TABLE_MAP_EVENT, tableMap(70, Buffer.alloc(0)));
  const ev = decodeOne(p, T.WRITE_ROWS_EVENT, rowsV2(70, Buffer.alloc(0), ROW));
  assert.ok(ev.type === 'write_rows');
  assert.equal(ev.rows[0].color, 2);
  assert.equal(ev.rows[0].tags, 3n);
});

test('without metadata or schema: signed integers, bytes, ENUM index, SET bitmask, @N keys', () => {
  const p = primedParser();
  decodeOne(p, T.TABLE_MAP_EVENT, tableMap(70, Buffer.alloc(0)));
  const ev = decodeOne(p, T.WRITE_ROWS_EVENT, rowsV2(70, Buffer.alloc(0), ROW));
  assert.ok(ev.type === 'write_rows');
  const r = ev.rows[0];
  assert.equal(r['@1'], 4_000_000_000 - 2 ** 32);
  assert.deepEqual(r['@2'], Buffer.from('ab'));
  assert.equal(r['@3'], 2);
  assert.equal(r['@4'], 3n);
  assert.deepEqual(r['@7'], Buffer.from('caf\xe9', 'latin1'));
  const q = primedParser('mysql', { values: { assumeCharset: 'latin1' } });
  decodeOne(q, T.TABLE_MAP_EVENT, tableMap(70, Buffer.alloc(0)));
  const ev2 = decodeOne(q, T.WRITE_ROWS_EVENT, rowsV2(70, Buffer.alloc(0), ROW));
  assert.ok(ev2.type === 'write_rows' && ev2.rows[0]['@7'] === 'café');
});

test('a table map logged again unchanged reuses the columns; any change of bytes, schema or format does not', () => {
  let cols: { name: string }[] | undefined = [{ name: 'first' }];
  const p = primedParser('mysql', { values: { schema: () => cols } });
  const a = decodeOne(p, T.TABLE_MAP_EVENT, tableMap(70, Buffer.alloc(0)));
  const b = decodeOne(p, T.TABLE_MAP_EVENT, tableMap(70, Buffer.alloc(0)));
  assert.ok(a.type === 'table_map' && b.type === 'table_map');
  assert.equal(b.columns, a.columns, 'the same bytes and schema: reused');
  assert.equal(b.columns[0].name, 'first');
  // the rows decode the same through the reused plan
  const rows = (): Row[] => {
    const ev = decodeOne(p, T.WRITE_ROWS_EVENT, rowsV2(70, Buffer.alloc(0), ROW));
    assert.ok(ev.type === 'write_rows');
    return ev.rows;
  };
  const before = rows();
  // what the schema provider says changed (a lookup after DDL): resolved again
  cols = [{ name: 'second' }];
  const c = decodeOne(p, T.TABLE_MAP_EVENT, tableMap(70, Buffer.alloc(0)));
  assert.ok(c.type === 'table_map');
  assert.notEqual(c.columns, a.columns);
  assert.equal(c.columns[0].name, 'second');
  assert.deepEqual(Object.keys(rows()[0])[0], 'second');
  cols = undefined;
  const d = decodeOne(p, T.TABLE_MAP_EVENT, tableMap(70, Buffer.alloc(0)));
  assert.ok(d.type === 'table_map' && d.columns[0].name === undefined && d.columns[0].key === '@1');
  // other bytes under the same table id (here: full metadata): resolved again
  const e = decodeOne(p, T.TABLE_MAP_EVENT, tableMap(70));
  assert.ok(e.type === 'table_map' && e.columns[0].name === 'id' && e.columns !== d.columns);
  assert.deepEqual(rows(), [EXPECTED]);
  const e2 = decodeOne(p, T.TABLE_MAP_EVENT, tableMap(70));
  assert.ok(e2.type === 'table_map' && e2.columns === e.columns);
  // a new FORMAT_DESCRIPTION (the next file): resolved again
  const fde = splitEvents('mysql97-full.binlog')[0];
  p.parse(fde.buf, { pos: 4 });
  const f = decodeOne(p, T.TABLE_MAP_EVENT, tableMap(70));
  assert.ok(f.type === 'table_map' && f.columns !== e.columns);
  assert.deepEqual(f.columns, e.columns);
  assert.deepEqual(rows(), [EXPECTED]);
  assert.equal(before.length, 1);
});
