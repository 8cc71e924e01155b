// The password prompt in a real terminal (tmux): with no password in the URL or the environment,
// `binlogsync tail` asks for one, the typed characters never reach the screen, and the login works; a
// wrong password ends with one error line and exit status 3. Nowhere (help, errors, screen, scrollback)
// does a password show.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import type { LocalServer } from '../../../src/servers/local-server.js';
import { startTestServer, testServerNames } from '../../harness/servers.js';
import { hasTmux, snapshot, TmuxTerminal } from '../../harness/tmux.js';

const BIN = resolve('bin/binlogsync.js');
const skip = hasTmux() ? false : 'tmux is not installed (.ci/run installs it): no terminal to test in';
const PASSWORD = `Tty-${randomBytes(9).toString('hex')}`;
const WRONG = `Nope-${randomBytes(9).toString('hex')}`;

const terminals: TmuxTerminal[] = [];
after(() => terminals.forEach((t) => t.close()));

/** A shell with no password anywhere in its environment: the prompt is the only source left. */
function noPasswordEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env };
  delete env.BINLOGSYNC_PASSWORD;
  delete env.MYSQL_PWD;
  return env;
}

function open(args: string[]): TmuxTerminal {
  const t = TmuxTerminal.start([process.execPath, BIN, ...args], {
    width: 120,
    height: 20,
    env: noPasswordEnv(),
  });
  terminals.push(t);
  return t;
}

function assertNoPassword(text: string, where: string): void {
  for (const pw of [PASSWORD, WRONG]) assert.ok(!text.includes(pw), `a password shows in ${where}:\n${text}`);
}

for (const name of testServerNames({ long: true })) {
  describe(`password prompt in a terminal on ${name}`, { skip }, () => {
    let server: LocalServer;
    const url = (pw?: string) => `mysql://tty${pw === undefined ? '' : ':' + pw}@127.0.0.1:${server.port}`;
    const prompt = () => `Password for tty@127.0.0.1:${server.port}:`;

    test('setup', async () => {
      server = await startTestServer(name, { options: ['--binlog-row-metadata=FULL'] });
      await server.sql(
        `CREATE DATABASE w; CREATE TABLE w.t (id INT PRIMARY KEY, v VARCHAR(20)); ` +
          `CREATE USER tty@'%' IDENTIFIED BY '${PASSWORD}'; ` +
          `GRANT REPLICATION SLAVE, REPLICATION CLIENT, SELECT ON *.* TO tty@'%'`,
      );
    });

    test('the typed password is not echoed, and the login succeeds', async (t) => {
      const [file, pos] = (
        await server.sql(server.flavor === 'mysql' ? 'SHOW BINARY LOG STATUS' : 'SHOW MASTER STATUS')
      ).split('\t');
      await server.sql("INSERT INTO w.t VALUES (1, 'through the prompt')");
      const v = (await server.sql('SELECT v FROM w.t WHERE id = 1')).trim();
      const term = open(['tail', url(), '--start', `${file}:${pos}`, '--events', 'write_rows']);
      await term.waitFor((s) => s.includes(prompt()), 'the prompt');
      term.type(PASSWORD);
      // typed, not yet sent: the characters are in the program's hands, not on the screen
      await new Promise((r) => setTimeout(r, 300));
      const typed = term.screen();
      snapshot(t, 'the screen with the password typed', typed);
      assertNoPassword(typed, 'the screen while typing');
      assert.equal(typed.trim(), prompt(), 'nothing after the prompt, not even asterisks');
      term.press('Enter');
      const screen = await term.waitFor(
        (s) => s.includes(`INSERT w.t id=1 v='${v}'`),
        'the row written before, shown after the login',
      );
      snapshot(t, 'the screen after the login', screen);
      assert.equal(screen.split('\n')[0], prompt());
      term.press('C-c');
      assert.equal(await term.waitForExit(), 130);
      assertNoPassword(term.screen({ history: true }), 'the screen or its scrollback');
    });

    test('a wrong password: one error line, exit status 3, no password shown', async (t) => {
      const term = open(['tail', url()]);
      await term.waitFor((s) => s.includes(prompt()), 'the prompt');
      term.type(WRONG);
      term.press('Enter');
      assert.equal(await term.waitForExit(), 3);
      // the error line is longer than the terminal is wide: count it once, as written
      const screen = term.screen({ history: true, joined: true });
      snapshot(t, 'the screen', screen);
      assertNoPassword(screen, 'the screen');
      const rows = screen.split('\n').map((r) => r.trimEnd());
      assert.equal(rows.length, 2, 'the prompt and one error line');
      assert.equal(rows[0], prompt());
      assert.match(rows[1], /^binlogsync tail: .*denied.*\(ERR_[A-Z_]+\)$/i);
    });

    test('Ctrl-C at the prompt interrupts: exit status 130', async () => {
      const term = open(['tail', url()]);
      await term.waitFor((s) => s.includes(prompt()), 'the prompt');
      term.type('abc');
      term.press('C-c');
      assert.equal(await term.waitForExit(), 130);
      assert.doesNotMatch(term.screen(), /abc/);
    });

    test('a password in the URL shows neither in --help nor in error lines', () => {
      const run = (args: string[]) => {
        const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: noPasswordEnv() });
        assertNoPassword(r.stdout + r.stderr, `binlogsync ${args.join(' ')}`);
        return r;
      };
      const help = run(['tail', url(WRONG), '--help']);
      assert.equal(help.status, 0);
      assert.match(help.stdout, /^Usage: binlogsync tail/);
      for (const [args, status] of [
        [['tail', url(WRONG)], 3], // refused by the server
        [['check', url(WRONG)], 3],
        [['tail', `mysql://tty:${WRONG}@127.0.0.1:1`], 3], // nobody listening
        [['tail', `mysql://tty:${WRONG}@127.0.0.1:port`], 2], // not a URL
        [['tail', url(WRONG), '--bogus'], 2],
      ] as const) {
        const r = run([...args]);
        assert.equal(r.status, status, `${args.join(' ')}: ${r.stderr}`);
        assert.equal(r.stderr.trim().split('\n').length, 1, `one error line: ${r.stderr}`);
      }
    });
  });
}
