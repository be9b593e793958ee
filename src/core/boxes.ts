// Pure box maths: IoU, NMS, crop geometry. No tfjs, no DOM.
import type { Candidate, NormalizedCorners, PixelBox } from './types';

export function area(b: NormalizedCorners): number {
  return Math.max(0, b.ymax - b.ymin) * Math.max(0, b.xmax - b.xmin);
}

export function iou(a: NormalizedCorners, b: NormalizedCorners): number {
  const ymin = Math.max(a.ymin, b.ymin);
  const xmin = Math.max(a.xmin, b.xmin);
  const ymax = Math.min(a.ymax, b.ymax);
  const xmax = Math.min(a.xmax, b.xmax);
  const inter = Math.max(0, ymax - ymin) * Math.max(0, xmax - xmin);
  const union = area(a) + area(b) - inter;
  return union <= 0 ? 0 : inter / union;
}

/** The same for boxes in pixels (x, y, width, height). */
export function pixelIou(a: PixelBox, b: PixelBox): number {
  const x0 = Math.max(a.x, b.x);
  const y0 = Math.max(a.y, b.y);
  const x1 = Math.min(a.x + a.width, b.x + b.width);
  const y1 = Math.min(a.y + a.height, b.y + b.height);
  const inter = Math.max(0, x1 - x0) * Math.max(0, y1 - y0);
  const union = a.width * a.height + b.width * b.height - inter;
  return union > 0 ? inter / union : 0;
}

export interface NmsOptions {
  maxResults: number;
  iouThreshold: number;
  minScore: number;
}

/** Greedy hard NMS: highest score first, drop candidates overlapping a kept one by more than iouThreshold. */
export function nonMaxSuppression(candidates: readonly Candidate[], opts: NmsOptions): Candidate[] {
  const sorted = candidates.filter((c) => c.score >= opts.minScore).sort((a, b) => b.score - a.score);
  const kept: Candidate[] = [];
  for (const c of sorted) {
    if (kept.length >= opts.maxResults) break;
    if (kept.every((k) => iou(k.box, c.box) <= opts.iouThreshold)) kept.push(c);
  }
  return kept;
}

export function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/** Normalized corners of the model input to pixels of an image of the given size, clipped to the image. */
export function cornersToPixels(b: NormalizedCorners, width: number, height: number): PixelBox {
  const x0 = clamp(b.xmin, 0, 1) * width;
  const y0 = clamp(b.ymin, 0, 1) * height;
  const x1 = clamp(b.xmax, 0, 1) * width;
  const y1 = clamp(b.ymax, 0, 1) * height;
  return { x: x0, y: y0, width: Math.max(0, x1 - x0), height: Math.max(0, y1 - y0) };
}

/** How much the classifier's square crop grows around the detector's box (the pipeline's and the page's face sheets). */
export const FACE_CROP_SCALE = 1.1;

/**
 * The square crop a classifier sees: the face box grown by `scale` around its centre, squared on its
 * longer side. It may extend past the image; the crop op pads with black there (no stretching).
 */
export function squareCrop(box: PixelBox, scale: number): PixelBox {
  const side = Math.max(box.width, box.height) * scale;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  return { x: cx - side / 2, y: cy - side / 2, width: side, height: side };
}

/** A crop in pixels as the normalized [y1, x1, y2, x2] that tf.image.cropAndResize takes. */
export function toCropAndResizeBox(crop: PixelBox, width: number, height: number): [number, number, number, number] {
  return [crop.y / height, crop.x / width, (crop.y + crop.height) / height, (crop.x + crop.width) / width];
}

/**
 * Letterbox: how a width x height image fits a model input whose longer side is `side` pixels,
 * without changing its aspect ratio (image scaled to fit, at the top-left, padding right/bottom).
 * The input is square unless `multiple` is given: a fully convolutional model then takes the
 * frame's own aspect, its shorter side padded only up to a multiple of `multiple` (its largest stride).
 */
export interface Letterbox {
  /** The model input's size in pixels. */
  width: number;
  height: number;
  /** Pixels of the input the image covers, per axis. */
  imageWidth: number;
  imageHeight: number;
  /** Fraction of the input covered by the image, per axis (<= 1). */
  scaleX: number;
  scaleY: number;
}

export function letterbox(width: number, height: number, side: number, multiple = side): Letterbox {
  const scale = side / Math.max(width, height);
  const imageWidth = Math.max(1, Math.round(width * scale));
  const imageHeight = Math.max(1, Math.round(height * scale));
  const pad = (n: number) => Math.min(side, Math.ceil(n / multiple) * multiple);
  const w = pad(imageWidth);
  const h = pad(imageHeight);
  return { width: w, height: h, imageWidth, imageHeight, scaleX: imageWidth / w, scaleY: imageHeight / h };
}

/** Map corners normalized to the letterboxed input back to corners normalized to the original image. */
export function unletterbox(b: NormalizedCorners, lb: Letterbox): NormalizedCorners {
  return { ymin: b.ymin / lb.scaleY, xmin: b.xmin / lb.scaleX, ymax: b.ymax / lb.scaleY, xmax: b.xmax / lb.scaleX };
}
