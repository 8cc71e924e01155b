import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, randomBytes, sign, verify } from 'node:crypto';
import { test } from 'node:test';
import { ed25519PublicKey, ed25519Sign } from '../../../src/protocol/auth/ed25519.js';
import { MARIADB_ED25519_PASSWORDS } from '../server-packets.fixtures.js';

// RFC 8032 §7.1 TEST 1–3: secret key, public key, message, signature.
const RFC8032 = [
  [
    '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    '',
    'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  ],
  [
    '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    '72',
    '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  ],
  [
    'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
    'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
    'af82',
    '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
  ],
] as const;

// DER wrappers to hand raw Ed25519 keys to node:crypto (RFC 8410): PKCS#8 for a 32-byte seed, SPKI for a public key.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const nodePrivate = (seed: Buffer) =>
  createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
const nodePublic = (pub: Buffer) =>
  createPublicKey({ key: Buffer.concat([SPKI_PREFIX, pub]), format: 'der', type: 'spki' });

test('RFC 8032 test vectors 1–3', () => {
  for (const [sk, pk, msg, sig] of RFC8032) {
    const secret = Buffer.from(sk, 'hex');
    assert.equal(ed25519PublicKey(secret).toString('hex'), pk);
    assert.equal(ed25519Sign(Buffer.from(msg, 'hex'), secret).toString('hex'), sig);
  }
});

test('32-byte secrets: the same signature as node:crypto', () => {
  for (let i = 0; i < 20; i++) {
    const seed = randomBytes(32);
    const message = randomBytes(i * 7);
    assert.ok(ed25519Sign(message, seed).equals(sign(null, message, nodePrivate(seed))));
  }
});

test('passwords of any length (MariaDB): node:crypto verifies the signature with our public key', () => {
  for (const password of ['', 'a', 'secret', 'pässwörd', 'x'.repeat(200)]) {
    const secret = Buffer.from(password, 'utf8');
    const nonce = randomBytes(32);
    const sig = ed25519Sign(nonce, secret);
    assert.equal(sig.length, 64);
    assert.ok(verify(null, nonce, nodePublic(ed25519PublicKey(secret)), sig), password);
    const other = Buffer.from(nonce);
    other[0] ^= 1;
    assert.equal(verify(null, other, nodePublic(ed25519PublicKey(secret)), sig), false);
  }
});

test('public keys match what MariaDB 10.11 stores (ed25519_password())', () => {
  for (const [password, stored] of MARIADB_ED25519_PASSWORDS) {
    assert.equal(
      ed25519PublicKey(Buffer.from(password, 'utf8')).toString('base64').replace(/=+$/, ''),
      stored,
    );
  }
});
