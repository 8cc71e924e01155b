// mysql_clear_password: the password and a NUL, as is (PAM, LDAP). Sent only when the user set
// auth.allowCleartextPassword; otherwise the exchange fails with AuthError ERR_AUTH_INSECURE.
import { AuthError, ErrorCode } from '../../errors.js';
import type { AuthExchange, AuthPlugin } from './plugin.js';
import { passwordWithNul } from './scramble.js';

export const mysqlClearPassword: AuthPlugin = {
  name: 'mysql_clear_password',
  create(ctx): AuthExchange {
    return {
      start: () => {
        if (!ctx.allowCleartextPassword) {
          throw new AuthError(
            ErrorCode.ERR_AUTH_INSECURE,
            'the server asked for mysql_clear_password, which sends the password as is; ' +
              'set auth.allowCleartextPassword to allow it',
          );
        }
        return passwordWithNul(ctx.password);
      },
      more: () => undefined,
    };
  },
};
