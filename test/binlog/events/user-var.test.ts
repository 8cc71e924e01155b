// USER_VAR_EVENT (statement_events.cpp User_var_event): every value type.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventType as T } from '../../../src/binlog/constants.js';
import { decodeOne, le, primedParser } from '../helpers.js';

function body(name: string, type: number | null, value: Buffer, flags?: number): Buffer {
  const head = Buffer.concat([le.u32(name.length), le.str(name)]);
  if (type === null) return Buffer.concat([head, le.u8(1)]);
  return Buffer.concat([
    head,
    le.u8(0),
    le.u8(type),
    le.u32(45),
    le.u32(value.length),
    value,
    flags === undefined ? Buffer.alloc(0) : le.u8(flags),
  ]);
}

test('string, real, int (signed and unsigned), decimal and NULL values', () => {
  const p = primedParser();
  const s = decodeOne(p, T.USER_VAR_EVENT, body('a', 0, le.str('héllo')));
  assert.ok(
    s.type === 'user_var' && Buffer.isBuffer(s.value) && s.value.toString() === 'héllo' && s.charset === 45,
  );
  const d = Buffer.alloc(8);
  d.writeDoubleLE(2.5);
  const r = decodeOne(p, T.USER_VAR_EVENT, body('b', 1, d));
  assert.ok(r.type === 'user_var' && r.valueType === 'real' && r.value === 2.5);
  const i = decodeOne(p, T.USER_VAR_EVENT, body('c', 2, le.u64(2n ** 64n - 1n), 0));
  assert.ok(i.type === 'user_var' && i.value === -1n);
  const u = decodeOne(p, T.USER_VAR_EVENT, body('c', 2, le.u64(2n ** 64n - 1n), 1));
  assert.ok(u.type === 'user_var' && u.value === 2n ** 64n - 1n && u.unsigned === true);
  // DECIMAL(4,2) 12.34: precision, scale, then the binary decimal (strings/decimal.cc: 0x80 ^ sign)
  const dec = decodeOne(p, T.USER_VAR_EVENT, body('e', 4, Buffer.from([4, 2, 0x8c, 0x22])));
  assert.ok(dec.type === 'user_var' && dec.valueType === 'decimal');
  assert.equal(dec.value, '12.34');
  const n = decodeOne(p, T.USER_VAR_EVENT, body('f', null, Buffer.alloc(0)));
  assert.ok(n.type === 'user_var' && n.isNull && n.value === null);
});
