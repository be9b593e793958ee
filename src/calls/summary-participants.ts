// Pure: a call summary's participants: their moments of change, and the bound on how many a call
// keeps (the least seen merge into one row). Used by addFrame (summary.ts).
import { mergeAttention } from './attention';
import type { CallSummary, ParticipantSummary } from './summary';

/** A label set's zero counts. */
export const zeros = (labels: readonly string[]) => Object.fromEntries(labels.map((l) => [l, 0]));

/**
 * Participants kept per call. Beyond it, the participants with the fewest frames (the oldest first
 * among equals: brief tracks of passing or misdetected faces) are merged into one OTHERS_KEY row,
 * so the call's totals stay right and its size stays bounded.
 */
export const MAX_PARTICIPANTS = 64;
export const OTHERS_KEY = 'others';

/** A label counts as a moment of change once held this long (brief flickers are not moments). */
export const MOMENT_HOLD_MS = 3_000;
export const MAX_MOMENTS = 40;

/** Fold one labelled sample of a participant into its streak and moments (see ParticipantSummary.moments). */
export function noteMoment(p: ParticipantSummary, label: string, time: number): void {
  if (!p.streak || p.streak.label !== label) {
    p.streak = { label, since: time };
    return;
  }
  const moments = (p.moments ??= []);
  const last = moments[moments.length - 1];
  if (time - p.streak.since >= MOMENT_HOLD_MS && last?.label !== label && (last?.time ?? -Infinity) < p.streak.since) {
    moments.push({ time: p.streak.since, label });
    if (moments.length > MAX_MOMENTS) moments.splice(0, moments.length - MAX_MOMENTS);
  }
}

function sumInto(into: Record<string, number>, from: Readonly<Record<string, number>>): void {
  for (const [l, v] of Object.entries(from)) into[l] = (into[l] ?? 0) + v;
}

/** Make room for one more participant: merge the least-seen ones into the OTHERS_KEY row. */
export function makeRoom(s: CallSummary): void {
  let others = s.participants.find((p) => p.key === OTHERS_KEY);
  const limit = MAX_PARTICIPANTS - 2; // the others row and the newcomer take the last two places
  const candidates = s.participants.filter((p) => p.key !== OTHERS_KEY).sort((a, b) => a.frames - b.frames || a.lastSeen - b.lastSeen);
  const merged = candidates.slice(0, Math.max(0, candidates.length - limit));
  if (merged.length === 0) return;
  if (!others) {
    others = { key: OTHERS_KEY, name: null, frames: 0, msByLabel: zeros(s.labels), countByLabel: zeros(s.labels), lastSeen: 0 };
    s.participants.push(others);
  }
  for (const p of merged) {
    mergeAttention(others, p); // (before the frames: a row without `analyzed` counts its frames)
    others.frames += p.frames;
    sumInto(others.msByLabel, p.msByLabel);
    sumInto(others.countByLabel, p.countByLabel);
    if (p.uncertain) [others.uncertain, others.uncertainMs] = [(others.uncertain ?? 0) + p.uncertain, (others.uncertainMs ?? 0) + (p.uncertainMs ?? 0)];
    others.lastSeen = Math.max(others.lastSeen, p.lastSeen);
  }
  const gone = new Set(merged);
  s.participants = s.participants.filter((p) => !gone.has(p));
}

