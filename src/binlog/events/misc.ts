// Small events. Sources: mysql-server libs/mysql/binlog/event/control_events.h and statement_events.h,
// 9.x (Intvar_event, Rand_event, Xid_event, Stop_event, Incident_event, Heartbeat_event(_v2),
// Ignorable_event, Rows_query_event).
//   INTVAR      type u8 (1 LAST_INSERT_ID, 2 INSERT_ID), value u64
//   RAND        seed1 u64, seed2 u64
//   XID         xid u64
//   STOP        empty
//   INCIDENT    incident u16, message length u8, message
//   HEARTBEAT   log file name (rest of body); the position is the header's log_pos
//   HEARTBEAT_V2  type/length/value fields (codecs/binary.cpp): 1 = log file name, 2 = position, 0 = end
//   ROWS_QUERY  length u8 (only the length mod 256; ignored), query (rest of body)
//   IGNORABLE   opaque
import { DecodeError, ErrorCode } from '../../errors.js';
import type { DecodeContext } from '../context.js';
import type { Cursor } from '../cursor.js';
import { setAnnotation } from './statement-text.js';
import { EventType } from '../constants.js';
import type {
  EventHeader,
  HeartbeatEvent,
  IgnorableEvent,
  IncidentEvent,
  IntvarEvent,
  RandEvent,
  RowsQueryEvent,
  StopEvent,
  XidEvent,
} from '../types.js';

const INTVAR_NAMES = ['INVALID_INT', 'LAST_INSERT_ID', 'INSERT_ID'] as const;

function skipPostHeader(cur: Cursor, ctx: DecodeContext, code: number): void {
  cur.skip(ctx.postHeaderLength(code));
}

export function decodeIntvar(cur: Cursor, ctx: DecodeContext, h: EventHeader): IntvarEvent {
  skipPostHeader(cur, ctx, EventType.INTVAR_EVENT);
  cur.need(9);
  const ev = h as IntvarEvent;
  ev.subtype = cur.u8();
  ev.name = INTVAR_NAMES[ev.subtype] ?? 'INVALID_INT';
  ev.value = cur.u64();
  return ev;
}

export function decodeRand(cur: Cursor, ctx: DecodeContext, h: EventHeader): RandEvent {
  skipPostHeader(cur, ctx, EventType.RAND_EVENT);
  cur.need(16);
  const ev = h as RandEvent;
  ev.seed1 = cur.u64();
  ev.seed2 = cur.u64();
  return ev;
}

export function decodeXid(cur: Cursor, ctx: DecodeContext, h: EventHeader): XidEvent {
  skipPostHeader(cur, ctx, EventType.XID_EVENT);
  cur.need(8);
  const ev = h as XidEvent;
  ev.xid = cur.u64();
  return ev;
}

export function decodeStop(cur: Cursor, _ctx: DecodeContext, h: EventHeader): StopEvent {
  cur.pos = cur.end;
  return h as StopEvent;
}

export function decodeIncident(cur: Cursor, ctx: DecodeContext, h: EventHeader): IncidentEvent {
  const post = ctx.postHeaderLength(EventType.INCIDENT_EVENT) || 2;
  cur.need(post);
  const ev = h as IncidentEvent;
  ev.incident = cur.u16();
  cur.pos += post - 2;
  if (cur.remaining > 0) {
    const n = cur.bytes(1)[0];
    ev.message = cur.utf8(n);
  } else {
    ev.message = '';
  }
  return ev;
}

export function decodeHeartbeat(cur: Cursor, _ctx: DecodeContext, h: EventHeader): HeartbeatEvent {
  const ev = h as HeartbeatEvent;
  ev.version = 1;
  ev.logFile = cur.buf.toString('utf8', cur.pos, cur.end);
  ev.sourcePos = h.logPos;
  cur.pos = cur.end;
  return ev;
}

export function decodeHeartbeatV2(cur: Cursor, _ctx: DecodeContext, h: EventHeader): HeartbeatEvent {
  const ev = h as HeartbeatEvent;
  ev.version = 2;
  ev.logFile = '';
  ev.sourcePos = 0;
  while (cur.remaining > 0) {
    const type = cur.lenenc();
    if (type === 0) break;
    const length = cur.lenenc();
    const field = cur.sub(length);
    if (type === 1) ev.logFile = field.utf8(field.remaining);
    else if (type === 2) ev.sourcePos = field.lenenc();
    else if (type > 2) continue; // a newer field: skipped by its length
  }
  return ev;
}

export function decodeIgnorable(cur: Cursor, _ctx: DecodeContext, h: EventHeader): IgnorableEvent {
  const ev = h as IgnorableEvent;
  ev.raw = cur.rest();
  return ev;
}

export function decodeRowsQuery(cur: Cursor, ctx: DecodeContext, h: EventHeader): RowsQueryEvent {
  skipPostHeader(cur, ctx, EventType.ROWS_QUERY_LOG_EVENT);
  cur.skip(1);
  const ev = h as RowsQueryEvent;
  setAnnotation(ev, cur, ctx);
  return ev;
}

export function badEvent(cur: Cursor, message: string): DecodeError {
  return new DecodeError(ErrorCode.ERR_BAD_EVENT, message, { offset: cur.offset });
}
