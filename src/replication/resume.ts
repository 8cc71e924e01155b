// Resume points and exactly-once delivery across reconnects.
//
// The resume point (file + position, plus the GTID state) advances only at transaction boundaries: after
// XID, COMMIT / ROLLBACK, a DDL statement, XA PREPARE, or any event outside a transaction. A reconnect
// restarts the dump at the last boundary, so a transaction that was cut off is sent again from its start;
// every event at or before the last one already handed to the consumer is then skipped by its place
// (file, pos, index inside a TRANSACTION_PAYLOAD). A dump restarted by GTID may come from binlog files
// other than the ones the places were taken in (a source rebuilt or failed over, its files renumbered):
// there any transaction but the cut one is new whatever its place, and the cut one, known by its GTID,
// has its first events skipped by count. Nothing is buffered: a transaction of any size costs no memory here.

/** The fields of a decoded event this module reads. */
export interface TrackedEvent {
  type: string;
  pos: number;
  next: number;
  /** Set on events inside a TRANSACTION_PAYLOAD: the payload's pos. */
  payload?: number;
  query?: string;
  gtid?: string;
  /** MariaDB GTID event of a transaction that is one statement (DDL) with no BEGIN. */
  standalone?: boolean;
}

/**
 * Where to start again to see nothing twice and miss nothing ({@link BinlogStream.resumePoint}): the end of
 * the last transaction handed to the consumer. Save it as JSON; give `file` / `pos` to `startSync`, or
 * `gtid` to `startSyncGtid`. In a dump by GTID the source silently leaves out the transactions the GTID
 * state holds; the place moves past them when the next transaction arrives, so until then (a stream
 * started by GTID that has received no transaction yet) a resume by place hands them out again: resume a
 * stream started by GTID by its `gtid`.
 */
export interface ResumePoint {
  /** Binlog file name. */
  file: string;
  /** Offset in it of the first event not yet delivered. */
  pos: number;
  /** The GTID state at that point (MySQL executed set / MariaDB position), when GTIDs are in use. */
  gtid?: string;
}

/** How the GTID state grows: a MySQL GTID set or a MariaDB position (src/gtid). */
export interface GtidState {
  add(gtid: string): void;
  toString(): string;
}

/** Place of an event in the stream, totally ordered: file, pos, then index within a payload (0 = the payload itself). */
export interface Place {
  file: string;
  pos: number;
  sub: number;
}

/** Binlog file names end in a number that only grows; compare by it, then by name. */
export function compareFiles(a: string, b: string): number {
  if (a === b) return 0;
  const na = /\.(\d+)$/.exec(a);
  const nb = /\.(\d+)$/.exec(b);
  if (na && nb && a.slice(0, na.index) === b.slice(0, nb.index)) return Number(na[1]) - Number(nb[1]);
  return a < b ? -1 : 1;
}

export function comparePlaces(a: Place, b: Place): number {
  return compareFiles(a.file, b.file) || a.pos - b.pos || a.sub - b.sub;
}

const TRX_START = new Set(['gtid', 'anonymous_gtid', 'gtid_tagged', 'mariadb_gtid']);

/** What a QUERY event's statement does to the transaction: only its first word matters. */
export function statementKind(query: string): 'begin' | 'commit' | 'xa' | 'savepoint' | 'other' {
  // Only the first word matters; skip leading spaces and comments the server may keep (/* … */).
  const q = query
    .replace(/^(\s|\/\*.*?\*\/)+/s, '')
    .slice(0, 24)
    .toUpperCase();
  // MySQL logs an XA transaction as GTID, `XA START xid`, its rows, `XA END xid`, XA_PREPARE (and the
  // later `XA COMMIT xid` / `XA ROLLBACK xid` as a statement of its own); MariaDB's GTID event opens it
  if (q.startsWith('BEGIN') || q.startsWith('START TRANSACTION') || /^XA\s+(START|BEGIN)\b/.test(q))
    return 'begin';
  // ROLLBACK TO [SAVEPOINT] sp stays inside the transaction
  if (/^ROLLBACK\s+(WORK\s+)?TO\b/.test(q)) return 'savepoint';
  if (q.startsWith('COMMIT') || q.startsWith('ROLLBACK')) return 'commit';
  if (q.startsWith('XA ')) return 'xa';
  if (q.startsWith('SAVEPOINT')) return 'savepoint';
  return 'other';
}

export class ResumeTracker {
  #resume: Readonly<ResumePoint>;
  readonly #gtidState: GtidState | undefined;
  #inTransaction = false;
  #sawBegin = false;
  #pendingGtid: string | undefined;
  /** Last place handed to the consumer; events at or before it are duplicates after a reconnect. */
  #delivered: Place | undefined;
  /** Where the last event handed out ends, while it is inside a transaction not yet ended. */
  #openEnd: { file: string; next: number } | undefined;
  /** The open transaction's GTID and how many of its events (its GTID event first) were handed out. */
  #openGtid: string | undefined;
  #openCount = 0;
  /**
   * After a reconnect by GTID, until the first transaction starts: the cut transaction's GTID and events
   * handed out (`seen` counts its replayed events, -1 before its GTID event comes).
   */
  #replay: { gtid: string | undefined; count: number; seen: number } | undefined;
  #payloadIndex = 0;

  constructor(start: ResumePoint, gtidState?: GtidState) {
    const resume = { ...start };
    this.#gtidState = gtidState;
    if (gtidState && start.gtid === undefined) resume.gtid = gtidState.toString();
    this.#resume = Object.freeze(resume);
  }

  /**
   * Where a new dump must start to lose and repeat nothing (with `shouldSkip`). Frozen, and the same object
   * until the next boundary: the stream keeps one per queued event without copying.
   */
  get resumePoint(): Readonly<ResumePoint> {
    return this.#resume;
  }

  get inTransaction(): boolean {
    return this.#inTransaction;
  }

  /** Place of an event within the stream (payload members get increasing `sub`). */
  placeOf(file: string, ev: TrackedEvent): Place {
    if (ev.payload !== undefined) return { file, pos: ev.payload, sub: ++this.#payloadIndex };
    this.#payloadIndex = 0;
    return { file, pos: ev.pos, sub: 0 };
  }

  /** True when this event was already delivered before a reconnect. */
  isDuplicate(place: Place, ev: TrackedEvent): boolean {
    const r = this.#replay;
    if (r !== undefined) {
      if (TRX_START.has(ev.type)) {
        // the cut transaction again, at or before where it was handed out (the same source, or one whose
        // files sort lower): its first `count` events were handed out. The same GTID further on is
        // another transaction: a crashed source rolled the cut one back and gave its GTID to the next.
        if (
          r.seen < 0 &&
          r.gtid !== undefined &&
          ev.gtid === r.gtid &&
          this.#delivered !== undefined &&
          comparePlaces(place, this.#delivered) <= 0
        ) {
          r.seen = 1;
          return true;
        }
        this.#newSource();
        return false;
      }
      if (r.seen >= 0) {
        if (r.seen < r.count) {
          r.seen++;
          return true;
        }
        this.#newSource();
        return false;
      }
      // before the first transaction: the dump's preamble (FORMAT_DESCRIPTION, PREVIOUS_GTIDS …), by place
    }
    return this.#delivered !== undefined && comparePlaces(place, this.#delivered) <= 0;
  }

  /** Past the cut transaction of a dump by GTID: everything is new, whatever its place. */
  #newSource(): void {
    this.#replay = undefined;
    this.#delivered = undefined;
  }

  /** Record that the consumer was handed this event; advances the resume point at boundaries. */
  delivered(file: string, place: Place, ev: TrackedEvent): void {
    this.#delivered = place;
    // A transaction that starts past the resume point, none being open: the source left out what lies
    // between (a dump by GTID skips the transactions its GTID state holds). The resume point moves up
    // to it, so that its place and its GTID state stand at the same point.
    if (
      TRX_START.has(ev.type) &&
      !this.#inTransaction &&
      this.#openEnd === undefined &&
      place.sub === 0 &&
      file === this.#resume.file &&
      ev.pos > this.#resume.pos
    )
      this.#resume = Object.freeze({ ...this.#resume, pos: ev.pos });
    const boundary = this.#classify(ev);
    if (TRX_START.has(ev.type)) {
      this.#openGtid = ev.gtid;
      this.#openCount = 1;
    } else if (boundary) {
      this.#openGtid = undefined;
      this.#openCount = 0;
    } else if (this.#inTransaction) this.#openCount++;
    this.#openEnd = boundary ? undefined : { file, next: ev.next };
    if (boundary) {
      if (this.#pendingGtid !== undefined && this.#gtidState) this.#gtidState.add(this.#pendingGtid);
      this.#pendingGtid = undefined;
      this.#inTransaction = false;
      this.#sawBegin = false;
      this.#resume = Object.freeze({
        file,
        pos: ev.next,
        ...(this.#gtidState ? { gtid: this.#gtidState.toString() } : {}),
      });
    }
  }

  /**
   * An event skipped as already delivered (replayed after a reconnect). It still says where the stream
   * is: inside the transaction being replayed, whose GTID this is. Without this, the first new event of
   * that transaction (a rows event) looked like one outside any transaction, moved the resume point into
   * the middle of the transaction, and the next reconnect started at a rows event with no table map.
   * Replayed events all lie inside the cut-off transaction, so none of them is a boundary.
   */
  skipped(ev: TrackedEvent): void {
    this.#classify(ev);
  }

  /**
   * The open transaction was cut off by the source's crash and rolled back by its recovery: it ends at
   * `place` (the artificial ROLLBACK), and its GTID does not count — the server gives that GTID to the
   * next transaction it commits, which a GTID resume point holding it would skip.
   */
  cutOff(file: string, place: Place, ev: TrackedEvent): void {
    this.#pendingGtid = undefined;
    this.delivered(file, place, ev);
  }

  /**
   * Where the events handed out past the resume point end, when there are any: a transaction was given
   * in part and its end was not (yet). Undefined when the consumer has seen only whole transactions.
   */
  get openDelivered(): { file: string; next: number } | undefined {
    return this.#openEnd;
  }

  /**
   * A ROTATE moves the resume point to the new file when no transaction is open; not while a dump by
   * GTID sends again what was handed out (its first ROTATE names the start of a file, the ROTATEs after
   * it lie behind the resume point).
   */
  rotated(nextFile: string, position: number): void {
    if (!this.#inTransaction && !this.#openEnd && this.#replay === undefined)
      this.#resume = Object.freeze({ ...this.#resume, file: nextFile, pos: position });
  }

  /**
   * After a reconnect the transaction in progress is replayed from its start. `byGtid`: the new dump
   * starts from the GTID state (its places need not match the old ones).
   */
  restarted(byGtid = false): void {
    this.#replay =
      byGtid && this.#delivered !== undefined
        ? { gtid: this.#openCount > 0 ? this.#openGtid : undefined, count: this.#openCount, seen: -1 }
        : undefined;
    this.#inTransaction = false;
    this.#sawBegin = false;
    this.#pendingGtid = undefined;
    this.#payloadIndex = 0;
  }

  #classify(ev: TrackedEvent): boolean {
    const t = ev.type;
    if (TRX_START.has(t)) {
      this.#inTransaction = true;
      // A MariaDB GTID event of a transaction is its BEGIN (no BEGIN query follows); a standalone one
      // is a statement of its own (DDL).
      this.#sawBegin = t === 'mariadb_gtid' && ev.standalone === false;
      this.#pendingGtid = t === 'anonymous_gtid' ? undefined : ev.gtid;
      return false;
    }
    if (t === 'xid' || t === 'xa_prepare') return true;
    if (t === 'query') {
      const kind = statementKind(ev.query ?? '');
      if (kind === 'begin') {
        this.#inTransaction = true;
        this.#sawBegin = true;
        return false;
      }
      if (kind === 'commit') return true;
      // A statement with no BEGIN before it is a transaction of its own (DDL, XA COMMIT, …).
      return !this.#sawBegin;
    }
    if (t === 'transaction_payload') return false;
    // Rows, table maps, user vars, rows_query, annotate… belong to the open transaction; anything else
    // seen outside a transaction (FDE, PREVIOUS_GTIDS, GTID_LIST, checkpoint, rotate) is a safe place.
    return !this.#inTransaction;
  }
}
