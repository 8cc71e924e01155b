// ROTATE_EVENT body: mysql-server libs/mysql/binlog/event/control_events.h (Rotate_event), 9.x
//   position   u64   offset of the first event in the new file (post-header; absent in binlog v1 → 4)
//   new_log    bytes rest of the body, no NUL
import type { DecodeContext } from '../context.js';
import type { Cursor } from '../cursor.js';
import { EventType } from '../constants.js';
import type { EventHeader, RotateEvent } from '../types.js';

export function decodeRotate(cur: Cursor, ctx: DecodeContext, h: EventHeader): RotateEvent {
  const post = ctx.postHeaderLength(EventType.ROTATE_EVENT);
  let position = 4;
  if (post > 0) {
    cur.need(post);
    position = cur.u64n();
    cur.pos += post - 8;
  }
  const ev = h as RotateEvent;
  ev.nextPos = position;
  ev.nextFile = cur.buf.toString('utf8', cur.pos, cur.end);
  cur.pos = cur.end;
  return ev;
}
