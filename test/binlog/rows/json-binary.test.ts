import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { Cursor } from '../../../src/binlog/cursor.js';
import {
  decodeJsonBinary,
  decodeJsonDiffs,
  JsonColumnDecoder,
  jsonBinaryToText,
  jsonDoubleToText,
  quoteJsonString,
} from '../../../src/binlog/rows/json-binary.js';
import { StringCache } from '../../../src/binlog/rows/buffer-text.js';
import { ObjectShapes } from '../../../src/binlog/rows/object-shapes.js';
import { DecodeError, ErrorCode } from '../../../src/errors.js';
import { diffsAsMysqlbinlogPrints } from '../../harness/json-diff-sql.js';
import { parseJsonText } from '../../harness/json-text.js';
import { JSON_DIFF_FIXTURES, JSON_FIXTURES } from './values.fixtures.js';

const hex = (h: string): Buffer => Buffer.from(h.replace(/\s+/g, ''), 'hex');
const value = (b: Buffer): unknown => decodeJsonBinary(b, 0, b.length);
const text = (b: Buffer): string => jsonBinaryToText(b, 0, b.length);

function badValue(f: () => unknown, what: string): void {
  assert.throws(f, (e: unknown) => e instanceof DecodeError && e.code === ErrorCode.ERR_BAD_VALUE, what);
}

/** [[[...[]...]]] nested `depth` times, as small arrays. */
function nestedArrays(depth: number): Buffer {
  let body = hex('0000 0400'); // empty array: count 0, size 4
  for (let i = 1; i < depth; i++) {
    // count 1, size, value entry (type 0x02, offset 7), then the child's body
    const head = Buffer.alloc(7);
    head.writeUInt16LE(1, 0);
    head.writeUInt16LE(7 + body.length, 2);
    head[4] = 0x02;
    head.writeUInt16LE(7, 5);
    body = Buffer.concat([head, body]);
  }
  return Buffer.concat([Buffer.from([0x02]), body]);
}

/** Objects as [key, value] lists (deepStrictEqual does not compare key order). */
function ordered(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(ordered);
  if (v !== null && typeof v === 'object') {
    return Object.getOwnPropertyNames(v).map((k) => [k, ordered((v as Record<string, unknown>)[k])]);
  }
  return v;
}

/**
 * A small JSON object of int16 members, laid out as MySQL does (json_binary.cc serialize_json_object):
 * type 00, count u16, size u16, key entries (offset u16, length u16), value entries (type 05, the
 * int16 inlined), then the keys.
 */
function smallObject(members: [string, number][]): Buffer {
  const n = members.length;
  const keyBytes = members.map(([k]) => Buffer.from(k, 'utf8'));
  const head = 4 + n * 4 + n * 3;
  const size = head + keyBytes.reduce((a, k) => a + k.length, 0);
  const out = Buffer.alloc(1 + size);
  out[0] = 0x00;
  out.writeUInt16LE(n, 1);
  out.writeUInt16LE(size, 3);
  let keyAt = head;
  members.forEach(([, v], i) => {
    out.writeUInt16LE(keyAt, 1 + 4 + i * 4);
    out.writeUInt16LE(keyBytes[i].length, 1 + 4 + i * 4 + 2);
    out[1 + 4 + n * 4 + i * 3] = 0x05;
    out.writeInt16LE(v, 1 + 4 + n * 4 + i * 3 + 1);
    keyBytes[i].copy(out, 1 + keyAt);
    keyAt += keyBytes[i].length;
  });
  return out;
}

describe('JSON binary', () => {
  test('MySQL 9.7 fixtures: CAST(j AS CHAR) text and the parsed value', () => {
    for (const f of JSON_FIXTURES) {
      const b = hex(f.hex);
      assert.equal(text(b), f.text, f.text.slice(0, 100));
      assert.deepStrictEqual(value(b), f.value ?? parseJsonText(f.text), f.text.slice(0, 100));
    }
    assert.ok(JSON_FIXTURES.length > 70);
  });

  test('a key cache shared by every document of a column gives the same values', () => {
    // twice through all fixtures with one cache: the second pass decodes its keys from the cache
    const keys = new StringCache();
    // quoted keys, in 4 slots: keys collide and replace each other all the time
    const quoted = new StringCache(4, quoteJsonString);
    for (let pass = 0; pass < 2; pass++) {
      for (const f of JSON_FIXTURES) {
        const b = hex(f.hex);
        assert.deepStrictEqual(decodeJsonBinary(b, 0, b.length, 0, keys), value(b), f.text.slice(0, 100));
        assert.equal(jsonBinaryToText(b, 0, b.length, 0, quoted), f.text, f.text.slice(0, 100));
      }
    }
  });

  test('object shapes shared by every document of a column give the same objects, keys in order', () => {
    // 20 passes: every key list repeats past the point where it gets a compiled literal
    const keys = new StringCache();
    const shapes = new ObjectShapes();
    // and the row decoder's way: one decoder per column, its walker reused for every document
    const column = new JsonColumnDecoder(new ObjectShapes());
    for (let pass = 0; pass < 20; pass++) {
      for (const f of JSON_FIXTURES) {
        const b = hex(f.hex);
        const got = decodeJsonBinary(b, 0, b.length, 0, keys, shapes);
        assert.deepStrictEqual(got, value(b), f.text.slice(0, 100));
        assert.deepStrictEqual(ordered(got), ordered(value(b)), `key order: ${f.text.slice(0, 100)}`);
        const viaColumn = column.decode(b, 0, b.length, 0);
        assert.deepStrictEqual(ordered(viaColumn), ordered(value(b)), `column: ${f.text.slice(0, 100)}`);
      }
    }
    assert.equal(shapes.top, 0);
    assert.ok(
      shapes.values.every((v) => v === undefined),
      'no value is kept after its document',
    );
  });

  test('object shapes: __proto__, repeated and integer-like keys, more key lists than are kept', () => {
    const shapes = new ObjectShapes();
    const docs: [string, number][][] = [
      [
        ['__proto__', 1],
        ['b', 2],
      ],
      [
        ['a', 1],
        ['a', 2],
        ['b', 3],
      ],
      [
        ['b', 1],
        ['2', 2],
        ['1', 3],
        ['x"\\y\u2028', 4],
        ['ü€😀', 5],
      ],
      [],
      ...Array.from({ length: 30 }, (_, i): [string, number][] => [
        [`k${i}`, i],
        ['z', -i],
      ]),
    ];
    for (let pass = 0; pass < 12; pass++) {
      for (const members of docs) {
        const b = smallObject(members);
        const got = decodeJsonBinary(b, 0, b.length, 0, undefined, shapes) as Record<string, unknown>;
        const want = value(b) as Record<string, unknown>;
        assert.equal(Object.getPrototypeOf(got), Object.prototype);
        assert.deepStrictEqual(ordered(got), ordered(want), JSON.stringify(members));
        if (members[0]?.[0] === '__proto__')
          assert.ok(Object.prototype.hasOwnProperty.call(got, '__proto__'));
      }
    }
    // what the stores give for a repeated key: first place, last value
    const b = smallObject([
      ['a', 1],
      ['a', 2],
      ['b', 3],
    ]);
    assert.deepStrictEqual(Object.entries(decodeJsonBinary(b, 0, b.length, 0, undefined, shapes) as object), [
      ['a', 2],
      ['b', 3],
    ]);
  });

  test('object shapes: a literal compiled for one table map serves the next (one per transaction)', () => {
    class CountingMap<K, V> extends Map<K, V> {
      sets = 0;
      override set(k: K, v: V): this {
        this.sets++;
        return super.set(k, v);
      }
    }
    const shared = new CountingMap<string, unknown>();
    const doc = smallObject([
      ['id', 1],
      ['name', 2],
      ['tags', 3],
    ]);
    for (let table = 0; table < 5; table++) {
      const shapes = new ObjectShapes(shared);
      for (let i = 0; i < 20; i++) {
        const got = decodeJsonBinary(doc, 0, doc.length, 0, undefined, shapes);
        assert.deepStrictEqual(ordered(got), ordered(value(doc)));
      }
    }
    assert.equal(shared.sets, 1, 'compiled once, then taken from the shared cache');
  });

  test('a key is taken from the previous object only when its bytes are that key', () => {
    // the same place in the next document: 'é' (c3 a9) then the lone byte e9 (invalid UTF-8, so
    // U+FFFD, though its value equals the char code of 'é'), then 'a', 'b' and the ASCII keys again
    const column = new JsonColumnDecoder(new ObjectShapes());
    const e9 = smallObject([['x', 1]]);
    e9[e9.length - 1] = 0xe9;
    const docs = [smallObject([['é', 1]]), e9, smallObject([['a', 1]]), smallObject([['b', 1]])];
    for (let pass = 0; pass < 20; pass++) {
      for (const doc of docs) {
        const want = decodeJsonBinary(doc, 0, doc.length);
        assert.deepStrictEqual(column.decode(doc, 0, doc.length, 0), want);
        assert.deepStrictEqual(
          decodeJsonBinary(doc, 0, doc.length, 0, new StringCache(), new ObjectShapes()),
          want,
        );
      }
    }
    assert.deepStrictEqual(Object.keys(decodeJsonBinary(e9, 0, e9.length) as object), ['\ufffd']);
  });

  test('object shapes: a document that fails part way leaves the next one right', () => {
    const shapes = new ObjectShapes();
    const good = smallObject([
      ['a', 1],
      ['b', 2],
    ]);
    const bad = Buffer.from(good);
    bad[1 + 4 + 2 * 4 + 3] = 0x2a; // the second value's type byte: no such type
    for (let i = 0; i < 20; i++) {
      badValue(() => decodeJsonBinary(bad, 0, bad.length, 0, undefined, shapes), 'bad member');
      assert.deepStrictEqual(decodeJsonBinary(good, 0, good.length, 0, undefined, shapes), { a: 1, b: 2 });
    }
  });

  test('golden bytes, field by field', () => {
    // JSON_OBJECT('d', CAST('2020-01-01' AS DATE)) written by MySQL 9.7:
    //   00            small object
    //   01 00  16 00  1 member, 22 bytes
    //   0b 00  01 00  key at offset 11, length 1
    //   0f 0c 00      value: opaque at offset 12
    //   64            "d"
    //   0a 08         opaque field type 10 (MYSQL_TYPE_DATE), 8 bytes
    //   00 00 00 00 00 42 a5 19   packed datetime, little-endian: (2020 * 13 + 1) << 46 | 1 << 41
    const b = hex('00 0100 1600 0b00 0100 0f0c00 64 0a08 000000000042a519');
    assert.equal(text(b), '{"d": "2020-01-01"}');
    assert.deepEqual(value(b), { d: '2020-01-01' });
    // Large array [100000]: count and size are u32, and int32 values are inlined in the entry.
    assert.deepEqual(value(hex('03 01000000 0d000000 07 a0860100')), [100000]);
    // Small array [100000]: the int32 is stored after the entries (offset 7).
    assert.deepEqual(value(hex('02 0100 0b00 07 0700 a0860100')), [100000]);
  });

  test('an empty value is JSON null (json_binary::parse_binary)', () => {
    assert.equal(decodeJsonBinary(Buffer.alloc(0), 0, 0), null);
    assert.equal(jsonBinaryToText(Buffer.alloc(0), 0, 0), 'null');
  });

  test('integers beyond 2^53 are bigint, within are number', () => {
    assert.equal(value(hex('09 ffffffffffff1f00')), 2 ** 53 - 1);
    assert.equal(value(hex('09 0000000000002000')), 2n ** 53n);
    assert.equal(value(hex('09 010000000000e0ff')), -(2 ** 53) + 1);
    assert.equal(value(hex('09 000000000000e0ff')), -(2n ** 53n));
    assert.equal(value(hex('0a ffffffffffffffff')), 2n ** 64n - 1n);
    assert.equal(text(hex('0a ffffffffffffffff')), '18446744073709551615');
  });

  test('a "__proto__" key is an own property, not the prototype', () => {
    const f = JSON_FIXTURES.find((x) => x.text.includes('__proto__'));
    assert.ok(f);
    const v = value(hex(f.hex)) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(v), Object.prototype);
    assert.ok(Object.prototype.hasOwnProperty.call(v, '__proto__'));
    assert.deepEqual(Object.getOwnPropertyDescriptor(v, '__proto__')?.value, { polluted: 1 });
  });

  test('nesting: 100 levels decode, 101 are ERR_BAD_VALUE (JSON_DOCUMENT_MAX_DEPTH)', () => {
    assert.equal(text(nestedArrays(100)), '['.repeat(100) + ']'.repeat(100));
    badValue(() => value(nestedArrays(101)), 'value');
    badValue(() => text(nestedArrays(101)), 'text');
  });

  test('entries that share their values cannot blow up: bounded by the input size', () => {
    // Each level: 2 entries pointing at the same child: 2^60 paths if followed naively.
    let body = hex('0000 0400');
    for (let i = 0; i < 60; i++) {
      const head = Buffer.alloc(10);
      head.writeUInt16LE(2, 0);
      head.writeUInt16LE(10 + body.length, 2);
      head[4] = 0x02;
      head.writeUInt16LE(10, 5);
      head[7] = 0x02;
      head.writeUInt16LE(10, 8);
      body = Buffer.concat([head, body]);
    }
    const b = Buffer.concat([Buffer.from([0x02]), body]);
    const t0 = Date.now();
    badValue(() => value(b), 'value');
    badValue(() => text(b), 'text');
    assert.ok(Date.now() - t0 < 1000);
  });

  test('malformed documents are ERR_BAD_VALUE with the absolute offset', () => {
    badValue(() => value(hex('0d')), 'unknown type byte');
    badValue(() => value(hex('04 03')), 'unknown literal');
    badValue(() => value(hex('00 0100 0c00 0b00 0100 05 0100')), 'size beyond the buffer');
    badValue(() => value(hex('00 0200 0c00 0b00 0100 05 0100 61')), 'header larger than the object');
    badValue(() => value(hex('00 0100 0c00 0200 0100 05 0100 61')), 'key inside the header');
    badValue(() => value(hex('02 0100 0b00 07 0900 a0860100')), 'value offset past the array');
    badValue(() => value(hex('02 0100 0700 07 0200')), 'value offset inside the header');
    badValue(() => value(hex('0c 8080808010')), 'string length above 4 GiB');
    badValue(() => value(hex('0f f6 03 0a0a00')), 'opaque DECIMAL of the wrong size');
    badValue(() => value(hex('0f 0a 04 00000000')), 'opaque DATE of 4 bytes');
    try {
      decodeJsonBinary(hex('ff ff 0d'), 2, 3, 1000);
      assert.fail('no error');
    } catch (e) {
      assert.ok(e instanceof DecodeError);
      assert.equal(e.offset, 1003);
    }
  });

  test('every strict prefix of a fixture is a DecodeError', () => {
    for (const f of JSON_FIXTURES) {
      const b = hex(f.hex);
      if (b.length > 2048) continue;
      // a column's decoder too, and after each failure it decodes the whole document right
      const column = new JsonColumnDecoder(new ObjectShapes());
      for (let n = 1; n < b.length; n++) {
        assert.throws(() => decodeJsonBinary(b, 0, n), DecodeError, `${f.text.slice(0, 60)} [0, ${n})`);
        assert.throws(() => jsonBinaryToText(b, 0, n), DecodeError, `${f.text.slice(0, 60)} [0, ${n})`);
        assert.throws(() => column.decode(b, 0, n, 0), DecodeError, `${f.text.slice(0, 60)} [0, ${n})`);
        if (n % 16 === 1) assert.deepStrictEqual(column.decode(b, 0, b.length, 0), value(b));
      }
    }
  });

  test('property: random and mutated bytes give a value or DecodeError, quickly', () => {
    const seeds = JSON_FIXTURES.map((f) => hex(f.hex)).filter((b) => b.length < 4096);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
          fc
            .tuple(
              fc.integer({ min: 0, max: seeds.length - 1 }),
              fc.nat(),
              fc.integer({ min: 0, max: 255 }),
              fc.nat(),
            )
            .map(([i, at, byte, cut]) => {
              const b = Buffer.from(seeds[i]);
              b[at % b.length] = byte;
              return b.subarray(0, b.length - (cut % 3));
            }),
        ),
        (b) => {
          for (const f of [decodeJsonBinary, jsonBinaryToText]) {
            try {
              f(b, 0, b.length);
            } catch (e) {
              assert.ok(e instanceof DecodeError, String(e));
            }
          }
        },
      ),
      { numRuns: 5000 },
    );
  });

  test('doubles print as my_gcvt(width 34) plus ".0"', () => {
    // Texts the server printed for these doubles (CAST(CAST('[…]' AS JSON) AS CHAR), MySQL 9.7).
    const cases: [number, string][] = [
      [1, '1.0'],
      [1e300, '1e300'],
      [-0, '-0.0'],
      [0.1, '0.1'],
      [1e-7, '0.0000001'],
      [1e21, '1e21'],
      [1e15, '1e15'],
      [1e16, '1e16'],
      [123456789012345.6, '123456789012345.6'],
      [0.000001, '0.000001'],
      [1.5e-300, '1.5e-300'],
      [-1.2345678901234568e-300, '-1.2345678901234568e-300'],
      [2 ** 64, '1.8446744073709552e19'],
      [300, '300.0'],
    ];
    for (const [d, t] of cases) assert.equal(jsonDoubleToText(d), t, String(d));
  });

  test('strings are escaped as double_quote does', () => {
    assert.equal(quoteJsonString('plain é 😀 / \u007f'), '"plain é 😀 / \u007f"');
    assert.equal(
      quoteJsonString('a"b\\c\b\f\n\r\t\u0000\u001f'),
      '"a\\"b\\\\c\\b\\f\\n\\r\\t\\u0000\\u001f"',
    );
  });
});

describe('JSON diffs (PARTIAL_UPDATE_ROWS)', () => {
  test('MySQL 9.7 fixtures match mysqlbinlog -vv', () => {
    for (const f of JSON_DIFF_FIXTURES) {
      const cur = new Cursor(hex(f.hex));
      const diffs = decodeJsonDiffs(cur);
      assert.equal(cur.remaining, 0);
      assert.equal(diffsAsMysqlbinlogPrints(diffs, f.column), f.printed);
    }
    assert.ok(JSON_DIFF_FIXTURES.length >= 6);
  });

  test('golden bytes, field by field', () => {
    // u32 length 15; REPLACE (0) path "$.a" (lenenc 3) value (lenenc 3) int16 2; REMOVE (2) path "$[0]"
    const b = hex('0f000000 00 03 242e61 03 050200 02 04 245b305d');
    const cur = new Cursor(b);
    assert.deepEqual(decodeJsonDiffs(cur), [
      { op: 'replace', path: '$.a', value: 2, text: '2' },
      { op: 'remove', path: '$[0]' },
    ]);
    assert.equal(cur.remaining, 0);
  });

  test('an unknown operation or a NULL length is ERR_BAD_VALUE; a short body is ERR_TRUNCATED', () => {
    badValue(() => decodeJsonDiffs(new Cursor(hex('01000000 03'))), 'operation 3');
    badValue(() => decodeJsonDiffs(new Cursor(hex('02000000 00 fb'))), 'NULL path length');
    assert.throws(
      () => decodeJsonDiffs(new Cursor(hex('05000000 00 03 242e'))),
      (e: unknown) => e instanceof DecodeError && e.code === ErrorCode.ERR_TRUNCATED,
    );
    assert.throws(
      () => decodeJsonDiffs(new Cursor(hex('04000000 00 03 242e'))),
      (e: unknown) => e instanceof DecodeError && e.code === ErrorCode.ERR_TRUNCATED,
    );
  });

  test('property: random bytes give diffs or DecodeError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 48 }), (a) => {
        const b = Buffer.from(a);
        if (b.length >= 4) b.writeUInt32LE(Math.min(b.readUInt32LE(0), b.length - 4), 0);
        try {
          decodeJsonDiffs(new Cursor(b));
        } catch (e) {
          assert.ok(e instanceof DecodeError, String(e));
        }
      }),
      { numRuns: 3000 },
    );
  });
});
