// A queue between the socket reader and the consumer, bounded in bytes (not in events: one event can be
// 1 GiB, another 20 bytes). Above `highWaterBytes` the producer is asked to pause (socket.pause()), and
// once the consumer has drained it below half of that, to resume. The consumer side is an AsyncIterator;
// a consumer's `break` (return()) calls `onReturn` so the owner can close the connection.

export interface EventQueueOptions<T = unknown> {
  highWaterBytes: number;
  onPause: () => void;
  onResume: () => void;
  onReturn?: () => Promise<void> | void;
  /** Called with each item as the consumer takes it (semi-sync ACKs, consumer-side resume point). */
  onTake?: (item: T) => void;
}

interface Slot<T> {
  item: T;
  bytes: number;
}

export class EventQueue<T> implements AsyncIterableIterator<T> {
  readonly #opts: EventQueueOptions<T>;
  // A ring of slots would avoid shift()'s cost on big queues; an array with a head index does the same.
  #slots: Slot<T>[] = [];
  #head = 0;
  #bytes = 0;
  #paused = false;
  #done = false;
  #error: unknown = undefined;
  #waiter: { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void } | undefined;
  #emptyWaiters: (() => void)[] = [];

  constructor(opts: EventQueueOptions<T>) {
    this.#opts = opts;
  }

  /** Bytes queued and not yet taken by the consumer. */
  get bufferedBytes(): number {
    return this.#bytes;
  }
  get length(): number {
    return this.#slots.length - this.#head;
  }
  get paused(): boolean {
    return this.#paused;
  }
  get ended(): boolean {
    return this.#done;
  }

  push(item: T, bytes: number): void {
    if (this.#done) return;
    const w = this.#waiter;
    if (w) {
      this.#waiter = undefined;
      this.#opts.onTake?.(item);
      w.resolve({ value: item, done: false });
      return;
    }
    this.#slots.push({ item, bytes });
    this.#bytes += bytes;
    if (!this.#paused && this.#bytes >= this.#opts.highWaterBytes) {
      this.#paused = true;
      this.#opts.onPause();
    }
  }

  /** Calls `cb` once the consumer has taken every queued item (now, when none is queued). */
  whenEmpty(cb: () => void): void {
    if (this.length === 0) cb();
    else this.#emptyWaiters.push(cb);
  }

  #emptied(): void {
    const ws = this.#emptyWaiters;
    this.#emptyWaiters = [];
    for (const w of ws) w();
  }

  /** No more items: the consumer gets what is queued, then the end. */
  end(): void {
    if (this.#done) return;
    this.#done = true;
    this.#settleWaiter();
  }

  /** Ends with an error: the consumer gets what is queued, then the error. */
  fail(err: unknown): void {
    if (this.#done) return;
    this.#error = err;
    this.#done = true;
    this.#settleWaiter();
  }

  #settleWaiter(): void {
    const w = this.#waiter;
    if (!w || this.length > 0) return;
    this.#waiter = undefined;
    if (this.#error !== undefined) w.reject(this.#error);
    else w.resolve({ value: undefined, done: true });
  }

  #take(): T {
    const slot = this.#slots[this.#head];
    this.#slots[this.#head] = undefined as unknown as Slot<T>;
    this.#head++;
    if (this.#head > 1024 && this.#head * 2 > this.#slots.length) {
      this.#slots = this.#slots.slice(this.#head);
      this.#head = 0;
    }
    this.#bytes -= slot.bytes;
    if (this.#paused && this.#bytes <= this.#opts.highWaterBytes / 2) {
      this.#paused = false;
      this.#opts.onResume();
    }
    this.#opts.onTake?.(slot.item);
    if (this.#emptyWaiters.length > 0 && this.length === 0) this.#emptied();
    return slot.item;
  }

  /** The next item when one is queued (taken as next() would take it), else undefined. */
  tryTake(): T | undefined {
    return this.length > 0 ? this.#take() : undefined;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.length > 0) return Promise.resolve({ value: this.#take(), done: false });
    if (this.#done) {
      if (this.#error !== undefined) {
        const e = this.#error;
        this.#error = undefined; // reported once; later calls see the end
        return Promise.reject(e instanceof Error ? e : new Error('stream failed', { cause: e }));
      }
      return Promise.resolve({ value: undefined, done: true });
    }
    if (this.#waiter)
      return Promise.reject(new Error('EventQueue: concurrent next() calls are not supported'));
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject };
    });
  }

  async return(): Promise<IteratorResult<T>> {
    const wasDone = this.#done;
    this.#done = true;
    this.#slots = [];
    this.#head = 0;
    this.#bytes = 0;
    this.#emptied();
    if (!wasDone) await this.#opts.onReturn?.();
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
