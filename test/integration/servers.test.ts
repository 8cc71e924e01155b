// The harness itself: every flavor starts from the provisioned template with binlog on, ROW format,
// its own server_id and (MySQL) GTID mode, and is really gone after stop().
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, test } from 'node:test';
import { startLocalServer } from '../../src/servers/local-server.js';
import { testServerNames } from '../harness/servers.js';

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
  });
}
