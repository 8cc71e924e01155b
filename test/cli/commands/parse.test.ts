// `binlogsync parse`: JSON lines on stdout, the text view, --assume-charset, --assume-fsp, --start, and the error path
// (every good event printed, then one stderr line naming the file, the offset and the reason; exit 1).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { runParse } from '../../../src/cli/commands/parse.js';
import { FIXTURES, splitEvents } from '../../binlog/helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'binlogsync-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runParse(argv, {
    stdout: { write: (s: string) => ((out += s), true) },
    stderr: { write: (s: string) => ((err += s), true) },
  });
  return { code, out, err };
}

type Line = Record<string, unknown> & { type: string; pos: number; rows?: Record<string, unknown>[] };

describe('binlogsync parse', () => {
  test('--json prints one JSON object per event, in file order, with the common fields', async () => {
    const f = join(FIXTURES, 'mysql97-full.binlog');
    const { code, out, err } = await run([f, '--json']);
    assert.equal(code, 0, err);
    assert.equal(err, '');
    const lines = out.trimEnd().split('\n');
    const evs = splitEvents('mysql97-full.binlog');
    assert.equal(lines.length, evs.length);
    const parsed = lines.map((l) => JSON.parse(l) as Line);
    assert.deepEqual(
      parsed.map((l) => l.pos),
      evs.map((e) => e.pos),
    );
    for (const l of parsed) {
      for (const k of ['type', 'file', 'pos', 'next', 'logPos', 'ts', 'serverId'])
        assert.ok(k in l, `${k} in ${l.type}`);
      assert.equal(l.file, f);
    }
    const insert = lines.find((l) => l.includes('"write_rows"') && l.includes('"types"'))!;
    // exact 64-bit digits, float32 shortest text, JSON inline, bytes as base64, ENUM/SET names, BIT digits
    assert.ok(insert.includes('"biu":18446744073709551615'));
    assert.ok(insert.includes('"bi":-9223372036854775808'));
    assert.ok(insert.includes('"f":3.40282e+38'));
    assert.ok(
      insert.includes('"j":{"a": [1, 2.5, "x"], "b": {"c": null, "d": true}, "e": 12345678901234567890'),
    );
    assert.ok(insert.includes('"bn":{"base64":"AP8BAg=="}'));
    assert.ok(insert.includes('"e":"b,c"'));
    assert.ok(insert.includes('"s":["p","q\'r","s"]'));
    assert.ok(insert.includes('"b64":18446744073709551615'));
    assert.ok(insert.includes('"vl":"latin1 €"'));
    assert.ok(insert.includes('"vc":"varchar 😀 emoji"'));
    assert.ok(insert.includes('"vec":[1.5,-2.25,3]'));
    assert.ok(insert.includes('"dt":"0000-00-00"'));
    const upd = parsed.find((l) => l.type === 'update_rows')!;
    assert.ok(Array.isArray(upd.rows) && 'before' in upd.rows[0] && 'after' in upd.rows[0]);
  });

  test('strings of unknown charset are base64 bytes unless --assume-charset', async () => {
    const f = join(FIXTURES, 'mariadb1011.binlog');
    const plain = await run([f, '--json']);
    assert.equal(plain.code, 0, plain.err);
    const ins = plain.out.split('\n').find((l) => l.includes('"write_rows"'))!;
    assert.ok(ins.includes('"@22":{"base64":'), ins.slice(0, 300));
    const assumed = await run([f, '--json', '--assume-charset', 'utf8mb4']);
    const ins2 = assumed.out.split('\n').find((l) => l.includes('"write_rows"'))!;
    assert.ok(ins2.includes('"@22":"varchar 😀 emoji"'), ins2.slice(0, 600));
  });

  test('MariaDB old temporal formats without their precision: one stderr line with the --assume-fsp hint', async () => {
    const f = join(FIXTURES, 'mariadb1011-hires.binlog');
    const { code, out, err } = await run([f, '--json']);
    assert.equal(code, 1);
    assert.ok(out.includes('"type":"table_map"'), 'the events before the rows are printed');
    assert.equal(err.trim().split('\n').length, 1, err);
    assert.match(
      err,
      /`h`\.`t` columns? @\d+.*MariaDB.* old temporal format: .*\(ERR_UNKNOWN_PRECISION\) \(binlogsync parse: --assume-fsp N/,
    );
    for (const bad of ['7', '-1', 'x', '1.5']) {
      const r = await run([f, '--assume-fsp', bad]);
      assert.equal(r.code, 2, bad);
      assert.match(r.err, /--assume-fsp needs 0 to 6/);
    }
  });

  test('--start starts at an event boundary', async () => {
    const evs = splitEvents('mysql97-full.binlog');
    const { code, out } = await run([
      join(FIXTURES, 'mysql97-full.binlog'),
      '--json',
      '--start',
      String(evs[3].pos),
    ]);
    assert.equal(code, 0);
    assert.equal((JSON.parse(out.split('\n')[0]) as Line).pos, evs[3].pos);
  });

  test('--start inside the first event, --include that matches nothing: usage errors naming the flag', async () => {
    const f = join(FIXTURES, 'mysql97-full.binlog');
    const end = 4 + splitEvents('mysql97-full.binlog')[0].buf.length;
    const inside = await run([f, '--json', '--start', '5']);
    assert.equal(inside.code, 2, inside.err);
    assert.equal(inside.out, '');
    assert.equal(
      inside.err,
      `binlogsync parse: ${f}: --start 5 is inside the event at 4, which ends at ${end}: start where an event begins (see binlogsync parse --help)\n`,
    );
    const bare = await run([f, '--json', '--include', 'orders']);
    assert.equal(bare.code, 2, bare.err);
    assert.match(bare.err, /^binlogsync parse: \S+: --include 'orders' matches no table/);
  });

  test('the text view prints one line per event', async () => {
    const { code, out } = await run([join(FIXTURES, 'mysql97-compressed.binlog')]);
    assert.equal(code, 0);
    const lines = out.trimEnd().split('\n');
    assert.match(lines[0], /^#4 format_description server 9\.7\.\S+ binlog v4 checksum crc32$/);
    assert.ok(lines.some((l) => /^#\d+ write_rows \(in payload #\d+\) bs\.types /.test(l)));
  });

  test('a bad file: the good events, then one stderr line with file, offset and reason; exit 1', async () => {
    const evs = splitEvents('mysql97-full.binlog');
    const data = readFileSync(join(FIXTURES, 'mysql97-full.binlog'));
    const f = join(tmp, 'truncated.000001');
    writeFileSync(f, data.subarray(0, evs[6].pos + 5));
    const { code, out, err } = await run([f, '--json']);
    assert.equal(code, 1);
    assert.equal(out.trimEnd().split('\n').length, 6);
    assert.equal(err.split('\n').filter(Boolean).length, 1);
    assert.ok(err.includes(f) && err.includes(`offset ${evs[6].pos}`) && err.includes('ERR_TRUNCATED'), err);
    assert.match(err, /^binlogsync parse: /, 'named by its command, as the other commands are');

    const crc = Buffer.from(data);
    crc[evs[4].pos + 30] ^= 1;
    writeFileSync(f, crc);
    const r2 = await run([f, '--json']);
    assert.equal(r2.code, 1);
    assert.ok(r2.err.includes('ERR_CHECKSUM_MISMATCH') && r2.err.includes(`offset ${evs[4].pos}`), r2.err);
    // --debug (binlogsync's common option): the same, with the stack before the one line
    const r3 = await run([f, '--json', '--debug']);
    assert.equal(r3.code, 1);
    assert.match(r3.err, /\n\s+at .*read-binlog-file|\n\s+at /);
    assert.ok(r3.err.trimEnd().split('\n').at(-1)!.includes('ERR_CHECKSUM_MISMATCH'), r3.err);
  });

  test("--include / --exclude: the other tables' table maps and rows are left out, nothing else", async () => {
    const f = join(FIXTURES, 'mysql97-compressed.binlog');
    const lines = async (...extra: string[]): Promise<Line[]> => {
      const r = await run([f, '--json', ...extra]);
      assert.equal(r.code, 0, r.err);
      return r.out
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as Line);
    };
    const all = await lines();
    const ofTable = (l: Line): boolean => 'table' in l && 'schema' in l;
    const names = [...new Set(all.filter(ofTable).map((l) => `${String(l.schema)}.${String(l.table)}`))];
    assert.ok(names.length >= 1);
    const [first] = names;
    const mine = (l: Line): boolean => `${String(l.schema)}.${String(l.table)}` === first;
    assert.deepEqual(
      await lines('--include', first),
      all.filter((l) => !ofTable(l) || mine(l)),
    );
    assert.deepEqual(
      await lines(`--exclude=${first}`),
      all.filter((l) => !ofTable(l) || !mine(l)),
    );
    assert.equal((await run([f, '--include'])).code, 2);
  });

  test('usage errors exit 2; --help exits 0', async () => {
    assert.equal((await run([])).code, 2);
    const bogus = await run(['--bogus', 'x']);
    assert.equal(bogus.code, 2);
    // one line, naming the option (not the whole help)
    assert.match(bogus.err, /^binlogsync parse: .*--bogus.*\(see binlogsync parse --help\)\n$/);
    assert.equal((await run(['x', '--start', 'abc'])).code, 2);
    const h = await run(['--help']);
    assert.equal(h.code, 0);
    assert.match(h.out, /Usage: binlogsync parse/);
    const missing = await run([join(tmp, 'nope')]);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /nope/);
  });
});
