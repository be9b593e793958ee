// Pure: how often a tile's faces are detected again. Between detections the tracked boxes are only
// classified, a fraction of a detection's cost; faces that stay put need detecting less often.
import { pixelIou } from '../../core/boxes';
import type { PixelBox } from '../../core/types';

export interface DetectIntervalLimits {
  /** Frames between detections when anything changed (the performance mode's detectEvery). */
  base: number;
  /** The longest it grows to while every detection finds the same faces where they were tracked. */
  max: number;
  /** A found box matches a tracked one at this intersection over union or more. */
  minIou?: number;
}

/** Every found box matches a distinct tracked box (greedy by IoU), and there are as many of each. */
export function sameFaces(tracked: readonly PixelBox[], found: readonly PixelBox[], minIou: number): boolean {
  if (tracked.length === 0 || tracked.length !== found.length) return false;
  const free = [...tracked];
  for (const f of found) {
    let best = -1;
    let bestIou = minIou;
    free.forEach((t, i) => {
      const v = pixelIou(t, f);
      if (v >= bestIou) [best, bestIou] = [i, v];
    });
    if (best < 0) return false;
    free.splice(best, 1);
  }
  return true;
}

/**
 * The interval after a detection: doubled (up to `max`) when it found the faces where tracking had
 * them, back to `base` when a face appeared, vanished or moved.
 */
export function nextDetectInterval(current: number, tracked: readonly PixelBox[], found: readonly PixelBox[], limits: DetectIntervalLimits): number {
  const { base, max, minIou = 0.6 } = limits;
  if (!sameFaces(tracked, found, minIou)) return base;
  return Math.min(Math.max(base, max), Math.max(base, current * 2));
}
