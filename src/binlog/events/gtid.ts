// GTID_LOG_EVENT (33) and ANONYMOUS_GTID_LOG_EVENT (34): mysql-server
// libs/mysql/binlog/event/control_events.cpp (Gtid_event), 9.x
//   flags u8, sid 16 bytes, gno i64,
//   [lt_type u8 (2), last_committed i64, sequence_number i64]                       5.7.6+
//   [immediate_commit_timestamp 7 bytes, bit 55 set → original_commit_timestamp 7 bytes]  8.0.1+
//   [transaction_length packed integer]                                              8.0.2+
//   [immediate_server_version u32, bit 31 set → original_server_version u32]          8.0.14+
//   [commit_group_ticket u64]                                                        8.0.33+
// GTID_TAGGED_LOG_EVENT (42, MySQL 9.x) is a mysql::serialization message (serialization.ts) with the
// fields, by id: 0 flags, 1 uuid (16 varlen bytes), 2 gno (signed), 3 tag (string), 4 last_committed
// (signed), 5 sequence_number (signed), 6 immediate_commit_timestamp, 7 original_commit_timestamp
// (missing → immediate), 8 transaction_length, 9 immediate_server_version, 10 original_server_version
// (missing → immediate), 11 commit_group_ticket (control_events.h Gtid_event::define_fields).
import { DecodeError, ErrorCode } from '../../errors.js';
import type { DecodeContext } from '../context.js';
import type { Cursor } from '../cursor.js';
import type { EventHeader, GtidEvent } from '../types.js';
import {
  peekFieldId,
  readMessageHeader,
  readVarlenNumber,
  readVarlenS,
  readVarlenString,
  readVarlenU,
} from '../serialization.js';

const HEX: string[] = [];
for (let i = 0; i < 256; i++) HEX.push(i.toString(16).padStart(2, '0'));

export function uuidText(buf: Buffer | number[], at = 0): string {
  let s = '';
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) s += '-';
    s += HEX[buf[at + i]];
  }
  return s;
}

function fits(v: bigint): number {
  return Number(v);
}

export function decodeGtid(cur: Cursor, ctx: DecodeContext, h: EventHeader): GtidEvent {
  ctx.statementCharset = undefined; // a new transaction: no QUERY event in it yet
  cur.need(25);
  const ev = h as GtidEvent;
  ev.gtidFlags = cur.u8();
  ev.uuid = uuidText(cur.buf, cur.pos);
  cur.pos += 16;
  ev.tag = '';
  ev.gno = cur.i64();
  ev.gtid = h.type === 'anonymous_gtid' ? 'ANONYMOUS' : `${ev.uuid}:${ev.gno}`;
  if (cur.remaining >= 17 && cur.buf[cur.pos] === 2) {
    cur.pos++;
    ev.lastCommitted = fits(cur.i64());
    ev.sequenceNumber = fits(cur.i64());
    if (cur.remaining >= 7) {
      // 7 bytes LE; bit 55 (top bit of the 7th byte) says an original timestamp follows
      const lo = cur.u48();
      const hi = cur.u8();
      const ts = lo + (hi & 0x7f) * 2 ** 48;
      let orig = ts;
      if (hi & 0x80) {
        cur.need(7);
        orig = cur.u48() + cur.u8() * 2 ** 48;
      }
      ev.immediateCommitTimestamp = ts;
      ev.originalCommitTimestamp = orig;
      if (cur.remaining >= 1) {
        ev.transactionLength = cur.lenenc();
        if (cur.remaining >= 4) {
          let v = cur.u32();
          let o = v;
          if (v >= 0x8000_0000) {
            v -= 0x8000_0000;
            cur.need(4);
            o = cur.u32();
          }
          ev.immediateServerVersion = v;
          ev.originalServerVersion = o;
          if (cur.remaining >= 8) ev.commitGroupTicket = cur.u64();
        }
      }
    }
  }
  return ev;
}

export function decodeGtidTagged(cur: Cursor, ctx: DecodeContext, h: EventHeader): GtidEvent {
  ctx.statementCharset = undefined; // a new transaction: no QUERY event in it yet
  const { body, lastNonIgnorable } = readMessageHeader(cur);
  const ev = h as GtidEvent;
  ev.gtidFlags = 0;
  ev.uuid = '00000000-0000-0000-0000-000000000000';
  ev.tag = '';
  ev.gno = 0n;
  let immediateTs: number | undefined;
  let originalTs: number | undefined;
  let immediateVersion: number | undefined;
  let originalVersion: number | undefined;
  let id: number | undefined;
  while ((id = peekFieldId(body)) !== undefined) {
    if (id > 11) {
      // the header's id is the last non-ignorable field's id + 1 (mysql::serialization
      // find_last_non_ignorable_field_id): an unknown field is an error only if one of them is not ignorable
      if (lastNonIgnorable > 12) {
        throw new DecodeError(
          ErrorCode.ERR_BAD_EVENT,
          `gtid_tagged: unknown non-ignorable field ${lastNonIgnorable - 1}`,
          {
            offset: body.offset,
          },
        );
      }
      break; // newer ignorable fields
    }
    readVarlenNumber(body);
    switch (id) {
      case 0:
        ev.gtidFlags = readVarlenNumber(body);
        break;
      case 1: {
        const bytes: number[] = [];
        for (let i = 0; i < 16; i++) bytes.push(readVarlenNumber(body));
        ev.uuid = uuidText(bytes);
        break;
      }
      case 2:
        ev.gno = readVarlenS(body);
        break;
      case 3:
        ev.tag = readVarlenString(body);
        break;
      case 4:
        ev.lastCommitted = Number(readVarlenS(body));
        break;
      case 5:
        ev.sequenceNumber = Number(readVarlenS(body));
        break;
      case 6:
        immediateTs = Number(readVarlenU(body));
        break;
      case 7:
        originalTs = Number(readVarlenU(body));
        break;
      case 8:
        ev.transactionLength = Number(readVarlenU(body));
        break;
      case 9:
        immediateVersion = readVarlenNumber(body);
        break;
      case 10:
        originalVersion = readVarlenNumber(body);
        break;
      case 11:
        ev.commitGroupTicket = readVarlenU(body);
        break;
    }
  }
  if (immediateTs !== undefined) {
    ev.immediateCommitTimestamp = immediateTs;
    ev.originalCommitTimestamp = originalTs ?? immediateTs;
  }
  if (immediateVersion !== undefined) {
    ev.immediateServerVersion = immediateVersion;
    ev.originalServerVersion = originalVersion ?? immediateVersion;
  }
  ev.gtid = ev.tag ? `${ev.uuid}:${ev.tag}:${ev.gno}` : `${ev.uuid}:${ev.gno}`;
  cur.pos = cur.end;
  return ev;
}
