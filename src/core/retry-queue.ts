// Pure (timers injected): delivers items in order, keeping them while the receiver is away (the
// service worker restarting), so no analyzed frame is lost from a call's summary.

export interface RetryQueueOptions {
  /** Oldest items are dropped beyond this (and counted), so memory stays bounded. */
  maxItems: number;
  retryMs: number;
  setTimer: (fn: () => void, ms: number) => unknown;
}

export class RetryQueue<T> {
  private readonly items: T[] = [];
  private flushing = false;
  private waiting = false;
  dropped = 0;

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
        } catch {
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
