// Pure: stable face ids per tile (greedy IoU tracker) and smoothed labels with hysteresis.
import { topLabel } from './labels';
import type { FaceResult, PixelBox } from './types';

export interface TrackingOptions {
  /** Minimum IoU for a detection to continue a track. */
  minIou: number;
  /** A track not seen for this long is dropped. */
  maxAgeMs: number;
  /** How many recent frames the label average spans (the paper averaged 4). */
  window: number;
  /** The shown label changes only when a rival's averaged probability beats it by this margin. */
  hysteresis: number;
}

export const DEFAULT_TRACKING: TrackingOptions = { minIou: 0.3, maxAgeMs: 1500, window: 4, hysteresis: 0.1 };

export interface TrackedFace {
  trackId: number;
  box: PixelBox;
  score: number;
  /** The face's roll as last detected (FaceResult.roll): tracked crops keep it level too. */
  roll?: number;
  /** The smoothed label shown to the user, and its averaged probability. */
  label: string;
  confidence: number;
  probabilities: Record<string, number>;
  /** This frame's raw arg-max label. */
  rawLabel: string;
}

interface Track {
  id: number;
  box: PixelBox;
  lastSeen: number;
  history: Array<Record<string, number>>;
  label: string;
}

export function pixelIou(a: PixelBox, b: PixelBox): number {
  const x0 = Math.max(a.x, b.x);
  const y0 = Math.max(a.y, b.y);
  const x1 = Math.min(a.x + a.width, b.x + b.width);
  const y1 = Math.min(a.y + a.height, b.y + b.height);
  const inter = Math.max(0, x1 - x0) * Math.max(0, y1 - y0);
  const union = a.width * a.height + b.width * b.height - inter;
  return union > 0 ? inter / union : 0;
}

export function averageProbabilities(history: ReadonlyArray<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of history) for (const [k, v] of Object.entries(p)) out[k] = (out[k] ?? 0) + v / history.length;
  return out;
}

/** Keep `current` unless the best rival beats it by `margin` (or current is absent). */
export function hysteresisLabel(avg: Readonly<Record<string, number>>, current: string | null, margin: number): string {
  const best = topLabel(avg);
  if (current === null || !(current in avg)) return best.label;
  return best.score - (avg[current] ?? 0) >= margin ? best.label : current;
}

export class FaceTracker {
  private tracks: Track[] = [];
  private nextId = 1;

  constructor(private opts: TrackingOptions = DEFAULT_TRACKING) {}

  /** A new smoothing window for every track, from the next update on (longer histories are cut now). */
  setWindow(window: number): void {
    this.opts = { ...this.opts, window };
    for (const t of this.tracks) if (t.history.length > window) t.history.splice(0, t.history.length - window);
  }

  update(faces: readonly FaceResult[], now: number): TrackedFace[] {
    this.tracks = this.tracks.filter((t) => now - t.lastSeen <= this.opts.maxAgeMs);
    // Greedy matching, best IoU pairs first.
    const pairs: Array<{ f: number; t: number; iou: number }> = [];
    faces.forEach((face, f) =>
      this.tracks.forEach((track, t) => {
        const iou = pixelIou(face.box, track.box);
        if (iou >= this.opts.minIou) pairs.push({ f, t, iou });
      }),
    );
    pairs.sort((a, b) => b.iou - a.iou);
    const faceToTrack = new Map<number, Track>();
    const usedTracks = new Set<number>();
    for (const p of pairs) {
      if (faceToTrack.has(p.f) || usedTracks.has(p.t)) continue;
      const track = this.tracks[p.t];
      if (!track) continue;
      faceToTrack.set(p.f, track);
      usedTracks.add(p.t);
    }
    return faces.map((face, f) => {
      let track = faceToTrack.get(f);
      if (!track) {
        track = { id: this.nextId++, box: face.box, lastSeen: now, history: [], label: '' };
        this.tracks.push(track);
      }
      track.box = face.box;
      track.lastSeen = now;
      track.history.push(face.probabilities);
      if (track.history.length > this.opts.window) track.history.splice(0, track.history.length - this.opts.window);
      const avg = averageProbabilities(track.history);
      track.label = hysteresisLabel(avg, track.label || null, this.opts.hysteresis);
      return {
        trackId: track.id,
        box: face.box,
        score: face.score,
        ...(face.roll === undefined ? {} : { roll: face.roll }),
        label: track.label,
        confidence: avg[track.label] ?? 0,
        probabilities: avg,
        rawLabel: face.label,
      };
    });
  }

  get size(): number {
    return this.tracks.length;
  }
}
