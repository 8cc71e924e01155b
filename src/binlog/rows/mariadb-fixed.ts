// MariaDB's INET4, INET6 and UUID columns: the binlog logs them as BINARY(4) / BINARY(16) (only the schema
// tells them apart), and SELECT shows them as text. Their bytes, in the binlog, and the text MariaDB makes
// of them (MariaDB plugin/type_inet/sql_type_inet.cc Inet4::to_string, Inet6::to_string;
// plugin/type_uuid/sql_type_uuid.h: a UUID is logged in its in-memory order — the RFC 4122 byte order —
// whatever order its record keeps, so that it replicates to a BINARY(16) as is):
//   INET4  4 bytes, network order          a.b.c.d in decimal
//   INET6  16 bytes, network order         eight 16-bit words in lower-case hex without leading zeros;
//          the longest run of zero words (the first of equal ones; a single zero word counts) becomes '::';
//          with that run at the start and 6 words long, or 5 words long followed by ffff, the last 4 bytes
//          are written as an IPv4 address (::1.2.3.4, ::ffff:1.2.3.4)
//   UUID   16 bytes                        8-4-4-4-12 lower-case hex digits
// Pure functions of the bytes at [at, at + n): no state.

/** The MariaDB data types this module makes text of. */
export type MariadbFixedType = 'inet4' | 'inet6' | 'uuid';

/** Bytes each type has in the binlog. */
export const FIXED_LENGTH: Record<MariadbFixedType, number> = { inet4: 4, inet6: 16, uuid: 16 };

const HEX = '0123456789abcdef';

function ipv4(b: Uint8Array, at: number): string {
  return `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
}

function ipv6(b: Uint8Array, at: number): string {
  const words = new Array<number>(8);
  for (let i = 0; i < 8; i++) words[i] = (b[at + 2 * i] << 8) | b[at + 2 * i + 1];
  // the longest run of zero words; the first wins a tie
  let gapPos = -1;
  let gapLen = 0;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > gapLen) {
      gapPos = i;
      gapLen = j - i;
    }
    i = j;
  }
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i === gapPos) {
      out += i === 0 ? '::' : ':';
      i += gapLen - 1;
    } else if (i === 6 && gapPos === 0 && (gapLen === 6 || (gapLen === 5 && words[5] === 0xffff))) {
      return out + ipv4(b, at + 12);
    } else {
      out += words[i].toString(16);
      if (i !== 7) out += ':';
    }
  }
  return out;
}

function uuid(b: Uint8Array, at: number): string {
  let out = '';
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) out += '-';
    out += HEX[b[at + i] >> 4] + HEX[b[at + i] & 15];
  }
  return out;
}

/** The text MariaDB shows for a value of `type` whose bytes start at `at` (FIXED_LENGTH[type] of them). */
export function mariadbFixedText(type: MariadbFixedType, b: Uint8Array, at: number): string {
  return type === 'inet4' ? ipv4(b, at) : type === 'inet6' ? ipv6(b, at) : uuid(b, at);
}
