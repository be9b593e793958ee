// Pure: which tiles need a fresh label soonest when the CPU budget binds (a large call on a small
// machine). Each analyzed frame rates its tile from 0 (nothing to learn: the faces sit still under a
// sure label) to 1 (a label just changed, is unsure, or the face moved); the scheduler
// (scheduler.ts) samples urgent tiles more often and calm ones less, within the same budget, and
// never leaves a visible tile's label older than MAX_REFRESH_MS.

/** Every visible, analyzed tile's label is refreshed at least this often, whatever the budget. */
export const MAX_REFRESH_MS = 2000;

/** A smoothed confidence at or above this is sure (urgency 0 from it); it rises to 1 at UNSURE. */
const SURE = 0.75;
const UNSURE = 0.4;
/** A face that moved by this share of its box width (centre to centre) since the last frame is urgent. */
const MOVED = 0.25;
/** A tile with no face: watched at the average rate (someone may sit down). */
const EMPTY = 0.5;

interface FaceView {
  trackId: number;
  box: { x: number; y: number; width: number; height: number };
  label: string;
  confidence: number;
}

const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));

/** How much a tile needs its next label soon (0-1), from its faces before and after a frame. */
export function tileUrgency(before: readonly FaceView[], after: readonly FaceView[]): number {
  if (after.length === 0) return before.length > 0 ? 1 : EMPTY;
  let urgency = 0;
  for (const face of after) {
    const prior = before.find((b) => b.trackId === face.trackId);
    if (!prior || prior.label !== face.label) return 1;
    const moved = Math.hypot(face.box.x + face.box.width / 2 - (prior.box.x + prior.box.width / 2), face.box.y + face.box.height / 2 - (prior.box.y + prior.box.height / 2)) / Math.max(1, prior.box.width);
    urgency = Math.max(urgency, clamp01((SURE - face.confidence) / (SURE - UNSURE)), clamp01(moved / MOVED));
  }
  return urgency;
}

/**
 * How much a tile's interval is stretched for its urgency while the budget binds: an urgent tile
 * (1) is sampled at twice the average rate, a calm one (0) at two thirds of it; 1 when the budget
 * does not bind (every tile at the mode's rate).
 */
export function urgencyStretch(urgency: number, budgetBinds: boolean): number {
  return budgetBinds ? 1.5 - clamp01(urgency) : 1;
}
