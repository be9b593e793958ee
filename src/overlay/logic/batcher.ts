// Pure (timers injected): collects items and hands them on in batches, at most every `ms` (or at
// once when `max` are waiting, or when flushed): one message a second instead of one per frame.

export interface BatcherOptions {
  /** The longest an item waits. */
  ms: number;
  /** A batch this large goes at once. */
  max: number;
  setTimer: (fn: () => void, ms: number) => unknown;
  clearTimer: (id: unknown) => void;
}

export class Batcher<T> {
  private items: T[] = [];
  private timer: unknown = null;

  constructor(
    private readonly deliver: (batch: T[]) => void,
    private readonly opts: BatcherOptions,
  ) {}

  get pending(): number {
    return this.items.length;
  }

  add(item: T): void {
    this.items.push(item);
    if (this.items.length >= this.opts.max) this.flush();
    else this.timer ??= this.opts.setTimer(() => this.flush(), this.opts.ms);
  }

  /** Hand on what is waiting now (turning off, leaving the page). */
  flush(): void {
    if (this.timer !== null) this.opts.clearTimer(this.timer);
    this.timer = null;
    if (this.items.length === 0) return;
    const batch = this.items;
    this.items = [];
    this.deliver(batch);
  }
}
