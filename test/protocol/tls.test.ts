import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ErrorCode, TlsError } from '../../src/errors.js';
import { resolveConnectOptions, type TlsMode } from '../../src/protocol/options.js';
import { shouldUseTls, tlsConnectOptions } from '../../src/protocol/tls.js';

const tcp = (mode: TlsMode, extra = {}) =>
  resolveConnectOptions({ connection: { host: '127.0.0.1' }, auth: { user: 'u' }, tls: { mode, ...extra } });
const unix = (mode: TlsMode) =>
  resolveConnectOptions({ connection: { socketPath: '/s' }, auth: { user: 'u' }, tls: { mode } });

describe('shouldUseTls', () => {
  test('per mode, offered or not', () => {
    assert.equal(shouldUseTls(tcp('disabled'), true, 'e'), false);
    assert.equal(shouldUseTls(tcp('preferred'), true, 'e'), true);
    assert.equal(shouldUseTls(tcp('preferred'), false, 'e'), false);
    assert.equal(shouldUseTls(unix('preferred'), true, 'e'), false);
    assert.equal(shouldUseTls(unix('required'), true, 'e'), true);
    for (const mode of ['required', 'verify-ca', 'verify-identity'] as const) {
      assert.equal(shouldUseTls(tcp(mode), true, 'e'), true);
      assert.throws(
        () => shouldUseTls(tcp(mode), false, '127.0.0.1:3306'),
        (e) =>
          e instanceof TlsError &&
          e.code === ErrorCode.ERR_TLS_NOT_SUPPORTED &&
          e.message.includes(`'${mode}'`),
      );
    }
  });
});

describe('tlsConnectOptions', () => {
  test('required encrypts without checking the certificate', () => {
    const o = tlsConnectOptions(tcp('required'));
    assert.equal(o.rejectUnauthorized, false);
  });

  test('verify-ca checks the chain, not the name; no SNI for an IP host', () => {
    const o = tlsConnectOptions(tcp('verify-ca', { ca: 'CA' }));
    assert.equal(o.rejectUnauthorized, true);
    assert.equal(o.ca, 'CA');
    assert.equal(o.servername, undefined);
    assert.equal(o.checkServerIdentity?.('wrong.example', {} as never), undefined);
  });

  test('verify-identity checks the name given by tls.servername', () => {
    const o = tlsConnectOptions(tcp('verify-identity', { servername: 'db.example' }));
    assert.equal(o.rejectUnauthorized, true);
    assert.equal(o.servername, 'db.example');
    const cert = { subject: { CN: 'other.example' }, subjectaltname: 'DNS:other.example' };
    const err = o.checkServerIdentity?.('ignored', cert as never);
    assert.ok(err instanceof Error);
    assert.match(err.message, /db\.example/);
  });
});
