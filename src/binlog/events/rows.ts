// WRITE/UPDATE/DELETE_ROWS (pre-GA 20-22, v1 23-25, v2 30-32), PARTIAL_UPDATE_ROWS (39) and MariaDB
// *_ROWS_COMPRESSED (v1 166-168, v2 169-171): mysql-server libs/mysql/binlog/event/rows_event.cpp
// (Rows_event), 9.x; MariaDB sql/log_event.cc (row_log_event_uncompress), 11.8
//   post-header: table_id u48 (u32 when post_header_len is 6), flags u16,
//                v2 only (post_header_len 10): extra_len u16 (includes itself), extra info:
//                  (type u8: 0 NDB → len u8 (counts itself, the format u8 and the data), format u8, data;
//                   1 PART → partition_id u16,
//                   + source_partition_id u16 for UPDATE/PARTIAL_UPDATE; other → rest skipped)
//   width lenenc; columns_present bitmap ceil(width/8); UPDATE/PARTIAL: columns_present_after bitmap
//   rows: until the end of the body (MariaDB compressed: the rows are a compressed block, binlog-compress.ts)
//     row image: null bitmap over the present columns, then the values (rows/row-image.ts)
//     PARTIAL_UPDATE after image: value_options lenenc, [partial bits over all JSON columns], null bitmap, values
import { DecodeError, ErrorCode } from '../../errors.js';
import type { DecodeContext } from '../context.js';
import { Cursor } from '../cursor.js';
import { EventType as T } from '../constants.js';
import type { EventHeader, RowsEvent, RowsExtraInfo, UpdateRow } from '../types.js';
import type { Row } from '../rows/row-types.js';
import { PLAN, type PlannedTableMap } from '../rows/columns.js';
import type { ColumnPlan } from '../rows/values.js';
import { imageReader, presentColumns, readPartialAfterImage } from '../rows/row-image.js';
import { uncompressMariadb } from './binlog-compress.js';

const VERSION: number[] = [];
const KIND: string[] = [];
function kind(codes: number[], version: number, k: string): void {
  for (const c of codes) {
    VERSION[c] = version;
    KIND[c] = k;
  }
}
kind([T.PRE_GA_WRITE_ROWS_EVENT], 0, 'write');
kind([T.PRE_GA_UPDATE_ROWS_EVENT], 0, 'update');
kind([T.PRE_GA_DELETE_ROWS_EVENT], 0, 'delete');
kind([T.WRITE_ROWS_EVENT_V1, T.WRITE_ROWS_COMPRESSED_EVENT_V1], 1, 'write');
kind([T.UPDATE_ROWS_EVENT_V1, T.UPDATE_ROWS_COMPRESSED_EVENT_V1], 1, 'update');
kind([T.DELETE_ROWS_EVENT_V1, T.DELETE_ROWS_COMPRESSED_EVENT_V1], 1, 'delete');
kind([T.WRITE_ROWS_EVENT, T.WRITE_ROWS_COMPRESSED_EVENT], 2, 'write');
kind([T.UPDATE_ROWS_EVENT, T.UPDATE_ROWS_COMPRESSED_EVENT], 2, 'update');
kind([T.DELETE_ROWS_EVENT, T.DELETE_ROWS_COMPRESSED_EVENT], 2, 'delete');
kind([T.PARTIAL_UPDATE_ROWS_EVENT], 2, 'partial');

/** MySQL writes rows events for tables it filters out with this table id (~0 in 6 bytes). */
const DUMMY_TABLE_ID = 0xffff_ffff_ffff;

function readBitmap(cur: Cursor, width: number): boolean[] {
  const bytes = cur.bytes((width + 7) >> 3);
  const out = new Array<boolean>(width);
  for (let i = 0; i < width; i++) out[i] = (bytes[i >> 3] & (1 << (i & 7))) !== 0;
  return out;
}

function readExtra(c: Cursor, isUpdate: boolean): RowsExtraInfo {
  const extra: RowsExtraInfo = {};
  while (c.remaining > 0) {
    c.need(1);
    const type = c.u8();
    if (type === 0) {
      c.need(1);
      const len = c.u8();
      if (len < 2)
        throw new DecodeError(ErrorCode.ERR_BAD_EVENT, `rows event: NDB extra info of ${len} bytes`, {
          offset: c.offset,
        });
      // the first NDB block is kept, later ones skipped (as the server's Rows_event reader does)
      c.need(len - 1);
      if (extra.ndb === undefined) {
        extra.ndbFormat = c.u8();
        extra.ndb = c.bytes(len - 2);
      } else c.skip(len - 1);
    } else if (type === 1) {
      c.need(2);
      extra.partitionId = c.u16();
      if (isUpdate) {
        c.need(2);
        extra.sourcePartitionId = c.u16();
      }
    } else {
      (extra.unknown ??= []).push(type);
      c.pos = c.end;
    }
  }
  return extra;
}

export function decodeRowsEvent(cur: Cursor, ctx: DecodeContext, h: EventHeader): RowsEvent {
  const code = h.code;
  const version = VERSION[code] as 0 | 1 | 2;
  const k = KIND[code];
  const isUpdate = k === 'update' || k === 'partial';
  const post = ctx.postHeaderLength(code) || (version === 2 ? 10 : 8);
  cur.need(post);
  const tableId = post === 6 ? cur.u32() : cur.u48();
  const rowsFlags = cur.u16();
  let extra: RowsExtraInfo | undefined;
  if (post >= 10) {
    const extraLen = cur.u16();
    cur.pos += post - 10;
    if (extraLen < 2)
      throw new DecodeError(ErrorCode.ERR_BAD_EVENT, `rows event: extra info length ${extraLen}`, {
        offset: cur.offset - 2,
      });
    if (extraLen > 2) extra = readExtra(cur.sub(extraLen - 2), isUpdate);
  } else {
    cur.pos += post - (post === 6 ? 6 : 8);
  }
  const width = cur.lenenc();
  const present = readBitmap(cur, width);
  const presentAfter = isUpdate ? readBitmap(cur, width) : present;

  const ev = h as RowsEvent;
  ev.type = (k === 'partial' ? 'partial_update_rows' : k + '_rows') as RowsEvent['type'];
  ev.version = version;
  ev.tableId = tableId;
  ev.rowsFlags = rowsFlags;
  if (extra) ev.extra = extra;
  ev.columnsPresent = present;
  if (isUpdate) (ev as { columnsPresentAfter: boolean[] }).columnsPresentAfter = presentAfter;

  const tm = ctx.tables.get(tableId) as PlannedTableMap | undefined;
  const compressed = code >= T.WRITE_ROWS_COMPRESSED_EVENT_V1 && code <= T.DELETE_ROWS_COMPRESSED_EVENT;
  if (compressed) ev.compressed = true;
  if (tm?.skipped) {
    // the `tables` option leaves this table out: nothing past the bitmaps is read (nor inflated)
    ofTable(ev, cur, width, tm);
    ev.skipped = true;
    (ev as { rows: Row[] | UpdateRow[] }).rows = [];
    return ev;
  }
  let data = cur;
  if (compressed) {
    const at = cur.offset;
    const raw = uncompressMariadb(cur, cur.end);
    // offsets inside the inflated rows point at the compressed block's start
    data = new Cursor(raw, 0, raw.length, at);
  }

  if (tm === undefined) {
    if (tableId === DUMMY_TABLE_ID && data.remaining === 0) {
      ev.schema = '';
      ev.table = '';
      ev.rows = [];
      return ev;
    }
    throw new DecodeError(
      ErrorCode.ERR_MISSING_TABLE_MAP,
      `rows event for table id ${tableId} without a preceding TABLE_MAP event`,
      { offset: cur.offset },
    );
  }
  ofTable(ev, cur, width, tm);
  const plan = tm[PLAN];
  const cols = presentColumns(present, width);
  if (cols.length === 0 && data.pos < data.end) throw emptyImage(data);
  const end = data.end;
  try {
    readRows(ev, data, end, plan, cols, presentAfter, width, isUpdate, k === 'partial', ctx);
  } catch (e) {
    throw e instanceof DecodeError ? guessedWidth(e, plan, `\`${tm.schema}\`.\`${tm.table}\``) : e;
  }
  return ev;
}

/**
 * A rows event of a table with MariaDB old-format temporal columns read as precision 0 (values.ts) that
 * does not decode: most likely a column has a precision, and so a width, the binlog does not tell.
 */
function guessedWidth(e: DecodeError, plan: ColumnPlan[], table: string): DecodeError {
  if (e.code === ErrorCode.ERR_UNKNOWN_PRECISION) return e;
  const guessed = plan.filter((p) => p.fspGuess !== undefined);
  if (guessed.length === 0) return e;
  const what =
    guessed.length === 1
      ? guessed[0].fspGuess!.what
      : `${table} columns ${guessed.map((p) => p.fspGuess!.label).join(', ')}, MariaDB's old temporal format`;
  return new DecodeError(
    ErrorCode.ERR_UNKNOWN_PRECISION,
    `${what}: read as precision 0 (the binlog does not say the fractional precision, which ` +
      `sets the width), the rows do not decode (${e.message}); ` +
      'give it in values.schema (fsp, from information_schema.COLUMNS.DATETIME_PRECISION) or values.assumeFsp',
    { offset: e.offset, cause: e },
  );
}

function readRows(
  ev: RowsEvent,
  data: Cursor,
  end: number,
  plan: ColumnPlan[],
  cols: number[],
  presentAfter: boolean[],
  width: number,
  isUpdate: boolean,
  partial: boolean,
  ctx: DecodeContext,
): void {
  if (isUpdate) {
    const colsAfter = presentColumns(presentAfter, width);
    const readBefore = imageReader(plan, cols, ctx.rowBuilders);
    const readAfter = imageReader(plan, colsAfter, ctx.rowBuilders);
    const rows: UpdateRow[] = [];
    while (data.pos < end) {
      const before = readBefore(data);
      const after = partial ? readPartialAfterImage(data, plan, colsAfter) : readAfter(data);
      rows.push({ before, after });
    }
    (ev as { rows: UpdateRow[] }).rows = rows;
  } else {
    const rows: Row[] = [];
    const read = imageReader(plan, cols, ctx.rowBuilders);
    while (data.pos < end) rows.push(read(data));
    (ev as { rows: Row[] }).rows = rows;
  }
}

/** The rows event is of `tm`'s table: no wider than its map, named after it. */
function ofTable(ev: RowsEvent, cur: Cursor, width: number, tm: PlannedTableMap): void {
  if (width > tm.columnCount) {
    throw new DecodeError(
      ErrorCode.ERR_BAD_EVENT,
      `rows event has ${width} columns, its table map ${tm.schema}.${tm.table} ${tm.columnCount}`,
      { offset: cur.offset },
    );
  }
  ev.schema = tm.schema;
  ev.table = tm.table;
  ev.tableMap = tm;
}

/** A row image with no columns reads no bytes: the rest of the event could never be consumed. */
function emptyImage(c: Cursor): DecodeError {
  return new DecodeError(
    ErrorCode.ERR_BAD_EVENT,
    'rows event: empty columns-present bitmap but row data follows',
    {
      offset: c.offset,
    },
  );
}
