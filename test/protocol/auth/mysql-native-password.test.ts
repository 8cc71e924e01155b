import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import {
  mysqlNativePassword,
  scrambleNativePassword,
} from '../../../src/protocol/auth/mysql-native-password.js';
import { MARIADB_PASSWORD_SECRET } from '../server-packets.fixtures.js';

const sha1 = (...b: Buffer[]) => createHash('sha1').update(Buffer.concat(b)).digest();

test("the server's check (password.cc check_scramble) accepts the response, with MariaDB's stored hash", () => {
  // MariaDB stores '*' + hex(SHA1(SHA1(password))); the server recovers SHA1(password) from the response
  // with the scramble and compares its SHA1 with the stored hash.
  const stage2 = Buffer.from(MARIADB_PASSWORD_SECRET.slice(1), 'hex');
  for (let i = 0; i < 10; i++) {
    const scramble = randomBytes(20);
    const response = scrambleNativePassword(Buffer.from('secret'), scramble);
    const key = sha1(scramble, stage2);
    const stage1 = Buffer.from(response.map((b, j) => b ^ key[j]));
    assert.ok(sha1(stage1).equals(stage2));
    const wrong = scrambleNativePassword(Buffer.from('Secret'), scramble);
    assert.equal(sha1(Buffer.from(wrong.map((b, j) => b ^ key[j]))).equals(stage2), false);
  }
});

test('empty password: empty response; the switch request NUL is ignored', () => {
  const scramble = randomBytes(20);
  assert.equal(scrambleNativePassword(Buffer.alloc(0), scramble).length, 0);
  const ex = mysqlNativePassword.create({
    password: Buffer.from('secret'),
    secureTransport: false,
    tls: false,
    serverPublicKey: undefined,
    allowPublicKeyRetrieval: false,
    allowCleartextPassword: false,
  });
  const withNul = Buffer.concat([scramble, Buffer.alloc(1)]);
  assert.ok(ex.start(withNul).equals(scrambleNativePassword(Buffer.from('secret'), scramble)));
  assert.throws(() => ex.start(Buffer.alloc(8)), /8-byte scramble/);
});
