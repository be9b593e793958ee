// Pure: which tile to sample next. Per-tile rate adapts to how long analysis takes; at most one
// frame in flight per tile (a busy tile is skipped, never queued). When the CPU budget slows
// sampling down, it is shared by need (fair-share.ts): urgent tiles sooner, calm ones later, none
// later than MAX_REFRESH_MS.
import { MAX_REFRESH_MS, urgencyStretch } from './fair-share';

/** The longest a skipped sample (no frame yet) waits before it is tried again. */
export const SKIP_RETRY_MS = 250;

export interface SchedulerOptions {
  /** Target samples per second per tile. */
  fps: number;
  /** Never sample a tile more often than this, however fast analysis is. */
  minIntervalMs?: number;
  /** Never wait longer than this between samples of a visible tile. */
  maxIntervalMs?: number;
  /** Weight of the newest latency in the moving average. */
  smoothing?: number;
  /**
   * At most this many frames in flight across all tiles: the ML host works through them one
   * message at a time (the tiles of one tick travel together), so more would only queue there.
   * With many tiles each gets a fair, slower share instead.
   */
  maxInFlight?: number;
  /**
   * When a tile is due, tiles due within this fraction of their interval go with it: tiles fall
   * into step and are sampled together, so one message carries them all and the ML host classifies
   * all their faces in one model call (src/overlay/logic/coalesce, src/ml/frame-batch).
   */
  gather?: number;
}

interface TileSchedule {
  nextDue: number;
  startedAt: number;
  inFlight: boolean;
  /** Exponential moving average of sample-to-result latency. */
  latencyMs: number | null;
  intervalMs: number;
  /** How much the tile needs a fresh label (fair-share.ts tileUrgency), 0-1. */
  urgency: number;
}

export class FrameScheduler {
  private readonly tiles = new Map<string, TileSchedule>();
  private opts: Required<SchedulerOptions>;
  /** The CPU budget's stretch of every interval (1: none). */
  private slowdown = 1;

  constructor(opts: SchedulerOptions) {
    // The longest interval leaves room for the answer's own latency within MAX_REFRESH_MS.
    this.opts = { minIntervalMs: 100, maxIntervalMs: MAX_REFRESH_MS * 0.8, smoothing: 0.3, maxInFlight: 4, gather: 0.4, ...opts };
  }

  setFps(fps: number): void {
    this.opts = { ...this.opts, fps };
    this.retime();
  }

  private retime(): void {
    for (const t of this.tiles.values()) t.intervalMs = this.intervalFor(t);
  }

  private baseInterval(): number {
    return (1000 / Math.max(0.1, this.opts.fps)) * this.slowdown;
  }

  /** Stretch every tile's interval by `factor` (the CPU budget, src/overlay/logic/budget); 1 undoes it. */
  setSlowdown(factor: number): void {
    if (factor === this.slowdown) return;
    this.slowdown = factor;
    this.retime();
  }

  /** The tile's need for a fresh label (0-1): while the budget binds, its share of the sampling follows it. */
  setUrgency(tileId: string, urgency: number): void {
    const t = this.tiles.get(tileId);
    if (!t || t.urgency === urgency) return;
    t.urgency = urgency;
    t.intervalMs = this.intervalFor(t);
  }

  /** Adaptive interval: the target rate (shared by need when the budget binds), slowed down when analysis takes longer than that. */
  private intervalFor(t: { latencyMs: number | null; urgency: number }): number {
    const want = Math.max(this.baseInterval() * urgencyStretch(t.urgency, this.slowdown > 1), t.latencyMs === null ? 0 : t.latencyMs * 1.2);
    return Math.min(this.opts.maxIntervalMs, Math.max(this.opts.minIntervalMs, want));
  }

  add(tileId: string, now: number): void {
    if (this.tiles.has(tileId)) return;
    const t: TileSchedule = { nextDue: now, startedAt: now, inFlight: false, latencyMs: null, intervalMs: 0, urgency: 0.5 };
    t.intervalMs = this.intervalFor(t);
    this.tiles.set(tileId, t);
  }

  remove(tileId: string): void {
    this.tiles.delete(tileId);
  }

  has(tileId: string): boolean {
    return this.tiles.has(tileId);
  }

  /**
   * Tiles due now among the eligible (visible, playing) ones, most overdue first, within the
   * in-flight cap; with them, when any is due, those due within `gather` of their interval.
   */
  due(now: number, eligible: (tileId: string) => boolean): string[] {
    const room = this.opts.maxInFlight - [...this.tiles.values()].filter((t) => t.inFlight).length;
    if (room <= 0) return [];
    const idle = [...this.tiles.entries()].filter(([, t]) => !t.inFlight);
    if (!idle.some(([id, t]) => t.nextDue <= now && eligible(id))) return [];
    return idle
      .filter(([id, t]) => t.nextDue <= now + this.opts.gather * t.intervalMs && eligible(id))
      .sort((a, b) => a[1].nextDue - b[1].nextDue)
      .slice(0, room)
      .map(([id]) => id);
  }

  /** Milliseconds until the next tile is due (for the caller's timer), or null if none is scheduled. */
  msUntilNext(now: number): number | null {
    let next: number | null = null;
    for (const t of this.tiles.values()) if (!t.inFlight) next = next === null ? t.nextDue : Math.min(next, t.nextDue);
    return next === null ? null : Math.max(0, next - now);
  }

  started(tileId: string, now: number): void {
    const t = this.tiles.get(tileId);
    if (!t) return;
    t.inFlight = true;
    t.startedAt = now;
  }

  /** A result (or failure) came back; latency feeds the adaptive interval. */
  finished(tileId: string, now: number, latencyMs: number): void {
    const t = this.tiles.get(tileId);
    if (!t) return;
    t.inFlight = false;
    const a = this.opts.smoothing;
    t.latencyMs = t.latencyMs === null ? latencyMs : a * latencyMs + (1 - a) * t.latencyMs;
    t.intervalMs = this.intervalFor(t);
    // Keep the cadence measured from when the sample was taken, but never schedule in the past.
    t.nextDue = Math.max(t.startedAt + t.intervalMs, now);
  }

  /**
   * A sample could not be taken (no frame yet: a looping video at its seam, a stream starting): retry
   * after the normal interval, at most SKIP_RETRY_MS (a skip reads nothing; waiting a calm tile's
   * whole stretched interval again left its label up to 3.3 s old at 25 tiles: `npm run bench:cpu`).
   */
  skipped(tileId: string, now: number): void {
    const t = this.tiles.get(tileId);
    if (t) t.nextDue = now + Math.min(t.intervalMs, SKIP_RETRY_MS);
  }

  intervalMs(tileId: string): number | undefined {
    return this.tiles.get(tileId)?.intervalMs;
  }

  inFlight(tileId: string): boolean {
    return this.tiles.get(tileId)?.inFlight ?? false;
  }
}
