// Pure: holds everything the overlay adds to a tab's cost near a CPU budget: the ML host's work on
// each frame, the content script's capture and drawing as it times them, and what neither can time
// (UNSEEN_MS_PER_MESSAGE: the messages' trip through the browser, the page's and GPU process's
// frames for a redrawn overlay), as the benchmark measured it. When there are many tiles, or the
// machine is busy and every analysis takes longer, the share grows past the budget, and sampling
// slows down by the ratio (smoothed, bounded) until it fits again; with room to spare nothing changes.

/**
 * CPU ms that one message to the ML host costs outside what the content script and the host time
 * (the browser process's IPC, the page's and the GPU process's frames for the overlay's redraws):
 * `npm run bench:cpu` prints it as "unseen ms / message" (measured added CPU minus what the page and
 * the host timed). At 9 tiles in a 1920x1080 gallery it measured 5 to 24 ms over five runs, most of
 * the spread in the GPU process (docs/benchmarks.md): set near the top, so that the budget holds on
 * the runs that cost most.
 */
export const UNSEEN_MS_PER_MESSAGE = 20;

export interface CpuBudgetOptions {
  /** The budget, as a share of one core (0.5 = half of one core for everything the overlay adds to the tab). */
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
    this.opts = { windowMs: 5000, maxSlowdown: 12, ...opts };
  }

  setShare(share: number): void {
    this.opts = { ...this.opts, share };
  }

  /** Work that finished at `at` and took `ms` of CPU (a frame's analysis, a draw of the overlay). */
  record(at: number, ms: number): void {
    this.work.push({ at, ms });
    while (this.work.length > 0 && this.work[0]!.at < at - this.opts.windowMs) this.work.shift();
  }

  /**
   * One analyzed frame: the ML host's own work on it (not its wall time: frames in flight together
   * overlap there), the page's capture, and its part of its message's unseen cost (none when nothing
   * was sent: an unchanged face sheet).
   */
  recordFrame(at: number, frame: { hostMs: number; captureMs: number; framesInMessage: number }): void {
    this.record(at, frame.hostMs + frame.captureMs + (frame.framesInMessage > 0 ? UNSEEN_MS_PER_MESSAGE / frame.framesInMessage : 0));
  }

  /** The overlay's counted share of one core over the window ending at `now`. */
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
