// The generated full-image row builder (imageReader) against the generic per-key path (readRowImage):
// same keys in the same order, same values, NULL bits, integer-like keys and a `__proto__` column.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Cursor } from '../../../src/binlog/cursor.js';
import { imageReader, presentColumns, readRowImage } from '../../../src/binlog/rows/row-image.js';
import { readerFor, type ColumnPlan } from '../../../src/binlog/rows/values.js';
import { ColumnType as C } from '../../../src/binlog/constants.js';
import { resolveParserOptions } from '../../../src/binlog/options.js';
import { DecodeError, ErrorCode } from '../../../src/errors.js';
import { columnDef } from '../../harness/columns.js';

function plans(keys: string[]): ColumnPlan[] {
  // each column is one byte: its value is that byte (enough to tell columns and positions apart)
  return keys.map(
    (key) =>
      ({
        key,
        protoKey: key === '__proto__',
        read: (c: Cursor) => {
          c.need(1);
          return c.u8();
        },
      }) as unknown as ColumnPlan,
  );
}

function both(keys: string[], present: boolean[], bytes: number[]) {
  const plan = plans(keys);
  const cols = presentColumns(present, keys.length);
  const buf = Buffer.from(bytes);
  const a = new Cursor(buf, 0, buf.length, 0);
  const b = new Cursor(buf, 0, buf.length, 0);
  const read = imageReader(plan, cols, new Map());
  const fast = [read(a), read(a)];
  const slow = [readRowImage(b, plan, cols), readRowImage(b, plan, cols)];
  assert.equal(a.pos, b.pos);
  return { fast, slow };
}

describe('imageReader', () => {
  test('full image: same keys, order and values as readRowImage, NULL bits honoured', () => {
    const keys = ['id', '10', 'name', '@4', 'a"b\\c', '2', 'x', 'y', 'z'];
    // 9 columns: 2 null-bitmap bytes; row 1 has column 2 NULL, row 2 columns 0 and 8 NULL
    const row1 = [0b0000_0100, 0, 1, 2, 4, 5, 6, 7, 8, 9];
    const row2 = [0b0000_0001, 0b1, 12, 13, 14, 15, 16, 17, 18];
    const { fast, slow } = both(
      keys,
      keys.map(() => true),
      [...row1, ...row2],
    );
    assert.deepEqual(fast, slow);
    assert.deepEqual(fast.map(Object.keys), slow.map(Object.keys));
    assert.deepEqual(fast[0], { id: 1, '10': 2, name: null, '@4': 4, 'a"b\\c': 5, '2': 6, x: 7, y: 8, z: 9 });
    assert.equal(fast[1].id, null);
    assert.equal(fast[1].z, null);
  });

  test('a __proto__ column stays an own property (generic path)', () => {
    const { fast, slow } = both(['a', '__proto__'], [true, true], [0, 1, 2, 0, 3, 4]);
    assert.deepEqual(fast.map(Object.keys), [
      ['a', '__proto__'],
      ['a', '__proto__'],
    ]);
    assert.equal(Object.getPrototypeOf(fast[0]), Object.prototype);
    assert.deepEqual(fast, slow);
  });

  test('partial image: only the present columns', () => {
    const { fast, slow } = both(['a', 'b', 'c'], [true, false, true], [0, 1, 3, 0b10, 5]);
    assert.deepEqual(fast, [
      { a: 1, c: 3 },
      { a: 5, c: null },
    ]);
    assert.deepEqual(fast.map(Object.keys), slow.map(Object.keys));
    assert.deepEqual(fast, slow);
  });

  test('tables with the same keys share one generated factory', () => {
    const factories = new Map<string, unknown>();
    imageReader(plans(['a', 'b']), [0, 1], factories);
    imageReader(plans(['a', 'b']), [0, 1], factories);
    imageReader(plans(['a', 'c']), [0, 1], factories);
    assert.equal(factories.size, 2);
  });
});

describe('imageReader: integers and YEAR read inline', () => {
  const TYPES: [string, number, number][] = [
    // name, type code, bytes
    ['tiny', C.MYSQL_TYPE_TINY, 1],
    ['short', C.MYSQL_TYPE_SHORT, 2],
    ['int24', C.MYSQL_TYPE_INT24, 3],
    ['long', C.MYSQL_TYPE_LONG, 4],
    ['year', C.MYSQL_TYPE_YEAR, 1],
  ];
  const realPlans = (): ColumnPlan[] =>
    [false, true].flatMap((unsigned) =>
      TYPES.map(([name, type], i) =>
        readerFor(
          columnDef(i, `${name}_${unsigned ? 'u' : 's'}`, type, { unsigned }),
          resolveParserOptions(),
          { flavor: 'mysql', fsp: undefined, table: '`db`.`t`' },
        ),
      ),
    );
  const width = TYPES.reduce((n, t) => n + t[2], 0) * 2;

  test('same values as the column readers, for random bytes and the extremes', () => {
    const plan = realPlans();
    const cols = plan.map((_, i) => i);
    const images = [0x00, 0xff, 0x80, 0x7f].map((b) => [0, 0, ...new Array<number>(width).fill(b)]);
    for (let r = 0; r < 200; r++)
      images.push([0, 0, ...Array.from({ length: width }, () => Math.floor(Math.random() * 256))]);
    const buf = Buffer.from(images.flat());
    const a = new Cursor(buf, 0, buf.length, 0);
    const b = new Cursor(buf, 0, buf.length, 0);
    const read = imageReader(plan, cols, new Map());
    for (let r = 0; r < images.length; r++) assert.deepEqual(read(a), readRowImage(b, plan, cols));
    assert.equal(a.pos, buf.length);
    // the extremes, as the server writes them
    const c = new Cursor(buf, 0, buf.length, 0);
    const zeros = read(c);
    assert.equal(zeros.year_s, 0);
    const ones = read(c);
    assert.deepEqual(
      [ones.tiny_s, ones.short_s, ones.int24_s, ones.long_s, ones.tiny_u, ones.long_u, ones.year_u],
      [-1, -1, -1, -1, 255, 4294967295, 2155],
    );
  });

  test('an image cut inside an inlined value throws ERR_TRUNCATED, as the reader does', () => {
    const plan = realPlans();
    const cols = plan.map((_, i) => i);
    const full = [0, 0, ...new Array<number>(width).fill(1)];
    for (let cut = 2; cut < full.length; cut++) {
      const buf = Buffer.from(full.slice(0, cut));
      const read = imageReader(plan, cols, new Map());
      assert.throws(
        () => read(new Cursor(buf, 0, buf.length, 0)),
        (e: unknown) => e instanceof DecodeError && e.code === ErrorCode.ERR_TRUNCATED,
        `cut at ${cut}`,
      );
    }
  });
});
