// The harness itself: every flavor starts from the provisioned template with binlog on, ROW format,
// its own server_id and (MySQL) GTID mode, and is really gone after stop().
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { startLocalServer } from '../../src/servers/local-server.js';
import { testServerNames } from '../harness/servers.js';

/**
 * Whether process `pid` ends within 10 s: gone, or a zombie (killed; a server whose parent exited is
 * reaped by whatever adopted it, which in a container may never happen).
 */
async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    try {
      if (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z')) return true;
    } catch {
      return true; // no such process
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

for (const name of testServerNames()) {
  describe(name, () => {
    test('starts private, binlogged, and stops by PID', async () => {
      const server = await startLocalServer(name, { serverId: 4242 });
      try {
        const [version, logBin, format, serverId, port, socket] = (
          await server.sql('SELECT VERSION(), @@log_bin, @@binlog_format, @@server_id, @@port, @@socket')
        )
          .trim()
          .split('\t');
        assert.match(
          version,
          name.startsWith('mysql')
            ? /^9\.7\./
            : new RegExp('^' + name.split('-')[1].replace('.', '\\.') + '\\.'),
        );
        assert.deepEqual(
          [logBin, format, serverId, Number(port), socket],
          ['1', 'ROW', '4242', server.port, server.socket],
        );
        if (server.flavor === 'mysql') assert.equal((await server.sql('SELECT @@gtid_mode')).trim(), 'ON');
      } finally {
        await server.stop();
      }
      assert.throws(() => process.kill(server.pid, 0), /ESRCH/);
      assert.equal(existsSync(server.datadir), false);
    });

    test('a process ended by SIGTERM or SIGINT leaves no server and no files behind', async () => {
      // a process of its own that starts a server, says where, and waits to be ended
      const harness = fileURLToPath(new URL('../../src/servers/local-server.ts', import.meta.url));
      const script =
        `const { startLocalServer } = await import(${JSON.stringify(harness)});` +
        `const s = await startLocalServer(${JSON.stringify(name)});` +
        'console.log(JSON.stringify({ pid: s.pid, root: s.root })); setInterval(() => {}, 1000);';
      for (const signal of ['SIGTERM', 'SIGINT'] as const) {
        const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        try {
          const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
          const line = await new Promise<string>((resolve, reject) => {
            let out = '';
            child.stdout.setEncoding('utf8');
            child.stdout.on('data', (d: string) => {
              out += d;
              if (out.includes('\n')) resolve(out.split('\n')[0]);
            });
            child.on('exit', () => reject(new Error(`exited before its server started: ${out}`)));
          });
          const { pid, root } = JSON.parse(line) as { pid: number; root: string };
          assert.ok(existsSync(root));
          child.kill(signal);
          assert.equal(await exited, 130, signal);
          assert.ok(await gone(pid), `${signal}: the server process ${pid} is gone`);
          assert.equal(existsSync(root), false, `${signal}: ${root} is removed`);
        } finally {
          child.kill('SIGKILL');
        }
      }
    });
  });
}
