import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AuthError, ErrorCode } from '../../../src/errors.js';
import { mysqlClearPassword } from '../../../src/protocol/auth/mysql-clear-password.js';
import type { AuthContext } from '../../../src/protocol/auth/plugin.js';

const ctx = (allowCleartextPassword: boolean): AuthContext => ({
  password: Buffer.from('hunter2'),
  secureTransport: true,
  tls: false,
  serverPublicKey: undefined,
  allowPublicKeyRetrieval: false,
  allowCleartextPassword,
});

test('refused unless allowed, even over TLS: ERR_AUTH_INSECURE without the password in the message', () => {
  assert.throws(
    () => mysqlClearPassword.create(ctx(false)).start(Buffer.alloc(0)),
    (e) =>
      e instanceof AuthError &&
      e.code === ErrorCode.ERR_AUTH_INSECURE &&
      /allowCleartextPassword/.test(e.message) &&
      !e.message.includes('hunter2'),
  );
});

test('allowed: password and NUL', () => {
  assert.deepEqual(mysqlClearPassword.create(ctx(true)).start(Buffer.alloc(0)), Buffer.from('hunter2\0'));
});
