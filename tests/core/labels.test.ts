import { describe, expect, it } from 'vitest';
import { mapProbabilities, softmax, topLabel } from '../../src/core/labels';

describe('softmax', () => {
  it('sums to 1, is shift-invariant and stable for large logits', () => {
    const p = softmax([1, 2, 3]);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(softmax([1001, 1002, 1003])).toEqual(p.map((v) => expect.closeTo(v, 12)));
    expect(softmax([])).toEqual([]);
  });
});

describe('mapProbabilities', () => {
  const outputs = ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'];
  const map = { disgust: null, fear: null };
  const target = ['angry', 'happy', 'neutral', 'sad', 'surprise'];

  it('drops unmapped classes and renormalizes over the target labels', () => {
    const p = mapProbabilities([0.1, 0.2, 0.2, 0.3, 0.1, 0.05, 0.05], outputs, map, target);
    expect(Object.keys(p)).toEqual(target);
    expect(p.happy).toBeCloseTo(0.3 / 0.6, 9);
    expect(Object.values(p).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  });
  it('renames labels (face-api "surprised" -> "surprise") and sums classes mapped together', () => {
    const p = mapProbabilities([0.5, 0.25, 0.25], ['surprised', 'x', 'y'], { surprised: 'surprise', x: 'sad', y: 'sad' }, target);
    expect(p.surprise).toBeCloseTo(0.5, 9);
    expect(p.sad).toBeCloseTo(0.5, 9);
  });
  it('returns all zeros rather than NaN when nothing maps', () => {
    expect(mapProbabilities([1], ['fear'], map, target).angry).toBe(0);
  });
  it('topLabel picks the arg-max', () => {
    expect(topLabel({ a: 0.2, b: 0.5, c: 0.3 })).toEqual({ label: 'b', score: 0.5 });
  });
});
