// The CLI end to end, as a user runs it: the built bin against real servers.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { connect } from '../../../src/protocol/connect.js';
import type { LocalServer } from '../../../src/servers/local-server.js';
import { startTestServer, testServerNames } from '../../harness/servers.js';
import { waitForDumpThread } from '../replication/helpers.js';

const BIN = resolve('bin/binlogsync.js');
const KILL9 = 6;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const dir = mkdtempSync(join(tmpdir(), 'binlogsync-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
}
const url = (s: LocalServer, user = 'root', pw = '') =>
  `mysql://${user}${pw ? ':' + pw : ''}@127.0.0.1:${s.port}`;
/** Where the binlog ends now: [file, pos] as --start FILE:POS wants them. */
const logStart = async (s: LocalServer): Promise<string[]> =>
  (await s.sql(s.flavor === 'mysql' ? 'SHOW BINARY LOG STATUS' : 'SHOW MASTER STATUS')).split('\t');
/** `tail` from where the binlog ended (logStart), then `rest`. */
const tailFrom = (s: LocalServer, start: string[], ...rest: string[]): string[] => [
  'tail',
  url(s),
  '--start',
  `${start[0]}:${start[1]}`,
  ...rest,
];
const jsonLines = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

test('help and version need no server; secrets never show', () => {
  const help = cli(['--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /tail <url>/);
  for (const cmd of ['tail', 'parse', 'check', 'demo']) {
    const r = cli([cmd, '--help']);
    assert.equal(r.status, 0, cmd);
    assert.match(r.stdout, /^Usage: binlogsync /);
  }
  assert.match(cli(['--version']).stdout, /^binlogsync \d+\.\d+\.\d+/);
  const bad = cli(['tail', 'mysql://u:hunter2@127.0.0.1:1']);
  assert.equal(bad.status, 3);
  assert.equal(bad.stderr.trim().split('\n').length, 1);
  assert.doesNotMatch(bad.stderr + bad.stdout, /hunter2/);
  // a '/' in a password ends the URL's host part: refused, and the password is not in the message
  const slash = cli(['tail', 'mysql://u:hun/ter2@127.0.0.1:1']);
  assert.equal(slash.status, 2);
  assert.doesNotMatch(slash.stderr + slash.stdout, /hun|ter2/);
  assert.equal(cli(['nope']).status, 2);
  assert.equal(cli(['tail', '--bogus']).status, 2);
});

test("a URL's password is not in the process list while the command runs", async () => {
  // a server that accepts and never greets: the command waits, and its command line can be read
  const silent = createServer(() => undefined);
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const { port } = silent.address() as AddressInfo;
  const child = spawn(process.execPath, [BIN, 'tail', `mysql://u:hunter2@127.0.0.1:${port}`, '--json'], {
    stdio: 'ignore',
  });
  try {
    let cmdline = '';
    for (let i = 0; i < 100; i++) {
      await sleep(100);
      cmdline = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (cmdline.startsWith('binlogsync')) break;
    }
    assert.match(cmdline, /^binlogsync tail mysql:\/\/\*\*\*@127\.0\.0\.1:\d+ --json/);
    assert.doesNotMatch(cmdline, /hunter2/);
  } finally {
    child.kill('SIGKILL');
    silent.close();
  }
});

for (const name of testServerNames({ long: true })) {
  describe(`cli on ${name}`, () => {
    let server: LocalServer;
    test('setup', async () => {
      server = await startTestServer(name, { options: ['--binlog-row-metadata=FULL'] });
      await server.sql(
        "CREATE DATABASE c; CREATE TABLE c.t (id INT PRIMARY KEY, v VARCHAR(20)); CREATE USER nopriv@'%' IDENTIFIED BY 'x'",
      );
    });

    test('tail --json --non-block prints what was written, filtered', async () => {
      const start = await logStart(server);
      await server.sql(
        "INSERT INTO c.t VALUES (1,'a'),(2,'€'); UPDATE c.t SET v='b' WHERE id=1; CREATE TABLE c.other (x INT); INSERT INTO c.other VALUES (9)",
      );
      const r = cli(tailFrom(server, start, '--non-block', '--json', '--include', 'c.t'));
      assert.equal(r.status, 0, r.stderr);
      const lines = jsonLines(r.stdout);
      const rows = lines.filter((l) => String(l.type).endsWith('_rows'));
      assert.deepEqual(
        rows.map((l) => [l.type, l.table, l.rows]),
        [
          [
            'write_rows',
            't',
            [
              { id: 1, v: 'a' },
              { id: 2, v: '€' },
            ],
          ],
          ['update_rows', 't', [{ before: { id: 1, v: 'a' }, after: { id: 1, v: 'b' } }]],
        ],
      );
      for (const l of lines)
        assert.ok(typeof l.file === 'string' && typeof l.pos === 'number' && typeof l.next === 'number');
      // an empty GTID set: from the oldest binlog (it was taken for "now")
      const all = cli(['tail', url(server), '--gtid', '', '--non-block', '--json', '--include', 'c.t']);
      assert.equal(all.status, 0, all.stderr);
      assert.ok(
        jsonLines(all.stdout).some(
          (l) => l.type === 'write_rows' && JSON.stringify(l.rows).includes('"v":"€"'),
        ),
        all.stdout.slice(0, 500),
      );
      const only = cli(
        tailFrom(server, start, '--non-block', '--json', '--events', 'write_rows', '--max-events', '1'),
      );
      assert.deepEqual(
        jsonLines(only.stdout).map((l) => l.type),
        ['write_rows'],
      );
    });

    test('tail --start inside an event: refused with nothing on stdout; at the end of the log: its rotate', async () => {
      const start = await logStart(server);
      // at the end, nothing after: the fake ROTATE and FORMAT_DESCRIPTION, held until the stream ends
      const end = cli(tailFrom(server, start, '--non-block', '--json'));
      assert.equal(end.status, 0, end.stderr);
      assert.deepEqual(
        jsonLines(end.stdout).map((l) => l.type),
        ['rotate', 'format_description'],
      );
      await server.sql("INSERT INTO c.t VALUES (50, 'x')");
      // 5 bytes into the transaction's first event; with --max-events 1 too (the fake events before the
      // refusal are not events of the start)
      const inside = [start[0], String(Number(start[1]) + 5)];
      for (const extra of [[], ['--max-events', '1']]) {
        const r = cli(tailFrom(server, inside, '--non-block', '--json', ...extra));
        assert.notEqual(r.status, 0, r.stdout);
        assert.match(r.stderr, /where an event starts/);
        assert.equal(r.stdout, '', `a refused start prints nothing (${extra.join(' ')})`);
      }
      const good = cli(tailFrom(server, start, '--non-block', '--json', '--max-events', '1'));
      assert.equal(good.status, 0, good.stderr);
      assert.deepEqual(
        jsonLines(good.stdout).map((l) => l.type),
        ['rotate'],
      );
    });

    test('tail usage errors exit 2 with one line: an unknown --events type, --json with --pretty, a bad --gtid', () => {
      for (const [args, why] of [
        [['--events', 'write_row', '--non-block'], /--events: no event type 'write_row'/],
        [['--json', '--pretty', '--non-block'], /--json or --pretty, not both/],
        [['--gtid', 'garbage', '--non-block'], /GTID/],
        [['--assume-fsp', '9', '--non-block'], /--assume-fsp needs 0 to 6, got 9/],
        [['--assume-charset', 'klingon', '--non-block'], /--assume-charset: unknown character set 'klingon'/],
      ] as const) {
        const r = cli(['tail', url(server), ...args]);
        assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
        assert.equal(r.stdout, '');
        assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
        assert.match(r.stderr, why);
      }
    });

    if (name.startsWith('mariadb'))
      test("tail --assume-fsp: MariaDB's old-format TIME(2) of a table dropped since (nothing to look up)", async () => {
        const start = await logStart(server);
        await server.sql(
          'SET GLOBAL mysql56_temporal_format = OFF; CREATE TABLE c.old (id INT PRIMARY KEY, t TIME(2)); ' +
            "SET GLOBAL mysql56_temporal_format = ON; INSERT INTO c.old VALUES (1, '-12:34:56.78'), (2, '00:00:00.05')",
        );
        const want = (await server.sql('SELECT CAST(t AS CHAR) FROM c.old ORDER BY id')).trim().split('\n');
        await server.sql('DROP TABLE c.old');
        // the binlog never tells the precision, information_schema no longer can: refused, with the way out
        const bad = cli(tailFrom(server, start, '--non-block', '--json', '--include', 'c.old'));
        assert.equal(bad.status, 1, bad.stderr);
        const last = bad.stderr.trim().split('\n').at(-1)!;
        assert.match(last, /ERR_UNKNOWN_PRECISION/);
        assert.match(last, /binlogsync tail: --assume-fsp N/);
        const ok = cli(
          tailFrom(server, start, '--non-block', '--json', '--include', 'c.old', '--assume-fsp', '2'),
        );
        assert.equal(ok.status, 0, ok.stderr);
        const rows = jsonLines(ok.stdout).filter((l) => l.type === 'write_rows');
        assert.deepEqual(
          rows.flatMap((l) => (l.rows as { t: string }[]).map((r) => r.t)),
          want,
        );
      });

    test('tail | head: the reader going away ends tail quietly, exit 0', { timeout: 60_000 }, async () => {
      const start = await logStart(server);
      await server.sql("INSERT INTO c.t VALUES (100,'p1'),(101,'p2')");
      const child = spawn(process.execPath, [BIN, ...tailFrom(server, start, '--json')], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      // like `head -n 1`: read a line, then close the pipe
      await new Promise<void>((r) => child.stdout.once('data', () => r()));
      child.stdout.destroy();
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      // tail is caught up and waiting: the next rows make it write into the closed pipe
      for (let i = 0; i < 20 && child.exitCode === null; i++) {
        await server.sql(`INSERT INTO c.t VALUES (${102 + i},'p')`);
        await sleep(100);
      }
      assert.equal(await exited, 0, err);
      assert.equal(err, '');
    });

    test(
      'tail into a pipe nobody reads: it waits without spinning, and Ctrl-C still ends it',
      { timeout: 60_000 },
      async () => {
        // ~2 MB of JSON lines: more than the pipe and Node's stream buffer hold
        const start = await logStart(server);
        await server.sql(
          (server.flavor === 'mysql' ? 'SET SESSION cte_max_recursion_depth = 20000; ' : '') +
            "CREATE TABLE c.many (id INT PRIMARY KEY, v VARCHAR(200)); INSERT INTO c.many SELECT seq, REPEAT('m', 150) FROM " +
            (server.flavor === 'mysql'
              ? '(WITH RECURSIVE s(seq) AS (SELECT 1 UNION ALL SELECT seq + 1 FROM s WHERE seq < 10000) SELECT seq FROM s) q'
              : 'test.seq_1_to_10000'),
        );
        const child = spawn(process.execPath, [BIN, ...tailFrom(server, start, '--json', '--non-block')], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let err = '';
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.stdout.pause(); // the reader that never reads (`| less` on its first page)
        const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
        try {
          const cpuTicks = (): number => {
            const f = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
            return Number(f[11]) + Number(f[12]); // utime + stime, fields 14 and 15 of stat
          };
          await sleep(2000);
          assert.equal(child.exitCode, null, `tail ended before it filled the pipe: ${err}`);
          const before = cpuTicks();
          await sleep(1000);
          const used = cpuTicks() - before;
          // before: 100 % of a core, retrying the write on EAGAIN
          assert.ok(used < 30, `${used} ticks of CPU in 1 s of waiting for the reader`);
          child.kill('SIGINT');
          let timer: NodeJS.Timeout | undefined;
          const code = await Promise.race([
            exited,
            new Promise((r) => (timer = setTimeout(() => r('still running'), 10_000))),
          ]);
          clearTimeout(timer);
          assert.equal(code, 130, err);
        } finally {
          child.kill('SIGKILL');
          child.stdout.destroy();
        }
      },
    );

    test(
      'tail --checkpoint on a full disk: exit 1 naming the checkpoint, no hang, no temp file left',
      { skip: process.getuid?.() === 0 ? false : 'mounting a small tmpfs needs root' },
      () => {
        const mnt = mkdtempSync(join(tmpdir(), 'binlogsync-full-'));
        const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt]);
        assert.equal(mounted.status, 0, String(mounted.stderr));
        try {
          // fill it: an empty checkpoint file still fits (the write probe passes), its content does not
          try {
            for (let i = 0; ; i++) writeFileSync(join(mnt, `fill${i}`), Buffer.alloc(4096));
          } catch (e) {
            assert.equal((e as NodeJS.ErrnoException).code, 'ENOSPC');
          }
          const cp = join(mnt, 'cp.json');
          const r = cli(['tail', url(server), '--json', '--non-block', '--checkpoint', cp]);
          // before: the message, then no exit (the dump connection kept the process alive)
          assert.equal(r.status, 1, `${r.signal ?? ''} ${r.stderr}`);
          assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
          assert.ok(r.stderr.includes(`checkpoint ${cp} cannot be written: ENOSPC`), r.stderr);
          assert.deepEqual(
            readdirSync(mnt).filter((f) => !f.startsWith('fill') && f !== 'cp.json'),
            [],
          );
        } finally {
          spawnSync('umount', [mnt]);
          rmSync(mnt, { recursive: true, force: true });
        }
      },
    );

    test('tail > /dev/full: exit 1, the message says it was stdout', () => {
      const fd = openSync('/dev/full', 'w');
      try {
        const r = spawnSync(
          process.execPath,
          [BIN, 'tail', url(server), '--json', '--gtid', '', '--non-block'],
          {
            stdio: ['ignore', fd, 'pipe'],
            encoding: 'utf8',
            timeout: 60_000,
          },
        );
        assert.equal(r.status, 1, r.stderr);
        assert.match(r.stderr, /^binlogsync tail: writing stdout: ENOSPC/);
      } finally {
        closeSync(fd);
      }
    });

    test('tail --checkpoint refuses another output file, and one shorter than it says', async () => {
      const start = await logStart(server);
      await server.sql("INSERT INTO c.t VALUES (200,'q1'),(201,'q2')");
      const cp = join(dir, `${name}.cp-files.json`);
      const a = join(dir, `${name}.a.jsonl`);
      const b = join(dir, `${name}.b.jsonl`);
      const run = (file: string) => {
        const fd = openSync(file, 'a');
        try {
          return spawnSync(
            process.execPath,
            [BIN, ...tailFrom(server, start, '--non-block', '--json', '--checkpoint', cp)],
            { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8', timeout: 60_000 },
          );
        } finally {
          closeSync(fd);
        }
      };
      const first = run(a);
      assert.equal(first.status, 0, first.stderr);
      const lines = readFileSync(a, 'utf8');
      assert.ok(lines.includes('"q2"'));
      const other = run(b);
      assert.equal(other.status, 2, other.stderr);
      assert.match(other.stderr, /another file/);
      assert.equal(readFileSync(b, 'utf8'), '', 'nothing printed to the other file');
      truncateSync(a, Math.floor(lines.length / 2));
      const short = run(a);
      assert.equal(short.status, 2, short.stderr);
      assert.match(short.stderr, /missing/);
      // the same file, whole again: resumes after the checkpoint (no row printed twice)
      writeFileSync(a, lines);
      const again = run(a);
      assert.equal(again.status, 0, again.stderr);
      const after = readFileSync(a, 'utf8');
      assert.ok(after.startsWith(lines));
      assert.doesNotMatch(after.slice(lines.length), /"write_rows"/);
    });

    test('tail --pretty renders one readable line per event', async () => {
      const start = await logStart(server);
      await server.sql("INSERT INTO c.t VALUES (3,'it''s'); DELETE FROM c.t WHERE id=3");
      const r = cli(tailFrom(server, start, '--non-block', '--pretty', '--events', 'write_rows,delete_rows'));
      assert.equal(r.status, 0, r.stderr);
      const lines = r.stdout.trim().split('\n');
      assert.equal(lines.length, 2);
      assert.match(lines[0], /^\d\d:\d\d:\d\d \S+:\d+ INSERT c\.t id=3 v='it\\'s'$/);
      assert.match(lines[1], /^\d\d:\d\d:\d\d \S+:\d+ DELETE c\.t id=3 v='it\\'s'$/);
    });

    test("tail prints the library's warnings on stderr, one line each, and goes on", async () => {
      // a dump connection the source kills: the stream warns, reconnects, and delivers what follows
      const child = spawn(process.execPath, [BIN, 'tail', url(server), '--json', '--events', 'write_rows'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      try {
        const until = async (what: () => boolean | Promise<boolean>, label: string) => {
          for (let i = 0; i < 300 && !(await what()); i++) await sleep(100);
          assert.ok(await what(), `${label}; stderr: ${err}`);
        };
        await server.sql(`KILL ${await waitForDumpThread(server, 30_000)}`);
        await until(() => /warning/.test(err), 'a warning');
        await server.sql("INSERT INTO c.t VALUES (300,'after the kill')");
        await until(() => out.includes('after the kill'), 'the row after the kill');
      } finally {
        child.kill('SIGINT');
        await exited;
      }
      const warnings = err.split('\n').filter((l) => l.includes('warning'));
      assert.match(
        warnings[0],
        /^binlogsync tail: warning: binlog connection lost; reconnecting \(err=.+\)$/,
      );
      if (server.flavor === 'mysql') {
        // started from now without BACKUP_ADMIN: the GTID set's caveat, once
        await server.sql(
          "CREATE USER 'replonly'@'%' IDENTIFIED BY 'r'; GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'replonly'@'%'",
        );
        const r = cli(['tail', url(server, 'replonly', 'r'), '--json', '--non-block']);
        assert.equal(r.status, 0, r.stderr);
        assert.match(
          r.stderr,
          /^binlogsync tail: warning: startSync\('now'\): .*BACKUP_ADMIN.* \(file=\S+, pos=\d+\)\n$/,
        );
      }
    });

    test('check: OK on this server, FAIL for a user without privileges', () => {
      const ok = cli(['check', url(server)]);
      assert.equal(ok.status, 0, ok.stdout + ok.stderr);
      assert.match(ok.stdout, /OK {2}\s*binlog_format\s+ROW/);
      const weak = cli(['check', url(server, 'nopriv', 'x'), '--json']);
      assert.equal(weak.status, 1);
      const report = JSON.parse(weak.stdout) as { items: { name: string; status: string; fix?: string }[] };
      const slave = report.items.find((i) => i.name === 'privilege REPLICATION SLAVE');
      assert.equal(slave?.status, 'fail');
      assert.match(slave?.fix ?? '', /^GRANT REPLICATION SLAVE ON \*\.\* TO 'nopriv'@'%';$/);
    });

    test('backup copies the binlog files byte for byte, and resumes', async () => {
      await server.sql('FLUSH BINARY LOGS');
      const d = join(dir, `${name}-backup`);
      const first = cli(['backup', url(server), '--dir', d, '--start', 'first', '--non-block']);
      assert.equal(first.status, 0, first.stderr);
      await server.sql("INSERT INTO c.t VALUES (77, 'after'); FLUSH BINARY LOGS");
      const again = cli(['backup', url(server), '--dir', d, '--non-block']);
      assert.equal(again.status, 0, again.stderr);
      assert.match(again.stderr, /resumed/);
      const files = readdirSync(d).sort();
      assert.ok(files.length >= 3, files.join());
      // every file but the one the server still writes (its FDE has the in-use flag set) is identical
      for (const f of files.slice(0, -1)) {
        assert.ok(readFileSync(join(d, f)).equals(readFileSync(server.binlogPath(f))), `${f} differs`);
      }
    });

    test(
      'tail --checkpoint resumes after kill -9 with no row lost or repeated',
      { timeout: 180_000 },
      async () => {
        await server.sql('CREATE TABLE c.k (n INT PRIMARY KEY)');
        const start = await logStart(server);
        const out = join(dir, `${name}.jsonl`);
        const cp = join(dir, `${name}.checkpoint.json`);
        let stop = false;
        let written = 0;
        const writer = (async () => {
          const conn = await connect({
            connection: { socketPath: server.socket },
            auth: { user: 'root', password: '' },
          });
          while (!stop) {
            const batch = 1 + (written % 7);
            const values = Array.from({ length: batch }, (_, i) => `(${written + i + 1})`).join(',');
            await conn.query(`INSERT INTO c.k VALUES ${values}`);
            written += batch;
            await sleep(5);
          }
          await conn.close();
        })();
        const run = (extra: string[]) => {
          const fd = openSync(out, 'a');
          const child = spawn(
            process.execPath,
            [
              BIN,
              'tail',
              url(server),
              '--json',
              '--include',
              'c.k',
              '--checkpoint',
              cp,
              '--checkpoint-interval',
              '20',
              ...extra,
            ],
            {
              stdio: ['ignore', fd, 'pipe'],
            },
          );
          closeSync(fd);
          let err = '';
          child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
          return { child, err: () => err };
        };
        // first run from a fixed place, then KILL9 × kill -9 and a restart from the checkpoint
        let proc = run(['--start', `${start[0]}:${start[1]}`]);
        for (let k = 0; k < KILL9; k++) {
          await sleep(150 + Math.random() * 500);
          proc.child.kill('SIGKILL');
          await new Promise((r) => proc.child.once('exit', r));
          proc = run([`--start`, `${start[0]}:${start[1]}`]); // the same command line: the checkpoint wins
        }
        await sleep(500);
        stop = true;
        await writer;
        await server.sql('INSERT INTO c.k VALUES (-1)');
        // the last run stops by itself once it has printed the sentinel
        const deadline = Date.now() + 30_000;
        while (!readFileSync(out, 'utf8').includes('"n":-1') && Date.now() < deadline) await sleep(100);
        proc.child.kill('SIGTERM');
        const [code] = (await once(proc.child, 'exit')) as [number | null];
        assert.equal(code, 143, `stopped by SIGTERM, it says so (128 + 15): ${proc.err()}`);
        const ns = jsonLines(readFileSync(out, 'utf8'))
          .filter((l) => l.type === 'write_rows')
          .flatMap((l) => (l.rows as { n: number }[]).map((r) => r.n))
          .filter((n) => n > 0);
        const dup = ns.length - new Set(ns).size;
        const missing = Array.from({ length: written }, (_, i) => i + 1).filter((n) => !ns.includes(n));
        console.log(
          `# checkpoint ${JSON.stringify({ server: name, kills: KILL9, rowsWritten: written, rowsPrinted: ns.length, duplicates: dup, missing: missing.length })}`,
        );
        assert.ok(written > 100);
        assert.equal(dup, 0, 'no row printed twice');
        assert.deepEqual(missing.slice(0, 20), [], 'no row lost');
        assert.deepEqual(
          ns,
          [...ns].sort((a, b) => a - b),
          'in commit order',
        );
      },
    );

    test('tail --checkpoint after the source reset its binlog: refused, nothing read from the old offset', async () => {
      // (last: it resets the binlog) six single-row transactions, a checkpoint at their end …
      const reset = server.flavor === 'mysql' ? 'RESET BINARY LOGS AND GTIDS' : 'RESET MASTER';
      await server.sql(`CREATE TABLE c.r (n INT PRIMARY KEY); ${reset}`);
      const start = await logStart(server);
      for (let n = 1; n <= 6; n++) await server.sql(`INSERT INTO c.r VALUES (${n})`);
      const cp = join(dir, `${name}.reset-cp.json`);
      const out = join(dir, `${name}.reset.jsonl`);
      const run = (): ReturnType<typeof cli> => {
        const fd = openSync(out, 'a');
        try {
          return spawnSync(
            process.execPath,
            [
              BIN,
              ...tailFrom(server, start, '--json', '--non-block', '--include', 'c.r', '--checkpoint', cp),
            ],
            { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8', timeout: 60_000 },
          );
        } finally {
          closeSync(fd);
        }
      };
      const first = run();
      assert.equal(first.status, 0, first.stderr);
      assert.ok(
        (JSON.parse(readFileSync(cp, 'utf8')) as { origin?: unknown }).origin,
        'the file is recorded',
      );
      const printed = readFileSync(out, 'utf8');
      // … then a new binlog of the same name (a second later), with nine transactions of the same size:
      // the checkpoint's offset is an event boundary in it, three transactions before its end
      await sleep(1100);
      await server.sql(reset);
      for (let n = 101; n <= 109; n++) await server.sql(`INSERT INTO c.r VALUES (${n})`);
      const again = run();
      // before: rows 107-109 printed, exit 0, and 101-106 never
      assert.equal(again.status, 2, again.stderr);
      assert.match(again.stderr, /the source reset its binlog, or this is another server/);
      assert.equal(again.stderr.trim().split('\n').length, 1, again.stderr);
      assert.equal(readFileSync(out, 'utf8'), printed, 'nothing printed');
    });
  });
}

test('demo runs headless and shows change events', { timeout: 240_000 }, () => {
  const r = spawnSync(process.execPath, [BIN, 'demo', '--duration', '5', '--json'], {
    encoding: 'utf8',
    timeout: 200_000,
  });
  assert.equal(r.status, 0, r.stderr);
  const events = jsonLines(r.stdout);
  assert.ok(events.filter((e) => e.type === 'write_rows').length >= 3, r.stdout);
  assert.match(r.stderr, /first change event [\d.]+ s after start/);
  assert.match(r.stderr, /server stopped/);
});

test('demo stopped by Ctrl-C stops its server and removes its files', { timeout: 240_000 }, async () => {
  const child = spawn(process.execPath, [BIN, 'demo', '--json'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no change event within 200 s: ${stderr}`)), 200_000);
      child.stderr.on('data', (d: string) => {
        stderr += d;
        if (/first change event/.test(stderr)) {
          clearTimeout(t);
          resolve();
        }
      });
    });
    const m = /\(pid (\d+), files in (\S+)\)/.exec(stderr);
    assert.ok(m, stderr);
    const [pid, root] = [Number(m[1]), m[2]];
    assert.ok(existsSync(root), root);
    child.kill('SIGINT');
    assert.equal(await exited, 130, stderr);
    assert.match(stderr, /server stopped and its files removed/);
    assert.throws(() => process.kill(pid, 0), /ESRCH/, 'the server process is gone');
    assert.equal(existsSync(root), false, `${root} is removed`);
  } finally {
    child.kill('SIGKILL');
  }
});
