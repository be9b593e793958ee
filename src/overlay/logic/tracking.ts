// Pure: stable face ids per tile (greedy IoU tracker) and smoothed labels with hysteresis.
import { pixelIou } from '../../core/boxes';
import { topLabel } from '../../core/labels';
import type { FaceResult, PixelBox } from '../../core/types';

export interface TrackingOptions {
  /** Minimum IoU for a detection to continue a track. */
  minIou: number;
  /** A track not seen for this long is dropped. */
  maxAgeMs: number;
  /** How many recent frames the label average spans (the paper averaged 4). */
  window: number;
  /** The shown label changes only when a rival's averaged probability beats it by this margin. */
  hysteresis: number;
  /** A shown label whose averaged (calibrated) probability is under this is uncertain (the model's calibration.uncertainBelow); absent: never. */
  uncertainBelow?: number;
}

export const DEFAULT_TRACKING: TrackingOptions = { minIou: 0.3, maxAgeMs: 1500, window: 4, hysteresis: 0.1 };

export interface TrackedFace {
  trackId: number;
  box: PixelBox;
  score: number;
  /** The face's roll as last detected (FaceResult.roll): tracked crops keep it level too. */
  roll?: number;
  /** How far the head is turned (FaceResult.turn) as last detected: frames that only track keep it. */
  turn?: number;
  /** The smoothed label shown to the user, and its averaged probability. */
  label: string;
  confidence: number;
  /** The confidence is under the model's uncertain threshold: the label is more likely wrong than right. */
  uncertain: boolean;
  probabilities: Record<string, number>;
  /** This frame's raw arg-max label. */
  rawLabel: string;
}

interface Track {
  id: number;
  box: PixelBox;
  lastSeen: number;
  history: ReadonlyArray<Record<string, number>>;
  label: string;
  turn?: number;
}

/** A tile's tracks between frames: never mutated, each update returns the next one. */
export interface Tracks {
  readonly list: readonly Track[];
  readonly nextId: number;
}

export const NO_TRACKS: Tracks = { list: [], nextId: 1 };

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

/** The tracks cut to a new smoothing window (longer histories keep their latest frames). */
export function withWindow(tracks: Tracks, window: number): Tracks {
  return { ...tracks, list: tracks.list.map((t) => (t.history.length > window ? { ...t, history: t.history.slice(-window) } : t)) };
}

/** Match a frame's faces to the tracks (greedy, best IoU pairs first), smooth their labels: the next tracks and the faces to show. */
export function trackFaces(tracks: Tracks, faces: readonly FaceResult[], now: number, opts: TrackingOptions = DEFAULT_TRACKING): { tracks: Tracks; faces: TrackedFace[] } {
  const alive = tracks.list.filter((t) => now - t.lastSeen <= opts.maxAgeMs);
  const pairs: Array<{ f: number; t: number; iou: number }> = [];
  faces.forEach((face, f) =>
    alive.forEach((track, t) => {
      const iou = pixelIou(face.box, track.box);
      if (iou >= opts.minIou) pairs.push({ f, t, iou });
    }),
  );
  pairs.sort((a, b) => b.iou - a.iou);
  const faceToTrack = new Map<number, number>();
  const usedTracks = new Set<number>();
  for (const p of pairs) {
    if (faceToTrack.has(p.f) || usedTracks.has(p.t)) continue;
    faceToTrack.set(p.f, p.t);
    usedTracks.add(p.t);
  }
  const list = [...alive];
  let nextId = tracks.nextId;
  const shown = faces.map((face, f) => {
    const index = faceToTrack.get(f);
    const old: Omit<Track, 'box' | 'lastSeen'> = index === undefined ? { id: nextId++, history: [], label: '' } : alive[index]!;
    const history = [...old.history, face.probabilities].slice(-opts.window);
    const avg = averageProbabilities(history);
    const turn = face.turn ?? old.turn;
    const track: Track = { id: old.id, box: face.box, lastSeen: now, history, label: hysteresisLabel(avg, old.label || null, opts.hysteresis), ...(turn === undefined ? {} : { turn }) };
    if (index === undefined) list.push(track);
    else list[index] = track;
    const confidence = avg[track.label] ?? 0;
    return {
      trackId: track.id,
      box: face.box,
      score: face.score,
      ...(face.roll === undefined ? {} : { roll: face.roll }),
      ...(turn === undefined ? {} : { turn }),
      label: track.label,
      confidence,
      uncertain: opts.uncertainBelow !== undefined && confidence < opts.uncertainBelow,
      probabilities: avg,
      rawLabel: face.label,
    };
  });
  return { tracks: { list, nextId }, faces: shown };
}
