// Pure: where a video frame's pixels land inside its element (object-fit), so boxes can be drawn over it.
import type { PixelBox } from './types';

export type ObjectFit = 'contain' | 'cover' | 'fill' | 'none' | 'scale-down';

/** The rectangle (in the element's coordinates) the frame's content occupies after object-fit. */
export function contentRect(elementWidth: number, elementHeight: number, frameWidth: number, frameHeight: number, fit: ObjectFit): PixelBox {
  if (frameWidth <= 0 || frameHeight <= 0 || fit === 'fill') return { x: 0, y: 0, width: elementWidth, height: elementHeight };
  let scale: number;
  const sx = elementWidth / frameWidth;
  const sy = elementHeight / frameHeight;
  if (fit === 'cover') scale = Math.max(sx, sy);
  else if (fit === 'none') scale = 1;
  else if (fit === 'scale-down') scale = Math.min(1, Math.min(sx, sy));
  else scale = Math.min(sx, sy);
  const width = frameWidth * scale;
  const height = frameHeight * scale;
  return { x: (elementWidth - width) / 2, y: (elementHeight - height) / 2, width, height };
}

/**
 * A box in frame pixels mapped to element coordinates, clipped to the element (cover crops the frame).
 * Returns null when nothing of the box is visible.
 */
export function frameBoxToElement(
  box: PixelBox,
  frame: { width: number; height: number },
  element: { width: number; height: number },
  fit: ObjectFit,
): PixelBox | null {
  const c = contentRect(element.width, element.height, frame.width, frame.height, fit);
  const sx = c.width / frame.width;
  const sy = c.height / frame.height;
  const x0 = Math.max(0, c.x + box.x * sx);
  const y0 = Math.max(0, c.y + box.y * sy);
  const x1 = Math.min(element.width, c.x + (box.x + box.width) * sx);
  const y1 = Math.min(element.height, c.y + (box.y + box.height) * sy);
  if (x1 <= x0 || y1 <= y0) return null;
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** Scale a frame so its longer side is at most maxSide (never upscales). */
/**
 * A whole frame sent for analysis (a tile's JPEG, a tab-capture crop) is downscaled so that its longer
 * side is at most this (faces in call tiles stay > 40 px); the ML host refuses a larger JPEG.
 */
export const MAX_FRAME_SIDE = 480;
/** The JPEG quality a frame is sent at (the content script's capture; the peer benchmarks' frames). */
export const FRAME_JPEG_QUALITY = 0.85;

export function fitWithin(width: number, height: number, maxSide: number): { width: number; height: number } {
  const s = Math.min(1, maxSide / Math.max(width, height, 1));
  return { width: Math.max(1, Math.round(width * s)), height: Math.max(1, Math.round(height * s)) };
}

/**
 * The part of an element's frame that shows under `rect` (element coordinates), for tiles that are
 * a region of a shared media element (Zoom draws its whole gallery into one canvas): the frame's
 * pixels to crop, and the element rectangle they cover (`rect` clipped to the frame's content).
 * Null when the region shows none of the frame.
 */
export function regionOfFrame(
  rect: PixelBox,
  element: { width: number; height: number },
  frame: { width: number; height: number },
  fit: ObjectFit,
): { source: PixelBox; element: PixelBox } | null {
  const c = contentRect(element.width, element.height, frame.width, frame.height, fit);
  if (c.width <= 0 || c.height <= 0) return null;
  const x0 = Math.max(rect.x, c.x, 0);
  const y0 = Math.max(rect.y, c.y, 0);
  const x1 = Math.min(rect.x + rect.width, c.x + c.width, element.width);
  const y1 = Math.min(rect.y + rect.height, c.y + c.height, element.height);
  if (x1 <= x0 || y1 <= y0) return null;
  const sx = frame.width / c.width;
  const sy = frame.height / c.height;
  return {
    source: { x: (x0 - c.x) * sx, y: (y0 - c.y) * sy, width: (x1 - x0) * sx, height: (y1 - y0) * sy },
    element: { x: x0, y: y0, width: x1 - x0, height: y1 - y0 },
  };
}

/** The overlap of two rectangles (same coordinates), or null when they do not overlap. */
export function intersectRects(a: PixelBox, b: PixelBox): PixelBox | null {
  const x0 = Math.max(a.x, b.x);
  const y0 = Math.max(a.y, b.y);
  const x1 = Math.min(a.x + a.width, b.x + b.width);
  const y1 = Math.min(a.y + a.height, b.y + b.height);
  return x1 > x0 && y1 > y0 ? { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } : null;
}

/**
 * Whether a computed CSS transform flips its element left to right (Meet mirrors the self view
 * with `transform: scaleX(-1)`, computed as `matrix(-1, 0, 0, 1, 0, 0)`): boxes found in the
 * video's own pixels are then drawn mirrored. A rotation by 180 degrees is not a mirror.
 */
export function isMirrored(transform: string): boolean {
  const m = /^matrix(3d)?\(([^)]*)\)$/.exec(transform.trim());
  if (!m) return false;
  const v = m[2]!.split(',').map(Number);
  // 2D: matrix(a, b, c, d, e, f); 3D: the upper-left 2x2 is v[0], v[1], v[4], v[5].
  const [a, b, c, d] = m[1] ? [v[0]!, v[1]!, v[4]!, v[5]!] : [v[0]!, v[1]!, v[2]!, v[3]!];
  return a * d - b * c < 0;
}

/** A box mirrored left to right inside an element `width` wide. */
export function mirrorBox(box: PixelBox, width: number): PixelBox {
  return { ...box, x: width - box.x - box.width };
}

/** A box in a frame's pixels, in the pixels of the source rectangle that frame was scaled from. */
export function frameToSource(box: PixelBox, frame: { width: number; height: number }, source: PixelBox): PixelBox {
  const sx = source.width / frame.width;
  const sy = source.height / frame.height;
  return { x: source.x + box.x * sx, y: source.y + box.y * sy, width: box.width * sx, height: box.height * sy };
}
