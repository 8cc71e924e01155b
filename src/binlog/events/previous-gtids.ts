// PREVIOUS_GTIDS_LOG_EVENT body: mysql-server sql/rpl_gtid_set.cc (Gtid_set::add_gtid_encoding), 9.x
//   untagged:  n_sids u64; per sid: uuid 16 bytes, n_intervals u64, (start i64, end i64 exclusive)*
//   tagged (8.4+ / 9.x with tags): the first 8 bytes are format u8 (1), n_sids u48, format u8 (1);
//              per sid: uuid 16 bytes, tag (length varlen (serialization.ts), bytes), n_intervals u64,
//              intervals as above
import { DecodeError, ErrorCode } from '../../errors.js';
import type { DecodeContext } from '../context.js';
import type { Cursor } from '../cursor.js';
import type { EventHeader, GtidSetEntry, PreviousGtidsEvent } from '../types.js';
import { readVarlenString } from '../serialization.js';
import { uuidText } from './gtid.js';

export function decodeGtidSet(cur: Cursor): { set: GtidSetEntry[]; tagged: boolean } {
  cur.need(8);
  const tagged = cur.buf[cur.pos] === 1 && cur.buf[cur.pos + 7] === 1;
  let nSids: number;
  if (tagged) {
    cur.pos++;
    nSids = cur.u48();
    cur.pos++;
  } else {
    nSids = cur.u64n();
  }
  // each sid takes at least 24 bytes: refuse counts the body cannot hold before looping
  if (nSids * 24 > cur.remaining) {
    throw new DecodeError(
      ErrorCode.ERR_TRUNCATED,
      `GTID set: ${nSids} sids do not fit in ${cur.remaining} bytes`,
      {
        offset: cur.offset,
      },
    );
  }
  const set: GtidSetEntry[] = [];
  for (let i = 0; i < nSids; i++) {
    cur.need(16);
    const uuid = uuidText(cur.buf, cur.pos);
    cur.pos += 16;
    const tag = tagged ? readVarlenString(cur) : '';
    cur.need(8);
    const n = cur.u64n();
    if (n * 16 > cur.remaining) {
      throw new DecodeError(
        ErrorCode.ERR_TRUNCATED,
        `GTID set: ${n} intervals do not fit in ${cur.remaining} bytes`,
        {
          offset: cur.offset,
        },
      );
    }
    const intervals = [];
    for (let j = 0; j < n; j++) {
      const start = cur.i64();
      const end = cur.i64() - 1n;
      intervals.push({ start, end });
    }
    set.push({ uuid, tag, intervals });
  }
  return { set, tagged };
}

/** uuid:1-5:tag:7,uuid2:1 — one uuid per group, untagged intervals first, then each tag. */
export function gtidSetText(set: GtidSetEntry[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < set.length) {
    const uuid = set[i].uuid;
    let s = uuid;
    while (i < set.length && set[i].uuid === uuid) {
      const e = set[i];
      if (e.tag) s += ':' + e.tag;
      for (const iv of e.intervals) s += iv.start === iv.end ? `:${iv.start}` : `:${iv.start}-${iv.end}`;
      i++;
    }
    parts.push(s);
  }
  return parts.join(',');
}

export function decodePreviousGtids(cur: Cursor, ctx: DecodeContext, h: EventHeader): PreviousGtidsEvent {
  cur.skip(ctx.postHeaderLength(h.code));
  const { set, tagged } = decodeGtidSet(cur);
  const ev = h as PreviousGtidsEvent;
  ev.gtidSet = set;
  ev.gtidSetText = gtidSetText(set);
  ev.tagged = tagged;
  return ev;
}
