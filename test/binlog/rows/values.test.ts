// Which reader a column gets for MariaDB's old TIME/DATETIME/TIMESTAMP formats: their table map entry
// (old type code, no metadata) is the same for fsp 0 and 1..6, so the schema's fsp (else values.assumeFsp)
// picks the plain or the hires layout, and without either a value throws ERR_UNKNOWN_PRECISION naming
// the column. MySQL's old types are always fsp 0. Values from a real server: test/file/recorded-fixtures.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EventType as T } from '../../../src/binlog/constants.js';
import type { ParserOptions, SchemaColumn } from '../../../src/binlog/options.js';
import { BinlogParser } from '../../../src/binlog/parser.js';
import type { Row } from '../../../src/binlog/rows/row-types.js';
import { ConfigError, DecodeError, ErrorCode } from '../../../src/errors.js';
import { decodeOne, le, primedParser } from '../helpers.js';

const lenStr = (s: string): Buffer => Buffer.concat([le.u8(s.length), Buffer.from(s)]);

// db.t (id INT, tm TIME, dt DATETIME, ts TIMESTAMP): old type codes, no metadata, all nullable but id
function tableMap(): Buffer {
  return Buffer.concat([
    le.u48(5),
    le.u16(1),
    lenStr('db'),
    le.u8(0),
    lenStr('t'),
    le.u8(0),
    le.u8(4),
    Buffer.from([3, 11, 12, 7]),
    le.u8(0),
    Buffer.from([0x0e]),
  ]);
}

/** WRITE_ROWS v1 of one row: `nulls` (bitmap over the 4 columns), then the value bytes. */
const writeRows = (nulls: number, values: Buffer): Buffer =>
  Buffer.concat([le.u48(5), le.u16(1), le.u8(4), Buffer.from([0x0f]), Buffer.from([nulls]), values]);

function decode(flavor: 'mysql' | 'mariadb', opts: ParserOptions, body: Buffer): Row {
  const p: BinlogParser = primedParser(flavor, opts);
  decodeOne(p, T.TABLE_MAP_EVENT, tableMap());
  const ev = decodeOne(p, T.WRITE_ROWS_EVENT_V1, body);
  assert.ok(ev.type === 'write_rows');
  assert.equal(ev.rows.length, 1);
  return ev.rows[0];
}

const schema = (fsps: (number | undefined)[]): NonNullable<ParserOptions['values']> => ({
  schema: (db: string, t: string): SchemaColumn[] | undefined =>
    db === 'db' && t === 't'
      ? ['id', 'tm', 'dt', 'ts'].map((name, i) => ({ name, fsp: fsps[i] }))
      : undefined,
});
const be32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
/** MariaDB TIME(1) 00:00:00.0: the zero point (838:59:59 + 1 s) in tenths of a second, 4 bytes BE. */
const TIME1_ZERO = be32((838 * 3600 + 59 * 60 + 59 + 1) * 10);

// the fsp-0 layouts: TIME 3 bytes LE (HHMMSS), DATETIME 8 bytes LE (YYYYMMDDhhmmss), TIMESTAMP 4 bytes LE
const FSP0 = Buffer.concat([le.u32(7), Buffer.from([0x39, 0x30, 0x00]), le.u64(20240229130102n), le.u32(0)]);
const FSP0_ROW = { id: 7, tm: '01:23:45', dt: '2024-02-29 13:01:02', ts: '0000-00-00 00:00:00' };

describe('MariaDB old temporal formats', () => {
  test('fsp 0 from the schema: the plain old layouts', () => {
    assert.deepEqual(
      decode('mariadb', { values: schema([undefined, 0, 0, 0]) }, writeRows(0, FSP0)),
      FSP0_ROW,
    );
  });

  test('fsp 1..6 from the schema: the hires layouts, and their widths', () => {
    // TIME(1) 4 bytes, DATETIME(3) 7 bytes (packed 0: the zero date), TIMESTAMP(6) 4 + 3 bytes (0 s: zero)
    const v = Buffer.concat([le.u32(1), TIME1_ZERO, Buffer.alloc(7), Buffer.alloc(7)]);
    const row = decode('mariadb', { values: schema([undefined, 1, 3, 6]) }, writeRows(0, v));
    assert.deepEqual(row, {
      id: 1,
      tm: '00:00:00.0',
      dt: '0000-00-00 00:00:00.000',
      ts: '0000-00-00 00:00:00.000000',
    });
  });

  test('no fsp: ERR_UNKNOWN_PRECISION names the table and column, at the first non-NULL value', () => {
    // NULLs need no width: the row decodes
    assert.deepEqual(decode('mariadb', {}, writeRows(0x0e, le.u32(3))), {
      '@1': 3,
      '@2': null,
      '@3': null,
      '@4': null,
    });
    assert.throws(
      () => decode('mariadb', {}, writeRows(0x0c, Buffer.concat([le.u32(3), Buffer.alloc(3)]))),
      (e: unknown) => {
        assert.ok(e instanceof DecodeError);
        assert.equal(e.code, ErrorCode.ERR_UNKNOWN_PRECISION);
        assert.match(e.message, /^`db`\.`t` column @2, MariaDB TIME in its old temporal format: /);
        assert.match(e.message, /values\.schema \(fsp/);
        assert.equal(e.pos, 1000);
        return true;
      },
    );
    // a schema with names but no fsp is no better
    assert.throws(
      () =>
        decode(
          'mariadb',
          { values: schema([]) },
          writeRows(0x0a, Buffer.concat([le.u32(3), Buffer.alloc(8)])),
        ),
      /`db`\.`t` column dt \(@3\), MariaDB DATETIME in its old temporal format/,
    );
  });

  test('values.assumeFsp fills in where the schema says nothing', () => {
    assert.deepEqual(decode('mariadb', { values: { assumeFsp: 0 } }, writeRows(0, FSP0)), {
      '@1': 7,
      '@2': '01:23:45',
      '@3': '2024-02-29 13:01:02',
      '@4': '0000-00-00 00:00:00',
    });
    // the schema's own fsp wins
    const v = Buffer.concat([le.u32(1), TIME1_ZERO, Buffer.alloc(8), le.u32(0)]);
    const row = decode('mariadb', { values: { ...schema([undefined, 1]), assumeFsp: 0 } }, writeRows(0, v));
    assert.deepEqual(row, { id: 1, tm: '00:00:00.0', dt: '0000-00-00 00:00:00', ts: '0000-00-00 00:00:00' });
    for (const bad of [-1, 7, 1.5, NaN, '3']) {
      assert.throws(
        () => new BinlogParser({ values: { assumeFsp: bad as number } }),
        (e: unknown) => e instanceof ConfigError && /assumeFsp/.test(e.message),
      );
    }
  });

  test('a schema fsp outside 0..6 is an ERR_BAD_VALUE naming the column', () => {
    assert.throws(
      () =>
        decode(
          'mariadb',
          { values: schema([undefined, 9]) },
          writeRows(0x0c, Buffer.concat([le.u32(3), Buffer.alloc(3)])),
        ),
      (e: unknown) =>
        e instanceof DecodeError &&
        e.code === ErrorCode.ERR_BAD_VALUE &&
        /column tm \(@2\).*fsp 9/.test(e.message),
    );
  });

  test('MySQL: the old types are always fsp 0, whatever the schema says', () => {
    assert.deepEqual(decode('mysql', { values: schema([undefined, 3, 3, 3]) }, writeRows(0, FSP0)), FSP0_ROW);
    assert.deepEqual(decode('mysql', {}, writeRows(0, FSP0)), {
      '@1': 7,
      '@2': '01:23:45',
      '@3': '2024-02-29 13:01:02',
      '@4': '0000-00-00 00:00:00',
    });
  });
});
