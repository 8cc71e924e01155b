// caching_sha2_password (MySQL 8.0+ default). Sources: mysql-server sql-common/client_authentication.cc
// (caching_sha2_password_auth_client), sql/auth/sha2_password.cc (generate_sha256_scramble), 8.4.
//   fast path:  response = SHA256(pw) XOR SHA256(SHA256(SHA256(pw)) + scramble); empty password → 0x00
//   server:     AuthMoreData 0x03 (fast_auth_success, OK follows) or 0x04 (perform_full_authentication)
//   full auth:  TLS or unix socket → password + NUL; else RSA (rsa.ts) with the key the user gave,
//               or the key the server sends after request_public_key (0x02), if the user allows it.
import { createHash } from 'node:crypto';
import { ErrorCode, ProtocolError } from '../../errors.js';
import type { AuthExchange, AuthPlugin } from './plugin.js';
import { encryptPassword, insecureError, parseServerKey } from './rsa.js';
import { passwordWithNul, takeScramble, xorRepeat } from './scramble.js';

const NAME = 'caching_sha2_password';
const REQUEST_PUBLIC_KEY = 0x02;
const FAST_AUTH_SUCCESS = 0x03;
const PERFORM_FULL_AUTHENTICATION = 0x04;

function sha256(...parts: Buffer[]): Buffer {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
}

export function scrambleCachingSha2(password: Buffer, scramble: Buffer): Buffer {
  if (password.length === 0) return Buffer.from([0]);
  const stage1 = sha256(password);
  const stage2 = sha256(stage1);
  return xorRepeat(stage1, sha256(stage2, scramble));
}

export const cachingSha2Password: AuthPlugin = {
  name: NAME,
  create(ctx): AuthExchange {
    let scramble: Buffer = Buffer.alloc(0);
    let state: 'scrambled' | 'full' | 'key-requested' | 'sent' = 'scrambled';
    return {
      start(data) {
        scramble = Buffer.from(takeScramble(NAME, data));
        state = 'scrambled';
        return scrambleCachingSha2(ctx.password, scramble);
      },
      more(data) {
        if (state === 'scrambled' && data.length === 1 && data[0] === FAST_AUTH_SUCCESS) {
          state = 'sent';
          return undefined;
        }
        if (state === 'scrambled' && data.length === 1 && data[0] === PERFORM_FULL_AUTHENTICATION) {
          state = 'full';
          if (ctx.secureTransport) return passwordWithNul(ctx.password);
          if (ctx.serverPublicKey) return encryptPassword(NAME, ctx.password, scramble, ctx.serverPublicKey);
          if (!ctx.allowPublicKeyRetrieval) throw insecureError(NAME);
          state = 'key-requested';
          return Buffer.from([REQUEST_PUBLIC_KEY]);
        }
        if (state === 'key-requested') {
          state = 'sent';
          return encryptPassword(NAME, ctx.password, scramble, parseServerKey(NAME, data));
        }
        throw new ProtocolError(
          ErrorCode.ERR_PROTOCOL,
          `${NAME}: unexpected AuthMoreData (${data.length} bytes) in state ${state}`,
        );
      },
    };
  },
};
