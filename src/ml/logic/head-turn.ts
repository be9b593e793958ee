// Pure: how far a head is turned from the camera, from a face detector's keypoints (BlazeFace's
// eyes, nose and ears), and whether it faces the camera. Checked against frames marked by eye:
// `npm run eval -- attention` (tests/fixtures/attention-check.csv).

export interface Point {
  x: number;
  y: number;
}

/** BlazeFace's six keypoints, in one pixel scale on both axes (the face's own right and left). */
export interface FaceKeypoints {
  rightEye: Point;
  leftEye: Point;
  nose: Point;
  mouth: Point;
  rightEar: Point;
  leftEar: Point;
}

/**
 * How far the head is turned left or right, from the ears' keypoints about the nose along the eye
 * line: 0 when the nose sits midway between the ears, towards ±1 as the head turns to a profile
 * (positive: the nose moves towards the face's left ear). Null when the keypoints are degenerate.
 */
export function headTurn(k: FaceKeypoints): number | null {
  const ex = k.leftEye.x - k.rightEye.x;
  const ey = k.leftEye.y - k.rightEye.y;
  if (!(Math.hypot(ex, ey) > 0)) return null;
  // Position along the eye line (right eye -> left eye): the measure does not change with the head's roll.
  const along = (p: Point) => p.x * ex + p.y * ey;
  const nose = along(k.nose);
  const toRight = nose - along(k.rightEar);
  const toLeft = along(k.leftEar) - nose;
  const span = toRight + toLeft;
  if (!(span > 0)) return null;
  return Math.min(1, Math.max(-1, (toRight - toLeft) / span));
}

/**
 * A head turned less than this (|headTurn|) faces the camera. Chosen on the check set's talking clips
 * (docs/benchmarks.md, "Attention"): all five frames marked turned are past it, one of 67 marked facing.
 */
export const FACING_MAX_TURN = 0.3;

export const isFacing = (turn: number): boolean => Math.abs(turn) < FACING_MAX_TURN;
