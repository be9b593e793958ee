import { describe, expect, it } from 'vitest';
import { mapProbabilities, softmax, topLabel } from '../../src/core/labels';
import { fromFloat16Bits, quantizeFloat16, quantizeUint8, toFloat16Bits } from '../../src/core/quantize';

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

describe('quantization', () => {
  it('float16 round-trips representable values exactly and rounds others to nearest', () => {
    for (const v of [0, 1, -2, 0.5, 65504, 2 ** -24, -0.333251953125]) expect(fromFloat16Bits(toFloat16Bits(v))).toBe(v);
    expect(fromFloat16Bits(toFloat16Bits(0.1))).toBeCloseTo(0.1, 4);
    expect(fromFloat16Bits(toFloat16Bits(1e6))).toBe(Infinity);
    expect(quantizeFloat16(new Float32Array([1, 2]))).toEqual(new Uint16Array([0x3c00, 0x4000]));
  });
  it('uint8 maps min..max onto 0..255 with error at most half a step', () => {
    const values = new Float32Array([-1, -0.3, 0, 0.7, 1]);
    const q = quantizeUint8(values);
    expect(q.min).toBe(-1);
    expect(q.data[0]).toBe(0);
    expect(q.data[4]).toBe(255);
    values.forEach((v, i) => expect(Math.abs(q.data[i]! * q.scale + q.min - v)).toBeLessThanOrEqual(q.scale / 2 + 1e-7));
  });
});
