import { describe, expect, it } from 'vitest';
import { contentRect, fitWithin, frameBoxToElement, frameToSource, intersectRects, isMirrored, mirrorBox, regionOfFrame } from '../../src/core/geometry';

describe('contentRect (object-fit)', () => {
  it('contain letterboxes a 16:9 frame in a square element', () => {
    expect(contentRect(100, 100, 160, 90, 'contain')).toEqual({ x: 0, y: 21.875, width: 100, height: 56.25 });
  });
  it('cover crops a 16:9 frame to fill a square element', () => {
    const r = contentRect(100, 100, 160, 90, 'cover');
    expect(r.height).toBe(100);
    expect(r.width).toBeCloseTo(177.78, 2);
    expect(r.x).toBeCloseTo(-38.89, 2);
  });
  it('fill stretches; none keeps pixel size centred; scale-down never enlarges', () => {
    expect(contentRect(100, 50, 10, 10, 'fill')).toEqual({ x: 0, y: 0, width: 100, height: 50 });
    expect(contentRect(100, 100, 20, 10, 'none')).toEqual({ x: 40, y: 45, width: 20, height: 10 });
    expect(contentRect(100, 100, 20, 10, 'scale-down')).toEqual({ x: 40, y: 45, width: 20, height: 10 });
  });
});

describe('frameBoxToElement', () => {
  it('maps a box through contain and scales it', () => {
    expect(frameBoxToElement({ x: 80, y: 45, width: 16, height: 9 }, { width: 160, height: 90 }, { width: 320, height: 180 }, 'contain')).toEqual({
      x: 160,
      y: 90,
      width: 32,
      height: 18,
    });
  });
  it('clips a box that cover pushes partly outside the element, and drops one fully outside', () => {
    const frame = { width: 160, height: 90 };
    const el = { width: 90, height: 90 };
    const clipped = frameBoxToElement({ x: 0, y: 0, width: 60, height: 90 }, frame, el, 'cover');
    expect(clipped!.x).toBe(0);
    expect(clipped!.width).toBeCloseTo(60 - 35, 6);
    expect(frameBoxToElement({ x: 0, y: 0, width: 20, height: 20 }, frame, el, 'cover')).toBeNull();
  });
});

describe('fitWithin', () => {
  it('downscales to the max side keeping aspect, never upscales', () => {
    expect(fitWithin(1280, 720, 480)).toEqual({ width: 480, height: 270 });
    expect(fitWithin(320, 180, 480)).toEqual({ width: 320, height: 180 });
    expect(fitWithin(0, 0, 480)).toEqual({ width: 1, height: 1 });
  });
});

describe('regions of a shared frame (Zoom gallery canvas)', () => {
  it('a quarter of a filled canvas is that quarter of its pixels', () => {
    expect(regionOfFrame({ x: 320, y: 180, width: 320, height: 180 }, { width: 640, height: 360 }, { width: 1280, height: 720 }, 'fill')).toEqual({
      source: { x: 640, y: 360, width: 640, height: 360 },
      element: { x: 320, y: 180, width: 320, height: 180 },
    });
  });
  it('a region reaching past the letterboxed content is clipped to it', () => {
    // 16:9 frame contained in a square element: content from y 21.875 to 78.125.
    const r = regionOfFrame({ x: 0, y: 0, width: 100, height: 50 }, { width: 100, height: 100 }, { width: 160, height: 90 }, 'contain')!;
    expect(r.element).toEqual({ x: 0, y: 21.875, width: 100, height: 28.125 });
    expect(r.source.y).toBe(0);
    expect(r.source.height).toBeCloseTo(45, 6);
  });
  it('a region outside the element shows nothing', () => {
    expect(regionOfFrame({ x: 700, y: 0, width: 50, height: 50 }, { width: 640, height: 360 }, { width: 640, height: 360 }, 'fill')).toBeNull();
  });
  it('intersects rectangles', () => {
    expect(intersectRects({ x: 0, y: 0, width: 10, height: 10 }, { x: 5, y: 5, width: 10, height: 10 })).toEqual({ x: 5, y: 5, width: 5, height: 5 });
    expect(intersectRects({ x: 0, y: 0, width: 10, height: 10 }, { x: 10, y: 0, width: 5, height: 5 })).toBeNull();
  });
});

describe('mirrored self views', () => {
  it('reads a left-right flip from the computed transform, in 2D and 3D', () => {
    expect(isMirrored('matrix(-1, 0, 0, 1, 0, 0)')).toBe(true);
    expect(isMirrored('matrix3d(-1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1)')).toBe(true);
    expect(isMirrored('matrix(1, 0, 0, 1, 0, 0)')).toBe(false);
    expect(isMirrored('matrix(-1, 0, 0, -1, 0, 0)')).toBe(false); // rotated 180 degrees
    expect(isMirrored('none')).toBe(false);
  });
  it('mirrors a box inside its element', () => {
    expect(mirrorBox({ x: 10, y: 5, width: 30, height: 20 }, 100)).toEqual({ x: 60, y: 5, width: 30, height: 20 });
  });
});

describe('frameToSource', () => {
  it('maps a box in a downscaled frame onto the media pixels it came from (a face sheet crop)', () => {
    // A 1280x720 video sent as a 480x270 frame.
    expect(frameToSource({ x: 48, y: 27, width: 96, height: 54 }, { width: 480, height: 270 }, { x: 0, y: 0, width: 1280, height: 720 })).toEqual({ x: 128, y: 72, width: 256, height: 144 });
    // A region tile: the frame is a 320x180 part of a shared canvas at (640, 360).
    expect(frameToSource({ x: 10, y: 20, width: 30, height: 40 }, { width: 320, height: 180 }, { x: 640, y: 360, width: 320, height: 180 })).toEqual({ x: 650, y: 380, width: 30, height: 40 });
  });
});
