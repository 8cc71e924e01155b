// MariaDB GTIDs (`domain-server-seq`), GTID positions (one GTID per domain: @@gtid_binlog_pos,
// @@gtid_slave_pos, @@gtid_current_pos, the position a replica sends) and GTID lists (several GTIDs per
// domain, one per server: @@gtid_binlog_state and GTID_LIST_EVENT).
//
// Text: MariaDB sql/rpl_gtid.cc (gtid_parser_helper, rpl_slave_state_tostring_helper), 10.11 / 11.8, and
// checked with SET GLOBAL gtid_slave_pos = x; SELECT @@gtid_slave_pos on 11.8.
//   list   = '' | gtid (',' gtid)*          no space before ',' and none at the end
//   gtid   = number '-' number '-' number   domain and server 0..2^32-1, seq_no 0..2^64-1
//   number = whitespace* '+'? digit+        (my_strtoll10: leading zeros and a '+' are accepted)
// The server prints positions and lists sorted by domain id. A list read from text takes the last GTID
// of a domain as its most recent (as SET GLOBAL gtid_binlog_state does).
import { GtidError } from '../errors.js';

/** Largest domain id and server id (32 bits unsigned). */
export const MARIADB_ID_MAX = 0xffff_ffff;
/** Largest sequence number (64 bits unsigned). */
export const MARIADB_SEQ_NO_MAX = (1n << 64n) - 1n;

/** One MariaDB GTID, `domain-server-seq` in text. */
export interface MariadbGtid {
  /** Replication domain: transactions of different domains are ordered independently. */
  readonly domainId: number;
  /** server_id of the server that wrote the transaction. */
  readonly serverId: number;
  /** Sequence number inside the domain. */
  readonly seqNo: bigint;
}

function checkGtid(g: MariadbGtid): void {
  if (!Number.isInteger(g.domainId) || g.domainId < 0 || g.domainId > MARIADB_ID_MAX) {
    throw new GtidError(`MariaDB GTID domain id ${String(g.domainId)} is out of range 0..${MARIADB_ID_MAX}`);
  }
  if (!Number.isInteger(g.serverId) || g.serverId < 0 || g.serverId > MARIADB_ID_MAX) {
    throw new GtidError(`MariaDB GTID server id ${String(g.serverId)} is out of range 0..${MARIADB_ID_MAX}`);
  }
  if (typeof g.seqNo !== 'bigint' || g.seqNo < 0n || g.seqNo > MARIADB_SEQ_NO_MAX) {
    throw new GtidError(
      `MariaDB GTID sequence number ${String(g.seqNo)} is not a bigint in 0..${MARIADB_SEQ_NO_MAX}`,
    );
  }
}

function freeze(domainId: number, serverId: number, seqNo: bigint): MariadbGtid {
  return { domainId, serverId, seqNo };
}

// ---- text ----

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function parseError(kind: string, what: string, text: string, at: number): GtidError {
  const shown = text.length > 60 ? text.slice(0, 57) + '...' : text;
  return new GtidError(`invalid MariaDB ${kind}: ${what} at character ${at} in ${JSON.stringify(shown)}`, {
    input: text,
    index: at,
  });
}

/** Parses the GTIDs of a comma list in order; `kind` names the thing in error messages. */
function parseList(text: string, kind: string): MariadbGtid[] {
  if (typeof text !== 'string') throw new GtidError(`invalid MariaDB ${kind}: expected a string`);
  const out: MariadbGtid[] = [];
  const n = text.length;
  if (n === 0) return out;
  let i = 0;
  const num = (max: bigint, what: string): bigint => {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) === 0x2b /* + */) i++;
    const at = i;
    while (i < n && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
    if (i === at) throw parseError(kind, `expected ${what}`, text, at);
    let z = at;
    while (z < i - 1 && text.charCodeAt(z) === 48) z++;
    const v = i - z > 20 ? max + 1n : BigInt(text.slice(z, i));
    if (v > max) throw parseError(kind, `${what} out of range 0..${max}`, text, at);
    return v;
  };
  const dash = (): void => {
    if (text.charCodeAt(i) !== 0x2d /* - */) throw parseError(kind, 'expected "-"', text, i);
    i++;
  };
  for (;;) {
    const domainId = Number(num(BigInt(MARIADB_ID_MAX), 'domain id'));
    dash();
    const serverId = Number(num(BigInt(MARIADB_ID_MAX), 'server id'));
    dash();
    const seqNo = num(MARIADB_SEQ_NO_MAX, 'sequence number');
    out.push(freeze(domainId, serverId, seqNo));
    if (i === n) return out;
    if (text.charCodeAt(i) !== 0x2c /* , */) throw parseError(kind, 'expected ","', text, i);
    i++;
  }
}

/** Parses one GTID `domain-server-seq`; throws GtidError. */
export function parseMariadbGtid(text: string): MariadbGtid {
  const list = parseList(text, 'GTID');
  if (list.length !== 1) throw parseError('GTID', 'expected one GTID', text, 0);
  return list[0];
}

/** `domain-server-seq`, as the server prints it; throws GtidError on out-of-range parts. */
export function formatMariadbGtid(gtid: MariadbGtid): string {
  checkGtid(gtid);
  return `${gtid.domainId}-${gtid.serverId}-${gtid.seqNo}`;
}

/** Parses a comma list of GTIDs in order, duplicates allowed (as MASTER_GTID_WAIT takes it). */
export function parseMariadbGtidList(text: string): MariadbGtid[] {
  return parseList(text, 'GTID list');
}

/** Orders by domain id, then sequence number, then server id. */
export function compareMariadbGtids(a: MariadbGtid, b: MariadbGtid): number {
  if (a.domainId !== b.domainId) return a.domainId < b.domainId ? -1 : 1;
  if (a.seqNo !== b.seqNo) return a.seqNo < b.seqNo ? -1 : 1;
  if (a.serverId !== b.serverId) return a.serverId < b.serverId ? -1 : 1;
  return 0;
}

function sameGtid(a: MariadbGtid, b: MariadbGtid): boolean {
  return a.domainId === b.domainId && a.serverId === b.serverId && a.seqNo === b.seqNo;
}

function byDomain(a: MariadbGtid, b: MariadbGtid): number {
  return a.domainId - b.domainId;
}

// ---- positions ----

/**
 * A GTID position, as in @@gtid_slave_pos or @@gtid_binlog_pos: at most one GTID per replication domain,
 * the last one applied. {@link BinlogSyncer.startSyncGtid} takes one (or its text) to stream everything after
 * it, and a stream's {@link ResumePoint.gtid} is one in GTID mode. Prints exactly as the server does.
 *
 * @example
 * ```ts
 * import { MariadbGtidPosition, parseMariadbGtid } from 'binlogsync';
 *
 * const pos = MariadbGtidPosition.parse('0-1-100,1-2-7');
 * pos.update(parseMariadbGtid('0-1-101'));
 * pos.contains(parseMariadbGtid('1-2-5')); // true: domain 1 is past seq 5
 * String(pos); // '0-1-101,1-2-7'
 * ```
 */
export class MariadbGtidPosition implements Iterable<MariadbGtid> {
  #byDomain = new Map<number, MariadbGtid>();

  /** Parses a position; a domain given twice is an error, as for SET GLOBAL gtid_slave_pos. */
  static parse(text: string): MariadbGtidPosition {
    const pos = new MariadbGtidPosition();
    for (const g of parseList(text, 'GTID position')) {
      const prev = pos.#byDomain.get(g.domainId);
      if (prev !== undefined) {
        throw new GtidError(
          `invalid MariaDB GTID position: GTID ${formatMariadbGtid(g)} and ${formatMariadbGtid(prev)} ` +
            `conflict (duplicate domain id ${g.domainId})`,
          { input: text },
        );
      }
      pos.#byDomain.set(g.domainId, g);
    }
    return pos;
  }

  /** A position from GTIDs, later ones replacing earlier ones of the same domain. */
  static from(gtids: Iterable<MariadbGtid>): MariadbGtidPosition {
    const pos = new MariadbGtidPosition();
    for (const g of gtids) pos.update(g);
    return pos;
  }

  /** Number of domains (one GTID each). */
  get size(): number {
    return this.#byDomain.size;
  }

  /** True when the position has no GTID (the text `''`). */
  isEmpty(): boolean {
    return this.#byDomain.size === 0;
  }

  /** The GTID of a domain, if the position has one. */
  get(domainId: number): MariadbGtid | undefined {
    return this.#byDomain.get(domainId);
  }

  /** Records a newly seen GTID: it replaces the domain's GTID, whatever its sequence number. */
  update(gtid: MariadbGtid): this {
    checkGtid(gtid);
    this.#byDomain.set(gtid.domainId, freeze(gtid.domainId, gtid.serverId, gtid.seqNo));
    return this;
  }

  /** Drops a domain; false when it was not there. */
  delete(domainId: number): boolean {
    return this.#byDomain.delete(domainId);
  }

  /**
   * Whether the position has reached a GTID (its domain is present with a sequence number at least as
   * high; sequence numbers order a domain, server ids do not), or every GTID of another position.
   */
  contains(x: MariadbGtid | MariadbGtidPosition): boolean {
    if (x instanceof MariadbGtidPosition) {
      for (const g of x.#byDomain.values()) if (!this.contains(g)) return false;
      return true;
    }
    const mine = this.#byDomain.get(x.domainId);
    return mine !== undefined && mine.seqNo >= x.seqNo;
  }

  /** The same GTID in every domain. */
  equals(other: MariadbGtidPosition): boolean {
    if (this.#byDomain.size !== other.#byDomain.size) return false;
    for (const [d, g] of this.#byDomain) {
      const o = other.#byDomain.get(d);
      if (o === undefined || !sameGtid(g, o)) return false;
    }
    return true;
  }

  /** An independent copy. */
  clone(): MariadbGtidPosition {
    const out = new MariadbGtidPosition();
    for (const [d, g] of this.#byDomain) out.#byDomain.set(d, g);
    return out;
  }

  /** The GTIDs sorted by domain id. */
  gtids(): MariadbGtid[] {
    return [...this.#byDomain.values()].sort(byDomain);
  }

  /** The domain ids, ascending. */
  domains(): number[] {
    return [...this.#byDomain.keys()].sort((a, b) => a - b);
  }

  /** The GTIDs sorted by domain id. */
  [Symbol.iterator](): Iterator<MariadbGtid> {
    return this.gtids()[Symbol.iterator]();
  }

  /** As the server prints it: sorted by domain id, comma separated; '' when empty. */
  toString(): string {
    return this.gtids().map(formatMariadbGtid).join(',');
  }

  /** The text, so that a position in JSON reads back with parse(). */
  toJSON(): string {
    return this.toString();
  }
}

// ---- lists (binlog state) ----

/**
 * A GTID list as in @@gtid_binlog_state and GTID_LIST_EVENT: per domain one GTID per server id, and the
 * domain's most recent GTID (the one @@gtid_binlog_pos shows).
 */
export class MariadbGtidList implements Iterable<MariadbGtid> {
  /** domain → (server → GTID), in update order: the most recent GTID is the last entry. */
  #domains = new Map<number, Map<number, MariadbGtid>>();

  /** Parses a list; a repeated (domain, server) pair replaces the earlier one and becomes the most recent. */
  static parse(text: string): MariadbGtidList {
    return MariadbGtidList.from(parseList(text, 'GTID list'));
  }

  /** A list from GTIDs in order: each one is applied with update(). */
  static from(gtids: Iterable<MariadbGtid>): MariadbGtidList {
    const list = new MariadbGtidList();
    for (const g of gtids) list.update(g);
    return list;
  }

  /** Number of GTIDs. */
  get size(): number {
    let n = 0;
    for (const m of this.#domains.values()) n += m.size;
    return n;
  }

  /** True when the list has no GTID. */
  isEmpty(): boolean {
    return this.#domains.size === 0;
  }

  /** Records a GTID: it replaces the (domain, server) entry and becomes the domain's most recent. */
  update(gtid: MariadbGtid): this {
    checkGtid(gtid);
    let m = this.#domains.get(gtid.domainId);
    if (m === undefined) {
      m = new Map();
      this.#domains.set(gtid.domainId, m);
    }
    m.delete(gtid.serverId);
    m.set(gtid.serverId, freeze(gtid.domainId, gtid.serverId, gtid.seqNo));
    return this;
  }

  /** The GTID of a (domain, server) pair, if any. */
  get(domainId: number, serverId: number): MariadbGtid | undefined {
    return this.#domains.get(domainId)?.get(serverId);
  }

  /** The domain's most recent GTID: the last one recorded. */
  mostRecent(domainId: number): MariadbGtid | undefined {
    const m = this.#domains.get(domainId);
    if (m === undefined) return undefined;
    let last: MariadbGtid | undefined;
    for (const g of m.values()) last = g;
    return last;
  }

  /** Drops every GTID of a domain; false when it was not there. */
  deleteDomain(domainId: number): boolean {
    return this.#domains.delete(domainId);
  }

  /** The most recent GTID of each domain (what @@gtid_binlog_pos shows for @@gtid_binlog_state). */
  toPosition(): MariadbGtidPosition {
    const pos = new MariadbGtidPosition();
    for (const d of this.#domains.keys()) pos.update(this.mostRecent(d)!);
    return pos;
  }

  /** Sorted by domain id; within a domain in update order, the most recent last. */
  gtids(): MariadbGtid[] {
    const out: MariadbGtid[] = [];
    for (const d of [...this.#domains.keys()].sort((a, b) => a - b))
      out.push(...this.#domains.get(d)!.values());
    return out;
  }

  /** The GTIDs in the order of {@link gtids}. */
  [Symbol.iterator](): Iterator<MariadbGtid> {
    return this.gtids()[Symbol.iterator]();
  }

  /**
   * Same GTIDs, in any order. Which GTID is a domain's most recent is not compared: compare toPosition()
   * for that (the server's @@gtid_binlog_state text does not keep it last, see toString()).
   */
  equals(other: MariadbGtidList): boolean {
    if (this.#domains.size !== other.#domains.size) return false;
    for (const [d, m] of this.#domains) {
      const o = other.#domains.get(d);
      if (o === undefined || o.size !== m.size) return false;
      for (const [s, g] of m) {
        const og = o.get(s);
        if (og === undefined || !sameGtid(g, og)) return false;
      }
    }
    return true;
  }

  /** An independent copy, most recent GTIDs kept. */
  clone(): MariadbGtidList {
    return MariadbGtidList.from(this.gtids());
  }

  /**
   * Sorted by domain id, comma separated, within a domain in update order with the most recent last (the
   * order the server writes to its gtid_binlog_state file and GTID_LIST events, and the order parse()
   * reads back). @@gtid_binlog_state sorts by domain id with an unstable sort, so the order of GTIDs within
   * a domain may differ there.
   */
  toString(): string {
    return this.gtids().map(formatMariadbGtid).join(',');
  }

  /** The text, so that a list in JSON reads back with parse(). */
  toJSON(): string {
    return this.toString();
  }
}
