// Connection options: nested groups, validated once into a frozen object (STYLE.md §1).
// The password is kept as a non-enumerable property, so printing, JSON.stringify or util.inspect of
// the resolved options never shows it; no validation message quotes a value of the `auth` group.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import { ConfigError } from '../errors.js';

/**
 * How TLS is used: never; when the server offers it (default); always; always and the certificate must
 * chain to `ca`; and, for `verify-identity`, also name the host.
 */
export type TlsMode = 'disabled' | 'preferred' | 'required' | 'verify-ca' | 'verify-identity';
export const TLS_MODES: readonly TlsMode[] = [
  'disabled',
  'preferred',
  'required',
  'verify-ca',
  'verify-identity',
];

/** A PEM text (certificate, key, RSA public key), as a string or its bytes. */
export type Pem = string | Buffer;

/** Where and how to reach the server. */
export interface ConnectionOptions {
  /** Host name or IP (default 'localhost' when no socketPath). */
  readonly host?: string;
  /** TCP port (default 3306). */
  readonly port?: number;
  /** Unix socket path; exclusive with host/port. */
  readonly socketPath?: string;
  /** Milliseconds for the whole connect: TCP, greeting, TLS and authentication (default 10000). */
  readonly connectTimeout?: number;
  /** Largest payload accepted from the server, in bytes (default 1 GiB + 64 KiB, above max_allowed_packet's cap). */
  readonly maxPacketSize?: number;
  /** Received payloads queued beyond this many bytes pause the socket (default 8 MiB). */
  readonly highWaterMark?: number;
}

/** How to log in. */
export interface AuthOptions {
  /** The user name. */
  readonly user: string;
  /** Its password (kept out of logs, messages and `util.inspect`). */
  readonly password?: string;
  /** Default schema (CLIENT_CONNECT_WITH_DB). */
  readonly database?: string;
  /** Let caching_sha2_password / sha256_password ask the server for its RSA key over plain TCP. */
  readonly allowPublicKeyRetrieval?: boolean;
  /** The server's RSA public key (PEM), for caching_sha2_password / sha256_password over plain TCP. */
  readonly serverPublicKey?: Pem;
  /** Allow mysql_clear_password, which sends the password as is. */
  readonly allowCleartextPassword?: boolean;
}

/** TLS settings. */
export interface TlsOptions {
  /** Default 'preferred' (TLS when the server offers it, on TCP; never over a unix socket). */
  readonly mode?: TlsMode;
  /** Trusted CA certificate(s) (PEM) for verify-ca / verify-identity; default: Node's root store. */
  readonly ca?: Pem | readonly Pem[];
  /** Client certificate and key (PEM). */
  readonly cert?: Pem;
  /** The client certificate's private key (PEM). */
  readonly key?: Pem;
  /** Name to send as SNI and to check the certificate against (verify-identity); default: host. */
  readonly servername?: string;
}

/** Options of {@link connect}. */
export interface ConnectOptions {
  /** Where the server is. */
  readonly connection: ConnectionOptions;
  /** Who logs in. */
  readonly auth: AuthOptions;
  /** TLS settings (default: TLS when the server offers it over TCP). */
  readonly tls?: TlsOptions;
  /** Extra connection attributes (performance_schema.session_connect_attrs). */
  readonly attributes?: Readonly<Record<string, string>>;
  /** Aborts the connect (rejects with AbortError). */
  readonly signal?: AbortSignal;
}

export interface ResolvedConnectOptions {
  readonly connection: {
    readonly host: string | undefined;
    readonly port: number;
    readonly socketPath: string | undefined;
    readonly connectTimeout: number;
    readonly maxPacketSize: number;
    readonly highWaterMark: number;
  };
  readonly auth: {
    readonly user: string;
    /** Non-enumerable. */
    readonly password: string;
    readonly database: string | undefined;
    readonly allowPublicKeyRetrieval: boolean;
    readonly serverPublicKey: KeyObject | undefined;
    readonly allowCleartextPassword: boolean;
  };
  readonly tls: {
    readonly mode: TlsMode;
    readonly ca: Pem | Pem[] | undefined;
    readonly cert: Pem | undefined;
    readonly key: Pem | undefined;
    readonly servername: string | undefined;
  };
  readonly attributes: Readonly<Record<string, string>>;
  readonly signal: AbortSignal | undefined;
}

export const DEFAULT_CONNECT_TIMEOUT = 10_000;
export const DEFAULT_MAX_PACKET_SIZE = 1024 * 1024 * 1024 + 64 * 1024;
export const DEFAULT_HIGH_WATER_MARK = 8 * 1024 * 1024;

function fail(message: string): never {
  throw new ConfigError(message);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function optString(group: Record<string, unknown>, name: string, path: string): string | undefined {
  const v = group[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') fail(`${path}.${name} must be a string`);
  if (v.includes('\0')) fail(`${path}.${name} must not contain a NUL character`);
  return v;
}

function optBool(group: Record<string, unknown>, name: string, path: string): boolean {
  const v = group[name];
  if (v === undefined) return false;
  if (typeof v !== 'boolean') fail(`${path}.${name} must be a boolean`);
  return v;
}

function optInt(
  group: Record<string, unknown>,
  name: string,
  min: number,
  max: number,
  dflt: number,
): number {
  const v = group[name];
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    fail(`connection.${name} must be an integer from ${min} to ${max}`);
  }
  return v;
}

function isPem(v: unknown): v is Pem {
  return typeof v === 'string' || Buffer.isBuffer(v);
}

function optPem(group: Record<string, unknown>, name: string, path: string): Pem | undefined {
  const v = group[name];
  if (v === undefined) return undefined;
  if (!isPem(v)) fail(`${path}.${name} must be a PEM string or Buffer`);
  return v;
}

function unknownKeys(group: Record<string, unknown>, known: readonly string[], path: string): void {
  for (const k of Object.keys(group)) {
    if (!known.includes(k)) fail(`unknown option ${path}.${k}`);
  }
}

/** Validates `options` once; throws ConfigError (ERR_INVALID_OPTION) naming the bad option. */
export function resolveConnectOptions(options: ConnectOptions): ResolvedConnectOptions {
  if (!isObject(options)) fail('options must be an object');
  const o = options as unknown as Record<string, unknown>;
  unknownKeys(o, ['connection', 'auth', 'tls', 'attributes', 'signal'], 'options');

  const c = o.connection;
  if (!isObject(c)) fail('options.connection must be an object');
  unknownKeys(
    c,
    ['host', 'port', 'socketPath', 'connectTimeout', 'maxPacketSize', 'highWaterMark'],
    'connection',
  );
  const socketPath = optString(c, 'socketPath', 'connection');
  let host = optString(c, 'host', 'connection');
  if (socketPath !== undefined && (host !== undefined || c.port !== undefined)) {
    fail('set either connection.socketPath or connection.host/port, not both');
  }
  if (socketPath === '') fail('connection.socketPath must not be empty');
  if (host === '') fail('connection.host must not be empty');
  if (socketPath === undefined && host === undefined) host = 'localhost';
  const connection = Object.freeze({
    host,
    port: optInt(c, 'port', 1, 65535, 3306),
    socketPath,
    connectTimeout: optInt(c, 'connectTimeout', 1, 2 ** 31 - 1, DEFAULT_CONNECT_TIMEOUT),
    maxPacketSize: optInt(c, 'maxPacketSize', 1024, 2 ** 32, DEFAULT_MAX_PACKET_SIZE),
    highWaterMark: optInt(c, 'highWaterMark', 1, 2 ** 32, DEFAULT_HIGH_WATER_MARK),
  });

  const a = o.auth;
  if (!isObject(a)) fail('options.auth must be an object');
  unknownKeys(
    a,
    ['user', 'password', 'database', 'allowPublicKeyRetrieval', 'serverPublicKey', 'allowCleartextPassword'],
    'auth',
  );
  const user = optString(a, 'user', 'auth');
  if (user === undefined) fail('auth.user is required');
  const password = optString(a, 'password', 'auth') ?? '';
  const pem = optPem(a, 'serverPublicKey', 'auth');
  let serverPublicKey: KeyObject | undefined;
  if (pem !== undefined) {
    try {
      serverPublicKey = createPublicKey(pem);
    } catch (err) {
      throw new ConfigError(`auth.serverPublicKey is not a PEM public key: ${(err as Error).message}`);
    }
    if (serverPublicKey.asymmetricKeyType !== 'rsa') fail('auth.serverPublicKey must be an RSA key');
  }
  const auth = {
    user,
    database: optString(a, 'database', 'auth'),
    allowPublicKeyRetrieval: optBool(a, 'allowPublicKeyRetrieval', 'auth'),
    serverPublicKey,
    allowCleartextPassword: optBool(a, 'allowCleartextPassword', 'auth'),
  };
  Object.defineProperty(auth, 'password', { value: password, enumerable: false });
  Object.freeze(auth);

  const t = o.tls ?? {};
  if (!isObject(t)) fail('options.tls must be an object');
  unknownKeys(t, ['mode', 'ca', 'cert', 'key', 'servername'], 'tls');
  const mode = t.mode ?? 'preferred';
  if (typeof mode !== 'string' || !TLS_MODES.includes(mode as TlsMode)) {
    fail(`tls.mode must be one of ${TLS_MODES.join(', ')}`);
  }
  let ca: Pem | Pem[] | undefined;
  if (Array.isArray(t.ca)) {
    if (!t.ca.every(isPem)) fail('tls.ca must be PEM strings or Buffers');
    ca = [...t.ca];
  } else {
    ca = optPem(t, 'ca', 'tls');
  }
  const cert = optPem(t, 'cert', 'tls');
  const key = optPem(t, 'key', 'tls');
  if ((cert === undefined) !== (key === undefined)) fail('tls.cert and tls.key go together');
  const servername = optString(t, 'servername', 'tls');
  if (servername !== undefined && (servername === '' || isIP(servername) !== 0)) {
    fail('tls.servername must be a host name, not an IP address');
  }
  const tls = Object.freeze({ mode: mode as TlsMode, ca, cert, key, servername });

  const attrs = o.attributes ?? {};
  if (!isObject(attrs)) fail('options.attributes must be an object of strings');
  const attributes: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (typeof v !== 'string') fail(`attributes.${k} must be a string`);
    if (k === '') fail('attribute names must not be empty');
    attributes[k] = v;
  }
  Object.freeze(attributes);

  const signal = o.signal;
  if (signal !== undefined && !(signal instanceof AbortSignal)) fail('options.signal must be an AbortSignal');

  return Object.freeze({
    connection,
    auth: auth as ResolvedConnectOptions['auth'],
    tls,
    attributes,
    signal,
  });
}

/** "host:port" or "unix socket <path>", for messages. */
export function describeEndpoint(o: ResolvedConnectOptions): string {
  const c = o.connection;
  if (c.socketPath !== undefined) return `unix socket ${c.socketPath}`;
  return `${c.host?.includes(':') ? `[${c.host}]` : c.host}:${c.port}`;
}
