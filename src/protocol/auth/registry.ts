// The authentication plugins binlogsync speaks, by the name servers use for them.
import { AuthError, ErrorCode } from '../../errors.js';
import { cachingSha2Password } from './caching-sha2-password.js';
import { clientEd25519 } from './client-ed25519.js';
import { mysqlClearPassword } from './mysql-clear-password.js';
import { mysqlNativePassword } from './mysql-native-password.js';
import { parsec } from './parsec.js';
import type { AuthPlugin } from './plugin.js';
import { sha256Password } from './sha256-password.js';

const PLUGINS: ReadonlyMap<string, AuthPlugin> = new Map(
  [mysqlNativePassword, cachingSha2Password, sha256Password, clientEd25519, parsec, mysqlClearPassword].map(
    (p) => [p.name, p],
  ),
);

export const SUPPORTED_AUTH_PLUGINS: readonly string[] = [...PLUGINS.keys()];

export function findAuthPlugin(name: string): AuthPlugin | undefined {
  return PLUGINS.get(name);
}

export function getAuthPlugin(name: string): AuthPlugin {
  const plugin = PLUGINS.get(name);
  if (plugin) return plugin;
  throw new AuthError(
    ErrorCode.ERR_AUTH_PLUGIN_UNSUPPORTED,
    `the server asked for authentication plugin '${name}', which binlogsync does not support ` +
      `(supported: ${SUPPORTED_AUTH_PLUGINS.join(', ')})`,
  );
}
