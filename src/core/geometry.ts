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
export function fitWithin(width: number, height: number, maxSide: number): { width: number; height: number } {
  const s = Math.min(1, maxSide / Math.max(width, height, 1));
  return { width: Math.max(1, Math.round(width * s)), height: Math.max(1, Math.round(height * s)) };
}
