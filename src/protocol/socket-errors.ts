// Socket and TLS errors → typed errors with one-line messages naming the endpoint.
import { BinlogSyncError, ConnectionError, ErrorCode } from '../errors.js';

/** OpenSSL messages can span lines; errors here are one line. */
export function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ').trim();
}

export function mapSocketError(
  err: NodeJS.ErrnoException,
  endpoint: string,
  unixSocket: boolean,
  connected: boolean,
): BinlogSyncError {
  if (err instanceof BinlogSyncError) return err;
  switch (err.code) {
    case 'ECONNREFUSED':
      return new ConnectionError(ErrorCode.ERR_CONNECTION_REFUSED, `connection refused by ${endpoint}`, {
        cause: err,
      });
    case 'ENOENT':
      if (unixSocket && !connected) {
        return new ConnectionError(
          ErrorCode.ERR_CONNECTION_REFUSED,
          `no server at ${endpoint} (no such file)`,
          {
            cause: err,
          },
        );
      }
      break;
    case 'ECONNRESET':
    case 'EPIPE':
      return new ConnectionError(
        ErrorCode.ERR_CONNECTION_CLOSED,
        `${endpoint} reset the connection (${err.code})`,
        {
          cause: err,
        },
      );
  }
  return new ConnectionError(ErrorCode.ERR_SOCKET, `socket error on ${endpoint}: ${oneLine(err.message)}`, {
    cause: err,
  });
}
