// MySQL GTID sets, with the tagged GTIDs of MySQL 8.3+ (`uuid:tag:gno`). The text grammar is in
// mysql-gtid.ts, the binary layout in mysql-gtid-set-binary.ts.
//
// Canonical text (checked byte for byte against MySQL 9.7.4: SELECT GTID_SUBTRACT(x, ''), @@gtid_executed): TSIDs sorted by (uuid, tag) with the untagged one first, uuids and tags in lowercase,
// one uuid per group (`uuid:1-5:tag1:3:tag2:1-2`), intervals merged and sorted, groups joined by ",\n".
// The empty set is ''.
//
// Intervals in this API are inclusive (`start`..`end`, as in the text); GNOs are bigint.
import { Cursor } from '../binlog/cursor.js';
import { DecodeError, ErrorCode, GtidError } from '../errors.js';
import {
  addInterval,
  containsGno,
  countGnos,
  intersect,
  intervalsEqual,
  isSubset,
  removeInterval,
  type Intervals,
} from './gno-intervals.js';
import {
  encodedGtidSetLength,
  encodeGtidSet,
  readGtidSet,
  type MysqlGtidSetFormat,
} from './mysql-gtid-set-binary.js';
import {
  checkGno,
  parseMysqlGtid,
  scanMysqlGtidSet,
  type MysqlGtidInput,
  type MysqlGtidInterval,
  type MysqlGtidIntervalInput,
} from './mysql-gtid.js';
import { normalizeTag, normalizeUuid } from './mysql-uuid.js';

export type { MysqlGtidSetFormat } from './mysql-gtid-set-binary.js';

interface Entry {
  readonly uuid: string;
  readonly tag: string;
  readonly iv: Intervals;
}

/** Adds [start, end) (exclusive end) of an already normalized TSID: for the parser and the decoder. */
let addRaw: (set: MysqlGtidSet, uuid: string, tag: string, start: bigint, end: bigint) => void;

/**
 * A set of MySQL GTIDs (tagged ones included, 8.3+), as in @@gtid_executed: parses every text form the
 * server accepts and prints exactly as it does. {@link BinlogSyncer.startSyncGtid} takes one (or its
 * text) to stream every transaction not in it. Mutating methods return `this`; union / subtract /
 * intersection return new sets.
 *
 * @example
 * ```ts
 * import { MysqlGtidSet } from 'binlogsync';
 *
 * const done = MysqlGtidSet.parse('3e11fa47-71ca-11e1-9e33-c80aa9429562:1-100');
 * done.addGtid('3e11fa47-71ca-11e1-9e33-c80aa9429562:101');
 * done.contains('3e11fa47-71ca-11e1-9e33-c80aa9429562:50'); // true
 * const missing = MysqlGtidSet.parse(sourceExecuted).subtract(done); // what this replica has not seen
 * String(done); // '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-101'
 * ```
 */
export class MysqlGtidSet implements Iterable<MysqlGtidInterval> {
  #map = new Map<string, Entry>();
  #sorted: Entry[] | null = null;

  static {
    addRaw = (set, uuid, tag, start, end) => addInterval(set.#entry(uuid, tag).iv, start, end);
  }

  /** Parses the text forms the server accepts (grammar in mysql-gtid.ts); throws GtidError. */
  static parse(text: string): MysqlGtidSet {
    return parseMysqlGtidSet(text);
  }

  /** Entry for a TSID whose uuid and tag are already normalized. */
  #entry(uuid: string, tag: string): Entry {
    const key = `${uuid}:${tag}`;
    let e = this.#map.get(key);
    if (e === undefined) {
      e = { uuid, tag, iv: [] };
      this.#map.set(key, e);
      this.#sorted = null;
    }
    return e;
  }

  /** Entry for a TSID given by the user (normalized here, unless already known), or undefined. */
  #find(uuid: string, tag: string | undefined): Entry | undefined {
    const e = this.#map.get(`${uuid}:${tag ?? ''}`);
    return e ?? this.#map.get(`${normalizeUuid(uuid)}:${normalizeTag(tag)}`);
  }

  #drop(e: Entry): void {
    if (e.iv.length === 0) {
      this.#map.delete(`${e.uuid}:${e.tag}`);
      this.#sorted = null;
    }
  }

  /** Entries with at least one interval, in canonical order (uuid, then tag; untagged first). */
  #entries(): Entry[] {
    if (this.#sorted === null) {
      const keys = [...this.#map.keys()].sort();
      this.#sorted = keys.map((k) => this.#map.get(k)!);
    }
    return this.#sorted;
  }

  /** Adds one GTID (`uuid:gno`, `uuid:tag:gno`, or its parts). */
  addGtid(gtid: MysqlGtidInput | string): this {
    const g = typeof gtid === 'string' ? parseMysqlGtid(gtid) : gtid;
    checkGno(g.gno, 'number');
    const known = this.#map.get(`${g.uuid}:${g.tag ?? ''}`);
    const e = known ?? this.#entry(normalizeUuid(g.uuid), normalizeTag(g.tag));
    addInterval(e.iv, g.gno, g.gno + 1n);
    return this;
  }

  /** Adds the GTIDs `start` to `end` (inclusive) of one uuid and tag. */
  addInterval(interval: MysqlGtidIntervalInput): this {
    checkGno(interval.start, 'interval start');
    checkGno(interval.end, 'interval end');
    if (interval.end < interval.start) {
      throw new GtidError(`GTID interval ${interval.start}-${interval.end} ends before it starts`);
    }
    const e = this.#entry(normalizeUuid(interval.uuid), normalizeTag(interval.tag));
    addInterval(e.iv, interval.start, interval.end + 1n);
    return this;
  }

  /** Adds every GTID of `other` (in place union). */
  addSet(other: MysqlGtidSet): this {
    if (other === this) return this;
    for (const o of other.#map.values()) {
      const e = this.#entry(o.uuid, o.tag);
      for (let k = 0; k < o.iv.length; k += 2) addInterval(e.iv, o.iv[k], o.iv[k + 1]);
    }
    return this;
  }

  /** Removes one GTID, if present. */
  removeGtid(gtid: MysqlGtidInput | string): this {
    const g = typeof gtid === 'string' ? parseMysqlGtid(gtid) : gtid;
    checkGno(g.gno, 'number');
    const e = this.#find(g.uuid, g.tag);
    if (e !== undefined) {
      removeInterval(e.iv, g.gno, g.gno + 1n);
      this.#drop(e);
    }
    return this;
  }

  /** Removes every GTID of `other` (in place difference). */
  removeSet(other: MysqlGtidSet): this {
    if (other === this) {
      this.#map.clear();
      this.#sorted = null;
      return this;
    }
    for (const [key, o] of other.#map) {
      const e = this.#map.get(key);
      if (e === undefined) continue;
      for (let k = 0; k < o.iv.length && e.iv.length > 0; k += 2) removeInterval(e.iv, o.iv[k], o.iv[k + 1]);
      this.#drop(e);
    }
    return this;
  }

  /** GTIDs in either set (as GTID_UNION). */
  union(other: MysqlGtidSet): MysqlGtidSet {
    return this.clone().addSet(other);
  }

  /** GTIDs of this set that are not in `other` (as GTID_SUBTRACT(this, other)). */
  subtract(other: MysqlGtidSet): MysqlGtidSet {
    return this.clone().removeSet(other);
  }

  /** GTIDs in both sets (as GTID_INTERSECTION). */
  intersection(other: MysqlGtidSet): MysqlGtidSet {
    const out = new MysqlGtidSet();
    for (const [key, e] of this.#map) {
      const o = other.#map.get(key);
      if (o === undefined) continue;
      const iv = intersect(e.iv, o.iv);
      if (iv.length > 0) out.#map.set(key, { uuid: e.uuid, tag: e.tag, iv });
    }
    return out;
  }

  /** Whether the GTID is in the set, or (for a set) whether every GTID of it is (GTID_SUBSET(x, this)). */
  contains(x: MysqlGtidInput | MysqlGtidSet | string): boolean {
    if (x instanceof MysqlGtidSet) return x.isSubsetOf(this);
    const g = typeof x === 'string' ? parseMysqlGtid(x) : x;
    checkGno(g.gno, 'number');
    const e = this.#find(g.uuid, g.tag);
    return e !== undefined && containsGno(e.iv, g.gno);
  }

  /** Whether every GTID of this set is in `other` (GTID_SUBSET(this, other)). */
  isSubsetOf(other: MysqlGtidSet): boolean {
    for (const [key, e] of this.#map) {
      const o = other.#map.get(key);
      if (o === undefined ? e.iv.length > 0 : !isSubset(e.iv, o.iv)) return false;
    }
    return true;
  }

  /** The same GTIDs. */
  equals(other: MysqlGtidSet): boolean {
    if (this.#map.size !== other.#map.size) return false;
    for (const [key, e] of this.#map) {
      const o = other.#map.get(key);
      if (o === undefined || !intervalsEqual(e.iv, o.iv)) return false;
    }
    return true;
  }

  /** True when the set has no GTID (the text `''`). */
  isEmpty(): boolean {
    return this.#map.size === 0;
  }

  /** True when a tagged GTID is in the set: the source must then be MySQL 8.3 or later. */
  hasTags(): boolean {
    for (const e of this.#map.values()) if (e.tag !== '') return true;
    return false;
  }

  /** Number of GTIDs in the set. */
  count(): bigint {
    let n = 0n;
    for (const e of this.#map.values()) n += countGnos(e.iv);
    return n;
  }

  /** The highest GNO of a TSID in the set, 0n if it has none. */
  lastGno(uuid: string, tag?: string): bigint {
    const e = this.#find(uuid, tag);
    return e === undefined || e.iv.length === 0 ? 0n : e.iv[e.iv.length - 1] - 1n;
  }

  /** The TSIDs (uuid, tag) present, in canonical order. */
  tsids(): { uuid: string; tag: string }[] {
    return this.#entries().map((e) => ({ uuid: e.uuid, tag: e.tag }));
  }

  /** Every interval, in canonical order. */
  *intervals(): Generator<MysqlGtidInterval, void, undefined> {
    for (const e of this.#entries()) {
      for (let k = 0; k < e.iv.length; k += 2) {
        yield { uuid: e.uuid, tag: e.tag, start: e.iv[k], end: e.iv[k + 1] - 1n };
      }
    }
  }

  /** The intervals, as {@link intervals}. */
  [Symbol.iterator](): Iterator<MysqlGtidInterval> {
    return this.intervals();
  }

  /** An independent copy. */
  clone(): MysqlGtidSet {
    const out = new MysqlGtidSet();
    for (const [key, e] of this.#map) out.#map.set(key, { uuid: e.uuid, tag: e.tag, iv: e.iv.slice() });
    return out;
  }

  /** Canonical text, as MySQL prints it; `separator` between uuids defaults to the server's ",\n". */
  toString(separator = ',\n'): string {
    let s = '';
    let prevUuid = '';
    for (const e of this.#entries()) {
      if (e.uuid !== prevUuid) {
        if (prevUuid !== '') s += separator;
        s += e.uuid;
        prevUuid = e.uuid;
      }
      if (e.tag !== '') s += ':' + e.tag;
      for (let k = 0; k < e.iv.length; k += 2) {
        const last = e.iv[k + 1] - 1n;
        s += last === e.iv[k] ? `:${e.iv[k]}` : `:${e.iv[k]}-${last}`;
      }
    }
    return s;
  }

  /** The text, so that a set in JSON reads back with parse(). */
  toJSON(): string {
    return this.toString();
  }

  /** The binary form for COM_BINLOG_DUMP_GTID (same layout as PREVIOUS_GTIDS_LOG_EVENT). */
  encode(format: MysqlGtidSetFormat = 'auto'): Buffer {
    return encodeGtidSet(this.#entries(), format);
  }

  /** The byte length {@link encode} would return, without building it. */
  encodedLength(format: MysqlGtidSetFormat = 'auto'): number {
    return encodedGtidSetLength(this.#entries(), format);
  }
}

// ---- text and binary ----

/** Parses GTID set text as MySQL 9.7 does (grammar in mysql-gtid.ts); throws GtidError. */
export function parseMysqlGtidSet(text: string): MysqlGtidSet {
  const set = new MysqlGtidSet();
  scanMysqlGtidSet(text, (uuid, tag, start, end) => addRaw(set, uuid, tag, start, end));
  return set;
}

/**
 * @internal Reads one binary GTID set at the cursor (both formats) and leaves the cursor after it: decoder
 * plumbing (a Cursor is not public); use {@link decodeMysqlGtidSet}.
 */
export function readMysqlGtidSet(cur: Cursor): MysqlGtidSet {
  return readMysqlGtidSetEncoded(cur).set;
}

/** readMysqlGtidSet, also telling which format the bytes used (PREVIOUS_GTIDS reports it). */
export function readMysqlGtidSetEncoded(cur: Cursor): { set: MysqlGtidSet; format: 'untagged' | 'tagged' } {
  const set = new MysqlGtidSet();
  const format = readGtidSet(cur, (uuid, tag, start, end) => addRaw(set, uuid, tag, start, end));
  return { set, format };
}

/**
 * Decodes a binary GTID set that fills buf[start, end) exactly, e.g. a PREVIOUS_GTIDS_LOG_EVENT body
 * without its checksum. Throws DecodeError ERR_TRUNCATED or ERR_BAD_EVENT (offsets are indexes in `buf`).
 */
export function decodeMysqlGtidSet(buf: Buffer, start = 0, end = buf.length): MysqlGtidSet {
  const cur = new Cursor(buf, start, end);
  const set = readMysqlGtidSet(cur);
  if (cur.pos !== end) {
    throw new DecodeError(
      ErrorCode.ERR_BAD_EVENT,
      `GTID set encoding: ${end - cur.pos} unexpected byte(s) after the set at offset ${cur.pos}`,
      { offset: cur.pos },
    );
  }
  return set;
}

/** Encodes a GTID set for COM_BINLOG_DUMP_GTID; 'auto' picks the untagged format unless a tag is present. */
export function encodeMysqlGtidSet(set: MysqlGtidSet, format: MysqlGtidSetFormat = 'auto'): Buffer {
  return set.encode(format);
}
