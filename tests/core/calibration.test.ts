import { describe, expect, it } from 'vitest';
import { accuracy, chooseUncertainBelow, expectedCalibrationError, fitTemperature, meanNll, reliability, type ScoredFace, showsPercent, temper } from '../../src/core/calibration';

/** Faces whose top label is right with probability `rightRate` while the model always says `said` for it (over-confident when said > rightRate). */
function faces(n: number, said: number, rightRate: number): ScoredFace[] {
  return Array.from({ length: n }, (_, i) => {
    const rest = (1 - said) / 4;
    const probs = [said, rest, rest, rest, rest];
    return { probs, truth: i < n * rightRate ? 0 : 1 + (i % 4) };
  });
}

describe('temper', () => {
  it('T = 1 leaves probabilities alone; T > 1 softens, T < 1 sharpens, always a distribution in the same order', () => {
    const p = [0.7, 0.2, 0.1];
    expect(temper(p, 1)).toEqual(p);
    const soft = temper(p, 2);
    const sharp = temper(p, 0.5);
    expect(soft[0]!).toBeLessThan(0.7);
    expect(sharp[0]!).toBeGreaterThan(0.7);
    for (const q of [soft, sharp]) {
      expect(q.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
      expect(q[0]! > q[1]! && q[1]! > q[2]!).toBe(true);
    }
    // softmax(log p / T): T = 2 is the square root, renormalized.
    const roots = p.map(Math.sqrt);
    const sum = roots.reduce((a, b) => a + b, 0);
    soft.forEach((v, i) => expect(v).toBeCloseTo(roots[i]! / sum, 10));
  });
  it('a zero probability stays usable (no NaN)', () => {
    expect(temper([1, 0, 0], 3).every(Number.isFinite)).toBe(true);
  });
});

describe('fitting a temperature', () => {
  it('an over-confident model (says 95 %, right 60 %) gets T > 1 and its calibration error falls', () => {
    const fs = faces(400, 0.95, 0.6);
    const t = fitTemperature(fs);
    expect(t).toBeGreaterThan(1);
    expect(meanNll(fs, t)).toBeLessThan(meanNll(fs, 1));
    const after = fs.map((f) => ({ ...f, probs: temper(f.probs, t) }));
    expect(expectedCalibrationError(after)).toBeLessThan(0.05);
    expect(expectedCalibrationError(fs)).toBeGreaterThan(0.3);
  });
  it('an under-confident model (says 40 %, right 90 %) gets T < 1', () => {
    expect(fitTemperature(faces(400, 0.4, 0.9))).toBeLessThan(1);
  });
});

describe('reliability and ECE', () => {
  it('bins faces by top confidence and counts how often the top label was right', () => {
    const fs = [...faces(10, 0.95, 0.5), ...faces(10, 0.35, 0.3)];
    const bins = reliability(fs);
    expect(bins).toHaveLength(10);
    expect(bins[9]).toMatchObject({ faces: 10, accuracy: 0.5 });
    expect(bins[3]).toMatchObject({ faces: 10, accuracy: 0.3 });
    expect(bins[9]!.meanConfidence).toBeCloseTo(0.95);
    // ECE: half the faces 0.45 off, half 0.05 off.
    expect(expectedCalibrationError(fs)).toBeCloseTo(0.25);
    expect(accuracy(fs)).toBeCloseTo(0.4);
  });
});

describe('the uncertain threshold', () => {
  it('is the middle of the highest confidence band whose labels are wrong more often than right', () => {
    // Faces at 0.3 right 20 %, at 0.45 right 40 %, at 0.55 right 70 %, at 0.9 right 90 %: the band 0.45-0.55 is the highest mostly wrong.
    const fs = [...faces(100, 0.3, 0.2), ...faces(100, 0.45, 0.4), ...faces(100, 0.55, 0.7), ...faces(100, 0.9, 0.9)];
    expect(chooseUncertainBelow(fs)).toBe(0.5);
    expect(chooseUncertainBelow([...faces(100, 0.3, 0.2), ...faces(100, 0.6, 0.95)])).toBe(0.3);
    // Too few faces in a band say nothing; no mostly-wrong band: 0.2.
    expect(chooseUncertainBelow([...faces(10, 0.7, 0.1), ...faces(100, 0.9, 0.9)])).toBe(0.2);
  });
});

describe('showsPercent', () => {
  it('only for a calibrated model whose fit holds', () => {
    expect(showsPercent(null)).toBe(false);
    expect(showsPercent(undefined)).toBe(false);
    expect(showsPercent({ ece: 0.03 })).toBe(true);
    expect(showsPercent({ ece: 0.08 })).toBe(false);
  });
});
