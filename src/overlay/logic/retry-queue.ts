// Pure (timers injected): delivers items in order, keeping them while the receiver is away (the
// service worker restarting), so no analyzed frame is lost from a call's summary. Only failures that
// can succeed later are retried: an item the receiver refused (its handler threw: a full quota, a
// bad record) is dropped and counted, never allowed to block every later item.

export interface RetryQueueOptions {
  /** Oldest items are dropped beyond this (and counted), so memory stays bounded. */
  maxItems: number;
  retryMs: number;
  setTimer: (fn: () => void, ms: number) => unknown;
  /** Whether a failure can succeed later (nobody received it yet); the rest are dropped. */
  retryable: (err: unknown) => boolean;
  /** Told of each refused item (the content script logs it: never dropped in silence). */
  onRefused?: (err: unknown) => void;
}

export class RetryQueue<T> {
  private readonly items: T[] = [];
  private flushing = false;
  private waiting = false;
  /** Items dropped for room (the receiver away too long). */
  dropped = 0;
  /** Items the receiver refused, dropped with their last error. */
  refused = 0;
  lastRefusal: unknown = null;

  constructor(
    private readonly send: (item: T) => Promise<unknown>,
    private readonly opts: RetryQueueOptions,
  ) {}

  get pending(): number {
    return this.items.length;
  }

  push(item: T): void {
    this.items.push(item);
    if (this.items.length > this.opts.maxItems) {
      this.items.splice(0, this.items.length - this.opts.maxItems);
      this.dropped++;
    }
    void this.flush();
  }

  async flush(): Promise<void> {
    if (this.flushing || this.waiting) return;
    this.flushing = true;
    try {
      while (this.items.length > 0) {
        try {
          await this.send(this.items[0] as T);
          this.items.shift();
        } catch (err) {
          if (!this.opts.retryable(err)) {
            this.items.shift();
            this.refused++;
            this.lastRefusal = err;
            this.opts.onRefused?.(err);
            continue;
          }
          // Receiver unavailable: keep the item and try again shortly.
          this.waiting = true;
          this.opts.setTimer(() => {
            this.waiting = false;
            void this.flush();
          }, this.opts.retryMs);
          return;
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
