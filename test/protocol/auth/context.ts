// The AuthContext the plugin unit tests give: no TLS, no server key, nothing allowed, and the password.
import type { AuthContext } from '../../../src/protocol/auth/plugin.js';

export function authContext(password: string, over: Partial<AuthContext> = {}): AuthContext {
  return {
    password: Buffer.from(password),
    secureTransport: false,
    tls: false,
    serverPublicKey: undefined,
    allowPublicKeyRetrieval: false,
    allowCleartextPassword: false,
    ...over,
  };
}
