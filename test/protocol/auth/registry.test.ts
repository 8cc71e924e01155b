import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AuthError, ErrorCode } from '../../../src/errors.js';
import {
  SUPPORTED_AUTH_PLUGINS,
  findAuthPlugin,
  getAuthPlugin,
} from '../../../src/protocol/auth/registry.js';

test('every plugin is found by its wire name', () => {
  assert.deepEqual([...SUPPORTED_AUTH_PLUGINS].sort(), [
    'caching_sha2_password',
    'client_ed25519',
    'mysql_clear_password',
    'mysql_native_password',
    'parsec',
    'sha256_password',
  ]);
  for (const name of SUPPORTED_AUTH_PLUGINS) assert.equal(getAuthPlugin(name).name, name);
});

test('an unknown plugin is ERR_AUTH_PLUGIN_UNSUPPORTED naming it', () => {
  assert.equal(findAuthPlugin('auth_gssapi_client'), undefined);
  assert.throws(
    () => getAuthPlugin('auth_gssapi_client'),
    (e) =>
      e instanceof AuthError &&
      e.code === ErrorCode.ERR_AUTH_PLUGIN_UNSUPPORTED &&
      /'auth_gssapi_client'/.test(e.message),
  );
});
