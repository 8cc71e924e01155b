// mysql_native_password (MySQL <= 8.4, MariaDB). Source: mysql-server sql/auth/password.cc
// (scramble_411), page_protocol_connection_phase_authentication_methods_native_password_authentication.
//   response = SHA1(password) XOR SHA1(scramble + SHA1(SHA1(password)));  empty password → empty response
import { createHash } from 'node:crypto';
import type { AuthExchange, AuthPlugin } from './plugin.js';
import { takeScramble, xorRepeat } from './scramble.js';

function sha1(...parts: Buffer[]): Buffer {
  const h = createHash('sha1');
  for (const p of parts) h.update(p);
  return h.digest();
}

export function scrambleNativePassword(password: Buffer, scramble: Buffer): Buffer {
  if (password.length === 0) return Buffer.alloc(0);
  const stage1 = sha1(password);
  const stage2 = sha1(stage1);
  return xorRepeat(stage1, sha1(scramble, stage2));
}

export const mysqlNativePassword: AuthPlugin = {
  name: 'mysql_native_password',
  create(ctx): AuthExchange {
    return {
      start: (data) => scrambleNativePassword(ctx.password, takeScramble('mysql_native_password', data)),
      more: () => undefined,
    };
  },
};
