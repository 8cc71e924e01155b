// The text of a statement as logged: QUERY events (and MariaDB's QUERY_COMPRESSED, EXECUTE_LOAD_QUERY),
// MariaDB's ANNOTATE_ROWS and MySQL's ROWS_QUERY hold the statement's bytes as the client sent them, in
// its character_set_client (mysql-server Query_log_event::write, MariaDB log_event_server.cc write the
// query as is; a replica sets character_set_client from the QUERY event's Q_CHARSET_CODE before running
// it). A QUERY event names that charset; ANNOTATE_ROWS and ROWS_QUERY do not.
import { isUtf8 } from 'node:buffer';
import type { DecodeContext } from '../context.js';
import type { Cursor } from '../cursor.js';
import { charsetOfCollation, decodeText, isKnownCharset } from '../rows/charsets.js';

const UTF8_NAMES = new Set(['utf8mb4', 'utf8mb3', 'utf8', 'ascii', 'binary']);

/** The character set a QUERY event's statement is in (its name), or undefined when unknown. */
export function clientCharset(collation: number | undefined, ctx: DecodeContext): string | undefined {
  if (collation === undefined) return undefined;
  const cs = charsetOfCollation(collation, ctx.format.flavor);
  return cs !== undefined && isKnownCharset(cs) ? cs : undefined;
}

const utf8 = (charset: string | undefined): boolean => charset === undefined || UTF8_NAMES.has(charset);

/** `buf[start, end)` is not valid UTF-8 (a replaced byte in its UTF-8 text says it may not be). */
const invalidUtf8 = (text: string, buf: Buffer, start: number, end: number): boolean =>
  text.includes('\uFFFD') && !isUtf8(buf.subarray(start, end));

/**
 * `ev.query`: the statement `buf[start, end)` as text in `charset` (undefined: UTF-8); `ev.queryBytes`: a
 * copy of its bytes only when the text cannot give them back (bytes not valid in the charset, a `_binary`
 * literal in a UTF-8 statement, say, became U+FFFD).
 */
export function setStatement(
  ev: { query: string; queryBytes?: Buffer },
  buf: Buffer,
  start: number,
  end: number,
  charset: string | undefined,
): void {
  const u = utf8(charset);
  const text = u ? buf.toString('utf8', start, end) : decodeText(buf, start, end, charset!);
  ev.query = text;
  if (u ? invalidUtf8(text, buf, start, end) : text.includes('\uFFFD'))
    ev.queryBytes = Buffer.from(buf.subarray(start, end));
}

/**
 * The rest of an ANNOTATE_ROWS / ROWS_QUERY event as `ev.query` (and `ev.queryBytes` when the text may
 * not hold the bytes). The event names no charset: the one of a QUERY event earlier in the same
 * transaction (MySQL's BEGIN) when there is one; else UTF-8 when the bytes are valid UTF-8; else a guess,
 * latin1 (MySQL's latin1, cp1252: the usual charset of clients that are not UTF-8), with the bytes.
 */
export function setAnnotation(
  ev: { query: string; queryBytes?: Buffer },
  cur: Cursor,
  ctx: DecodeContext,
): void {
  const { buf, pos, end } = cur;
  cur.pos = end;
  const cs = ctx.statementCharset;
  if (cs !== undefined) return setStatement(ev, buf, pos, end, cs);
  const text = buf.toString('utf8', pos, end);
  if (!invalidUtf8(text, buf, pos, end)) {
    ev.query = text;
    return;
  }
  ev.query = decodeText(buf, pos, end, 'latin1');
  ev.queryBytes = Buffer.from(buf.subarray(pos, end));
}
