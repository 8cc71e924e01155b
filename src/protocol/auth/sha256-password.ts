// sha256_password (MySQL 5.6–9.x, deprecated). Source: mysql-server sql-common/client_authentication.cc
// (sha256_password_auth_client), 8.4:
//   empty password → 0x00; TLS → password + NUL; else RSA (rsa.ts) with the key the user gave, or
//   request_public_key (0x01) then the key the server sends, if the user allows it. Unlike
//   caching_sha2_password, a unix socket does not count as secure (libmysql: connection_is_secure is
//   "has an SSL cipher"; the server answers a clear password on a socket with access denied).
import { ErrorCode, ProtocolError } from '../../errors.js';
import type { AuthExchange, AuthPlugin } from './plugin.js';
import { encryptPassword, insecureError, parseServerKey } from './rsa.js';
import { passwordWithNul, takeScramble } from './scramble.js';

const NAME = 'sha256_password';
const REQUEST_PUBLIC_KEY = 0x01;

export const sha256Password: AuthPlugin = {
  name: NAME,
  create(ctx): AuthExchange {
    let scramble: Buffer = Buffer.alloc(0);
    let keyRequested = false;
    return {
      start(data) {
        scramble = Buffer.from(takeScramble(NAME, data));
        keyRequested = false;
        if (ctx.password.length === 0) return Buffer.from([0]);
        if (ctx.tls) return passwordWithNul(ctx.password);
        if (ctx.serverPublicKey) return encryptPassword(NAME, ctx.password, scramble, ctx.serverPublicKey);
        if (!ctx.allowPublicKeyRetrieval) throw insecureError(NAME);
        keyRequested = true;
        return Buffer.from([REQUEST_PUBLIC_KEY]);
      },
      more(data) {
        if (!keyRequested) {
          throw new ProtocolError(ErrorCode.ERR_PROTOCOL, `${NAME}: unexpected AuthMoreData from the server`);
        }
        keyRequested = false;
        return encryptPassword(NAME, ctx.password, scramble, parseServerKey(NAME, data));
      },
    };
  },
};
