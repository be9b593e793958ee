import { describe, expect, it } from 'vitest';
import { cornersToPixels, iou, letterbox, nonMaxSuppression, squareCrop, toCropAndResizeBox, unletterbox } from '../../src/core/boxes';

const box = (ymin: number, xmin: number, ymax: number, xmax: number) => ({ ymin, xmin, ymax, xmax });

describe('iou', () => {
  it('is 1 for identical boxes, 0 for disjoint ones and 1/7 for half-overlapping squares', () => {
    expect(iou(box(0, 0, 1, 1), box(0, 0, 1, 1))).toBe(1);
    expect(iou(box(0, 0, 1, 1), box(2, 2, 3, 3))).toBe(0);
    expect(iou(box(0, 0, 2, 2), box(1, 1, 3, 3))).toBeCloseTo(1 / 7, 9);
  });
  it('is 0 for degenerate boxes', () => {
    expect(iou(box(0, 0, 0, 0), box(0, 0, 0, 0))).toBe(0);
  });
});

describe('nonMaxSuppression', () => {
  const cands = [
    { score: 0.9, box: box(0, 0, 1, 1) },
    { score: 0.8, box: box(0, 0.1, 1, 1.1) }, // overlaps the first heavily
    { score: 0.7, box: box(5, 5, 6, 6) },
    { score: 0.2, box: box(9, 9, 10, 10) },
  ];
  it('keeps the best of overlapping boxes and drops low scores', () => {
    const kept = nonMaxSuppression(cands, { maxResults: 10, iouThreshold: 0.5, minScore: 0.5 });
    expect(kept.map((k) => k.score)).toEqual([0.9, 0.7]);
  });
  it('caps the number of results', () => {
    expect(nonMaxSuppression(cands, { maxResults: 1, iouThreshold: 0.5, minScore: 0 })).toHaveLength(1);
  });
  it('returns nothing for no candidates', () => {
    expect(nonMaxSuppression([], { maxResults: 5, iouThreshold: 0.5, minScore: 0 })).toEqual([]);
  });
});

describe('crop maths', () => {
  it('converts normalized corners to clipped pixels', () => {
    expect(cornersToPixels(box(0.25, -0.1, 0.75, 0.5), 200, 100)).toEqual({ x: 0, y: 25, width: 100, height: 50 });
  });
  it('squares a box on its longer side around its centre, grown by the scale', () => {
    expect(squareCrop({ x: 10, y: 20, width: 40, height: 80 }, 1.5)).toEqual({ x: -30, y: 0, width: 120, height: 120 });
  });
  it('expresses a pixel crop as normalized y1, x1, y2, x2', () => {
    expect(toCropAndResizeBox({ x: 50, y: 25, width: 100, height: 50 }, 200, 100)).toEqual([0.25, 0.25, 0.75, 0.75]);
  });
  it('letterboxes a wide image into the top of a square and maps boxes back', () => {
    const lb = letterbox(400, 200, 256);
    expect(lb).toEqual({ width: 256, height: 256, imageWidth: 256, imageHeight: 128, scaleX: 1, scaleY: 0.5 });
    const b = unletterbox(box(0.1, 0.2, 0.3, 0.4), lb);
    expect(b.ymin).toBeCloseTo(0.2, 9);
    expect(b.ymax).toBeCloseTo(0.6, 9);
    expect(b.xmin).toBeCloseTo(0.2, 9);
  });
  it('pads a fully convolutional input only up to a multiple of its stride', () => {
    // A 16:9 frame at 256 px: 256 x 144, padded to 256 x 160 (not to a 256 x 256 square).
    expect(letterbox(480, 270, 256, 32)).toEqual({ width: 256, height: 160, imageWidth: 256, imageHeight: 144, scaleX: 1, scaleY: 0.9 });
    // A portrait (Shorts) frame, and a square one.
    expect(letterbox(270, 480, 256, 32)).toMatchObject({ width: 160, height: 256, scaleX: 0.9, scaleY: 1 });
    expect(letterbox(300, 300, 256, 32)).toMatchObject({ width: 256, height: 256, scaleX: 1, scaleY: 1 });
    // A very wide strip still gets one stride of rows.
    expect(letterbox(1000, 10, 256, 32)).toMatchObject({ width: 256, height: 32, imageHeight: 3 });
  });
});
