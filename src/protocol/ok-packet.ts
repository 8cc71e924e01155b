// OK and EOF packets.
// OK (page_protocol_basic_ok_packet.html, 8.4; CLIENT_PROTOCOL_41, no CLIENT_SESSION_TRACK):
//   header          u8          0x00, or 0xfe when it ends a result set under CLIENT_DEPRECATE_EOF
//   affected_rows   int<lenenc>
//   last_insert_id  int<lenenc>
//   status_flags    u16 LE      SERVER_STATUS_*
//   warnings        u16 LE
//   info            string<lenenc>  human-readable text, when present. The page says string<EOF>, but
//                   servers write it with net_store_data (length-prefixed) and libmysql's read_ok_ex
//                   reads a length first: seen in MySQL 9.7 / MariaDB 10.11 / 11.8 captures.
// EOF (page_protocol_basic_eof_packet.html): 0xfe, warnings u16 LE, status_flags u16 LE; payload < 9.
import { MAX_PACKET_PAYLOAD, PACKET } from './capabilities.js';
import { decodePayload, readLenencBigint } from './decode.js';

/** The server's OK packet: a statement without a result set succeeded. */
export interface OkPacket {
  readonly affectedRows: bigint;
  readonly lastInsertId: bigint;
  readonly status: number;
  readonly warnings: number;
  readonly info: string;
}

export function decodeOkPacket(payload: Buffer): OkPacket {
  return decodePayload('OK packet', payload, (cur) => {
    cur.skip(1);
    const affectedRows = readLenencBigint(cur);
    const lastInsertId = readLenencBigint(cur);
    // Pre-4.1 servers may stop here; binlogsync requires 4.1, but an OK this short is still an OK.
    let status = 0;
    let warnings = 0;
    if (cur.remaining >= 4) {
      cur.need(4);
      status = cur.u16();
      warnings = cur.u16();
    }
    const info = cur.remaining > 0 ? cur.utf8(cur.lenenc()) : '';
    return { affectedRows, lastInsertId, status, warnings, info };
  });
}

/** The 0xfe packet that ends column definitions or rows (EOF, or OK under CLIENT_DEPRECATE_EOF). */
export function isEndOfRows(payload: Buffer, deprecateEof: boolean): boolean {
  // A row can start with 0xfe too (an 8-byte length prefix for a value of 16 MiB or more), but such a
  // row is at least 0xffffff bytes long.
  if (payload.length === 0 || payload[0] !== PACKET.EOF) return false;
  return deprecateEof ? payload.length < MAX_PACKET_PAYLOAD : payload.length < 9;
}

export interface EofPacket {
  readonly warnings: number;
  readonly status: number;
}

export function decodeEofPacket(payload: Buffer): EofPacket {
  return decodePayload('EOF packet', payload, (cur) => {
    cur.skip(1);
    if (cur.remaining < 4) return { warnings: 0, status: 0 };
    cur.need(4);
    const warnings = cur.u16();
    const status = cur.u16();
    return { warnings, status };
  });
}
