import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, test } from 'node:test';
import { inspect } from 'node:util';
import { ConfigError, ErrorCode } from '../../src/errors.js';
import { describeEndpoint, resolveConnectOptions, type ConnectOptions } from '../../src/protocol/options.js';

const SECRET = 'pa55-Very-Secret';
const base: ConnectOptions = {
  connection: { host: '127.0.0.1', port: 3307 },
  auth: { user: 'repl', password: SECRET },
};

function rejects(options: unknown, pattern: RegExp): void {
  assert.throws(
    () => resolveConnectOptions(options as ConnectOptions),
    (e) =>
      e instanceof ConfigError &&
      e.code === ErrorCode.ERR_INVALID_OPTION &&
      pattern.test(e.message) &&
      !e.message.includes(SECRET),
  );
}

describe('resolveConnectOptions', () => {
  test('defaults', () => {
    const o = resolveConnectOptions({ connection: {}, auth: { user: 'u' } });
    assert.equal(o.connection.host, 'localhost');
    assert.equal(o.connection.port, 3306);
    assert.equal(o.connection.connectTimeout, 10_000);
    assert.equal(o.auth.password, '');
    assert.equal(o.tls.mode, 'preferred');
    assert.equal(o.auth.allowPublicKeyRetrieval, false);
    assert.equal(o.auth.allowCleartextPassword, false);
    assert.ok(
      Object.isFrozen(o) &&
        Object.isFrozen(o.connection) &&
        Object.isFrozen(o.auth) &&
        Object.isFrozen(o.tls),
    );
    assert.equal(describeEndpoint(o), 'localhost:3306');
  });

  test('the password is kept but never shown', () => {
    const o = resolveConnectOptions(base);
    assert.equal(o.auth.password, SECRET);
    assert.equal(JSON.stringify(o).includes(SECRET), false);
    assert.equal(inspect(o, { depth: 10 }).includes(SECRET), false);
    assert.deepEqual(Object.keys(o.auth).includes('password'), false);
  });

  test('unix socket', () => {
    const o = resolveConnectOptions({ connection: { socketPath: '/tmp/x.sock' }, auth: { user: 'u' } });
    assert.equal(o.connection.host, undefined);
    assert.equal(describeEndpoint(o), 'unix socket /tmp/x.sock');
    rejects(
      { connection: { socketPath: '/tmp/x.sock', host: 'h' }, auth: { user: 'u' } },
      /either connection.socketPath or/,
    );
  });

  test('IPv6 endpoint in brackets', () => {
    assert.equal(
      describeEndpoint(resolveConnectOptions({ connection: { host: '::1' }, auth: { user: 'u' } })),
      '[::1]:3306',
    );
  });

  test('bad values name the option, not the value', () => {
    rejects(
      { connection: { port: 0 }, auth: { user: 'u' } },
      /connection.port must be an integer from 1 to 65535/,
    );
    rejects({ connection: { connectTimeout: -1 }, auth: { user: 'u' } }, /connection.connectTimeout/);
    rejects({ connection: {}, auth: {} }, /auth.user is required/);
    rejects({ connection: {}, auth: { user: 'u', password: 5 } }, /auth.password must be a string/);
    rejects(
      { connection: {}, auth: { user: 'u', password: `a\0${SECRET}` } },
      /auth.password must not contain a NUL/,
    );
    rejects(
      { connection: {}, auth: { user: 'u', serverPublicKey: SECRET } },
      /auth.serverPublicKey is not a PEM public key/,
    );
    rejects({ connection: {}, auth: { user: 'u', pasword: SECRET } }, /unknown option auth.pasword/);
    rejects(
      { connection: {}, auth: { user: 'u' }, tls: { mode: 'on' } },
      /tls.mode must be one of disabled, preferred/,
    );
    rejects({ connection: {}, auth: { user: 'u' }, tls: { cert: 'x' } }, /tls.cert and tls.key go together/);
    rejects({ connection: {}, auth: { user: 'u' }, tls: { servername: '10.0.0.1' } }, /not an IP/);
    rejects({ connection: {}, auth: { user: 'u' }, attributes: { a: 1 } }, /attributes.a must be a string/);
    rejects({ connection: {}, auth: { user: 'u' }, signal: {} }, /AbortSignal/);
    rejects(null, /options must be an object/);
    rejects({ auth: { user: 'u' } }, /options.connection must be an object/);
  });

  test('serverPublicKey: an RSA PEM key', () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const pem = publicKey.export({ type: 'spki', format: 'pem' });
    const o = resolveConnectOptions({ connection: {}, auth: { user: 'u', serverPublicKey: pem } });
    assert.equal(o.auth.serverPublicKey?.asymmetricKeyType, 'rsa');
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({
      type: 'spki',
      format: 'pem',
    });
    rejects({ connection: {}, auth: { user: 'u', serverPublicKey: ec } }, /must be an RSA key/);
  });
});
