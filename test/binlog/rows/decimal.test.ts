import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { Cursor } from '../../../src/binlog/cursor.js';
import { decimalBinarySize, decodeDecimal } from '../../../src/binlog/rows/decimal.js';
import { DecodeError, ErrorCode } from '../../../src/errors.js';
import { DECIMAL_FIXTURES } from './values.fixtures.js';

const hex = (h: string): Buffer => Buffer.from(h, 'hex');
const DIGIT = fc.constantFrom(...'0123456789');

function decode(bytes: Buffer, precision: number, scale: number): string {
  const cur = new Cursor(bytes);
  const v = decodeDecimal(cur, precision, scale);
  assert.equal(cur.remaining, 0, 'every byte read');
  return v;
}

function meta(kind: unknown): { precision: number; scale: number } {
  return kind as { precision: number; scale: number };
}

/** decimal2bin from strings/decimal.cc, written from the layout, for round-trip properties. */
function encode(value: string, precision: number, scale: number): Buffer {
  const neg = value.startsWith('-');
  const [int, frac = ''] = (neg ? value.slice(1) : value).split('.');
  const intg = precision - scale;
  const ints = int.padStart(intg, '0');
  const fracs = frac.padEnd(scale, '0');
  const DIG2BYTES = [0, 1, 1, 2, 2, 3, 3, 4, 4, 4];
  const out: number[] = [];
  const put = (digits: string): void => {
    const n = DIG2BYTES[digits.length];
    let v = Number(digits);
    const bytes: number[] = [];
    for (let i = 0; i < n; i++) {
      bytes.unshift(v & 0xff);
      v = Math.floor(v / 256);
    }
    out.push(...bytes);
  };
  const lead = intg % 9;
  if (lead) put(ints.slice(0, lead));
  for (let i = lead; i < intg; i += 9) put(ints.slice(i, i + 9));
  for (let i = 0; i + 9 <= scale; i += 9) put(fracs.slice(i, i + 9));
  if (scale % 9) put(fracs.slice(scale - (scale % 9)));
  const buf = Buffer.from(out);
  buf[0] ^= 0x80;
  if (neg) for (let i = 0; i < buf.length; i++) buf[i] ^= 0xff;
  return buf;
}

describe('decodeDecimal', () => {
  test('server fixtures: every value as the server prints it', () => {
    for (const f of DECIMAL_FIXTURES) {
      const { precision, scale } = meta(f.kind);
      assert.equal(decode(hex(f.hex), precision, scale), f.text, `DECIMAL(${precision},${scale}) ${f.hex}`);
    }
    assert.ok(DECIMAL_FIXTURES.length > 150);
  });

  test('golden bytes, field by field', () => {
    // DECIMAL(10,2) -10.55 (MySQL 9.7): 8 integer digits → one 4-byte word, 2 fraction digits → 1 byte;
    // negative: every byte inverted, then the sign bit of the first byte flipped.
    //   7f ff ff f5  integer word: ~0x8000000a → 10
    //   c8           fraction byte: ~0x37 → 55
    assert.equal(decode(hex('7ffffff5c8'), 10, 2), '-10.55');
    // DECIMAL(65,30) max: 35 integer digits = 8 leftover (4 bytes) + 3 words; 30 fraction digits = 3 words
    // + 3 leftover (2 bytes).
    //   85 f5 e0 ff  99999999 (leftover, sign bit flipped)
    //   3b 9a c9 ff ×3  999999999
    //   3b 9a c9 ff ×3  999999999
    //   03 e7        999
    assert.equal(
      decode(hex('85f5e0ff' + '3b9ac9ff'.repeat(6) + '03e7'), 65, 30),
      '99999999999999999999999999999999999.999999999999999999999999999999',
    );
  });

  test('binary sizes (decimal_bin_size)', () => {
    for (const f of DECIMAL_FIXTURES) {
      const { precision, scale } = meta(f.kind);
      assert.equal(decimalBinarySize(precision, scale), f.hex.length / 2);
    }
    assert.equal(decimalBinarySize(65, 30), 30);
    assert.equal(decimalBinarySize(1, 0), 1);
    assert.equal(decimalBinarySize(5, 5), 3);
  });

  test('a negative-zero image prints "-0.00", as mysqlbinlog -vv prints it (the server never writes one)', () => {
    // test/integration/rows/values.test.ts patches a real row to these bytes and runs mysqlbinlog -vv.
    assert.equal(decode(hex('7fffffffff'), 10, 2), '-0.00');
    assert.equal(decode(hex('7f'), 1, 0), '-0');
  });

  // MariaDB takes scales up to 38 (MySQL 30): checked live in test/integration/rows/values.test.ts
  test('metadata outside DECIMAL(1..65, 0..38) is ERR_BAD_VALUE', () => {
    for (const [p, s] of [
      [66, 0],
      [0, 0],
      [10, 11],
      [50, 39],
      [5, -1],
      [1.5, 0],
    ]) {
      assert.throws(
        () => decodeDecimal(new Cursor(Buffer.alloc(64, 0x80)), p, s),
        (e: unknown) => e instanceof DecodeError && e.code === ErrorCode.ERR_BAD_VALUE,
        `DECIMAL(${p},${s})`,
      );
      assert.throws(() => decimalBinarySize(p, s), DecodeError);
    }
  });

  test('a digit group above its digit count is ERR_BAD_VALUE', () => {
    // DECIMAL(10,2): integer word 0xffffffff > 99999999
    assert.throws(
      () => decode(hex('ffffffff00'), 10, 2),
      (e: unknown) => e instanceof DecodeError && e.code === ErrorCode.ERR_BAD_VALUE && e.offset === 0,
    );
    // DECIMAL(4,2): fraction byte 100 > 99
    assert.throws(() => decode(hex('8064'), 4, 2), DecodeError);
    // DECIMAL(18,9): a full 9-digit word of 1000000000
    assert.throws(() => decode(hex('80000000' + '3b9aca00'), 18, 9), DecodeError);
  });

  test('every strict prefix of a fixture is ERR_TRUNCATED with the absolute offset', () => {
    for (const f of DECIMAL_FIXTURES) {
      const { precision, scale } = meta(f.kind);
      const bytes = hex(f.hex);
      for (let n = 0; n < bytes.length; n++) {
        assert.throws(
          () => decodeDecimal(new Cursor(bytes, 0, n, 1000), precision, scale),
          (e: unknown) => e instanceof DecodeError && e.code === ErrorCode.ERR_TRUNCATED && e.offset === 1000,
        );
      }
    }
  });

  const roundTrip = (maxPrecision: number, maxScale: number, numRuns: number): void => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: maxPrecision })
          .chain((p) =>
            fc.tuple(
              fc.constant(p),
              fc.integer({ min: 0, max: Math.min(p, maxScale) }),
              fc.boolean(),
              fc.string({ unit: DIGIT, maxLength: 65 }),
              fc.string({ unit: DIGIT, maxLength: 30 }),
            ),
          ),
        ([p, s, neg, intDigits, fracDigits]) => {
          const int = (intDigits.slice(0, p - s).replace(/^0+/, '') || '0').slice(0, p - s) || '0';
          const frac = fracDigits.slice(0, s).padEnd(s, '0');
          const text = (neg ? '-' : '') + int + (s ? '.' + frac : '');
          const bytes = encode((neg ? '-' : '') + int + (s ? '.' + frac : ''), p, s);
          assert.equal(bytes.length, decimalBinarySize(p, s));
          assert.equal(decode(bytes, p, s), text);
        },
      ),
      { numRuns },
    );
  };

  test('property: random digits round-trip through the binary layout', () => {
    roundTrip(65, 30, 1000);
  });

  test('property: the same for the small layouts (up to 15 integer and 4 fraction digits: their own path)', () => {
    roundTrip(19, 4, 3000);
  });

  test('property: random bytes give a decimal string or DecodeError, nothing else', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 65 }),
        fc.integer({ min: 0, max: 30 }),
        fc.uint8Array({ maxLength: 40 }),
        (p, s, bytes) => {
          const scale = Math.min(p, s);
          try {
            const v = decodeDecimal(new Cursor(Buffer.from(bytes)), p, scale);
            assert.match(
              v,
              scale ? new RegExp(`^-?(0|[1-9][0-9]*)\\.[0-9]{${scale}}$`) : /^-?(0|[1-9][0-9]*)$/,
            );
          } catch (e) {
            assert.ok(e instanceof DecodeError, String(e));
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});
