// Node: post-training weight quantization (tools/lib/quantize) into the tfjs weights-manifest encodings.
import { describe, expect, it } from 'vitest';
import { fromFloat16Bits, quantizeFloat16, quantizeUint8, toFloat16Bits } from '../../tools/lib/quantize';

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
