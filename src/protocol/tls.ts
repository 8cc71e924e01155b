// TLS policy: whether to upgrade, and the node:tls options for each mode.
//   disabled         never
//   preferred        when the server offers CLIENT_SSL, on TCP (never over a unix socket); else plain
//   required         must; the certificate is not checked (encryption only)
//   verify-ca        must; the chain must lead to tls.ca (or Node's root store); the name is not checked
//   verify-identity  as verify-ca, and the certificate must name tls.servername, else the host
// The upgrade (SSLRequest, then the TLS handshake on the same socket) is in connect.ts / Connection.
import { isIP } from 'node:net';
import { checkServerIdentity, type ConnectionOptions as TlsConnectOptions } from 'node:tls';
import { ErrorCode, TlsError } from '../errors.js';
import type { ResolvedConnectOptions } from './options.js';

/** Decides whether to upgrade; throws TlsError ERR_TLS_NOT_SUPPORTED when TLS is required but not offered. */
export function shouldUseTls(
  options: ResolvedConnectOptions,
  serverOffersTls: boolean,
  endpoint: string,
): boolean {
  const mode = options.tls.mode;
  if (mode === 'disabled') return false;
  if (mode === 'preferred') return serverOffersTls && options.connection.socketPath === undefined;
  if (!serverOffersTls) {
    throw new TlsError(
      ErrorCode.ERR_TLS_NOT_SUPPORTED,
      `${endpoint} does not offer TLS, and tls.mode is '${mode}'`,
    );
  }
  return true;
}

export function tlsConnectOptions(options: ResolvedConnectOptions): TlsConnectOptions {
  const t = options.tls;
  const host = options.connection.host ?? 'localhost';
  const identity = t.servername ?? host;
  const verify = t.mode === 'verify-ca' || t.mode === 'verify-identity';
  const out: TlsConnectOptions = {
    rejectUnauthorized: verify,
    // SNI carries host names only (RFC 6066 §3)
    servername: isIP(identity) === 0 ? identity : undefined,
    ca: t.ca,
    cert: t.cert,
    key: t.key,
    checkServerIdentity:
      t.mode === 'verify-identity' ? (_name, cert) => checkServerIdentity(identity, cert) : () => undefined,
  };
  return out;
}
