// startSyncGtid checks the start GTID against the source's flavor before anything is sent: the other
// flavor's form (a checkpoint written against another server, a `flavor` option that does not match) is
// named as such, not reported as a bad character. With `flavor` given no connection is needed; the port
// is one nothing listens on, so a check that ran after connecting would fail differently.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GtidError } from '../../src/errors.js';
import { BinlogSyncer } from '../../src/replication/syncer.js';
import { freePort } from '../../src/servers/local-server.js';

const UUID = '3e11fa47-71ca-11e1-9e33-c80aa9429562';

test('a MariaDB GTID position given to a MySQL source, and a MySQL set to MariaDB, are named', async () => {
  const port = await freePort();
  const cases = [
    {
      flavor: 'mysql' as const,
      gtid: '0-1-5,1-2-3',
      says: /"0-1-5,1-2-3" is a MariaDB GTID position, and the source is MySQL/,
    },
    {
      flavor: 'mariadb' as const,
      gtid: `${UUID}:1-5`,
      says: new RegExp(`"${UUID}:1-5" is a MySQL GTID set, and the source is MariaDB`),
    },
  ];
  for (const c of cases) {
    const syncer = new BinlogSyncer({ host: '127.0.0.1', port, user: 'repl', serverId: 9, flavor: c.flavor });
    try {
      await assert.rejects(syncer.startSyncGtid(c.gtid), (e: unknown) => {
        assert.ok(e instanceof GtidError, String(e));
        assert.match(e.message, c.says);
        assert.doesNotMatch(e.message, /\n/);
        return true;
      });
    } finally {
      await syncer.close();
    }
  }
});

test('text that is neither keeps the parser message that points at the character', async () => {
  const port = await freePort();
  const syncer = new BinlogSyncer({ host: '127.0.0.1', port, user: 'repl', serverId: 9, flavor: 'mysql' });
  try {
    await assert.rejects(syncer.startSyncGtid(`${UUID}:1-x`), (e: unknown) => {
      assert.ok(e instanceof GtidError, String(e));
      assert.match(e.message, /invalid GTID set: .*\[HERE\]/);
      return true;
    });
  } finally {
    await syncer.close();
  }
});

test('blanks around the start GTID are no part of it: a blank one is the empty set, not the other form', async () => {
  const port = await freePort();
  for (const flavor of ['mysql', 'mariadb'] as const) {
    const syncer = new BinlogSyncer({ host: '127.0.0.1', port, user: 'repl', serverId: 9, flavor });
    try {
      // valid, so it goes on to connect: refused there (nothing listens), not as a GTID
      await assert.rejects(syncer.startSyncGtid(' '), (e: unknown) => {
        assert.ok(!(e instanceof GtidError), String(e));
        assert.match(String(e), /ECONNREFUSED|refused/i);
        return true;
      });
    } finally {
      await syncer.close();
    }
  }
});
