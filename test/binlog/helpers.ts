// Test helpers: cut a binlog file into its raw events, and fix up an edited event's CRC32.
import { existsSync, readFileSync } from 'node:fs';
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

/**
 * What a recorded fixture needs beyond its bytes, from <name>.expected.json beside it (see
 * test/fixtures/record-fixtures.ts): the schema (by `db.table`) and the rows events as the server's SELECT
 * printed them. Undefined for fixtures checked against a .ref.txt instead.
 */
export interface FixtureExpectation {
  schema: SchemaProvider;
  events: { type: string; rows: (Record<string, string | null> | { before: object; after: object })[] }[];
}
export function fixtureExpectation(file: string): FixtureExpectation | undefined {
  const path = (file.includes('/') ? file : join(FIXTURES, file)).replace(/\.binlog$/, '.expected.json');
  if (!existsSync(path)) return undefined;
  const j = JSON.parse(readFileSync(path, 'utf8')) as {
    schema: Record<string, SchemaColumn[]>;
    events: FixtureExpectation['events'];
  };
  return { schema: (db, table) => j.schema[`${db}.${table}`], events: j.events };
}

/** Recomputes the trailing CRC32 of an edited event (non-FDE events). */
export function fixCrc(buf: Buffer): Buffer {
  buf.writeUInt32LE(crc32(buf.subarray(0, buf.length - 4)), buf.length - 4);
  return buf;
}

import { BinlogParser } from '../../src/binlog/parser.js';
import type { SchemaColumn, SchemaProvider } from '../../src/binlog/options.js';
import type { ParserStreamOptions } from '../../src/binlog/parser.js';
import type { BinlogEvent } from '../../src/binlog/types.js';

/** A parser that has read the FORMAT_DESCRIPTION of a recorded MySQL 9.7 or MariaDB 11.8 binlog (CRC32). */
export function primedParser(
  flavor: 'mysql' | 'mariadb' = 'mysql',
  opts: ParserStreamOptions = {},
): BinlogParser {
  const p = new BinlogParser(opts);
  const fde = splitEvents(
    flavor === 'mysql' ? 'mysql97-full.binlog' : 'mariadb118-full-compressed.binlog',
  )[0];
  p.parse(fde.buf, { pos: 4 });
  return p;
}

/** An event with a 19-byte header (server id 7, timestamp 1000) around `body`, with a valid CRC32. */
export function makeEvent(code: number, body: Buffer | string, pos = 1000, flags = 0): Buffer {
  const b = typeof body === 'string' ? Buffer.from(body.replace(/\s+/g, ''), 'hex') : body;
  const ev = Buffer.alloc(19 + b.length + 4);
  ev.writeUInt32LE(1000, 0);
  ev[4] = code;
  ev.writeUInt32LE(7, 5);
  ev.writeUInt32LE(ev.length, 9);
  ev.writeUInt32LE(pos + ev.length, 13);
  ev.writeUInt16LE(flags, 17);
  b.copy(ev, 19);
  return fixCrc(ev);
}

export function decodeOne(p: BinlogParser, code: number, body: Buffer | string, pos = 1000): BinlogEvent {
  return p.parse(makeEvent(code, body, pos), { pos });
}

/** Little-endian helpers for building bodies. */
export const le = {
  u8: (n: number) => Buffer.from([n]),
  u16: (n: number) => {
    const b = Buffer.alloc(2);
    b.writeUInt16LE(n);
    return b;
  },
  u32: (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    return b;
  },
  u48: (n: number) => {
    const b = Buffer.alloc(6);
    b.writeUIntLE(n, 0, 6);
    return b;
  },
  u64: (n: bigint) => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(n);
    return b;
  },
  str: (s: string) => Buffer.from(s, 'utf8'),
};
