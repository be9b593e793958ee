import { describe, expect, it } from 'vitest';
import { nextDetectInterval, sameFaces } from '../../src/overlay/logic/detect-interval';

const box = (x: number, y = 20, side = 100) => ({ x, y, width: side, height: side });
const limits = { base: 3, max: 9 };

describe('nextDetectInterval', () => {
  it('doubles up to the max while detections find the tracked faces where they were', () => {
    const faces = [box(10), box(300)];
    let n = 3;
    const seen: number[] = [];
    for (let i = 0; i < 4; i++) seen.push((n = nextDetectInterval(n, faces, [box(302), box(12)], limits)));
    expect(seen).toEqual([6, 9, 9, 9]);
  });

  it('goes back to the base when a face appears, vanishes or moves', () => {
    expect(nextDetectInterval(9, [box(10)], [box(10), box(300)], limits)).toBe(3);
    expect(nextDetectInterval(9, [box(10), box(300)], [box(10)], limits)).toBe(3);
    expect(nextDetectInterval(9, [box(10)], [box(60)], limits)).toBe(3); // moved half a face: IoU 0.33
    expect(nextDetectInterval(6, [], [], limits)).toBe(3); // no face: keep looking at the base rate
  });

  it('never goes below the base (a mode change lowered it) nor above a max under the base', () => {
    expect(nextDetectInterval(1, [box(10)], [box(10)], limits)).toBe(3);
    expect(nextDetectInterval(6, [box(10)], [box(10)], { base: 6, max: 4 })).toBe(6);
  });
});

describe('sameFaces', () => {
  it('matches each found box to a distinct tracked box', () => {
    expect(sameFaces([box(10), box(12)], [box(11), box(300)], 0.6)).toBe(false);
    expect(sameFaces([box(10), box(300)], [box(300), box(10)], 0.6)).toBe(true);
  });
});
