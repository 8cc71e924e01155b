// Server targets on the command line: URL forms, and that no message ever shows the password, whatever
// characters it has.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTarget, redacted } from '../../src/cli/target.js';
import { ConfigError } from '../../src/errors.js';

const SECRET = 'S3cr';

function refused(spec: string): string {
  try {
    parseTarget(spec, {});
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    assert.ok(!e.message.includes(SECRET), `the message shows the password: ${e.message}`);
    return e.message;
  }
  assert.fail(`${spec} was accepted`);
}

test('URLs, percent-escapes, socket paths', () => {
  assert.deepEqual(parseTarget('mysql://repl:S3cr%2Fe%40t@db:3307', {}), {
    host: 'db',
    port: 3307,
    user: 'repl',
    password: 'S3cr/e@t',
    display: 'repl@db:3307',
  });
  assert.deepEqual(parseTarget('mariadb://db', { user: 'x' }), {
    host: 'db',
    port: undefined,
    user: 'x',
    display: 'x@db:3306',
  });
  // an empty password given (user:@host) is one; none given (user@host) leaves it to the env or a prompt
  assert.equal(parseTarget('mysql://root:@db', {}).password, '');
  assert.equal(parseTarget('mysql://root@db', {}).password, undefined);
  assert.equal(parseTarget('mysql://root@db:3306', {}).password, undefined);
  const sock = parseTarget('/run/mysqld/mysqld.sock', { user: 'repl' });
  assert.equal(sock.socketPath, '/run/mysqld/mysqld.sock');
});

test('a password with an unescaped / ? # or %, or a URL that does not parse: refused without showing it', () => {
  for (const pw of ['S3cr/et', 'S3cr?et', 'S3cr#et', 'S3cr/e:t'])
    assert.match(refused(`mysql://repl:${pw}@db:3306`), /percent-encode|not a server URL/);
  assert.match(refused('mysql://repl:S3cr%zzet@db'), /malformed %-escape/);
  assert.match(refused('mysql://repl:S3cr/et@db:notaport'), /not a server URL|percent-encode/);
});

test('redacted() hides everything up to the last @', () => {
  assert.equal(redacted('mysql://u:S3cr/et@h:1'), 'mysql://***@h:1');
  assert.equal(redacted('u:S3cr@et@h'), '***@h');
  assert.equal(redacted('mysql://h:1'), 'mysql://h:1');
});
