// MariaDB events: MariaDB sql/log_event.h and sql/log_event.cc, 11.8
//   ANNOTATE_ROWS (160)       the statement text (rest of the body)
//   BINLOG_CHECKPOINT (161)   name_len u32, binlog file name
//   GTID (162)                seq_no u64, domain_id u32, flags2 u8,
//                             [FL_GROUP_COMMIT_ID 0x02: commit_id u64]
//                             [FL_PREPARED_XA 0x40 | FL_COMPLETED_XA 0x80: format_id u32, gtrid_len u8,
//                              bqual_len u8, gtrid, bqual]
//                             [if bytes remain: flags_extra u8;
//                              FL_EXTRA_MULTI_ENGINE 0x01 → extra_engines u8;
//                              FL_COMMIT_ALTER 0x04 | FL_ROLLBACK_ALTER 0x08 → sa_seq_no u64;
//                              FL_EXTRA_THREAD_ID 0x10 (11.5+) → thread_id u32]
//                             zero padding up to the 19-byte post-header
//   GTID_LIST (163)           count_and_flags u32 (count: low 28 bits, flags: high 4),
//                             count × (domain_id u32, server_id u32, seq_no u64)
//   START_ENCRYPTION (164)    scheme u8, key_version u32, nonce 12 bytes
import { DecodeError, ErrorCode } from '../../errors.js';
import type { DecodeContext } from '../context.js';
import type { Cursor } from '../cursor.js';
import { setAnnotation } from './statement-text.js';
import type {
  EventHeader,
  MariadbAnnotateRowsEvent,
  MariadbBinlogCheckpointEvent,
  MariadbGtidEvent,
  MariadbGtidListEvent,
  MariadbStartEncryptionEvent,
} from '../types.js';

const FL_STANDALONE = 0x01;
const FL_GROUP_COMMIT_ID = 0x02;
const FL_PREPARED_XA = 0x40;
const FL_COMPLETED_XA = 0x80;
const FL_EXTRA_MULTI_ENGINE = 0x01;
const FL_COMMIT_ALTER = 0x04;
const FL_ROLLBACK_ALTER = 0x08;
const FL_EXTRA_THREAD_ID = 0x10;

export function decodeAnnotateRows(
  cur: Cursor,
  ctx: DecodeContext,
  h: EventHeader,
): MariadbAnnotateRowsEvent {
  const ev = h as MariadbAnnotateRowsEvent;
  setAnnotation(ev, cur, ctx);
  return ev;
}

export function decodeBinlogCheckpoint(
  cur: Cursor,
  _ctx: DecodeContext,
  h: EventHeader,
): MariadbBinlogCheckpointEvent {
  cur.need(4);
  const n = cur.u32();
  const ev = h as MariadbBinlogCheckpointEvent;
  ev.binlogFile = cur.utf8(n);
  return ev;
}

export function decodeMariadbGtid(cur: Cursor, ctx: DecodeContext, h: EventHeader): MariadbGtidEvent {
  ctx.statementCharset = undefined; // a new transaction: no QUERY event in it yet
  cur.need(13);
  const ev = h as MariadbGtidEvent;
  ev.seqNo = cur.u64();
  ev.domainId = cur.u32();
  const flags = cur.u8();
  ev.gtidFlags = flags;
  ev.standalone = (flags & FL_STANDALONE) !== 0;
  ev.gtid = `${ev.domainId}-${h.serverId}-${ev.seqNo}`;
  if (flags & FL_GROUP_COMMIT_ID) {
    cur.need(8);
    ev.commitId = cur.u64();
  }
  if (flags & (FL_PREPARED_XA | FL_COMPLETED_XA)) {
    cur.need(6);
    const formatId = cur.i32();
    const g = cur.u8();
    const b = cur.u8();
    if (g > 64 || b > 64) {
      throw new DecodeError(ErrorCode.ERR_BAD_EVENT, `mariadb gtid: invalid XID lengths ${g}/${b}`, {
        offset: cur.offset - 2,
      });
    }
    ev.xid = { formatId, gtrid: cur.bytes(g), bqual: cur.bytes(b) };
  }
  if (cur.remaining > 0) {
    const extra = cur.u8();
    ev.flagsExtra = extra;
    if (extra & FL_EXTRA_MULTI_ENGINE) {
      cur.need(1);
      ev.extraEngines = cur.u8();
    }
    if (extra & (FL_COMMIT_ALTER | FL_ROLLBACK_ALTER)) {
      cur.need(8);
      ev.saSeqNo = cur.u64();
    }
    if (extra & FL_EXTRA_THREAD_ID) {
      cur.need(4);
      ev.threadId = cur.u32();
    }
  }
  cur.pos = cur.end; // zero padding
  return ev;
}

export function decodeMariadbGtidList(
  cur: Cursor,
  _ctx: DecodeContext,
  h: EventHeader,
): MariadbGtidListEvent {
  cur.need(4);
  const v = cur.u32();
  const count = v & 0x0fff_ffff;
  const ev = h as MariadbGtidListEvent;
  ev.listFlags = v >>> 28;
  cur.need(count * 16);
  const gtids = [];
  for (let i = 0; i < count; i++) {
    const domainId = cur.u32();
    const serverId = cur.u32();
    gtids.push({ domainId, serverId, seqNo: cur.u64() });
  }
  ev.gtids = gtids;
  ev.gtidListText = gtids.map((g) => `${g.domainId}-${g.serverId}-${g.seqNo}`).join(',');
  return ev;
}

export function decodeStartEncryption(
  cur: Cursor,
  _ctx: DecodeContext,
  h: EventHeader,
): MariadbStartEncryptionEvent {
  cur.need(17);
  const ev = h as MariadbStartEncryptionEvent;
  ev.scheme = cur.u8();
  ev.keyVersion = cur.u32();
  ev.nonce = cur.bytes(12);
  return ev;
}
