import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeVector, geometrySrid } from '../../../src/binlog/rows/geometry.js';
import { DecodeError, ErrorCode } from '../../../src/errors.js';
import { VECTOR_FIXTURES } from './values.fixtures.js';

/** VECTOR_TO_STRING's %.5e rendering of a float32. */
const printed = (v: number): string =>
  (Object.is(v, -0) ? '-' : '') + v.toExponential(5).replace(/e([+-])(\d)$/, 'e$10$2');

describe('VECTOR', () => {
  test('MySQL 9.7 fixtures: the floats VECTOR_TO_STRING prints', () => {
    for (const f of VECTOR_FIXTURES) {
      const b = Buffer.from(f.hex, 'hex');
      const v = decodeVector(b, 0, b.length);
      assert.ok(v instanceof Float32Array);
      assert.equal('[' + Array.from(v, printed).join(',') + ']', f.text);
    }
    assert.equal(VECTOR_FIXTURES.length, 2);
  });

  test('golden bytes: little-endian float32s, copied into an aligned array', () => {
    // 1.0 = 00 00 80 3f, 2.5 = 00 00 20 40, -0 = 00 00 00 80; starting at an odd offset
    const b = Buffer.from('ff' + '0000803f' + '00002040' + '00000080', 'hex');
    const v = decodeVector(b, 1, b.length);
    assert.deepEqual(Array.from(v), [1, 2.5, -0]);
    assert.ok(Object.is(v[2], -0));
    assert.equal(v.byteOffset % 4, 0);
    b[1] = 0x11; // a copy, not a view
    assert.equal(v[0], 1);
    assert.equal(decodeVector(b, 0, 0).length, 0);
  });

  test('a length that is not a multiple of 4 is ERR_BAD_VALUE', () => {
    assert.throws(
      () => decodeVector(Buffer.alloc(7), 0, 7, 100),
      (e: unknown) => e instanceof DecodeError && e.code === ErrorCode.ERR_BAD_VALUE && e.offset === 100,
    );
  });
});

describe('GEOMETRY', () => {
  test('the SRID is the first 4 bytes, little-endian', () => {
    // SRID 4326, then WKB POINT(1 2): byte order 01, type 01000000, x, y
    const b = Buffer.from('e6100000' + '0101000000' + '000000000000f03f' + '0000000000000040', 'hex');
    assert.equal(geometrySrid(b, 0, b.length), 4326);
    assert.throws(
      () => geometrySrid(b, 0, 3),
      (e: unknown) => e instanceof DecodeError && e.code === ErrorCode.ERR_TRUNCATED,
    );
  });
});
