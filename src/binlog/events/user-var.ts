// USER_VAR_EVENT body: mysql-server libs/mysql/binlog/event/statement_events.cpp (User_var_event), 9.x
//   name_len u32, name, is_null u8
//   if not null: type u8 (0 STRING, 1 REAL, 2 INT, 3 ROW, 4 DECIMAL), charset u32, value_len u32, value,
//                [flags u8: 1 = UNSIGNED_F]
//   DECIMAL value: precision u8, scale u8, binary decimal
import type { DecodeContext } from '../context.js';
import { Cursor } from '../cursor.js';
import { EventType } from '../constants.js';
import type { EventHeader, UserVarEvent } from '../types.js';
import { decodeDecimal } from '../rows/decimal.js';

const TYPES = ['string', 'real', 'int', 'row', 'decimal'] as const;

export function decodeUserVar(cur: Cursor, ctx: DecodeContext, h: EventHeader): UserVarEvent {
  cur.skip(ctx.postHeaderLength(EventType.USER_VAR_EVENT));
  cur.need(4);
  const nameLen = cur.u32();
  const ev = h as UserVarEvent;
  ev.name = cur.utf8(nameLen);
  cur.need(1);
  ev.isNull = cur.u8() !== 0;
  if (ev.isNull) {
    ev.valueType = 'string';
    ev.value = null;
    return ev;
  }
  cur.need(9);
  const t = cur.u8();
  ev.valueType = TYPES[t] ?? 'unknown';
  ev.charset = cur.u32();
  const len = cur.u32();
  const v = cur.sub(len);
  if (cur.remaining > 0) {
    cur.need(1);
    ev.unsigned = (cur.u8() & 1) !== 0;
  }
  switch (ev.valueType) {
    case 'real':
      v.need(8);
      ev.value = v.f64();
      break;
    case 'int':
      v.need(8);
      ev.value = ev.unsigned ? v.u64() : v.i64();
      break;
    case 'decimal': {
      v.need(2);
      const precision = v.u8();
      const scale = v.u8();
      ev.value = decodeDecimal(new Cursor(v.buf, v.pos, v.end, v.base), precision, scale);
      break;
    }
    default:
      ev.value = v.rest();
  }
  return ev;
}
