// The protocol layer's API, for src/index.ts and the replication layer.
export { connect, connectionAttributes } from './connect.js';
export { Connection, type CallOptions, type ServerInfo } from './connection.js';
export {
  resolveConnectOptions,
  describeEndpoint,
  TLS_MODES,
  type AuthOptions,
  type ConnectionOptions,
  type ConnectOptions,
  type Pem,
  type ResolvedConnectOptions,
  type TlsMode,
  type TlsOptions,
} from './options.js';
export { type ColumnDefinition, type QueryResult, encodeComQuery } from './query.js';
export { decodeOkPacket, decodeEofPacket, isEndOfRows, type EofPacket, type OkPacket } from './ok-packet.js';
export { decodeErrPacket, isErrPacket } from './server-error.js';
export { PayloadBuilder, encodeFrames, type Frames } from './packet-writer.js';
export { PacketReader } from './packet-reader.js';
export {
  CLIENT,
  COM,
  MARIADB_CLIENT,
  PACKET,
  SERVER_STATUS,
  MAX_PACKET_PAYLOAD,
  hasFlag,
} from './capabilities.js';
export { SUPPORTED_AUTH_PLUGINS } from './auth/registry.js';
export { ed25519PublicKey, ed25519Sign } from './auth/ed25519.js';
