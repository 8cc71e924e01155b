import assert from 'node:assert/strict';
import { constants, generateKeyPairSync, privateDecrypt, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { AuthError, ErrorCode, ProtocolError } from '../../../src/errors.js';
import type { AuthContext } from '../../../src/protocol/auth/plugin.js';
import { sha256Password } from '../../../src/protocol/auth/sha256-password.js';
import { authContext } from './context.js';

const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

const ctx = (over: Partial<AuthContext> = {}): AuthContext => authContext('pw', over);

function serverDecrypt(reply: Buffer, scramble: Buffer): Buffer {
  const plain = privateDecrypt(
    { key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
    reply,
  );
  return Buffer.from(plain.map((b, i) => b ^ scramble[i % scramble.length]));
}

test('empty password: one zero byte, on any transport', () => {
  assert.deepEqual(
    sha256Password.create(ctx({ password: Buffer.alloc(0) })).start(randomBytes(21)),
    Buffer.from([0]),
  );
});

test('TLS: password and NUL; a unix socket alone is not enough', () => {
  assert.deepEqual(
    sha256Password.create(ctx({ secureTransport: true, tls: true })).start(randomBytes(21)),
    Buffer.from('pw\0'),
  );
  assert.throws(
    () => sha256Password.create(ctx({ secureTransport: true })).start(randomBytes(21)),
    (e) => e instanceof AuthError && e.code === ErrorCode.ERR_AUTH_INSECURE,
  );
});

test('plain TCP with a given key: RSA at once; with retrieval: 0x01 then RSA', () => {
  const scramble = randomBytes(20);
  const given = sha256Password.create(ctx({ serverPublicKey: publicKey }));
  assert.deepEqual(
    serverDecrypt(given.start(Buffer.concat([scramble, Buffer.alloc(1)])), scramble),
    Buffer.from('pw\0'),
  );
  const fetched = sha256Password.create(ctx({ allowPublicKeyRetrieval: true }));
  assert.deepEqual(fetched.start(scramble), Buffer.from([1]));
  const pem = Buffer.from(publicKey.export({ type: 'spki', format: 'pem' }));
  assert.deepEqual(serverDecrypt(fetched.more(pem)!, scramble), Buffer.from('pw\0'));
  assert.throws(() => fetched.more(pem), ProtocolError);
});

test('plain TCP without a key: ERR_AUTH_INSECURE', () => {
  assert.throws(
    () => sha256Password.create(ctx()).start(randomBytes(20)),
    (e) => e instanceof AuthError && e.code === ErrorCode.ERR_AUTH_INSECURE,
  );
});
