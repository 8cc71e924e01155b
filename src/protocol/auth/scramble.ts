// Helpers shared by the password-hashing plugins.
import { ErrorCode, ProtocolError } from '../../errors.js';

/** MySQL's scramble is 20 bytes (SCRAMBLE_LENGTH); servers add a NUL in the switch request. */
export const SCRAMBLE_LENGTH = 20;

export function takeScramble(plugin: string, data: Buffer): Buffer {
  if (data.length < SCRAMBLE_LENGTH) {
    throw new ProtocolError(
      ErrorCode.ERR_PROTOCOL,
      `${plugin}: the server sent a ${data.length}-byte scramble, expected ${SCRAMBLE_LENGTH}`,
    );
  }
  return data.subarray(0, SCRAMBLE_LENGTH);
}

/** a XOR b, over a's length, b repeated. */
export function xorRepeat(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.allocUnsafe(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] ^ b[i % b.length];
  return out;
}

/** The password and its NUL terminator, as the clear-text and RSA paths send it. */
export function passwordWithNul(password: Buffer): Buffer {
  const out = Buffer.alloc(password.length + 1);
  password.copy(out);
  return out;
}
