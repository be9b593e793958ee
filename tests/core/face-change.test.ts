import { describe, expect, it } from 'vitest';
import { cellSignature, maxBlockChange, SIGNATURE_GRID } from '../../src/overlay/logic/face-change';

/** A sheet of `n` cells of `cell` px, grey level from `grey(cellIndex, x, y)`. */
function sheet(n: number, cell: number, grey: (i: number, x: number, y: number) => number): Uint8ClampedArray {
  const data = new Uint8ClampedArray(n * cell * cell * 4);
  for (let y = 0; y < cell; y++)
    for (let x = 0; x < n * cell; x++) {
      const v = grey(Math.floor(x / cell), x % cell, y);
      data.set([v, v, v, 255], (y * n * cell + x) * 4);
    }
  return data;
}

describe('face signatures', () => {
  it('averages each block of one cell, not its neighbours', () => {
    const data = sheet(2, 96, (i, x) => (i === 0 ? (x < 48 ? 0 : 200) : 90));
    const sig = cellSignature(data, 192, 96, 0);
    expect(sig).toHaveLength(SIGNATURE_GRID * SIGNATURE_GRID);
    expect(sig[0]).toBeCloseTo(0, 3);
    expect(sig[SIGNATURE_GRID - 1]).toBeCloseTo(200, 3);
    expect(cellSignature(data, 192, 96, 1)[0]).toBeCloseTo(90, 3);
  });

  it('sees pixel noise as no change and a changed mouth as a change', () => {
    const base = sheet(1, 96, (_, x, y) => 100 + ((x * 7 + y * 3) % 20));
    const noisy = sheet(1, 96, (_, x, y) => 100 + ((x * 7 + y * 3) % 20) + (((x * 31 + y * 17) % 5) - 2));
    const smile = sheet(1, 96, (_, x, y) => (y > 64 && y < 80 && x > 30 && x < 66 ? 230 : 100 + ((x * 7 + y * 3) % 20)));
    const a = cellSignature(base, 96, 96, 0);
    expect(maxBlockChange(a, cellSignature(noisy, 96, 96, 0))).toBeLessThan(1);
    expect(maxBlockChange(a, cellSignature(smile, 96, 96, 0))).toBeGreaterThan(50);
    expect(maxBlockChange(a, new Float32Array(4))).toBe(Infinity);
  });
});
