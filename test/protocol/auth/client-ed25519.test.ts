import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { ProtocolError } from '../../../src/errors.js';
import { clientEd25519 } from '../../../src/protocol/auth/client-ed25519.js';
import { ed25519Sign } from '../../../src/protocol/auth/ed25519.js';
import { authContext } from './context.js';

const ctx = (password: string) => authContext(password);

test('signs the 32-byte nonce with the password', () => {
  const nonce = randomBytes(32);
  const ex = clientEd25519.create(ctx('secret'));
  assert.ok(ex.start(nonce).equals(ed25519Sign(nonce, Buffer.from('secret'))));
});

test('a nonce of another length, or AuthMoreData, is ERR_PROTOCOL', () => {
  const ex = clientEd25519.create(ctx('secret'));
  assert.throws(() => ex.start(randomBytes(20)), /32/);
  assert.throws(() => ex.more(Buffer.alloc(1)), ProtocolError);
});
