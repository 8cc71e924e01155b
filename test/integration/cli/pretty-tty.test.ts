// The pretty view as a person sees it: `binlogsync tail` and `parse` in a real terminal (tmux), the
// screen read back with capture-pane. Rows are written to a private server and their values read back
// with SELECT, so the expected lines come from the server, not from this file.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import type { LocalServer } from '../../../src/servers/local-server.js';
import { startTestServer, testServerNames } from '../../harness/servers.js';
import { hasTmux, snapshot, TmuxTerminal } from '../../harness/tmux.js';

const BIN = resolve('bin/binlogsync.js');
const WIDTH = 120;
const skip = hasTmux() ? false : 'tmux is not installed (.ci/run installs it): no terminal to test in';
const EVENT_ROW = /^\d\d:\d\d:\d\d \S+:\d+ [A-Z]+ /;
const STATUS_ROW = /^\d+ events\/s {2}\d+ rows\/s {2}at \S+:\d+ {2}lag \d+ s/;
// eslint-disable-next-line no-control-regex
const SGR = /\x1b\[[0-9;]*m/;
const SGR_ALL = new RegExp(SGR, 'g'); // for replace(); a /g regex in match() would carry lastIndex along

const terminals: TmuxTerminal[] = [];
after(() => terminals.forEach((t) => t.close()));

/** A person's shell: colors unless `noColor`; root's empty password given, so that no prompt asks. */
function termEnv(noColor = false): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env, BINLOGSYNC_PASSWORD: '' };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  return noColor ? { ...env, NO_COLOR: '1' } : env;
}

function open(args: string[], o: { noColor?: boolean; height?: number } = {}): TmuxTerminal {
  const t = TmuxTerminal.start([process.execPath, BIN, ...args], {
    width: WIDTH,
    height: o.height ?? 30,
    env: termEnv(o.noColor),
  });
  terminals.push(t);
  return t;
}

/** `'text'` as the pretty view quotes a string value (this file writes no quotes or backslashes). */
const str = (s: string) => `'${s}'`;

for (const name of testServerNames({ long: true })) {
  describe(`pretty view in a terminal on ${name}`, { skip }, () => {
    let server: LocalServer;
    const url = () => `mysql://root@127.0.0.1:${server.port}`;
    const logEnd = async () => {
      const [file, pos] = (
        await server.sql(server.flavor === 'mysql' ? 'SHOW BINARY LOG STATUS' : 'SHOW MASTER STATUS')
      ).split('\t');
      return { file, pos: Number(pos) };
    };
    /** One row as the pretty view prints it, from the tab-separated SELECT of (id, name, price, note). */
    const rowText = async (id: number) => {
      const out = await server.sql(`SELECT id, name, price, note FROM p.t WHERE id = ${id}`);
      // The client's batch mode spells TAB and newline as \t and \n, as the view does; ESC it leaves raw.
      const [i, n, p, note] = out
        .replace(/\n$/, '')
        .replace(/\x1b/g, '\\x1b') // eslint-disable-line no-control-regex
        .split('\t');
      return { id: i, name: str(n), price: str(p), note: note === 'NULL' ? 'NULL' : str(note) };
    };
    const line = (r: Record<string, string>) =>
      Object.entries(r)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ');

    test('setup', async () => {
      server = await startTestServer(name, { options: ['--binlog-row-metadata=FULL'] });
      await server.sql(
        'CREATE DATABASE p; CREATE TABLE p.t (id INT PRIMARY KEY, name VARCHAR(400), price DECIMAL(8,2), note TEXT NULL) CHARSET utf8mb4',
      );
    });

    let start: { file: string; pos: number };
    let written: Record<'insert' | 'update' | 'delete' | 'long' | 'wide' | 'control', string>;
    let colored: string[] = [];

    test('tail: one line per event with the values written, cut to the width, colored, with a status line', async (t) => {
      const term = open(['tail', url(), '--events', 'write_rows,update_rows,delete_rows']);
      // The status line appears once the stream is open: from then on every write is seen.
      await term.waitFor((s) => STATUS_ROW.test(s.split('\n').at(-1) ?? ''), 'the status line');
      start = await logEnd();
      await server.sql("INSERT INTO p.t VALUES (1, 'Ada Lovelace', 12.5, NULL)");
      const inserted = await rowText(1);
      await server.sql("UPDATE p.t SET price = price * 2, note = 'paid' WHERE id = 1");
      const updated = await rowText(1);
      await server.sql('DELETE FROM p.t WHERE id = 1');
      await server.sql(`INSERT INTO p.t VALUES (2, REPEAT('x', 300), 1, 'long')`);
      const long = await rowText(2);
      // CJK takes two columns a character: a cut that counts characters would wrap onto a second row
      await server.sql(`INSERT INTO p.t VALUES (3, REPEAT('漢字', 60), 2, 'wide')`);
      const wide = await rowText(3);
      // Unescaped, ESC [2J would clear the screen and the TAB move the cursor.
      await server.sql(
        `INSERT INTO p.t VALUES (4, CONCAT('a', CHAR(27 USING utf8mb4), '[2J', CHAR(9 USING utf8mb4), 'b'), 3, 'ctl')`,
      );
      const control = await rowText(4);
      const end = await logEnd();
      written = {
        insert: `INSERT p.t ${line(inserted)}`,
        update: `UPDATE p.t ${Object.keys(inserted)
          .map((k) => {
            const [a, b] = [inserted[k as keyof typeof inserted], updated[k as keyof typeof updated]];
            return a === b ? `${k}=${a}` : `${k}=${a} → ${b}`;
          })
          .join(' ')}`,
        delete: `DELETE p.t ${line(updated)}`,
        long: `INSERT p.t ${line(long)}`,
        wide: `INSERT p.t ${line(wide)}`,
        control: `INSERT p.t ${line(control)}`,
      };
      const count = Object.keys(written).length;

      // The status line (stderr) settles on the source's end of log, 0 bytes behind.
      const screen = await term.waitFor(
        (s) =>
          s.includes(`at ${end.file}:${end.pos}  lag`) &&
          s.split('\n').filter((r) => EVENT_ROW.test(r)).length >= count,
        'every event line and the status line at the end of the log',
      );
      snapshot(t, 'the screen', screen);
      const rows = screen.split('\n');
      const status = rows.at(-1) ?? '';
      assert.match(status, STATUS_ROW);
      assert.match(status, new RegExp(`at ${end.file}:${end.pos} {2}lag \\d s, 0 B$`));

      // Every row is an event line or the status line: nothing wrapped, nothing ran into the status.
      const events = rows.filter((r) => r !== '' && r !== status);
      for (const r of events) assert.match(r, EVENT_ROW, `a row that is no event line: ${r}`);
      const body = (r: string) => r.replace(/^\S+ \S+ /, '');
      assert.equal(events.length, count);
      assert.equal(body(events[0]), written.insert);
      assert.equal(body(events[1]), written.update);
      assert.equal(body(events[2]), written.delete);
      assert.equal(body(events[5]), written.control);
      for (const [r, full] of [
        [events[3], written.long],
        [events[4], written.wide],
      ]) {
        assert.ok(r.endsWith('…'), `cut with an ellipsis: ${r}`);
        assert.ok(full.startsWith(body(r).slice(0, -1)), `the start of the row: ${r}`);
      }
      assert.equal(events[3].length, WIDTH, 'an ASCII line cut to exactly the width');
      // the positions are where each event starts, inside what was written
      for (const r of events) {
        const pos = Number(/^\S+ (\S+):(\d+) /.exec(r)?.[2]);
        assert.ok(pos >= start.pos && pos < end.pos, r);
      }

      const withColors = term.screen({ colors: true });
      snapshot(t, 'the screen with its escapes', withColors);
      colored = withColors.split('\n');
      assert.match(withColors, /\x1b\[32mINSERT/); // eslint-disable-line no-control-regex
      assert.match(withColors, /\x1b\[33mUPDATE/); // eslint-disable-line no-control-regex
      assert.match(withColors, /\x1b\[31mDELETE/); // eslint-disable-line no-control-regex

      term.press('C-c');
      assert.equal(await term.waitForExit(), 130);
      // the status line is cleared when tail stops, the events stay
      const last = term.screen();
      assert.doesNotMatch(last, /events\/s/);
      assert.equal(last.split('\n').filter((r) => EVENT_ROW.test(r)).length, count);
    });

    test('tail under NO_COLOR: the same lines, no escape sequences', async (t) => {
      assert.ok(written, 'the previous test wrote the rows');
      const term = open(
        [
          'tail',
          url(),
          '--start',
          `${start.file}:${start.pos}`,
          '--non-block',
          '--events',
          'write_rows,update_rows,delete_rows',
        ],
        { noColor: true },
      );
      assert.equal(await term.waitForExit(), 0, term.screen());
      const screen = term.screen({ colors: true });
      snapshot(t, 'the screen under NO_COLOR, with its escapes', screen);
      assert.doesNotMatch(screen, SGR);
      const rows = screen.split('\n').filter((r) => r !== '');
      assert.equal(rows.length, Object.keys(written).length);
      // event times are the binlog's, so the lines are those of the colored run, escapes aside
      assert.deepEqual(
        rows,
        colored.map((r) => r.replace(SGR_ALL, '')).filter((r) => EVENT_ROW.test(r)),
      );
    });
  });
}

describe('parse in a terminal', { skip }, () => {
  test('a fixture file: one row per event, the same events as --json, cut to the width', async (t) => {
    const file = 'test/fixtures/binlogs/mysql97-full.binlog';
    const json = spawnSync(process.execPath, [BIN, 'parse', '--json', file], { encoding: 'utf8' });
    assert.equal(json.status, 0, json.stderr);
    const events = json.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; pos: number; schema?: string; table?: string });
    const term = open(['parse', file], { height: events.length + 5 });
    assert.equal(await term.waitForExit(), 0);
    const screen = term.screen();
    snapshot(t, 'the screen', screen);
    const rows = screen.split('\n').filter((r) => r !== '');
    assert.equal(rows.length, events.length, 'one row per event, none wrapped');
    for (const [i, ev] of events.entries()) {
      assert.match(rows[i], new RegExp(`^\\d\\d:\\d\\d:\\d\\d \\S+:${ev.pos} `), `row ${i}`);
      assert.ok(rows[i].length <= WIDTH);
      const verb = { write_rows: 'INSERT', update_rows: 'UPDATE', delete_rows: 'DELETE' }[ev.type];
      if (verb) assert.ok(rows[i].includes(`${verb} ${ev.schema}.${ev.table} `), rows[i]);
    }
    assert.match(term.screen({ colors: true }), SGR);
  });
});
