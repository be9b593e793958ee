// Pure: is someone in a frame where no face was found? MoveNet gives the most prominent person's 17
// body keypoints with a score each; a person is there when the best few keypoints are found (a head
// turned away still shows ears and shoulders, someone half out of frame a shoulder and an elbow), and
// nobody when every keypoint is a guess. `npm run eval -- presence` checks it against frames marked by eye.

/** How many of the best keypoint scores are averaged (one stray keypoint on a wall is not a person). */
export const PERSON_KEYPOINTS = 5;
/**
 * A frame's person score at or above this: someone is there. `npm run eval -- presence` (2026-12-07):
 * on the check set's frames without a face, the empty ones scored 0.05-0.21 (90 % under 0.12) and
 * those with someone 0.12-0.59 (half under 0.2); balanced agreement 94.3 % at 0.15, 93.4 % at 0.2,
 * 91.2 % at 0.3 (MoveNet's usual keypoint confidence). 0.2 rather than 0.15: a corner of a poster
 * (astronaut.png's top left) scores 0.154, and the threshold was chosen on the set it is judged on.
 */
export const PERSON_MIN_SCORE = 0.2;

/** The mean of the PERSON_KEYPOINTS best keypoint scores (0-1). */
export function personScore(keypointScores: ArrayLike<number>): number {
  const best = Array.from(keypointScores, (s) => (Number.isFinite(s) ? s : 0))
    .sort((a, b) => b - a)
    .slice(0, PERSON_KEYPOINTS);
  return best.length ? best.reduce((a, b) => a + b, 0) / best.length : 0;
}
