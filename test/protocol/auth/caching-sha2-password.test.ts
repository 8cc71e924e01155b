import assert from 'node:assert/strict';
import { constants, createHash, generateKeyPairSync, privateDecrypt, randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { AuthError, ErrorCode, ProtocolError } from '../../../src/errors.js';
import {
  cachingSha2Password,
  scrambleCachingSha2,
} from '../../../src/protocol/auth/caching-sha2-password.js';
import type { AuthContext } from '../../../src/protocol/auth/plugin.js';
import { authContext } from './context.js';

const sha256 = (...b: Buffer[]) => createHash('sha256').update(Buffer.concat(b)).digest();
const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = publicKey.export({ type: 'spki', format: 'pem' });

const ctx = (over: Partial<AuthContext> = {}): AuthContext => authContext('s3cret', over);

/** What the server does with an RSA reply: decrypt (OAEP), XOR with the scramble. */
function serverDecrypt(reply: Buffer, scramble: Buffer): Buffer {
  const plain = privateDecrypt(
    { key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
    reply,
  );
  return Buffer.from(plain.map((b, i) => b ^ scramble[i % scramble.length]));
}

describe('caching_sha2_password', () => {
  test("fast path: the server's check (sha2_password.cc) recovers SHA256(password)", () => {
    const scramble = randomBytes(20);
    const response = scrambleCachingSha2(Buffer.from('s3cret'), scramble);
    const stage2 = sha256(sha256(Buffer.from('s3cret'))); // what the server caches
    const key = sha256(stage2, scramble);
    const stage1 = Buffer.from(response.map((b, i) => b ^ key[i]));
    assert.ok(sha256(stage1).equals(stage2));
    assert.deepEqual(scrambleCachingSha2(Buffer.alloc(0), scramble), Buffer.from([0]));
  });

  test('fast_auth_success (0x03): nothing to send, the OK follows', () => {
    const ex = cachingSha2Password.create(ctx());
    ex.start(randomBytes(21));
    assert.equal(ex.more(Buffer.from([3])), undefined);
  });

  test('full authentication over TLS or a unix socket: password and NUL', () => {
    const ex = cachingSha2Password.create(ctx({ secureTransport: true }));
    ex.start(randomBytes(20));
    assert.deepEqual(ex.more(Buffer.from([4])), Buffer.from('s3cret\0'));
  });

  test('full authentication over plain TCP without a key is ERR_AUTH_INSECURE', () => {
    const ex = cachingSha2Password.create(ctx());
    ex.start(randomBytes(20));
    assert.throws(
      () => ex.more(Buffer.from([4])),
      (e) =>
        e instanceof AuthError && e.code === ErrorCode.ERR_AUTH_INSECURE && !e.message.includes('s3cret'),
    );
  });

  test('full authentication with a given key: RSA-OAEP of (password + NUL) XOR scramble', () => {
    const scramble = randomBytes(20);
    const ex = cachingSha2Password.create(ctx({ serverPublicKey: publicKey }));
    ex.start(scramble);
    const reply = ex.more(Buffer.from([4]))!;
    assert.equal(reply.length, 256);
    assert.deepEqual(serverDecrypt(reply, scramble), Buffer.from('s3cret\0'));
  });

  test('full authentication with key retrieval: asks with 0x02, encrypts with the key received', () => {
    const scramble = randomBytes(20);
    const ex = cachingSha2Password.create(ctx({ allowPublicKeyRetrieval: true }));
    ex.start(scramble);
    assert.deepEqual(ex.more(Buffer.from([4])), Buffer.from([2]));
    const reply = ex.more(Buffer.from(pem))!;
    assert.deepEqual(serverDecrypt(reply, scramble), Buffer.from('s3cret\0'));
  });

  test('a long password, an unreadable key and an unexpected packet', () => {
    const long = cachingSha2Password.create(
      ctx({ password: Buffer.alloc(250, 0x61), serverPublicKey: publicKey }),
    );
    long.start(randomBytes(20));
    assert.throws(
      () => long.more(Buffer.from([4])),
      (e) => e instanceof AuthError && /too long/.test(e.message),
    );
    const ex = cachingSha2Password.create(ctx({ allowPublicKeyRetrieval: true }));
    ex.start(randomBytes(20));
    ex.more(Buffer.from([4]));
    assert.throws(() => ex.more(Buffer.from('not a key')), ProtocolError);
    const ex2 = cachingSha2Password.create(ctx());
    ex2.start(randomBytes(20));
    assert.throws(() => ex2.more(Buffer.from([9])), ProtocolError);
  });
});
