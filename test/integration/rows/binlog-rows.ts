// Test helper: finds the row images of one table in a binlog file, without the project's rows-event decoder
// (written separately), so that the value codecs can be checked against bytes written by a real server.
//
// Layouts: mysql-server libs/mysql/binlog/event/binlog_event.h (common header: 19 bytes), control_events.h
// (Format_description_event: checksum algorithm byte before the 4-byte CRC), rows_event.h (Table_map_event,
// Rows_event: table_id u48, flags u16, [v2: extra_len u16 incl. itself, extra data], column count lenenc,
// columns-present bitmap(s), then rows). MariaDB writes the v1 layout (types 23/24/25).
import { readFileSync } from 'node:fs';
import { Cursor } from '../../../src/binlog/cursor.js';

const FORMAT_DESCRIPTION_EVENT = 15;
const TABLE_MAP_EVENT = 19;
const V1 = new Set([23, 24, 25]);
const V2 = new Set([30, 31, 32, 39]);
const UPDATE = new Set([24, 31, 39]);

export interface RowsEventImage {
  type: number;
  columnCount: number;
  /** Columns-present bitmap(s): [before] for write/delete, [before, after] for updates. */
  present: boolean[][];
  /** Present bitmap(s) already skipped: the cursor is at the first row's null bitmap. */
  rows: Cursor;
  /** Extra row-image bitmap count: 2 for UPDATE / PARTIAL_UPDATE rows events. */
  images: number;
  /** Where the event starts and ends in the file (`rows.buf` is the whole file). */
  start: number;
  end: number;
  /** Bytes of trailing CRC32 (0 or 4). */
  checksum: number;
}

/** Every rows event for `schema.table` in the binlog file, in file order. */
export function rowsEventsOf(path: string, schema: string, table: string): RowsEventImage[] {
  const buf = readFileSync(path);
  if (buf.readUInt32BE(0) !== 0xfe62696e) throw new Error(`${path}: not a binlog file`);
  let pos = 4;
  let checksum = 0;
  const ids = new Set<string>();
  const out: RowsEventImage[] = [];
  while (pos + 19 <= buf.length) {
    const type = buf[pos + 4];
    const size = buf.readUInt32LE(pos + 9);
    if (size < 19 || pos + size > buf.length) break; // a partly written last event
    const body = pos + 19;
    const end = pos + size - (type === FORMAT_DESCRIPTION_EVENT ? 0 : checksum);
    if (type === FORMAT_DESCRIPTION_EVENT) {
      // binlog version u16, server version 50 bytes, timestamp u32, header length u8, post-header lengths,
      // then (5.6.1+) checksum algorithm u8 and the event's own CRC32.
      checksum = buf[pos + size - 5] === 1 ? 4 : 0;
    } else if (type === TABLE_MAP_EVENT) {
      const cur = new Cursor(buf, body, end);
      cur.need(8);
      const id = cur.u48().toString();
      cur.u16();
      cur.need(1);
      const db = cur.ascii(cur.u8());
      cur.skip(1);
      cur.need(1);
      const name = cur.ascii(cur.u8());
      if (db === schema && name === table) ids.add(id);
    } else if (V1.has(type) || V2.has(type)) {
      const cur = new Cursor(buf, body, end);
      cur.need(8);
      const id = cur.u48().toString();
      cur.u16();
      if (V2.has(type)) {
        cur.need(2);
        cur.skip(cur.u16() - 2);
      }
      if (ids.has(id)) {
        const columnCount = cur.lenenc();
        const images = UPDATE.has(type) ? 2 : 1;
        const present: boolean[][] = [];
        for (let k = 0; k < images; k++) {
          const bits = cur.bytes((columnCount + 7) >> 3);
          present.push(Array.from({ length: columnCount }, (_, i) => (bits[i >> 3] & (1 << (i & 7))) !== 0));
        }
        out.push({ type, columnCount, present, rows: cur, images, start: pos, end: pos + size, checksum });
      }
    }
    pos += size;
  }
  return out;
}

/** The current binlog file of a server (SHOW BINARY LOG STATUS / SHOW MASTER STATUS). */
export async function currentBinlog(server: {
  flavor: 'mysql' | 'mariadb';
  sql(s: string): Promise<string>;
  binlogPath(f: string): string;
}): Promise<string> {
  const st = await server.sql(server.flavor === 'mysql' ? 'SHOW BINARY LOG STATUS' : 'SHOW MASTER STATUS');
  return server.binlogPath(st.split('\t')[0]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** Rewrites an event's CRC32 (zlib's polynomial, as the server computes it) after its bytes were patched. */
export function fixChecksum(buf: Buffer, ev: RowsEventImage): void {
  if (ev.checksum === 0) return;
  let c = 0xffffffff;
  for (let i = ev.start; i < ev.end - 4; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  buf.writeUInt32LE((c ^ 0xffffffff) >>> 0, ev.end - 4);
}
