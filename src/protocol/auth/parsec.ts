// MariaDB parsec (MariaDB 11.6+; INSTALL SONAME 'auth_parsec'): Password Authentication using Response
// Signed with Elliptic Curve. Source: MariaDB server plugin/auth_parsec/server_parsec.cc, 11.8:
//   server → AuthSwitchRequest("parsec", server scramble: 32 random bytes)
//   client → an empty packet (asks for the ext-salt)
//   server → AuthMoreData: ext-salt, 'P' (PBKDF2), iteration factor f (iterations = 1024 << f; the server
//            stores 0..3), salt (18 bytes)
//   client → client scramble (32 random bytes) ‖ Ed25519 signature (64 bytes) of server scramble ‖
//            client scramble, by the private key whose seed is PBKDF2-HMAC-SHA512(password, salt,
//            iterations, 32 bytes)
// Stock Ed25519 (RFC 8032), unlike client_ed25519: node:crypto signs.
import { createPrivateKey, pbkdf2Sync, randomBytes, sign } from 'node:crypto';
import { ErrorCode, ProtocolError } from '../../errors.js';
import type { AuthExchange, AuthPlugin } from './plugin.js';

const SCRAMBLE_BYTES = 32;
const SALT_BYTES = 18;
/** the server accepts factors 0..3; past this a hostile server would only make the client spin */
const MAX_ITERATION_FACTOR = 10;
/** PKCS#8 wrapping of a raw Ed25519 seed: SEQUENCE { INTEGER 0, SEQUENCE { OID 1.3.101.112 }, OCTET STRING { OCTET STRING (32) } } */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

function fail(what: string): ProtocolError {
  return new ProtocolError(ErrorCode.ERR_PROTOCOL, `parsec: ${what}`);
}

/** The client's answer to an ext-salt, with the client scramble given (tests) or random. */
export function parsecResponse(
  password: Buffer,
  serverScramble: Buffer,
  extSalt: Buffer,
  clientScramble: Buffer = randomBytes(SCRAMBLE_BYTES),
): Buffer {
  if (extSalt.length !== 2 + SALT_BYTES || extSalt[0] !== 0x50 /* 'P' */) {
    throw fail(
      `unexpected ext-salt from the server (${extSalt.length} bytes, expected 'P', factor, 18-byte salt)`,
    );
  }
  const factor = extSalt[1];
  if (factor > MAX_ITERATION_FACTOR)
    throw fail(`iteration factor ${factor} is out of range (0..${MAX_ITERATION_FACTOR})`);
  const seed = pbkdf2Sync(password, extSalt.subarray(2), 1024 << factor, 32, 'sha512');
  const key = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const signature = sign(null, Buffer.concat([serverScramble, clientScramble]), key);
  return Buffer.concat([clientScramble, signature]);
}

export const parsec: AuthPlugin = {
  name: 'parsec',
  create(ctx): AuthExchange {
    let serverScramble: Buffer | undefined;
    let answered = false;
    return {
      start(data) {
        // 32 bytes; a trailing NUL is tolerated as for the other plugins' switch data
        const n =
          data.length === SCRAMBLE_BYTES + 1 && data[SCRAMBLE_BYTES] === 0 ? SCRAMBLE_BYTES : data.length;
        if (n !== SCRAMBLE_BYTES)
          throw fail(`the server sent a ${data.length}-byte scramble, expected ${SCRAMBLE_BYTES}`);
        serverScramble = Buffer.from(data.subarray(0, SCRAMBLE_BYTES));
        return Buffer.alloc(0);
      },
      more(data) {
        if (serverScramble === undefined) throw fail('ext-salt before the scramble');
        if (answered) throw fail('unexpected data from the server after the signed response');
        const reply = parsecResponse(ctx.password, serverScramble, data);
        answered = true;
        return reply;
      },
    };
  },
};
