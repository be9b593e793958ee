import { describe, expect, it } from 'vitest';
import { CpuBudget } from '../../src/overlay/logic/budget';

/** `fps` analyses a second of `ms` each for `seconds`, the rate divided by the budget's slowdown. */
function run(b: CpuBudget, from: number, seconds: number, fps: number, ms: number): { now: number; slowdown: number } {
  let now = from;
  let slowdown = 1;
  const end = from + seconds * 1000;
  while (now < end) {
    b.record(now, ms);
    slowdown = b.slowdown(now);
    now += (1000 / fps) * slowdown;
  }
  return { now, slowdown };
}

describe('CpuBudget', () => {
  it('an idle machine: usage under the budget, no slowdown', () => {
    const b = new CpuBudget({ share: 0.4 });
    const r = run(b, 0, 20, 22, 15); // 0.33 of a core
    expect(r.slowdown).toBe(1);
    expect(b.usage(r.now)).toBeCloseTo(0.33, 1);
  });

  it('a busy machine (each analysis twice as long): slows down until usage is back near the budget, then recovers', () => {
    const b = new CpuBudget({ share: 0.4 });
    const busy = run(b, 0, 30, 22, 30); // 0.66 of a core at full speed
    expect(busy.slowdown).toBeGreaterThan(1.4);
    expect(busy.slowdown).toBeLessThan(2);
    expect(b.usage(busy.now)).toBeLessThan(0.45);
    const idle = run(b, busy.now, 30, 22, 15);
    expect(idle.slowdown).toBe(1);
  });

  it('the share it shows is to 0.05 and moves at most once a second, however often results come', () => {
    const b = new CpuBudget({ share: 0.4 });
    const shown: Array<[number, number]> = [];
    for (let now = 0; now < 10_000; now += 45) {
      b.record(now, 10 + (now % 7)); // a share near 0.29 that wobbles on every result
      b.slowdown(now);
      if (shown.at(-1)?.[1] !== b.shownUsage) shown.push([now, b.shownUsage]);
    }
    expect(shown.at(-1)![1]).toBeCloseTo(0.3, 2);
    for (let i = 1; i < shown.length; i++) expect(shown[i]![0] - shown[i - 1]![0]).toBeGreaterThanOrEqual(1000);
    expect(shown.every(([, v]) => Math.abs(v * 20 - Math.round(v * 20)) < 1e-9)).toBe(true);
  });

  it('never slows down past its bound', () => {
    const b = new CpuBudget({ share: 0.1, maxSlowdown: 4 });
    expect(run(b, 0, 30, 22, 200).slowdown).toBe(4);
  });
});
