// Pure: what the popup and the exports read off a call summary (shares of time per label, the
// timeline in bars), never changing it.
import { type CallSummary, type ParticipantSummary, TIMELINE_STEPS_MS } from './summary';
import { zeros } from './summary-participants';

/** What the history list shows of a call (kept in the history's index: the list reads no record). */
export interface CallListing {
  id: string;
  site: CallSummary['site'];
  callId: string;
  title: string;
  start: number;
  end: number;
  ended: boolean;
  frames: number;
  /** The label with the largest share of the call's time, or null without faces. */
  dominant: string | null;
  /** Kept through retention and the size budget. */
  starred?: boolean;
  /** A self-coaching summary (only the user's own tile analyzed). */
  analyze?: 'me';
}

export function listingOf(c: CallSummary): CallListing {
  return { id: c.id, site: c.site, callId: c.callId, title: c.title, start: c.start, end: c.end, ended: c.ended, frames: c.frames, dominant: dominant(callShares(c)), ...(c.starred ? { starred: true } : {}), ...(c.analyze === 'me' ? { analyze: 'me' as const } : {}) };
}

/** How a participant is named: the name the site showed, else the tile's key. */
export function participantName(p: ParticipantSummary): string {
  return p.name ?? p.key;
}

/** A time of the call (a moment's, say) on the call's clock, in ms: into the video for a video, since the start for a call. */
export const clockMs = (call: CallSummary, t: number): number => (call.clock === 'media' ? t : Math.max(0, t - call.start));

export function durationMs(summary: CallSummary): number {
  return Math.max(0, summary.end - summary.start);
}

/** Shares of time per label (falls back to frame counts before any time has accumulated). */
export function shares(p: ParticipantSummary, labels: readonly string[]): Record<string, number> {
  const ms = labels.reduce((a, l) => a + (p.msByLabel[l] ?? 0), 0);
  const src = ms > 0 ? p.msByLabel : p.countByLabel;
  const total = labels.reduce((a, l) => a + (src[l] ?? 0), 0);
  return Object.fromEntries(labels.map((l) => [l, total > 0 ? (src[l] ?? 0) / total : 0]));
}

/** The share (0..1) of a participant's face-frames whose label was uncertain (counted apart from the labels). */
export function uncertainShare(p: Pick<ParticipantSummary, 'frames' | 'uncertain'>): number {
  return p.frames > 0 ? Math.min(1, (p.uncertain ?? 0) / p.frames) : 0;
}

/** The share (0..1) of the call's face-frames whose label was uncertain. */
export function callUncertainShare(summary: Pick<CallSummary, 'participants'>): number {
  const frames = summary.participants.reduce((a, p) => a + p.frames, 0);
  return frames > 0 ? Math.min(1, summary.participants.reduce((a, p) => a + (p.uncertain ?? 0), 0) / frames) : 0;
}

export function dominant(record: Readonly<Record<string, number>>): string | null {
  let best: string | null = null;
  let score = 0;
  for (const [k, v] of Object.entries(record)) if (v > score) [best, score] = [k, v];
  return best;
}

/** The call's overall label shares: all participants' time together (uncertain labels left out). */
export function callShares(summary: CallSummary): Record<string, number> {
  const total = zeros(summary.labels);
  for (const p of summary.participants) {
    const sh = shares(p, summary.labels);
    for (const l of summary.labels) total[l] = (total[l] ?? 0) + (sh[l] ?? 0) * (p.frames - (p.uncertain ?? 0));
  }
  const sum = Object.values(total).reduce((a, b) => a + b, 0);
  return Object.fromEntries(summary.labels.map((l) => [l, sum > 0 ? (total[l] ?? 0) / sum : 0]));
}

/** A stretch of the call for the timeline chart: its offsets from the start and face-frames per label. */
export interface TimelineBar {
  fromMs: number;
  toMs: number;
  countByLabel: Record<string, number>;
}

/**
 * The call's timeline in at most `maxBars` bars of one step (the smallest of TIMELINE_STEPS_MS
 * that is a multiple of the stored step and fits), bars without faces left out.
 */
export function timelineBars(call: CallSummary, maxBars = 30): { stepMs: number; bars: TimelineBar[]; spanMs: number } {
  const last = call.timeline.reduce((n, m) => Math.max(n, m.slot + 1), 0) * call.timelineStepMs;
  // A video's timeline spans the whole video; a call's, the time it has lasted.
  const spanMs = Math.max(last, call.clock === 'media' ? (call.mediaDurationMs ?? 0) : call.end - call.start);
  const stepMs =
    TIMELINE_STEPS_MS.find((t) => t >= call.timelineStepMs && t % call.timelineStepMs === 0 && Math.ceil(spanMs / t) <= maxBars) ??
    Math.max(call.timelineStepMs, Math.ceil(spanMs / maxBars / 3_600_000) * 3_600_000);
  const byBar = new Map<number, TimelineBar>();
  for (const m of call.timeline) {
    const k = Math.floor((m.slot * call.timelineStepMs) / stepMs);
    const bar = byBar.get(k) ?? { fromMs: k * stepMs, toMs: (k + 1) * stepMs, countByLabel: {} };
    for (const [l, c] of Object.entries(m.countByLabel)) bar.countByLabel[l] = (bar.countByLabel[l] ?? 0) + c;
    byBar.set(k, bar);
  }
  return { stepMs, bars: [...byBar.values()].sort((a, b) => a.fromMs - b.fromMs), spanMs: Math.ceil(spanMs / stepMs) * stepMs };
}

export function timelineShares(m: { countByLabel: Record<string, number> }): Record<string, number> {
  const sum = Object.values(m.countByLabel).reduce((a, b) => a + b, 0);
  return Object.fromEntries(Object.entries(m.countByLabel).map(([l, c]) => [l, sum > 0 ? c / sum : 0]));
}

/** A call in one line: how long, how many people, its mood, and the one person whose mood stood apart. */
export interface CallHeadline {
  durationMs: number;
  people: number;
  /** The label the call spent most of its time in (null: no label yet). */
  mostly: string | null;
  /** The participant most in a label other than the call's, with that label (null: nobody stood apart). */
  standout: { name: string; label: string } | null;
}

export function headlineOf(call: CallSummary): CallHeadline {
  const mostly = dominant(callShares(call));
  let standout: CallHeadline['standout'] = null;
  let best = 0;
  for (const p of call.participants) {
    const sh = shares(p, call.labels);
    const label = dominant(sh);
    if (label === null || label === mostly || (sh[label] ?? 0) <= best) continue;
    best = sh[label] ?? 0;
    standout = { name: participantName(p), label };
  }
  return { durationMs: durationMs(call), people: call.participants.length, mostly, standout };
}

/**
 * A live call's last minute: the label its faces were in most over the timeline's slots that
 * overlap the last `windowMs` (one slot when the call's slots are longer), and the participant
 * whose label changed most often in the last `changeWindowMs` (at least twice; null: nobody did).
 */
export function recentMood(call: CallSummary, windowMs = 60_000, changeWindowMs = 5 * 60_000): { mostly: string | null; changedMost: string | null } {
  const step = call.timelineStepMs;
  const lastSlot = Math.floor(Math.max(0, call.end - call.start) / step);
  const fromSlot = lastSlot - Math.max(0, Math.ceil(windowMs / step) - 1);
  const counts: Record<string, number> = {};
  for (const s of call.timeline) if (s.slot >= fromSlot) for (const [l, n] of Object.entries(s.countByLabel)) counts[l] = (counts[l] ?? 0) + n;
  let changedMost: string | null = null;
  let most = 1;
  for (const p of call.participants) {
    const changes = (p.moments ?? []).filter((m) => m.time >= call.end - changeWindowMs).length;
    if (changes > most) [most, changedMost] = [changes, participantName(p)];
  }
  return { mostly: dominant(counts), changedMost };
}
