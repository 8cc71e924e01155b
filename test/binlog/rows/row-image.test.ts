// The generated full-image row builder (imageReader) against the generic per-key path (readRowImage):
// same keys in the same order, same values, NULL bits, integer-like keys and a `__proto__` column.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Cursor } from '../../../src/binlog/cursor.js';
import { imageReader, presentColumns, readRowImage } from '../../../src/binlog/rows/row-image.js';
import type { ColumnPlan } from '../../../src/binlog/rows/values.js';

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
