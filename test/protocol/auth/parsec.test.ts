import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, pbkdf2Sync, randomBytes, verify } from 'node:crypto';
import { test } from 'node:test';
import { ProtocolError } from '../../../src/errors.js';
import { parsec, parsecResponse } from '../../../src/protocol/auth/parsec.js';
import { authContext } from './context.js';

const ctx = (password: string) => authContext(password);

const extSalt = (factor: number, salt = randomBytes(18)): Buffer =>
  Buffer.concat([Buffer.from([0x50, factor]), salt]);

/** The public key the server stores for `password` and `salt` (its hash_password), made independently of parsec.ts through a JWK. */
function publicKeyOf(password: string, salt: Buffer, factor: number) {
  const seed = pbkdf2Sync(password, salt, 1024 << factor, 32, 'sha512');
  // a JWK needs x as well; derive it from the DER-wrapped key only to check the JWK route agrees
  const der = createPrivateKey({
    key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const x = (createPublicKey(der).export({ format: 'jwk' }) as { x: string }).x;
  const jwk = createPrivateKey({
    key: { kty: 'OKP', crv: 'Ed25519', d: seed.toString('base64url'), x },
    format: 'jwk',
  });
  return createPublicKey(jwk);
}

test('the exchange: an empty packet for the scramble, then client scramble and a signature the stored key verifies', () => {
  const scramble = randomBytes(32);
  const salt = randomBytes(18);
  for (const factor of [0, 1, 3]) {
    const ex = parsec.create(ctx('pässword'));
    assert.equal(ex.start(scramble).length, 0);
    const reply = ex.more(extSalt(factor, salt))!;
    assert.equal(reply.length, 96);
    const client = reply.subarray(0, 32);
    const message = Buffer.concat([scramble, client]);
    assert.ok(verify(null, message, publicKeyOf('pässword', salt, factor), reply.subarray(32)));
    assert.ok(
      !verify(null, message, publicKeyOf('password', salt, factor), reply.subarray(32)),
      'another password',
    );
    assert.ok(
      !verify(null, message, publicKeyOf('pässword', salt, factor + 1), reply.subarray(32)),
      'other iterations',
    );
  }
});

test('the switch data may end with a NUL; the client scramble is fresh each time', () => {
  const scramble = randomBytes(32);
  const salt = extSalt(0);
  const a = parsec.create(ctx('x'));
  a.start(Buffer.concat([scramble, Buffer.from([0])]));
  const b = parsec.create(ctx('x'));
  b.start(scramble);
  assert.notDeepEqual(a.more(salt)!.subarray(0, 32), b.more(salt)!.subarray(0, 32));
  const fixed = randomBytes(32);
  assert.deepEqual(
    parsecResponse(Buffer.from('x'), scramble, salt, fixed),
    parsecResponse(Buffer.from('x'), scramble, salt, fixed),
  );
});

test('malformed server data is ERR_PROTOCOL, naming what was wrong', () => {
  assert.throws(() => parsec.create(ctx('x')).start(randomBytes(20)), /20-byte scramble/);
  const ex = parsec.create(ctx('x'));
  assert.throws(() => ex.more(extSalt(0)), /before the scramble/);
  ex.start(randomBytes(32));
  assert.throws(
    () => ex.more(Buffer.concat([Buffer.from('X'), randomBytes(19)])),
    (e) => e instanceof ProtocolError && /ext-salt/.test(e.message),
  );
  assert.throws(() => ex.more(extSalt(0).subarray(0, 19)), /ext-salt/);
  assert.throws(() => ex.more(extSalt(11)), /iteration factor 11/);
  ex.more(extSalt(0));
  assert.throws(() => ex.more(extSalt(0)), /after the signed response/);
});
