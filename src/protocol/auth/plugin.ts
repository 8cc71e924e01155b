// The interface every authentication plugin implements, and what it may know about the connection.
// A plugin instance lives for one authentication exchange (it may keep the scramble between rounds).
import type { KeyObject } from 'node:crypto';

export interface AuthContext {
  /** The password as UTF-8 bytes (empty when none). Never put it, or anything derived, in a message. */
  readonly password: Buffer;
  /** TLS is on, or the transport is a unix socket: caching_sha2_password may send the password as is. */
  readonly secureTransport: boolean;
  /** TLS is on (sha256_password trusts nothing else: its server side rejects a clear password on a socket). */
  readonly tls: boolean;
  readonly serverPublicKey: KeyObject | undefined;
  readonly allowPublicKeyRetrieval: boolean;
  readonly allowCleartextPassword: boolean;
}

export interface AuthExchange {
  /**
   * The first response, to the greeting's scramble or to an AuthSwitchRequest's data (which the
   * server may end with a NUL).
   */
  start(data: Buffer): Buffer;
  /** Answer to an AuthMoreData packet (its bytes after 0x01); undefined = send nothing, read on. */
  more(data: Buffer): Buffer | undefined;
}

export interface AuthPlugin {
  /** The client plugin name the server uses in the greeting and AuthSwitchRequest. */
  readonly name: string;
  create(ctx: AuthContext): AuthExchange;
}
