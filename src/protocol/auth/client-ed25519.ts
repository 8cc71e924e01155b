// MariaDB client_ed25519 (server plugin "ed25519", MariaDB 10.1.22+; INSTALL SONAME 'auth_ed25519').
// Source: MariaDB server plugin/auth_ed25519/server_ed25519.c and ref10/sign.c, 10.11:
//   server → AuthSwitchRequest("client_ed25519", nonce: 32 random bytes)
//   client → the 64-byte Ed25519 signature of the nonce, the password being the secret (ed25519.ts)
import { ErrorCode, ProtocolError } from '../../errors.js';
import { ed25519Sign } from './ed25519.js';
import type { AuthExchange, AuthPlugin } from './plugin.js';

const NONCE_BYTES = 32;

export const clientEd25519: AuthPlugin = {
  name: 'client_ed25519',
  create(ctx): AuthExchange {
    return {
      start(data) {
        if (data.length !== NONCE_BYTES) {
          throw new ProtocolError(
            ErrorCode.ERR_PROTOCOL,
            `client_ed25519: the server sent a ${data.length}-byte nonce, expected ${NONCE_BYTES}`,
          );
        }
        return ed25519Sign(data, ctx.password);
      },
      more: () => {
        throw new ProtocolError(
          ErrorCode.ERR_PROTOCOL,
          'client_ed25519: unexpected AuthMoreData from the server',
        );
      },
    };
  },
};
