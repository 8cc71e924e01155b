// The authentication exchange after HandshakeResponse41, until OK or ERR.
// Source: page_protocol_connection_phase.html (8.4), MariaDB sql/sql_acl.cc. Server packets:
//   0x00 OK                 authenticated
//   0xff ERR                refused (AuthError ERR_AUTH_FAILED for access-denied codes, else ServerError)
//   0xfe AuthSwitchRequest  plugin_name string<NUL>, plugin_data rest → restart with that plugin
//                           (a lone 0xfe is the pre-4.1 "old password" switch: unsupported)
//   0x01 AuthMoreData       data for the current plugin
import { AuthError, ErrorCode, ProtocolError, type ServerError } from '../errors.js';
import type { AuthContext, AuthExchange } from './auth/plugin.js';
import { getAuthPlugin } from './auth/registry.js';
import { PACKET } from './capabilities.js';
import type { Connection } from './connection.js';
import { decodeOkPacket, type OkPacket } from './ok-packet.js';
import { decodeErrPacket } from './server-error.js';

/** A server can switch plugins a few times (e.g. MariaDB's chains); more than this is a loop. */
const MAX_ROUNDS = 16;

/** ERR codes that mean "these credentials may not log in here". */
const ACCESS_DENIED = new Set([
  1044, // ER_DBACCESS_DENIED_ERROR
  1045, // ER_ACCESS_DENIED_ERROR
  1251, // ER_NOT_SUPPORTED_AUTH_MODE
  1275, // ER_SERVER_IS_IN_SECURE_AUTH_MODE
  1698, // ER_ACCESS_DENIED_NO_PASSWORD_ERROR
  1862, // ER_MUST_CHANGE_PASSWORD_LOGIN
  3118, // ER_ACCOUNT_HAS_BEEN_LOCKED
  3159, // ER_SECURE_TRANSPORT_REQUIRED
  4151, // ER_USER_ACCESS_DENIED_FOR_USER_ACCOUNT_BLOCKED_BY_PASSWORD_LOCK
]);

export function authFailure(err: ServerError, user: string, endpoint: string): Error {
  if (!ACCESS_DENIED.has(err.errno)) return err;
  return new AuthError(
    ErrorCode.ERR_AUTH_FAILED,
    `authentication of '${user}' at ${endpoint} failed: server error ${err.errno} (${err.sqlState}): ${err.serverMessage}`,
    { cause: err },
  );
}

export interface AuthOutcome {
  readonly ok: OkPacket;
  readonly plugin: string;
}

export async function authenticate(
  conn: Connection,
  plugin: string,
  exchange: AuthExchange,
  ctx: AuthContext,
  user: string,
): Promise<AuthOutcome> {
  let current = plugin;
  let ex = exchange;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const p = await conn.readPacket();
    switch (p[0]) {
      case PACKET.OK:
        return { ok: decodeOkPacket(p), plugin: current };
      case PACKET.ERR:
        throw authFailure(decodeErrPacket(p, 'connect'), user, conn.endpoint);
      case PACKET.AUTH_SWITCH_REQUEST: {
        if (p.length === 1) {
          throw new AuthError(
            ErrorCode.ERR_AUTH_PLUGIN_UNSUPPORTED,
            `the server asked for the pre-4.1 password scheme (mysql_old_password), which binlogsync does not support`,
          );
        }
        const nul = p.indexOf(0, 1);
        if (nul < 0)
          throw new ProtocolError(
            ErrorCode.ERR_PROTOCOL,
            'malformed AuthSwitchRequest: no NUL after the plugin name',
          );
        current = p.toString('utf8', 1, Math.min(nul, 1 + 64));
        ex = getAuthPlugin(current).create(ctx);
        await conn.writePacket(ex.start(p.subarray(nul + 1)));
        break;
      }
      case PACKET.AUTH_MORE_DATA: {
        const reply = ex.more(p.subarray(1));
        if (reply) await conn.writePacket(reply);
        break;
      }
      default:
        throw new ProtocolError(
          ErrorCode.ERR_PROTOCOL,
          p.length === 0
            ? 'empty packet during authentication'
            : `unexpected packet 0x${p[0].toString(16).padStart(2, '0')} during authentication`,
        );
    }
  }
  throw new ProtocolError(ErrorCode.ERR_PROTOCOL, `authentication did not finish after ${MAX_ROUNDS} rounds`);
}
