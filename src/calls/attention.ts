// Pure: attention per participant: of the frames of its tile that were analyzed, the share where its
// face was found, and the share where the face also faced the camera (head-turn.ts).

/** The counters a participant summary keeps (ParticipantSummary extends it). */
export interface AttentionCounts {
  /** Face-frames found (the participant's labelled frames). */
  frames: number;
  /**
   * Frames of its tile analyzed while it was the tile's participant: its face-frames and, for a tile's
   * one participant, the frames of the tile where no face was found. Absent in calls stored before
   * attention was kept.
   */
  analyzed?: number;
  /** Of its face-frames, those where the head faced the camera; absent where the detector has no keypoints. */
  facing?: number;
  /**
   * Of the frames of its tile with no face found, those where the person detector saw someone there
   * (turned away, half out of frame) and those where it saw nobody; the first few seconds of a
   * faceless stretch are not asked and count in neither. Absent in calls stored before.
   */
  away?: number;
  nobody?: number;
}

/** The person detector's two verdicts on a faceless frame (AttentionCounts.away / .nobody), in the order they are shown. */
export const ABSENT_KINDS = ['away', 'nobody'] as const;

/** One found face-frame of the participant, already counted in `frames` (`facing` undefined: the detector cannot tell). */
export function countFound(p: AttentionCounts, facing: boolean | undefined): void {
  // A call stored before attention was kept takes its earlier face-frames as analyzed.
  p.analyzed = (p.analyzed ?? p.frames - 1) + 1;
  if (facing !== undefined) p.facing = (p.facing ?? 0) + (facing ? 1 : 0);
}

/** One frame of the participant's tile where no face was found; `someone`: the person detector's verdict (undefined: not asked). */
export function countMissing(p: AttentionCounts, someone?: boolean): void {
  p.analyzed = (p.analyzed ?? p.frames) + 1;
  if (someone === true) p.away = (p.away ?? 0) + 1;
  else if (someone === false) p.nobody = (p.nobody ?? 0) + 1;
}

/** Add `from`'s counters to `into` (participants merged into one row). */
export function mergeAttention(into: AttentionCounts, from: Readonly<AttentionCounts>): void {
  if (from.analyzed === undefined && into.analyzed === undefined) return;
  into.analyzed = (into.analyzed ?? into.frames) + (from.analyzed ?? from.frames);
  if (from.facing !== undefined || into.facing !== undefined) into.facing = (into.facing ?? 0) + (from.facing ?? 0);
  for (const k of ABSENT_KINDS) if (from[k] !== undefined || into[k] !== undefined) into[k] = (into[k] ?? 0) + (from[k] ?? 0);
}

export interface Attention {
  /** Share (0..1) of the analyzed frames where the face was found. */
  visible: number;
  /** Share (0..1) of the analyzed frames where the face was found and faced the camera; null: not measured. */
  facing: number | null;
  /** Shares (0..1) of the analyzed frames with no face where someone was there / nobody was (the person detector); null: never asked. */
  away: number | null;
  nobody: number | null;
  analyzed: number;
}

/** A participant's attention; null when the call kept none for it. */
export function attentionOf(p: Readonly<AttentionCounts>): Attention | null {
  if (p.analyzed === undefined || p.analyzed <= 0) return null;
  const share = (n: number | undefined) => (n === undefined ? null : Math.min(1, n / p.analyzed!));
  const asked = p.away !== undefined || p.nobody !== undefined;
  return { visible: Math.min(1, p.frames / p.analyzed), facing: share(p.facing), away: asked ? (share(p.away) ?? 0) : null, nobody: asked ? (share(p.nobody) ?? 0) : null, analyzed: p.analyzed };
}
