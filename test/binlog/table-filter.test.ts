// The `tables` option: globs and functions, and, over every recorded fixture binlog (compressed MySQL
// transactions and MariaDB compressed rows events among them), that leaving a table out drops exactly its
// TABLE_MAP and rows events and changes nothing else — same events, places and row values.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { BinlogParser } from '../../src/binlog/parser.js';
import { globToRegExp, resolveTableFilter, type TableFilter } from '../../src/binlog/table-filter.js';
import { EventType } from '../../src/binlog/constants.js';
import type { BinlogEvent } from '../../src/binlog/types.js';
import { ConfigError, DecodeError } from '../../src/errors.js';
import { readBinlogFile } from '../../src/file/read-binlog-file.js';
import { FIXTURES, fixCrc, fixtureExpectation, splitEvents } from './helpers.js';

describe('table filter', () => {
  test('globs match the whole schema.table; . and other regex characters are literal', () => {
    const cases: [string, string, boolean][] = [
      ['shop.*', 'shop.orders', true],
      ['shop.*', 'shopx.orders', false],
      ['shop.*', 'xshop.orders', false],
      ['*.orders', 'shop.orders', true],
      ['*.orders', 'shop.orders_old', false],
      ['sh?p.order_*', 'shap.order_1', true],
      ['sh?p.order_*', 'shp.order_1', false],
      ['a.b', 'aXb', false],
      ['a+b.t(1)', 'a+b.t(1)', true],
      ['a+b.t(1)', 'aab.t1', false],
      ['[x].t', '[x].t', true],
      ['[x].t', 'x.t', false],
    ];
    for (const [glob, name, want] of cases)
      assert.equal(globToRegExp(glob).test(name), want, `${glob} ~ ${name}`);
  });

  test('include, exclude (which wins), a function as given, nothing to filter: undefined', () => {
    const f = resolveTableFilter({ include: ['shop.*', 'crm.users'], exclude: ['shop.tmp_*'] })!;
    assert.equal(f('shop', 'orders'), true);
    assert.equal(f('shop', 'tmp_1'), false);
    assert.equal(f('crm', 'users'), true);
    assert.equal(f('crm', 'notes'), false);
    // the same answers from the cache
    assert.equal(f('shop', 'tmp_1'), false);
    assert.equal(f('crm', 'users'), true);
    const ex = resolveTableFilter({ exclude: ['*.audit'] })!;
    assert.equal(ex('a', 'audit'), false);
    assert.equal(ex('a', 'b'), true);
    const fn = (s: string): boolean => s === 'x';
    assert.equal(resolveTableFilter(fn), fn);
    assert.equal(resolveTableFilter(undefined), undefined);
    assert.equal(resolveTableFilter({}), undefined);
    assert.equal(resolveTableFilter({ include: [], exclude: [] }), undefined);
  });

  test('a bad option is a ConfigError', () => {
    const bad: unknown[] = [5, 'shop.*', null, { include: 'shop.*' }, { include: [1] }, { exclude: [''] }];
    for (const b of bad)
      assert.throws(() => resolveTableFilter(b as TableFilter), ConfigError, JSON.stringify(b));
    assert.throws(() => new BinlogParser({ tables: { include: 'x' as unknown as string[] } }), ConfigError);
  });
});

interface Shape {
  type: string;
  pos: number;
  next: number;
  table?: string;
  rows?: unknown;
}

const shape = (e: BinlogEvent): Shape => ({
  type: e.type,
  pos: e.pos,
  next: e.next,
  ...('table' in e ? { table: `${e.schema}.${e.table}` } : {}),
  ...('rows' in e ? { rows: e.rows } : {}),
});

async function read(file: string, tables?: TableFilter): Promise<Shape[]> {
  const schema = fixtureExpectation(file)?.schema;
  const out: Shape[] = [];
  for await (const e of readBinlogFile(join(FIXTURES, file), { values: { schema, json: 'text' }, tables }))
    out.push(shape(e));
  return out;
}

const TABLE_EVENTS = new Set([
  'table_map',
  'write_rows',
  'update_rows',
  'delete_rows',
  'partial_update_rows',
]);
const ofTable = (s: Shape): boolean => TABLE_EVENTS.has(s.type);

describe('tables over the recorded fixtures', () => {
  for (const file of readdirSync(FIXTURES).filter((f) => f.endsWith('.binlog'))) {
    test(`${file}: each table left out, and each kept alone, drops exactly the others' table maps and rows`, async () => {
      const all = await read(file);
      const names = [...new Set(all.filter((s) => s.type === 'table_map').map((s) => s.table!))];
      assert.ok(names.length > 0, 'the fixture has table maps');
      assert.ok(
        all.some((s) => ofTable(s) && s.type !== 'table_map' && (s.rows as unknown[]).length > 0),
        'the fixture has rows',
      );
      for (const name of names.slice(0, 4)) {
        const without = await read(file, { exclude: [name] });
        assert.deepEqual(
          without,
          all.filter((s) => !(ofTable(s) && s.table === name)),
          `${name} left out`,
        );
        const only = await read(file, { include: [name] });
        const want = all.filter((s) => !ofTable(s) || s.table === name);
        assert.deepEqual(only, want, `${name} alone`);
        assert.deepEqual(await read(file, (sc, t) => `${sc}.${t}` === name), want, `${name} by a function`);
      }
    });
  }
});

describe('a left-out table is not decoded', () => {
  test('rows bytes that do not decode: an error when the table is kept, skipped and empty when left out', () => {
    const file = 'mysql97-full.binlog';
    const evs = splitEvents(file);
    const at = evs.findIndex((e) => e.code === EventType.WRITE_ROWS_EVENT);
    assert.ok(at > 0);
    const map = evs
      .slice(0, at)
      .filter((e) => e.code === EventType.TABLE_MAP_EVENT)
      .pop()!;
    // the rows event with its row data cut to one byte (CRC fixed, so only the rows are wrong): v2
    // post-header (table id 6, flags 2, extra length 2 + extra), width (< 251: one byte), bitmap
    const orig = evs[at].buf;
    const extraLen = orig.readUInt16LE(19 + 8);
    const width = orig[19 + 8 + extraLen];
    const dataAt = 19 + 8 + extraLen + 1 + ((width + 7) >> 3);
    const cut = Buffer.alloc(dataAt + 1 + 4);
    orig.copy(cut, 0, 0, dataAt);
    cut.writeUInt32LE(cut.length, 9);
    cut[dataAt] = 0xff;
    fixCrc(cut);
    const parse = (tables?: TableFilter): BinlogEvent => {
      const p = new BinlogParser({ tables });
      p.parse(evs[0].buf, { pos: evs[0].pos });
      const tm = p.parse(map.buf, { pos: map.pos });
      assert.equal(tm.type, 'table_map');
      return p.parse(cut, { pos: evs[at].pos });
    };
    assert.throws(() => parse(), DecodeError);
    const ev = parse(() => false);
    assert.equal(ev.type, 'write_rows');
    assert.ok(ev.type === 'write_rows' && ev.skipped === true && ev.rows.length === 0);
    assert.ok(ev.type === 'write_rows' && ev.table.length > 0);
  });
});

test('a glob with neither a dot nor a wildcard is refused: it could never match schema.table', () => {
  assert.throws(
    () => resolveTableFilter({ include: ['orders'] }),
    /tables\.include 'orders' matches no table: globs are over schema\.table \('\*\.orders' for that table in any schema, 'orders\.\*' for every table of that schema\)/,
  );
  assert.throws(() => resolveTableFilter({ exclude: ['audit'] }), /tables\.exclude 'audit' matches no table/);
  // a wildcard can span the dot: accepted, and it matches
  const p = resolveTableFilter({ include: ['shop*', '*'] })!;
  assert.equal(p('shop', 'orders'), true);
});
