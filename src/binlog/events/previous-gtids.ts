// PREVIOUS_GTIDS_LOG_EVENT body: mysql-server sql/rpl_gtid_set.cc (Gtid_set::add_gtid_encoding), 9.x:
// one binary GTID set, untagged or (8.3+) tagged format, read by the GTID library
// (src/gtid/mysql-gtid-set-binary.ts has the layout and the checks: counts that do not fit the body are
// ERR_TRUNCATED; an unknown format, a bad tag or an empty / out-of-order interval is ERR_BAD_EVENT).
import type { DecodeContext } from '../context.js';
import type { Cursor } from '../cursor.js';
import type { EventHeader, GtidSetEntry, PreviousGtidsEvent } from '../types.js';
import { readMysqlGtidSetEncoded } from '../../gtid/mysql-gtid-set.js';

export function decodePreviousGtids(cur: Cursor, ctx: DecodeContext, h: EventHeader): PreviousGtidsEvent {
  cur.skip(ctx.postHeaderLength(h.code));
  const { set, format } = readMysqlGtidSetEncoded(cur);
  // one entry per TSID in canonical order (the order the server encodes them in), inclusive intervals
  const entries: GtidSetEntry[] = [];
  let last: GtidSetEntry | undefined;
  for (const iv of set.intervals()) {
    if (last === undefined || last.uuid !== iv.uuid || last.tag !== iv.tag) {
      last = { uuid: iv.uuid, tag: iv.tag, intervals: [] };
      entries.push(last);
    }
    last.intervals.push({ start: iv.start, end: iv.end });
  }
  const ev = h as PreviousGtidsEvent;
  ev.gtidSet = entries;
  ev.gtidSetText = set.toString(',');
  ev.tagged = format === 'tagged';
  return ev;
}
