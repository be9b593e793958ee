// Pure: holds the ML host's work for a tab near a CPU budget. When the machine is busy every
// analysis takes longer, the host's share of a core grows past the budget, and sampling slows down
// by the ratio (smoothed, bounded) until it fits again; on an idle machine nothing changes.

export interface CpuBudgetOptions {
  /** The budget, as a share of one core (0.4 = 40% of one core for this tab's analyses). */
  share: number;
  /** The window the share is measured over. */
  windowMs?: number;
  /** The most sampling is slowed down. */
  maxSlowdown?: number;
}

export class CpuBudget {
  private readonly work: Array<{ at: number; ms: number }> = [];
  private factor = 1;
  private lastUpdate = Number.NEGATIVE_INFINITY;
  private sampledUsage = 0;
  private opts: Required<CpuBudgetOptions>;

  constructor(opts: CpuBudgetOptions) {
    this.opts = { windowMs: 5000, maxSlowdown: 6, ...opts };
  }

  setShare(share: number): void {
    this.opts = { ...this.opts, share };
  }

  /** One analysis finished at `at`, having kept the ML host busy for `ms`. */
  record(at: number, ms: number): void {
    this.work.push({ at, ms });
    while (this.work.length > 0 && this.work[0]!.at < at - this.opts.windowMs) this.work.shift();
  }

  /** The host's measured share of one core over the window ending at `now`. */
  usage(now: number): number {
    let ms = 0;
    for (const w of this.work) if (w.at >= now - this.opts.windowMs) ms += w.ms;
    return ms / this.opts.windowMs;
  }

  /**
   * The share as the popup shows it (to 0.05), sampled with the slowdown factor once a second: the
   * exact share moves on every result, and each change would be a message and a badge update.
   */
  get shownUsage(): number {
    return this.sampledUsage;
  }

  /**
   * How much to stretch sampling intervals now (1 = not at all). Once a second the factor moves by
   * the square root of usage / budget (each step at most x2 or /2): it settles where usage meets the
   * budget and returns to 1 when the machine is idle again.
   */
  slowdown(now: number): number {
    if (now - this.lastUpdate >= this.opts.windowMs / 5) {
      this.lastUpdate = now;
      const usage = this.usage(now);
      this.sampledUsage = Math.round(usage * 20) / 20;
      const ratio = Math.min(2, Math.max(0.5, usage / this.opts.share));
      this.factor = Math.min(this.opts.maxSlowdown, Math.max(1, this.factor * Math.sqrt(ratio)));
      if (this.factor < 1.05) this.factor = 1;
    }
    return this.factor;
  }
}
