import { describe, expect, it } from 'vitest';
import { pixelIou } from '../../src/core/boxes';
import { averageProbabilities, DEFAULT_TRACKING, hysteresisLabel, NO_TRACKS, trackFaces, type TrackingOptions, withWindow } from '../../src/overlay/logic/tracking';
import type { FaceResult } from '../../src/core/types';

const face = (x: number, probs: Record<string, number>): FaceResult => {
  const label = Object.entries(probs).sort((a, b) => b[1] - a[1])[0]![0];
  return { box: { x, y: 10, width: 50, height: 50 }, score: 0.9, label, probabilities: probs };
};
/** One tile's tracks over time, as the content side keeps them (state in, next state out). */
class FaceTracker {
  private tracks = NO_TRACKS;
  constructor(private opts: TrackingOptions = DEFAULT_TRACKING) {}
  update(faces: FaceResult[], now: number) {
    const next = trackFaces(this.tracks, faces, now, this.opts);
    this.tracks = next.tracks;
    return next.faces;
  }
  setWindow(window: number) {
    this.opts = { ...this.opts, window };
    this.tracks = withWindow(this.tracks, window);
  }
  get size() {
    return this.tracks.list.length;
  }
}
const happy = { happy: 0.9, sad: 0.1 };
const sad = { happy: 0.1, sad: 0.9 };

describe('uncertain labels', () => {
  it('a smoothed confidence under the threshold marks the face uncertain; none without a threshold', () => {
    const unsure = { happy: 0.4, sad: 0.35, neutral: 0.25 };
    expect(new FaceTracker({ ...DEFAULT_TRACKING, uncertainBelow: 0.45 }).update([face(0, unsure)], 0)[0]).toMatchObject({ label: 'happy', uncertain: true });
    expect(new FaceTracker({ ...DEFAULT_TRACKING, uncertainBelow: 0.45 }).update([face(0, happy)], 0)[0]).toMatchObject({ label: 'happy', uncertain: false });
    expect(new FaceTracker().update([face(0, unsure)], 0)[0]!.uncertain).toBe(false);
  });
});

describe('pixelIou / averageProbabilities / hysteresisLabel', () => {
  it('computes IoU of pixel boxes', () => {
    expect(pixelIou({ x: 0, y: 0, width: 10, height: 10 }, { x: 5, y: 0, width: 10, height: 10 })).toBeCloseTo(1 / 3, 9);
    expect(pixelIou({ x: 0, y: 0, width: 0, height: 0 }, { x: 0, y: 0, width: 0, height: 0 })).toBe(0);
  });
  it('averages probability records', () => {
    expect(averageProbabilities([happy, sad])).toEqual({ happy: 0.5, sad: 0.5 });
  });
  it('keeps the current label unless a rival leads by the margin', () => {
    expect(hysteresisLabel({ happy: 0.45, sad: 0.55 }, 'happy', 0.15)).toBe('happy');
    expect(hysteresisLabel({ happy: 0.3, sad: 0.7 }, 'happy', 0.15)).toBe('sad');
    expect(hysteresisLabel({ happy: 0.3, sad: 0.7 }, null, 0.15)).toBe('sad');
  });
});

describe('FaceTracker', () => {
  it("carries each face's roll, so the next tracked crop is levelled like the detected one", () => {
    const t = new FaceTracker();
    const [a] = t.update([{ ...face(0, happy), roll: 0.3 }], 0);
    expect(a!.roll).toBe(0.3);
    const [b] = t.update([face(2, happy)], 100);
    expect(b!.roll).toBeUndefined();
  });
  it('keeps a stable id for a face that moves a little, and gives a new face a new id', () => {
    const t = new FaceTracker();
    const [a] = t.update([face(0, happy)], 0);
    const [a2, b] = t.update([face(5, happy), face(200, sad)], 100);
    expect(a2!.trackId).toBe(a!.trackId);
    expect(b!.trackId).not.toBe(a!.trackId);
  });

  it('drops a track unseen for longer than maxAge', () => {
    const t = new FaceTracker({ minIou: 0.3, maxAgeMs: 1000, window: 4, hysteresis: 0.1 });
    const [a] = t.update([face(0, happy)], 0);
    t.update([], 500);
    expect(t.size).toBe(1);
    const [again] = t.update([face(0, happy)], 2000);
    expect(again!.trackId).not.toBe(a!.trackId);
  });

  it('smooths labels over the window: one odd frame does not flip the label', () => {
    const t = new FaceTracker({ minIou: 0.3, maxAgeMs: 1000, window: 4, hysteresis: 0.1 });
    for (let i = 0; i < 4; i++) t.update([face(0, happy)], i * 100);
    const [blip] = t.update([face(0, sad)], 400);
    expect(blip!.rawLabel).toBe('sad');
    expect(blip!.label).toBe('happy');
    t.update([face(0, sad)], 500);
    const [after] = t.update([face(0, sad)], 600);
    expect(after!.label).toBe('sad');
    expect(after!.confidence).toBeCloseTo((0.9 * 3 + 0.1) / 4, 9);
  });

  it('matches each detection to at most one track (greedy by IoU)', () => {
    const t = new FaceTracker();
    t.update([face(0, happy), face(30, sad)], 0);
    const ids = t.update([face(2, happy), face(28, sad)], 100).map((f) => f.trackId);
    expect(new Set(ids).size).toBe(2);
  });
});

describe('trackFaces', () => {
  it('never changes the tracks it is given (a step returns the next ones)', () => {
    const first = trackFaces(NO_TRACKS, [face(0, happy)], 0);
    const frozen = JSON.stringify(first.tracks);
    const second = trackFaces(first.tracks, [face(2, sad), face(200, sad)], 100);
    expect(JSON.stringify(first.tracks)).toBe(frozen);
    expect(second.tracks.list).toHaveLength(2);
    expect(withWindow(second.tracks, 1)).not.toBe(second.tracks);
    expect(JSON.stringify(first.tracks)).toBe(frozen);
  });
});

describe('FaceTracker.setWindow', () => {
  it('a shorter window applies to existing tracks at once: the label follows the latest frames', () => {
    const t = new FaceTracker({ minIou: 0.3, maxAgeMs: 10_000, window: 8, hysteresis: 0 });
    for (let i = 0; i < 6; i++) t.update([face(0, happy)], i);
    expect(t.update([face(0, sad)], 6)[0]!.label).toBe('happy'); // 6 happy, 1 sad in the window
    t.setWindow(1);
    const [f] = t.update([face(0, sad)], 7);
    expect(f!.label).toBe('sad');
    expect(f!.confidence).toBeCloseTo(0.9, 9); // only the newest frame is averaged
    expect(f!.trackId).toBe(1); // the same track
  });
});
