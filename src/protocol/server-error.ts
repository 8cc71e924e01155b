// ERR packet → ServerError, errno / SQL state / message kept verbatim.
// Layout (page_protocol_basic_err_packet.html, 8.4):
//   header          u8     0xff
//   error_code      u16 LE
//   sql_state_mark  u8     '#'  } only with CLIENT_PROTOCOL_41; servers also send the pre-4.1 form
//   sql_state       5 bytes    } (no marker) before the capabilities are agreed, e.g. "Host … is not
//   error_message   rest       }  allowed to connect", so the marker is tested, not assumed.
import { ServerError } from '../errors.js';
import { PACKET } from './capabilities.js';
import { decodePayload } from './decode.js';

export function isErrPacket(payload: Buffer): boolean {
  return payload.length > 0 && payload[0] === PACKET.ERR;
}

/** Decodes an ERR packet; `context` prefixes the message (e.g. "query"). */
export function decodeErrPacket(payload: Buffer, context?: string): ServerError {
  return decodePayload('ERR packet', payload, (cur) => {
    cur.need(3);
    cur.skip(1);
    const errno = cur.u16();
    let sqlState = 'HY000';
    if (cur.remaining >= 6 && cur.buf[cur.pos] === 0x23 /* '#' */) {
      cur.skip(1);
      sqlState = cur.ascii(5);
    }
    const message = cur.utf8(cur.remaining);
    return new ServerError(errno, sqlState, message, context);
  });
}
