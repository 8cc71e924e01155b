// The server greeting (Protocol::HandshakeV10) and the client's SSLRequest / HandshakeResponse41.
// Sources: page_protocol_connection_phase_packets_protocol_handshake_v10.html and
// page_protocol_connection_phase_packets_protocol_handshake_response.html (8.4); MariaDB
// "Connection" protocol page (extended capabilities in the last 4 reserved bytes) and sql/sql_acl.cc.
import { ErrorCode, ProtocolError } from '../errors.js';
import { CLIENT, hasFlag } from './capabilities.js';
import { decodePayload } from './decode.js';
import { PayloadBuilder } from './packet-writer.js';

// HandshakeV10:
//   protocol_version   u8        10
//   server_version     string<NUL>   MariaDB < 11 prefixes "5.5.5-" for old replication clients
//   connection_id      u32 LE
//   auth_data_1        8 bytes   first part of the scramble
//   filler             u8        0
//   capabilities_lo    u16 LE
//   -- the rest may be absent (very old servers) --
//   character_set      u8
//   status_flags       u16 LE
//   capabilities_hi    u16 LE
//   auth_data_len      u8        total scramble length + 1 with CLIENT_PLUGIN_AUTH, else 0
//   reserved           6 bytes
//   mariadb_caps       u32 LE    MariaDB extended capabilities when CLIENT_MYSQL (bit 0) is unset,
//                                else 4 more reserved bytes
//   auth_data_2        max(13, auth_data_len - 8) bytes with CLIENT_SECURE_CONNECTION, NUL-terminated
//   auth_plugin_name   string<NUL> with CLIENT_PLUGIN_AUTH (some 5.5 servers omit the NUL)
export interface Greeting {
  readonly protocolVersion: number;
  /** As sent, e.g. "5.5.5-10.11.19-MariaDB-log" or "9.7.4". */
  readonly rawServerVersion: string;
  /** Without MariaDB's "5.5.5-" prefix. */
  readonly serverVersion: string;
  readonly flavor: 'mysql' | 'mariadb';
  readonly connectionId: number;
  /** Scramble (nonce): 20 bytes from MySQL and MariaDB. */
  readonly authData: Buffer;
  readonly authPluginName: string | undefined;
  readonly capabilities: number;
  /** MariaDB extended capabilities (0 for MySQL). */
  readonly mariadbCapabilities: number;
  readonly characterSet: number;
  readonly status: number;
}

export function decodeGreeting(payload: Buffer): Greeting {
  if (payload.length === 0 || payload[0] !== 10) {
    const got = payload.length === 0 ? 'an empty packet' : `protocol version ${payload[0]}`;
    throw new ProtocolError(
      ErrorCode.ERR_PROTOCOL,
      `unsupported server greeting: ${got}, expected handshake v10 (is this a MySQL server?)`,
    );
  }
  return decodePayload('server greeting', payload, (cur) => {
    cur.skip(1);
    const rawServerVersion = cur.cstring();
    cur.need(15);
    const connectionId = cur.u32();
    const part1 = cur.bytes(8);
    cur.skip(1);
    let capabilities = cur.u16();
    let characterSet = 0;
    let status = 0;
    let mariadbCapabilities = 0;
    let authDataLen = 0;
    let part2: Buffer | undefined;
    let authPluginName: string | undefined;
    if (cur.remaining > 0) {
      cur.need(16);
      characterSet = cur.u8();
      status = cur.u16();
      capabilities = (capabilities | (cur.u16() << 16)) >>> 0;
      authDataLen = cur.u8();
      cur.skip(6);
      const ext = cur.u32();
      if (!hasFlag(capabilities, CLIENT.CLIENT_LONG_PASSWORD)) mariadbCapabilities = ext;
      if (hasFlag(capabilities, CLIENT.CLIENT_SECURE_CONNECTION)) {
        const n = Math.max(13, authDataLen - 8);
        part2 = cur.bytes(Math.min(n, cur.remaining));
        // the last byte is a NUL terminator, not scramble
        const nul = part2.indexOf(0);
        if (nul >= 0) part2 = part2.subarray(0, nul);
      }
      if (hasFlag(capabilities, CLIENT.CLIENT_PLUGIN_AUTH) && cur.remaining > 0) {
        const rest = cur.rest();
        const nul = rest.indexOf(0);
        authPluginName = rest.toString('utf8', 0, nul < 0 ? rest.length : nul);
      }
    }
    const authData = part2 ? Buffer.concat([part1, part2]) : Buffer.from(part1);
    const mariadb = /mariadb/i.test(rawServerVersion);
    const serverVersion =
      mariadb && rawServerVersion.startsWith('5.5.5-') ? rawServerVersion.slice(6) : rawServerVersion;
    return {
      protocolVersion: 10,
      rawServerVersion,
      serverVersion,
      flavor: mariadb ? 'mariadb' : 'mysql',
      connectionId,
      authData,
      authPluginName,
      capabilities,
      mariadbCapabilities,
      characterSet,
      status,
    };
  });
}

// SSLRequest = the first 32 bytes of HandshakeResponse41:
//   client_flag        u32 LE
//   max_packet_size    u32 LE
//   character_set      u8
//   filler             19 bytes of 0
//   mariadb_caps       u32 LE    MariaDB extended capabilities (0 here), else 4 more zero bytes
function writeFixedPart(
  b: PayloadBuilder,
  capabilities: number,
  maxPacketSize: number,
  charset: number,
): void {
  b.u32(capabilities).u32(maxPacketSize).u8(charset).zeros(23);
}

export function encodeSslRequest(capabilities: number, maxPacketSize: number, charset: number): Buffer {
  const b = new PayloadBuilder(32);
  writeFixedPart(b, capabilities, maxPacketSize, charset);
  return b.finish();
}

export interface HandshakeResponse {
  readonly capabilities: number;
  readonly maxPacketSize: number;
  readonly characterSet: number;
  readonly user: string;
  readonly authResponse: Buffer;
  readonly database: string | undefined;
  readonly authPluginName: string;
  readonly attributes: Readonly<Record<string, string>>;
}

// HandshakeResponse41 after the fixed part:
//   username           string<NUL>
//   auth_response      int<lenenc> length + bytes with CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA,
//                      else u8 length + bytes (CLIENT_SECURE_CONNECTION)
//   database           string<NUL> with CLIENT_CONNECT_WITH_DB
//   client_plugin_name string<NUL> with CLIENT_PLUGIN_AUTH
//   attributes         int<lenenc> total length, then (lenenc key, lenenc value)… with CLIENT_CONNECT_ATTRS
export function encodeHandshakeResponse(r: HandshakeResponse): Buffer {
  const caps = r.capabilities;
  const b = new PayloadBuilder(256);
  writeFixedPart(b, caps, r.maxPacketSize, r.characterSet);
  b.cstring(r.user);
  if (hasFlag(caps, CLIENT.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA)) {
    b.lenencBytes(r.authResponse);
  } else {
    if (r.authResponse.length > 255) {
      throw new ProtocolError(
        ErrorCode.ERR_PROTOCOL,
        'authentication response longer than 255 bytes, and the server cannot take a longer one',
      );
    }
    b.u8(r.authResponse.length).bytes(r.authResponse);
  }
  if (hasFlag(caps, CLIENT.CLIENT_CONNECT_WITH_DB)) b.cstring(r.database ?? '');
  if (hasFlag(caps, CLIENT.CLIENT_PLUGIN_AUTH)) b.cstring(r.authPluginName);
  if (hasFlag(caps, CLIENT.CLIENT_CONNECT_ATTRS)) {
    const attrs = new PayloadBuilder(256);
    for (const [k, v] of Object.entries(r.attributes)) attrs.lenencText(k).lenencText(v);
    b.lenencBytes(attrs.finish());
  }
  return b.finish();
}
