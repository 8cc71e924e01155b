// LOAD DATA events (statement-based LOAD DATA INFILE): mysql-server
// libs/mysql/binlog/event/load_data_events.h/.cpp, 9.x (the older ones from 5.0 sql/log_event.cc)
//   LOAD (6), NEW_LOAD (12), CREATE_FILE (8): post-header thread_id u32, exec_time u32, skip_lines u32,
//     table_name_len u8, db_len u8, num_fields u32 [CREATE_FILE: + file_id u32]
//     sql_ex: LOAD (old format) field_term, enclosed, line_term, line_start, escaped, opt_flags,
//             empty_flags — one byte each;
//             NEW_LOAD/CREATE_FILE: field_term, enclosed, line_term, line_start, escaped each as
//             len u8 + bytes, then opt_flags u8
//     field_lens u8 × num_fields, fields (each NUL-terminated), table_name NUL, db NUL,
//     file name (LOAD/NEW_LOAD: rest of the body; CREATE_FILE: NUL-terminated, then the data block)
//   APPEND_BLOCK (9), BEGIN_LOAD_QUERY (17): file_id u32, data block (rest)
//   EXEC_LOAD (10), DELETE_FILE (11): file_id u32
import type { DecodeContext } from '../context.js';
import type { Cursor } from '../cursor.js';
import { EventType } from '../constants.js';
import type { AppendBlockEvent, EventHeader, ExecLoadEvent, LoadEvent } from '../types.js';

function lenBytes(cur: Cursor): Buffer {
  cur.need(1);
  return cur.bytes(cur.u8());
}

export function decodeLoad(cur: Cursor, ctx: DecodeContext, h: EventHeader): LoadEvent {
  const code = h.code;
  const post = ctx.postHeaderLength(code);
  const ev = h as LoadEvent;
  cur.need(18);
  const start = cur.pos;
  ev.threadId = cur.u32();
  ev.execTime = cur.u32();
  ev.skipLines = cur.u32();
  const tableLen = cur.u8();
  const dbLen = cur.u8();
  ev.fieldCount = cur.u32();
  if (code === EventType.CREATE_FILE_EVENT && post >= 22) {
    cur.need(4);
    ev.fileId = cur.u32();
  }
  if (post > 18) cur.pos = Math.max(cur.pos, start + post);
  if (code === EventType.LOAD_EVENT) {
    cur.need(7);
    ev.fieldTerm = cur.bytes(1);
    ev.enclosed = cur.bytes(1);
    ev.lineTerm = cur.bytes(1);
    ev.lineStart = cur.bytes(1);
    ev.escaped = cur.bytes(1);
    ev.optFlags = cur.u8();
    ev.emptyFlags = cur.u8();
  } else {
    ev.fieldTerm = lenBytes(cur);
    ev.enclosed = lenBytes(cur);
    ev.lineTerm = lenBytes(cur);
    ev.lineStart = lenBytes(cur);
    ev.escaped = lenBytes(cur);
    cur.need(1);
    ev.optFlags = cur.u8();
    ev.emptyFlags = 0;
  }
  const lens = cur.bytes(ev.fieldCount);
  const fields: string[] = [];
  for (let i = 0; i < ev.fieldCount; i++) {
    fields.push(cur.utf8(lens[i]));
    cur.skip(1);
  }
  ev.fields = fields;
  ev.table = cur.utf8(tableLen);
  cur.skip(1);
  ev.schema = cur.utf8(dbLen);
  cur.skip(1);
  if (code === EventType.CREATE_FILE_EVENT) {
    ev.fileName = cur.cstring();
    ev.block = cur.rest();
  } else {
    ev.fileName = cur.utf8(cur.remaining);
  }
  return ev;
}

export function decodeAppendBlock(cur: Cursor, ctx: DecodeContext, h: EventHeader): AppendBlockEvent {
  const post = Math.max(ctx.postHeaderLength(h.code), 4);
  cur.need(post);
  const ev = h as AppendBlockEvent;
  ev.fileId = cur.u32();
  cur.pos += post - 4;
  ev.block = cur.rest();
  return ev;
}

function decodeFileId(cur: Cursor, ctx: DecodeContext, h: EventHeader): ExecLoadEvent {
  const post = Math.max(ctx.postHeaderLength(h.code), 4);
  cur.need(post);
  const ev = h as ExecLoadEvent;
  ev.fileId = cur.u32();
  cur.pos = cur.end;
  return ev;
}
export const decodeExecLoad = decodeFileId;
export const decodeDeleteFile = decodeFileId;
