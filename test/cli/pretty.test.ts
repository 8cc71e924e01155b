// The terminal view's text: values as a person reads them, control characters shown rather than acted
// on, lines cut to a width in terminal columns. (test/integration/cli/pretty-tty.test.ts looks at it
// in a real terminal.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BinlogEvent } from '../../src/binlog/types.js';
import { prettyLine, prettyValue, printable } from '../../src/cli/pretty.js';

const insert = (row: Record<string, unknown>) =>
  ({
    type: 'write_rows',
    ts: 0,
    file: 'binlog.000001',
    pos: 4,
    schema: 's',
    table: 't',
    rows: [row],
  }) as unknown as BinlogEvent;
const HEAD = '00:00:00 binlog.000001:4 INSERT s.t ';
// eslint-disable-next-line no-control-regex
const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

test('values: quoted strings, NULL, numbers, hex bytes, SET members', () => {
  assert.equal(prettyValue("it's \\ here"), "'it\\'s \\\\ here'");
  assert.equal(prettyValue(null), 'NULL');
  assert.equal(prettyValue(-5), '-5');
  assert.equal(prettyValue(18446744073709551615n), '18446744073709551615');
  assert.equal(prettyValue(Buffer.from([0xca, 0xfe])), '0xCAFE');
  assert.equal(prettyValue(['a', 'b,c']), "('a','b,c')");
});

test('control characters are spelled out, so a value cannot move the cursor or clear the screen', () => {
  assert.equal(printable('a\x1b[2Jb\tc\r\n\x00\x7f\x9b'), 'a\\x1b[2Jb\\tc\\r\\n\\x00\\x7f\\x9b');
  assert.equal(prettyValue('\x1b]0;title\x07'), "'\\x1b]0;title\\x07'");
  const line = prettyLine(insert({ 'we\nird': 'x\x1b[31my' }), { color: false, width: 0 });
  assert.equal(line, `${HEAD}we\\nird='x\\x1b[31my'`);
  assert.doesNotMatch(line, /[\x00-\x1f]/); // eslint-disable-line no-control-regex
});

test('a long line is cut to the width, counting columns: wide characters take two, marks none', () => {
  const fits = prettyLine(insert({ v: 'x'.repeat(10) }), { color: false, width: 80 });
  assert.equal(fits, `${HEAD}v='xxxxxxxxxx'`);
  const ascii = prettyLine(insert({ v: 'x'.repeat(200) }), { color: false, width: 80 });
  assert.equal(ascii.length, 80);
  assert.ok(ascii.endsWith('x…'));
  // the head and "v='" take 39 columns; 40 are left before the ellipsis: 20 characters
  const wide = prettyLine(insert({ v: '漢'.repeat(100) }), { color: false, width: 80 });
  assert.equal(wide, `${HEAD}v='${'漢'.repeat(20)}…`);
  // one column more is not room for one more: the column stays empty rather than split a character
  const odd = prettyLine(insert({ v: '漢'.repeat(100) }), { color: false, width: 81 });
  assert.equal(odd, wide);
  // emoji (two UTF-16 units, two columns) are never split in half
  const emoji = prettyLine(insert({ v: '😀'.repeat(100) }), { color: false, width: 81 });
  assert.ok(emoji.endsWith('😀…'), emoji);
  // combining accents take no column: 30 × "e + U+0301" is 30 columns, and fits
  const marks = prettyLine(insert({ v: 'e\u0301'.repeat(30) }), { color: false, width: 80 });
  assert.equal(marks, `${HEAD}v='${'e\u0301'.repeat(30)}'`);
});

test('colors take no column, and a cut line still resets them', () => {
  const colored = prettyLine(insert({ v: 'x'.repeat(200) }), { color: true, width: 80 });
  assert.equal(plain(colored).length, 80);
  assert.ok(colored.endsWith('\x1b[0m…'));
  assert.equal(
    plain(prettyLine(insert({ v: 1 }), { color: true, width: 80 })),
    prettyLine(insert({ v: 1 }), { color: false, width: 80 }),
  );
});
