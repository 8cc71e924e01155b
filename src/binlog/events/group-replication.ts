// Group-replication and XA events: mysql-server libs/mysql/binlog/event/control_events.cpp, 9.x
//   TRANSACTION_CONTEXT: server_uuid_len u8, thread_id u32, gtid_specified u8, snapshot_version_len u32,
//     write_set_len u32, read_set_len u32, server_uuid, snapshot_version,
//     write_set_len × (len u16, bytes), read_set_len × (len u16, bytes)
//   VIEW_CHANGE: view_id 40 bytes (NUL padded), seq_number u64, cert_info_len u32,
//     cert_info_len × (key len u16, key, value len u32, value)
//   XA_PREPARE: one_phase u8, format_id u32, gtrid_length u32, bqual_length u32, gtrid, bqual
import { DecodeError, ErrorCode } from '../../errors.js';
import type { DecodeContext } from '../context.js';
import type { Cursor } from '../cursor.js';
import { EventType } from '../constants.js';
import type { EventHeader, TransactionContextEvent, ViewChangeEvent, XaPrepareEvent } from '../types.js';

function dataSet(cur: Cursor, n: number): string[] {
  if (n * 2 > cur.remaining) {
    throw new DecodeError(ErrorCode.ERR_TRUNCATED, `transaction context: ${n} set items do not fit`, {
      offset: cur.offset,
    });
  }
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    cur.need(2);
    out.push(cur.ascii(cur.u16()));
  }
  return out;
}

export function decodeTransactionContext(
  cur: Cursor,
  ctx: DecodeContext,
  h: EventHeader,
): TransactionContextEvent {
  cur.skip(
    ctx.postHeaderLength(EventType.TRANSACTION_CONTEXT_EVENT) > 18
      ? ctx.postHeaderLength(EventType.TRANSACTION_CONTEXT_EVENT) - 18
      : 0,
  );
  cur.need(18);
  const uuidLen = cur.u8();
  const ev = h as TransactionContextEvent;
  ev.threadId = cur.u32();
  ev.gtidSpecified = cur.u8() !== 0;
  const snapLen = cur.u32();
  const writeLen = cur.u32();
  const readLen = cur.u32();
  ev.serverUuid = cur.ascii(uuidLen);
  ev.snapshotVersion = cur.bytes(snapLen);
  ev.writeSet = dataSet(cur, writeLen);
  ev.readSet = dataSet(cur, readLen);
  return ev;
}

export function decodeViewChange(cur: Cursor, _ctx: DecodeContext, h: EventHeader): ViewChangeEvent {
  cur.need(52);
  let nul = cur.buf.indexOf(0, cur.pos);
  if (nul < 0 || nul > cur.pos + 40) nul = cur.pos + 40;
  const ev = h as ViewChangeEvent;
  ev.viewId = cur.buf.toString('latin1', cur.pos, nul);
  cur.pos += 40;
  ev.seqNumber = cur.u64();
  const n = cur.u32();
  if (n * 6 > cur.remaining) {
    throw new DecodeError(ErrorCode.ERR_TRUNCATED, `view change: ${n} certification entries do not fit`, {
      offset: cur.offset,
    });
  }
  const info: [string, string][] = [];
  for (let i = 0; i < n; i++) {
    cur.need(2);
    const key = cur.utf8(cur.u16());
    cur.need(4);
    info.push([key, cur.utf8(cur.u32())]);
  }
  ev.certificationInfo = info;
  return ev;
}

export function decodeXaPrepare(cur: Cursor, _ctx: DecodeContext, h: EventHeader): XaPrepareEvent {
  cur.need(13);
  const ev = h as XaPrepareEvent;
  ev.onePhase = cur.u8() !== 0;
  ev.formatId = cur.u32(); // uint32 (control_events.cpp XA_prepare_event): 2^31 and above are not negative
  const g = cur.u32();
  const b = cur.u32();
  if (g > 64 || b > 64) {
    throw new DecodeError(ErrorCode.ERR_BAD_EVENT, `XA prepare: invalid XID lengths ${g}/${b}`, {
      offset: cur.offset - 8,
    });
  }
  ev.gtrid = cur.bytes(g);
  ev.bqual = cur.bytes(b);
  return ev;
}
