// `binlogsync` itself: the common --debug before the command, exit statuses, and the user's files and
// folders refused up front with the flag or path they came from (no server needed: each case fails
// before connecting, which a port that refuses connections would turn into exit 3).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { after, test } from 'node:test';
import { EXIT, exitCodeOf, main } from '../../src/cli/main.js';
import { ConfigError, DecodeError, ErrorCode } from '../../src/errors.js';

const tmp = mkdtempSync(join(tmpdir(), 'binlogsync-main-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, {
    stdout: { write: (s: string) => ((out += s), true) },
    stderr: { write: (s: string) => ((err += s), true) },
    stdoutFd: 1,
    stdoutIsTty: false,
    stderrIsTty: false,
    columns: 0,
    stderrColumns: 0,
  });
  return { code, out, err };
}

/** A URL nothing listens on: reaching it would end in exit 3. */
const NOWHERE = 'mysql://u@127.0.0.1:1';

test('--debug before the command is the common option: the stack of an error too', async () => {
  const missing = join(tmp, 'no-such.binlog');
  const plain = await run(['parse', missing]);
  const before = await run(['--debug', 'parse', missing]);
  const after_ = await run(['parse', missing, '--debug']);
  assert.equal(plain.code, EXIT.FAILURE, plain.err);
  assert.equal(plain.err.trim().split('\n').length, 1, plain.err);
  for (const r of [before, after_]) {
    assert.equal(r.code, EXIT.FAILURE, r.err);
    assert.ok(r.err.includes(plain.err.trim()), r.err);
    assert.match(r.err, /\n\s+at /, 'a stack trace');
  }
  assert.equal((await run(['--debug', 'nope'])).code, EXIT.USAGE);
});

test('exit statuses: 70 only for faults of binlogsync itself', () => {
  assert.equal(exitCodeOf(new TypeError("Cannot read properties of undefined (reading 'x')")), EXIT.INTERNAL);
  assert.equal(exitCodeOf(new RangeError('Invalid array length')), EXIT.INTERNAL);
  assert.equal(exitCodeOf(new ConfigError('bad')), EXIT.USAGE);
  assert.equal(exitCodeOf(new DecodeError(ErrorCode.ERR_TRUNCATED, 'truncated')), EXIT.FAILURE);
  // Node's own errors carry a code: the system's or the arguments', not a bug of ours
  const enoent = Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' });
  assert.equal(exitCodeOf(enoent), EXIT.FAILURE);
  let parseError: unknown;
  try {
    parseArgs({ args: ['--x'], options: {} });
  } catch (e) {
    parseError = e;
  }
  assert.ok(parseError instanceof TypeError);
  assert.notEqual(exitCodeOf(parseError), EXIT.INTERNAL);
});

test('--tls-ca that cannot be read: a usage error naming it, before connecting', async () => {
  const ca = join(tmp, 'no-such-ca.pem');
  for (const cmd of ['tail', 'check', 'backup']) {
    const dir = cmd === 'backup' ? ['--dir', tmp] : [];
    const r = await run([cmd, NOWHERE, '--tls', 'verify-ca', '--tls-ca', ca, ...dir]);
    assert.equal(r.code, EXIT.USAGE, `${cmd}: ${r.err}`);
    assert.match(
      r.err,
      new RegExp(`^binlogsync ${cmd}: --tls-ca \\S+no-such-ca\\.pem cannot be read \\(ENOENT\\)`),
    );
  }
});

test('a checkpoint that cannot be written or read: a usage error naming it, before connecting', async () => {
  const inMissingDir = join(tmp, 'no-such-dir', 'cp.json');
  const r = await run(['tail', NOWHERE, '--checkpoint', inMissingDir]);
  assert.equal(r.code, EXIT.USAGE, r.err);
  assert.match(r.err, /^binlogsync tail: checkpoint \S+cp\.json cannot be written \(ENOENT\)/);
  // a folder where the checkpoint file should be
  const r2 = await run(['tail', NOWHERE, '--checkpoint', tmp]);
  assert.equal(r2.code, EXIT.USAGE, r2.err);
  assert.match(r2.err, /^binlogsync tail: checkpoint \S+ cannot be read \(EISDIR\)/);
});

test('backup --dir where a file is: a usage error naming it, before connecting', async () => {
  const file = join(tmp, 'a-file');
  writeFileSync(file, 'x');
  const r = await run(['backup', NOWHERE, '--dir', file]);
  assert.equal(r.code, EXIT.USAGE, r.err);
  assert.match(r.err, /^binlogsync backup: backup dir \S+a-file cannot be made \(a file is in the way\)/);
});

test('backup --dir that does not exist yet: not made when the source cannot be reached', async () => {
  const dir = join(tmp, 'not-yet', 'backups');
  const r = await run(['backup', NOWHERE, '--dir', dir]);
  assert.equal(r.code, EXIT.CONNECTION, r.err);
  assert.equal(existsSync(join(tmp, 'not-yet')), false, 'no empty folder left behind');
});

test("the library's option names in a usage error are the flags that set them", async () => {
  const zero = await run(['tail', NOWHERE, '--server-id', '0']);
  assert.equal(zero.code, EXIT.USAGE, zero.err);
  assert.match(zero.err, /^binlogsync tail: --server-id must be an integer from 1 to 4294967295/);
  const hb = await run(['tail', NOWHERE, '--heartbeat=-5']);
  assert.equal(hb.code, EXIT.USAGE, hb.err);
  assert.match(hb.err, /^binlogsync tail: --heartbeat must be a number >= 0/);
  // a table without its schema matches nothing: refused, with the globs that would match
  const bare = await run(['tail', NOWHERE, '--include', 'orders']);
  assert.equal(bare.code, EXIT.USAGE, bare.err);
  assert.match(
    bare.err,
    /^binlogsync tail: --include 'orders' matches no table: globs are over schema\.table \('\*\.orders'/,
  );
});

test('only the option a usage error starts with is renamed: what the user gave stays as given', async () => {
  const r = await run(['tail', NOWHERE, '--include', 'serverId']);
  assert.equal(r.code, EXIT.USAGE, r.err);
  assert.match(r.err, /^binlogsync tail: --include 'serverId' matches no table: .*'\*\.serverId'/);
  const cp = join(tmp, 'no-such-dir', 'heartbeatPeriod.json');
  const r2 = await run(['tail', NOWHERE, '--checkpoint', cp]);
  assert.equal(r2.code, EXIT.USAGE, r2.err);
  assert.ok(r2.err.includes(cp), r2.err);
});

test('--debug before the command and a -- in the arguments', async () => {
  // after `--`, an argument: the URL stays the one positional (a refused connection, exit 3)
  const plain = await run(['check', '--', NOWHERE]);
  const debug = await run(['--debug', 'check', '--', NOWHERE]);
  assert.equal(plain.code, EXIT.CONNECTION, plain.err);
  assert.equal(debug.code, EXIT.CONNECTION, debug.err);
});

test('`binlogsync help <command>` is that command --help; `help` alone the general help', async () => {
  for (const cmd of ['tail', 'parse', 'check', 'backup', 'demo']) {
    const viaHelp = await run(['help', cmd]);
    const viaFlag = await run([cmd, '--help']);
    assert.equal(viaHelp.code, EXIT.OK, viaHelp.err);
    assert.equal(viaHelp.out, viaFlag.out, cmd);
    assert.match(viaHelp.out, new RegExp(`binlogsync ${cmd}`));
  }
  for (const bad of [['help', 'nosuch'], ['help', 'constructor'], ['toString'], ['__proto__']]) {
    const r = await run(bad);
    assert.equal(r.code, EXIT.USAGE, `${bad.join(' ')}: ${r.err}`);
    assert.match(r.err, /unknown command/);
  }
  const general = await run(['help']);
  assert.equal(general.code, EXIT.OK);
  assert.match(general.out, /Commands:|tail <url>/);
  assert.notEqual(general.out, (await run(['help', 'tail'])).out);
});

test('tail --start FILE:POS takes decimal digits only (no 0x4, 4.0, 1e3, a position past 2^53)', async () => {
  for (const pos of ['0x4', '4.0', ' 4', '1e3', '99999999999999999999', '3', '']) {
    const r = await run(['tail', NOWHERE, '--start', `binlog.000001:${pos}`]);
    assert.equal(r.code, EXIT.USAGE, `${pos}: ${r.err}`);
    assert.match(r.err, /--start needs FILE:POS with POS >= 4/);
  }
});
