// The inbound payload queue between the framing layer and the reader: FIFO, bounded in bytes. Above
// `highWaterMark` queued bytes it asks its owner to pause the socket; at half of it, to resume
// (STYLE.md §4). Once failed it still hands out what was queued (e.g. the ERR packet a server sends
// before hanging up), then rejects every read with the failure.
import { AbortError } from '../errors.js';

export interface FlowControl {
  pause(): void;
  resume(): void;
}

interface Waiter {
  resolve(payload: Buffer): void;
  reject(err: Error): void;
}

export function abortError(signal: AbortSignal, what: string): AbortError {
  return new AbortError(`${what} aborted`, { cause: signal.reason });
}

export class PacketQueue {
  readonly highWaterMark: number;
  private readonly flow: FlowControl;
  private items: Buffer[] = [];
  private head = 0;
  private queued = 0;
  private waiters: Waiter[] = [];
  private pausedByQueue = false;
  private failed: Error | undefined;

  constructor(highWaterMark: number, flow: FlowControl) {
    this.highWaterMark = highWaterMark;
    this.flow = flow;
  }

  /** Bytes of payloads waiting to be read. */
  get bytes(): number {
    return this.queued;
  }

  /** Payloads waiting to be read. */
  get length(): number {
    return this.items.length - this.head;
  }

  /** The queue asked for the socket to be paused and has not released it yet. */
  get paused(): boolean {
    return this.pausedByQueue;
  }

  get failure(): Error | undefined {
    return this.failed;
  }

  push(payload: Buffer): void {
    if (this.failed) return;
    const waiter = this.waiters.shift();
    if (waiter) {
      waiter.resolve(payload);
      return;
    }
    this.items.push(payload);
    this.queued += payload.length;
    if (!this.pausedByQueue && this.queued > this.highWaterMark) {
      this.pausedByQueue = true;
      this.flow.pause();
    }
  }

  private shift(): Buffer {
    const payload = this.items[this.head++];
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    this.queued -= payload.length;
    if (this.pausedByQueue && this.queued <= this.highWaterMark / 2) {
      this.pausedByQueue = false;
      this.flow.resume();
    }
    return payload;
  }

  /** The payload queued last, left in the queue; undefined when none is queued. */
  peekLast(): Buffer | undefined {
    return this.head < this.items.length ? this.items[this.items.length - 1] : undefined;
  }

  /** The next payload when one is queued, else undefined (then read() waits for it). */
  tryRead(): Buffer | undefined {
    return this.head < this.items.length ? this.shift() : undefined;
  }

  /**
   * The next payload. Rejects with the failure once the queue is empty, or with AbortError if `signal`
   * aborts first (nothing is lost: a payload that arrives later stays queued).
   */
  read(signal?: AbortSignal): Promise<Buffer> {
    if (this.head < this.items.length) return Promise.resolve(this.shift());
    if (this.failed) return Promise.reject(this.failed);
    if (signal?.aborted) return Promise.reject(abortError(signal, 'read'));
    return new Promise<Buffer>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject };
      if (signal) {
        const onAbort = (): void => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(abortError(signal, 'read'));
        };
        signal.addEventListener('abort', onAbort, { once: true });
        waiter.resolve = (p) => {
          signal.removeEventListener('abort', onAbort);
          resolve(p);
        };
        waiter.reject = (e) => {
          signal.removeEventListener('abort', onAbort);
          reject(e);
        };
      }
      this.waiters.push(waiter);
    });
  }

  /** Ends the queue with `err` (first call wins). `drop` discards what is queued (a local close). */
  fail(err: Error, drop: boolean): void {
    if (!this.failed) {
      this.failed = err;
      const waiters = this.waiters;
      this.waiters = [];
      for (const w of waiters) w.reject(err);
    }
    if (drop) {
      this.items = [];
      this.head = 0;
      this.queued = 0;
    }
  }
}
