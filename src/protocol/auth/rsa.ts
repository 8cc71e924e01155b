// RSA path of caching_sha2_password and sha256_password over an unencrypted TCP connection.
// Source: mysql-server sql-common/client_authentication.cc (8.0+): the password and its NUL are XORed
// with the 20-byte scramble (repeated), then encrypted with RSA_PKCS1_OAEP_PADDING (SHA-1 MGF1); the
// server rejects messages longer than key size − 42 bytes.
import { constants, createPublicKey, publicEncrypt, type KeyObject } from 'node:crypto';
import { AuthError, ErrorCode, ProtocolError } from '../../errors.js';
import { passwordWithNul, xorRepeat } from './scramble.js';

export function encryptPassword(plugin: string, password: Buffer, scramble: Buffer, key: KeyObject): Buffer {
  const bytes = (key.asymmetricKeyDetails?.modulusLength ?? 2048) / 8;
  const message = xorRepeat(passwordWithNul(password), scramble);
  if (message.length + 41 >= bytes) {
    throw new AuthError(
      ErrorCode.ERR_AUTH_FAILED,
      `${plugin}: the password is too long to encrypt with the server's ${bytes * 8}-bit RSA key; use TLS`,
    );
  }
  return publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, message);
}

/** Parses the PEM public key a server sent in AuthMoreData. */
export function parseServerKey(plugin: string, pem: Buffer): KeyObject {
  try {
    const key = createPublicKey(pem);
    if (key.asymmetricKeyType === 'rsa') return key;
  } catch (err) {
    throw new ProtocolError(ErrorCode.ERR_PROTOCOL, `${plugin}: the server sent an unreadable public key`, {
      cause: err,
    });
  }
  throw new ProtocolError(ErrorCode.ERR_PROTOCOL, `${plugin}: the server sent a public key that is not RSA`);
}

export function insecureError(plugin: string): AuthError {
  return new AuthError(
    ErrorCode.ERR_AUTH_INSECURE,
    `${plugin} needs the password itself here; without TLS that takes ` +
      (plugin === 'caching_sha2_password' ? 'a unix socket, ' : '') +
      `auth.serverPublicKey or auth.allowPublicKeyRetrieval (or use TLS: tls.mode)`,
  );
}
