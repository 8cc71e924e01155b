// QUERY_EVENT body: mysql-server libs/mysql/binlog/event/statement_events.h (Query_event), 9.x
//   post-header (post_header_len bytes, >= 13):
//     thread_id u32, exec_time u32, db_len u8, error_code u16, status_vars_len u16,
//     [EXECUTE_LOAD_QUERY only: file_id u32, fn_pos_start u32, fn_pos_end u32, dup_handling u8]
//   status_vars   status_vars_len bytes (query-status-vars.ts)
//   db            db_len bytes + NUL
//   query         rest of the body
// MariaDB QUERY_COMPRESSED_EVENT (sql/log_event.cc query_event_uncompress): the query is
// compressed (binlog-compress.ts); everything before it is as in QUERY_EVENT.
import type { DecodeContext } from '../context.js';
import type { Cursor } from '../cursor.js';
import { EventType } from '../constants.js';
import type { EventHeader, ExecuteLoadQueryEvent, QueryCommonFields, QueryEvent } from '../types.js';
import { decodeStatusVars } from './query-status-vars.js';
import { badEvent } from './misc.js';
import { uncompressMariadb } from './binlog-compress.js';
import { clientCharset, setStatement } from './statement-text.js';

/**
 * Reads the fields QUERY and EXECUTE_LOAD_QUERY share into `ev` (`extra` reads EXECUTE_LOAD_QUERY's
 * post-header fields in between); its statement in the client's charset (statement-text.ts), which the
 * ANNOTATE_ROWS / ROWS_QUERY after it are in too.
 */
function decodeQueryCommon(
  cur: Cursor,
  ctx: DecodeContext,
  ev: QueryCommonFields,
  extra: ((c: Cursor) => void) | undefined,
): void {
  const code = ev.code;
  const post = ctx.postHeaderLength(code) || 13;
  if (post < 11) throw badEvent(cur, `query event: post-header of ${post} bytes (pre-5.0 format)`);
  cur.need(post);
  const start = cur.pos;
  const threadId = cur.u32();
  const execTime = cur.u32();
  const dbLen = cur.u8();
  const errorCode = cur.u16();
  const statusLen = post >= 13 ? cur.u16() : 0;
  if (extra) extra(cur);
  cur.pos = start + post;
  const statusVars = decodeStatusVars(cur.sub(statusLen), ctx.format.flavor === 'mariadb');
  const schema = cur.utf8(dbLen);
  cur.skip(1);
  const charset = clientCharset(statusVars.charsetClient, ctx);
  ctx.statementCharset = charset;
  let buf = cur.buf;
  let from = cur.pos;
  let to = cur.end;
  if (code === EventType.QUERY_COMPRESSED_EVENT) {
    buf = uncompressMariadb(cur, cur.end);
    from = 0;
    to = buf.length;
  }
  cur.pos = cur.end;
  ev.threadId = threadId;
  ev.execTime = execTime;
  ev.errorCode = errorCode;
  ev.schema = schema;
  setStatement(ev, buf, from, to, charset);
  ev.statusVars = statusVars;
}

export function decodeQuery(cur: Cursor, ctx: DecodeContext, h: EventHeader): QueryEvent {
  const ev = h as QueryEvent;
  decodeQueryCommon(cur, ctx, ev, undefined);
  if (h.code === EventType.QUERY_COMPRESSED_EVENT) ev.compressed = true;
  return ev;
}

export function decodeExecuteLoadQuery(
  cur: Cursor,
  ctx: DecodeContext,
  h: EventHeader,
): ExecuteLoadQueryEvent {
  const ev = h as ExecuteLoadQueryEvent;
  decodeQueryCommon(cur, ctx, ev, (c) => {
    c.need(13);
    ev.fileId = c.u32();
    ev.startPos = c.u32();
    ev.endPos = c.u32();
    ev.dupHandling = c.u8();
  });
  return ev;
}
