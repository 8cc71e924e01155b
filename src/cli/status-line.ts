// The status line `tail` keeps at the bottom of a terminal (stderr): events/s, rows/s, the position
// delivered, and the lag in seconds and bytes, redrawn every second. When stdout is the same terminal,
// printed lines go above it: the line is wiped first and drawn again after them, or the two streams
// would run into each other on one row.
import type { BinlogStream, StreamEvent } from '../replication/stream.js';
import type { BinlogSyncer } from '../replication/syncer.js';
import { fitToWidth } from './pretty.js';

const WIPE = '\r\x1b[K';

export class StatusLine {
  #events = 0;
  #rows = 0;
  #lastTs = 0;
  #timer: NodeJS.Timeout;
  #prev = { at: Date.now(), events: 0, rows: 0 };
  #server: { file: string; pos: number } | undefined;
  #polling = false;
  /** What the terminal shows now ('' before the first draw and after stop()). */
  #shown = '';

  constructor(
    private readonly out: { write(chunk: string): boolean },
    private readonly stream: BinlogStream,
    private readonly syncer: BinlogSyncer,
    private readonly o: { sharesScreen: boolean; width: number },
  ) {
    this.#timer = setInterval(() => this.draw(), 1000);
    this.#timer.unref();
  }

  count(ev: StreamEvent): void {
    this.#events++;
    if ('rows' in ev && Array.isArray(ev.rows)) this.#rows += ev.rows.length;
    if (ev.ts > 0) this.#lastTs = ev.ts;
  }

  /** Runs `write` (of stdout's lines) with the status line out of the way. */
  around<T>(write: () => T): T {
    if (!this.o.sharesScreen || !this.#shown) return write();
    this.out.write(WIPE);
    const r = write();
    this.out.write(this.#shown);
    return r;
  }

  /** Writes a whole line of its own on stderr (a warning) above the status line. */
  note(line: string): void {
    if (!this.#shown) {
      this.out.write(line);
      return;
    }
    this.out.write(WIPE + line + this.#shown);
  }

  /** the last ask for the source's position failed (no privilege, or no answer) */
  #positionRefused = false;

  #poll(): void {
    if (this.#polling) return;
    this.#polling = true;
    // The source's end of log, for the lag in bytes (needs REPLICATION CLIENT; without it, no figure).
    void this.syncer
      .sourcePosition()
      .then((p) => {
        this.#server = p;
        this.#positionRefused = false;
      })
      .catch(() => {
        this.#server = undefined;
        this.#positionRefused = true;
      })
      .finally(() => (this.#polling = false));
  }

  draw(): void {
    this.#poll();
    const now = Date.now();
    const dt = (now - this.#prev.at) / 1000;
    const eps = Math.round((this.#events - this.#prev.events) / dt);
    const rps = Math.round((this.#rows - this.#prev.rows) / dt);
    this.#prev = { at: now, events: this.#events, rows: this.#rows };
    const r = this.stream.resumePoint;
    const s = this.#server;
    const behind = s && s.file === r.file ? Math.max(0, s.pos - r.pos) : undefined;
    // The age of the last event is the lag only while there is more to read: caught up on a quiet
    // source, the last event may be hours old and the lag still nil.
    const age = this.#lastTs ? Math.max(0, Math.round(now / 1000 - this.#lastTs)) : 0;
    const bytes = behind !== undefined ? `, ${behind} B` : s ? `, source at ${s.file}:${s.pos}` : '';
    // Without the source's position (no REPLICATION CLIENT / BINLOG MONITOR) caught up cannot be told
    // from behind: the age of the last event is shown as what it is, not as a lag.
    const where = !this.#positionRefused
      ? `lag ${behind === 0 ? 0 : age} s${bytes}`
      : this.#lastTs
        ? `last event ${age} s ago (source position unknown)`
        : 'source position unknown';
    const text = `${eps} events/s  ${rps} rows/s  at ${r.file}:${r.pos}  ${where}`;
    this.#shown = this.o.width > 0 ? fitToWidth(text, this.o.width, false) : text;
    this.out.write(WIPE + this.#shown);
  }

  stop(): void {
    clearInterval(this.#timer);
    if (this.#shown) this.out.write(WIPE);
    this.#shown = '';
  }
}
