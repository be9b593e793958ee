// Pure decoding of raw detector outputs against anchors into scored candidates.
import type { PointAnchor } from './anchors';
import { headTurn } from './head-turn';
import type { Candidate, NormalizedCorners } from '../../core/types';

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** SSD box-coder scales (TF OD API faster_rcnn_box_coder: y, x, h, w). */
export const SSD_BOX_CODER_SCALES = [10, 10, 5, 5] as const;

/**
 * Decode SSD outputs. `encodings` holds 4 values per anchor (ty, tx, th, tw); `logits` holds
 * `numClasses` per anchor, class 0 is background and class 1 is "face".
 */
export function decodeSsd(
  encodings: ArrayLike<number>,
  logits: ArrayLike<number>,
  numClasses: number,
  anchors: readonly NormalizedCorners[],
  minScore: number,
): Candidate[] {
  const out: Candidate[] = [];
  const [sy, sx, sh, sw] = SSD_BOX_CODER_SCALES;
  anchors.forEach((a, i) => {
    const score = sigmoid(logits[i * numClasses + 1] ?? -Infinity);
    if (score < minScore) return;
    const ah = a.ymax - a.ymin;
    const aw = a.xmax - a.xmin;
    const acy = a.ymin + ah / 2;
    const acx = a.xmin + aw / 2;
    const cy = ((encodings[i * 4] ?? 0) / sy) * ah + acy;
    const cx = ((encodings[i * 4 + 1] ?? 0) / sx) * aw + acx;
    const h = Math.exp((encodings[i * 4 + 2] ?? 0) / sh) * ah;
    const w = Math.exp((encodings[i * 4 + 3] ?? 0) / sw) * aw;
    out.push({ score, box: { ymin: cy - h / 2, xmin: cx - w / 2, ymax: cy + h / 2, xmax: cx + w / 2 } });
  });
  return out;
}

/**
 * Decode BlazeFace outputs. `regressors` holds `stride` values per anchor: centre offset x, y and
 * width, height, in input pixels, then six keypoints (x, y offsets: the face's right eye, left eye,
 * nose, mouth, right ear, left ear) of which the eyes give the face's roll and all six its turn
 * (head-turn.ts); `logits` one score per anchor.
 */
export function decodeBlazeFace(
  regressors: ArrayLike<number>,
  logits: ArrayLike<number>,
  stride: number,
  anchors: readonly PointAnchor[],
  input: { width: number; height: number },
  minScore: number,
): Candidate[] {
  const out: Candidate[] = [];
  anchors.forEach((a, i) => {
    const score = sigmoid(logits[i] ?? -Infinity);
    if (score < minScore) return;
    const o = i * stride;
    const cx = a.x + (regressors[o] ?? 0) / input.width;
    const cy = a.y + (regressors[o + 1] ?? 0) / input.height;
    const w = (regressors[o + 2] ?? 0) / input.width;
    const h = (regressors[o + 3] ?? 0) / input.height;
    // Both axes of the input have the image's pixel scale (letterboxed), so the eye line's angle here is its angle in the image.
    const roll = Math.atan2((regressors[o + 7] ?? 0) - (regressors[o + 5] ?? 0), (regressors[o + 6] ?? 0) - (regressors[o + 4] ?? 0));
    const point = (j: number) => ({ x: regressors[o + 4 + j * 2] ?? 0, y: regressors[o + 5 + j * 2] ?? 0 });
    const turn = headTurn({ rightEye: point(0), leftEye: point(1), nose: point(2), mouth: point(3), rightEar: point(4), leftEar: point(5) });
    out.push({ score, box: { ymin: cy - h / 2, xmin: cx - w / 2, ymax: cy + h / 2, xmax: cx + w / 2 }, roll, ...(turn === null ? {} : { turn }) });
  });
  return out;
}
