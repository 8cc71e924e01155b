// Test helpers: cut a binlog file into its raw events, and fix up an edited event's CRC32.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'binlogs');

export interface RawEvent {
  pos: number;
  code: number;
  buf: Buffer;
}

/** The events of a v4 binlog file, as copies (safe to edit). */
export function splitEvents(file: string): RawEvent[] {
  const data = readFileSync(file.includes('/') ? file : join(FIXTURES, file));
  const out: RawEvent[] = [];
  let pos = 4;
  while (pos + 19 <= data.length) {
    const len = data.readUInt32LE(pos + 9);
    out.push({ pos, code: data[pos + 4], buf: Buffer.from(data.subarray(pos, pos + len)) });
    pos += len;
  }
  return out;
}

/** Recomputes the trailing CRC32 of an edited event (non-FDE events). */
export function fixCrc(buf: Buffer): Buffer {
  buf.writeUInt32LE(crc32(buf.subarray(0, buf.length - 4)), buf.length - 4);
  return buf;
}
