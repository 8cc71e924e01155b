// The JSON-lines value notation (spec §2).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { float32Text, rowJson, valueJson } from '../../src/cli/jsonl.js';
import { ColumnType as C } from '../../src/binlog/constants.js';
import type { Row } from '../../src/binlog/types.js';
import { columnDef } from '../harness/columns.js';
import { JsonDiffValue, JsonText } from '../../src/binlog/rows/row-types.js';

test('FLOAT: shortest text that reads back as the same float32', () => {
  assert.equal(float32Text(Math.fround(12345.679)), '12345.679');
  assert.equal(float32Text(Math.fround(0.1)), '0.1');
  assert.equal(float32Text(Math.fround(3.40282e38)), '3.40282e+38');
  assert.equal(float32Text(Math.fround(-1.17549e-38)), '-1.17549e-38');
  assert.equal(float32Text(0), '0');
  assert.equal(float32Text(NaN), 'null');
  assert.equal(float32Text(-Infinity), 'null');
  for (const x of [1.5, 1e-45, 16777217, 0.3, 123456.789]) {
    const f = Math.fround(x);
    assert.equal(Math.fround(Number(float32Text(f))), f);
  }
});

test('integers keep every digit; NaN/Infinity are null; bytes are base64', () => {
  assert.equal(valueJson(18446744073709551615n), '18446744073709551615');
  assert.equal(valueJson(-9223372036854775808n), '-9223372036854775808');
  assert.equal(valueJson(NaN), 'null');
  assert.equal(valueJson(Infinity), 'null');
  assert.equal(valueJson(1.7976931348623157e308), '1.7976931348623157e+308');
  assert.equal(valueJson(Buffer.from([0, 255, 1])), '{"base64":"AP8B"}');
  assert.equal(valueJson(new Uint8Array([1, 2])), '{"base64":"AQI="}');
  assert.equal(valueJson('a"b\n'), '"a\\"b\\n"');
  assert.equal(valueJson(['a', 'b,c']), '["a","b,c"]');
  assert.equal(valueJson(null), 'null');
});

test('JSON columns inline as MySQL text; partial updates as json_diff; vectors as arrays', () => {
  assert.equal(valueJson(new JsonText('{"a": 1.50, "b": [true]}')), '{"a": 1.50, "b": [true]}');
  assert.equal(
    valueJson(
      new JsonDiffValue([
        { op: 'replace', path: '$.a', value: 1, text: '1' },
        { op: 'remove', path: '$.b' },
      ]),
    ),
    '{"json_diff":[{"op":"replace","path":"$.a","value":1},{"op":"remove","path":"$.b"}]}',
  );
  assert.equal(valueJson(new Float32Array([1.5, Math.fround(0.1), -0])), '[1.5,0.1,-0]');
});

test('rows: keys in column order, absent columns left out, NULL kept, keys escaped', () => {
  const cols = [
    columnDef(0, 'id', C.MYSQL_TYPE_LONG),
    columnDef(1, 'na"me\\', C.MYSQL_TYPE_VARCHAR),
    columnDef(2, '1', C.MYSQL_TYPE_LONGLONG),
    columnDef(3, 'st', C.MYSQL_TYPE_SET),
    columnDef(4, 'd', C.MYSQL_TYPE_NEWDECIMAL),
    columnDef(5, 'b', C.MYSQL_TYPE_LONGLONG),
  ];
  const row = {
    id: 7,
    'na"me\\': 'a\u2028"',
    1: 2n ** 53n - 1n,
    st: ['x', 'y,z'],
    d: '-0.50',
    b: -(2n ** 63n),
  };
  assert.equal(
    rowJson(row, cols),
    '{"id":7,"na\\"me\\\\":"a\u2028\\"","1":9007199254740991,"st":["x","y,z"],"d":"-0.50","b":-9223372036854775808}',
  );
  // MINIMAL images: only some keys; the first one present has no comma before it
  assert.equal(rowJson({ st: 5n, d: null }, cols), '{"st":5,"d":null}');
  assert.equal(rowJson({}, cols), '{}');
  // another table map of the same table (a new columns array) prints the same
  assert.equal(rowJson({ id: 1, b: 2n ** 64n - 1n }, cols.slice()), '{"id":1,"b":18446744073709551615}');
});

test('rows: a "__proto__" column prints when the row has it as its own key, never the prototype', () => {
  const cols = [columnDef(0, '__proto__', C.MYSQL_TYPE_LONG), columnDef(1, 'a', C.MYSQL_TYPE_LONG)];
  const own: Record<string, unknown> = { a: 2 };
  Object.defineProperty(own, '__proto__', { value: 7, enumerable: true, writable: true, configurable: true });
  assert.equal(rowJson(own as Row, cols), '{"__proto__":7,"a":2}');
  assert.equal(rowJson({ a: 3 }, cols), '{"a":3}');
});

test('rows: columns named like Object.prototype members (constructor, toString …) print only when in the image', () => {
  const names = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf'];
  const cols = [
    columnDef(0, 'id', C.MYSQL_TYPE_LONG),
    ...names.map((n, i) => columnDef(i + 1, n, C.MYSQL_TYPE_LONG)),
  ];
  // a MINIMAL image with only id: the others are absent, not null
  assert.equal(rowJson({ id: 1 }, cols), '{"id":1}');
  assert.equal(
    rowJson({ id: 1, toString: 5, constructor: null }, cols),
    '{"id":1,"constructor":null,"toString":5}',
  );
  // with a __proto__ column too (the generic printer)
  const withProto = [...cols, columnDef(6, '__proto__', C.MYSQL_TYPE_LONG)];
  assert.equal(rowJson({ id: 2 }, withProto), '{"id":2}');
  assert.equal(rowJson({ id: 2, valueOf: 3 }, withProto), '{"id":2,"valueOf":3}');
});
