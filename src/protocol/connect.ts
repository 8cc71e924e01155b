// connect(): socket, greeting, optional TLS upgrade, HandshakeResponse41, authentication.
// Everything up to the final OK runs under one deadline (connection.connectTimeout) and the caller's
// AbortSignal; on any failure the socket is destroyed and closed before the promise rejects.
import { readFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { type as osType } from 'node:os';
import { ErrorCode, ProtocolError, TimeoutError } from '../errors.js';
import { findAuthPlugin } from './auth/registry.js';
import type { AuthContext } from './auth/plugin.js';
import { authenticate } from './authenticate.js';
import { CLIENT, CLIENT_REQUIRED, CLIENT_WANTED, UTF8MB4_GENERAL_CI, hasFlag } from './capabilities.js';
import { Connection } from './connection.js';
import { decodeGreeting, encodeHandshakeResponse, encodeSslRequest } from './handshake.js';
import {
  describeEndpoint,
  resolveConnectOptions,
  type ConnectOptions,
  type ResolvedConnectOptions,
} from './options.js';
import { abortError } from './packet-queue.js';
import { decodeErrPacket, isErrPacket } from './server-error.js';
import { shouldUseTls, tlsConnectOptions } from './tls.js';

/** Plugins whose first response can go in the HandshakeResponse (they take the greeting's scramble). */
const GREETING_PLUGINS = new Set(['mysql_native_password', 'caching_sha2_password', 'sha256_password']);

/** max_packet_size we announce: the server's own cap for max_allowed_packet. */
const ANNOUNCED_MAX_PACKET = 1024 * 1024 * 1024;

let clientVersion: string | undefined;
function getClientVersion(): string {
  if (clientVersion === undefined) {
    try {
      // src/protocol/ and dist/protocol/ are both two levels below the package root
      const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
        version?: unknown;
      };
      clientVersion = typeof pkg.version === 'string' ? pkg.version : 'unknown';
    } catch {
      clientVersion = 'unknown';
    }
  }
  return clientVersion;
}

export function connectionAttributes(user: Readonly<Record<string, string>>): Record<string, string> {
  return {
    _client_name: 'binlogsync',
    _client_version: getClientVersion(),
    _os: osType(),
    _platform: process.arch,
    _pid: String(process.pid),
    ...user,
  };
}

/** Opens an authenticated connection. Rejects with a BinlogSyncError; never leaves a socket behind. */
export async function connect(options: ConnectOptions): Promise<Connection> {
  const opts = resolveConnectOptions(options);
  const signal = opts.signal;
  if (signal?.aborted) throw abortError(signal, 'connect');
  const c = opts.connection;
  const endpoint = describeEndpoint(opts);
  const socket =
    c.socketPath !== undefined
      ? netConnect({ path: c.socketPath })
      : netConnect({ host: c.host, port: c.port });
  socket.setNoDelay(true);
  const conn = new Connection(socket, {
    endpoint,
    unixSocket: c.socketPath !== undefined,
    maxPacketSize: c.maxPacketSize,
    highWaterMark: c.highWaterMark,
  });
  const timer = setTimeout(() => {
    conn.destroy(
      new TimeoutError(
        ErrorCode.ERR_CONNECT_TIMEOUT,
        `connecting to ${endpoint} timed out after ${c.connectTimeout} ms`,
      ),
    );
  }, c.connectTimeout);
  const onAbort = (): void => conn.destroy(abortError(signal!, 'connect'));
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await handshake(conn, opts);
    return conn;
  } catch (err) {
    conn.destroy(err as Error);
    await conn.whenClosed();
    throw conn.failure ?? err;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

async function handshake(conn: Connection, opts: ResolvedConnectOptions): Promise<void> {
  const endpoint = conn.endpoint;
  const first = await conn.readPacket();
  // e.g. 1040 too many connections, 1129 host blocked, 1130 host not allowed
  if (isErrPacket(first)) throw decodeErrPacket(first, `connect to ${endpoint}`);
  const greeting = decodeGreeting(first);
  if ((greeting.capabilities & CLIENT_REQUIRED) !== CLIENT_REQUIRED) {
    throw new ProtocolError(
      ErrorCode.ERR_PROTOCOL,
      `${endpoint} (${greeting.rawServerVersion}) does not speak the 4.1 protocol binlogsync needs`,
    );
  }
  let caps = (CLIENT_WANTED & greeting.capabilities) >>> 0;
  if (opts.auth.database !== undefined && hasFlag(greeting.capabilities, CLIENT.CLIENT_CONNECT_WITH_DB)) {
    caps = (caps | CLIENT.CLIENT_CONNECT_WITH_DB) >>> 0;
  }
  const tls = shouldUseTls(opts, hasFlag(greeting.capabilities, CLIENT.CLIENT_SSL), endpoint);
  const maxPacket = Math.min(opts.connection.maxPacketSize, ANNOUNCED_MAX_PACKET);
  if (tls) {
    caps = (caps | CLIENT.CLIENT_SSL) >>> 0;
    await conn.writePacket(encodeSslRequest(caps, maxPacket, UTF8MB4_GENERAL_CI));
    await conn.startTls(tlsConnectOptions(opts));
  }

  const ctx: AuthContext = {
    password: Buffer.from(opts.auth.password, 'utf8'),
    secureTransport: tls || opts.connection.socketPath !== undefined,
    tls,
    serverPublicKey: opts.auth.serverPublicKey,
    allowPublicKeyRetrieval: opts.auth.allowPublicKeyRetrieval,
    allowCleartextPassword: opts.auth.allowCleartextPassword,
  };
  // An unknown or switch-only default plugin: answer as mysql_native_password; the server then sends an
  // AuthSwitchRequest for the account's real plugin.
  const serverDefault = greeting.authPluginName ?? 'mysql_native_password';
  const pluginName = GREETING_PLUGINS.has(serverDefault) ? serverDefault : 'mysql_native_password';
  const exchange = findAuthPlugin(pluginName)!.create(ctx);
  const response = encodeHandshakeResponse({
    capabilities: caps,
    maxPacketSize: maxPacket,
    characterSet: UTF8MB4_GENERAL_CI,
    user: opts.auth.user,
    authResponse: exchange.start(greeting.authData),
    database: opts.auth.database,
    authPluginName: pluginName,
    attributes: connectionAttributes(opts.attributes),
  });
  await conn.writePacket(response);
  const outcome = await authenticate(conn, pluginName, exchange, ctx, opts.auth.user);
  conn.ready({
    flavor: greeting.flavor,
    serverVersion: greeting.serverVersion,
    rawServerVersion: greeting.rawServerVersion,
    connectionId: greeting.connectionId,
    serverCapabilities: greeting.capabilities,
    mariadbCapabilities: greeting.mariadbCapabilities,
    capabilities: caps,
    authPlugin: outcome.plugin,
    tls,
    status: outcome.ok.status,
  });
}
