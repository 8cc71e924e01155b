// Which reader a column gets for MariaDB's old TIME/DATETIME/TIMESTAMP formats: their table map entry
// (old type code, no metadata) is the same for fsp 0 and 1..6, so the schema's fsp (else values.assumeFsp)
// picks the plain or the hires layout; without either the column is read as precision 0 (as mariadb-binlog
// does), and bytes that do not fit that reading throw ERR_UNKNOWN_PRECISION naming the column. MySQL's old types are always fsp 0. Values from a real server: test/file/recorded-fixtures.
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

  test('no fsp: read as precision 0 (as mariadb-binlog does), checked', () => {
    // fsp-0 bytes decode as they are
    assert.deepEqual(decode('mariadb', {}, writeRows(0, FSP0)), {
      '@1': 7,
      '@2': '01:23:45',
      '@3': '2024-02-29 13:01:02',
      '@4': '0000-00-00 00:00:00',
    });
    // a schema with names but no fsp: the same
    assert.deepEqual(decode('mariadb', { values: schema([]) }, writeRows(0, FSP0)), FSP0_ROW);
    // NULLs need no width
    assert.deepEqual(decode('mariadb', {}, writeRows(0x0e, le.u32(3))), {
      '@1': 3,
      '@2': null,
      '@3': null,
      '@4': null,
    });
  });

  test('no fsp, and bytes that are no precision-0 value: ERR_UNKNOWN_PRECISION naming the column', () => {
    const unknown = (body: Buffer, column: RegExp, opts: ParserOptions = {}): void => {
      assert.throws(
        () => decode('mariadb', opts, body),
        (e: unknown) => {
          assert.ok(e instanceof DecodeError, String(e));
          assert.equal(e.code, ErrorCode.ERR_UNKNOWN_PRECISION, e.message);
          assert.match(e.message, column);
          assert.match(e.message, /values\.schema \(fsp/);
          assert.equal(e.pos, 1000);
          return true;
        },
      );
    };
    // TIME(1) 00:00:00.0 is 4 bytes BE: read as 3 bytes it passes for -204:49:27, and the row is then a
    // byte too long for its event
    const time1 = Buffer.concat([le.u32(3), TIME1_ZERO]);
    unknown(
      writeRows(0x0c, time1),
      /^`db`\.`t` columns @2 TIME, @3 DATETIME, @4 TIMESTAMP, .*: read as precision 0/,
    );
    // 99 seconds: no TIME
    unknown(
      writeRows(0x0c, Buffer.concat([le.u32(3), Buffer.from([99, 0, 0])])),
      /^`db`\.`t` column @2, MariaDB TIME in its old temporal format: .*no valid TIME/,
    );
    // DATETIME(6) is 8 bytes BE (as wide as DATETIME(0)): read LE as YYYYMMDDhhmmss it is out of range
    const dt6 = Buffer.alloc(8);
    dt6.writeUIntBE(Math.floor(((((2024 * 13 + 2) * 32 + 29) * 24 * 3600 + 13 * 3600) * 1e6) / 65536), 0, 6);
    dt6.writeUInt16BE(0x1234, 6);
    unknown(
      writeRows(0x0a, Buffer.concat([le.u32(3), dt6])),
      /`db`\.`t` column dt \(@3\), MariaDB DATETIME in its old temporal format/,
      { values: schema([]) },
    );
    // TIMESTAMP(2) is 5 bytes: any 4 bytes are seconds, but the row is a byte too long for its event
    unknown(
      writeRows(0x06, Buffer.concat([le.u32(3), be32(1700000000), Buffer.from([0x12])])),
      /^`db`\.`t` columns @2 TIME, @3 DATETIME, @4 TIMESTAMP, MariaDB's old temporal format: read as precision 0 .* do not decode/,
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
          { values: schema([undefined, 9, 0, 0]) },
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
