// Node (vitest): pure metric maths on tiny hand-built inputs whose answers are worked out by hand.
import { describe, expect, it } from 'vitest';
import { accuracy, confusionMatrix, labelAges, macroF1, mean, median, percentile, perClassMetrics } from '../../tools/lib/metrics';

const LABELS = ['a', 'b', 'c'];
// truth a a a b b c / predicted a a b b c c: rows are truths, columns predictions.
const TRUTHS = ['a', 'a', 'a', 'b', 'b', 'c'];
const PREDICTIONS = ['a', 'a', 'b', 'b', 'c', 'c'];

describe('confusionMatrix', () => {
  it('counts truth x predicted over the label list', () => {
    const cm = confusionMatrix(TRUTHS, PREDICTIONS, LABELS);
    expect(cm.labels).toEqual(LABELS);
    expect(cm.counts).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
  });

  it('rejects labels outside the list and mismatched lengths', () => {
    expect(() => confusionMatrix(['a'], ['z'], LABELS)).toThrow(/"z"/);
    expect(() => confusionMatrix(['z'], ['a'], LABELS)).toThrow(/"z"/);
    expect(() => confusionMatrix(['a', 'b'], ['a'], LABELS)).toThrow(/2 truths but 1 predictions/);
  });
});

describe('accuracy', () => {
  it('is the diagonal over the total', () => {
    expect(accuracy(confusionMatrix(TRUTHS, PREDICTIONS, LABELS))).toBeCloseTo(4 / 6, 12);
  });

  it('is NaN with no samples', () => {
    expect(accuracy(confusionMatrix([], [], LABELS))).toBeNaN();
  });
});

describe('perClassMetrics', () => {
  it('gives precision, recall and F1 per class', () => {
    const [a, b, c] = perClassMetrics(confusionMatrix(TRUTHS, PREDICTIONS, LABELS));
    expect(a).toMatchObject({ label: 'a', support: 3, predicted: 2, precision: 1 });
    expect(a?.recall).toBeCloseTo(2 / 3, 12);
    expect(a?.f1).toBeCloseTo(0.8, 12);
    expect(b).toMatchObject({ label: 'b', support: 2, predicted: 2, precision: 0.5, recall: 0.5, f1: 0.5 });
    expect(c).toMatchObject({ label: 'c', support: 1, predicted: 2, precision: 0.5, recall: 1 });
    expect(c?.f1).toBeCloseTo(2 / 3, 12);
  });

  it('gives a never-predicted class precision 0 (not NaN)', () => {
    const [, b] = perClassMetrics(confusionMatrix(['a', 'b'], ['a', 'a'], LABELS));
    expect(b).toEqual({ label: 'b', support: 1, predicted: 0, precision: 0, recall: 0, f1: 0 });
  });
});

describe('macroF1', () => {
  it('is the unweighted mean of the per-class F1', () => {
    expect(macroF1(confusionMatrix(TRUTHS, PREDICTIONS, LABELS))).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3, 12);
  });

  it('excludes classes with no truths and no predictions, keeps never-predicted ones', () => {
    // a: P 1/2, R 1, F1 2/3; b: never predicted, F1 0; c and d: absent, excluded.
    const cm = confusionMatrix(['a', 'b'], ['a', 'a'], ['a', 'b', 'c', 'd']);
    expect(macroF1(cm)).toBeCloseTo((2 / 3 + 0) / 2, 12);
  });

  it('is 1 for perfect predictions and NaN with no samples', () => {
    expect(macroF1(confusionMatrix(['a', 'b', 'c'], ['a', 'b', 'c'], LABELS))).toBe(1);
    expect(macroF1(confusionMatrix([], [], LABELS))).toBeNaN();
  });
});

describe('percentile and median (linear interpolation)', () => {
  it('interpolates between closest ranks', () => {
    const oneToTen = [10, 1, 9, 2, 8, 3, 7, 4, 6, 5];
    expect(percentile(oneToTen, 90)).toBeCloseTo(9.1, 12);
    expect(percentile(oneToTen, 0)).toBe(1);
    expect(percentile(oneToTen, 100)).toBe(10);
    expect(percentile([0, 10], 25)).toBe(2.5);
  });

  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it('does not reorder its input', () => {
    const xs = [3, 1, 2];
    median(xs);
    expect(xs).toEqual([3, 1, 2]);
  });

  it('is NaN for no values and rejects p outside 0..100', () => {
    expect(median([])).toBeNaN();
    expect(() => percentile([1], 101)).toThrow(/0\.\.100/);
    expect(() => percentile([1], Number.NaN)).toThrow(/0\.\.100/);
  });
});

describe('mean', () => {
  it('averages, and is NaN for no values', () => {
    expect(mean([1, 2, 3, 6])).toBe(3);
    expect(mean([])).toBeNaN();
  });
});

describe('labelAges', () => {
  it('per tile: the next result\'s arrival minus the previous frame\'s sampling', () => {
    const r = [
      { tile: 'a', sampledAt: 0, doneAt: 50 },
      { tile: 'b', sampledAt: 10, doneAt: 40 },
      { tile: 'a', sampledAt: 170, doneAt: 220 },
      { tile: 'b', sampledAt: 180, doneAt: 400 },
    ];
    expect(labelAges(r)).toEqual([220, 390]);
  });
});
