// Pure: per-call emotion summaries (aggregates only, never images); when a call ends: call-end.ts.
import { type AttentionCounts, countFound, countMissing } from './attention';
import { makeRoom, MAX_PARTICIPANTS, noteMoment, zeros } from './summary-participants';
import { MAX_ID_GRAPHEMES, MAX_NAME_GRAPHEMES, MAX_TITLE_GRAPHEMES, truncateGraphemes } from '../core/text';
import type { SiteId } from '../core/types';

/**
 * 'models-changed': Settings picked other models mid-call; the call goes on as a new part with them.
 * 'media-changed': the video a summary is on the clock of was replaced in its tile (a pre-roll ad
 * ended and the video began): what follows is a new part with the new video's duration.
 */
export type EndReason = 'tab-closed' | 'navigated' | 'idle' | 'interrupted' | 'models-changed' | 'media-changed' | 'mode-changed';

/** A call ends after this long without an analyzed frame (the overlay was turned off, or the meeting was left). */
export const IDLE_END_MS = 2 * 60_000;

/**
 * A live call reaches the call history this often while it changes: what an extension reload or a
 * browser crash resumes from (they lose at most this much). storage.session has every change.
 */
export const CHECKPOINT_MS = 5_000;
/** A video's frame this far behind the previous one was watched again (less: sampling jitter). */
export const REWATCH_MS = 1_500;
/**
 * The longest video summarized on its own clock (YouTube takes uploads of up to 12 hours). A page
 * claiming more (a live stream's placeholder duration, or a hostile page) is on the wall clock: a
 * timeline over 1e7 s reached ~2,800 slots.
 */
export const MAX_MEDIA_DURATION_MS = 24 * 3_600_000;
/** A gap longer than this between two samples of a face counts as this long (a paused or hidden tile). */
export const MAX_SAMPLE_GAP_MS = 2000;

/** Attention (attention.ts): `analyzed` and `facing` beside `frames`. */
export interface ParticipantSummary extends AttentionCounts {
  /** Stable within the call: the tile's name where the site shows one, else the tile (and face) id. */
  key: string;
  name: string | null;
  frames: number;
  /** Milliseconds spent in each label (sample gaps capped at MAX_SAMPLE_GAP_MS). */
  msByLabel: Record<string, number>;
  /** Face-frames per label (used for shares while no time has accumulated yet). */
  countByLabel: Record<string, number>;
  /**
   * Face-frames whose label was uncertain (under the classifier's calibrated threshold) and their
   * time: counted apart, in neither msByLabel, countByLabel, moments nor the timeline. Absent: none
   * (or a call stored before uncertain labels were told apart).
   */
  uncertain?: number;
  uncertainMs?: number;
  lastSeen: number;
  /**
   * Moments of change: when the participant's label became one it then held for MOMENT_HOLD_MS
   * (the first is the label they started in). The latest MAX_MOMENTS are kept.
   */
  moments?: Array<{ time: number; label: string }>;
  /** The label seen in a row up to now, and since when (becomes a moment once held long enough). */
  streak?: { label: string; since: number };
}

export interface TimelineSlot {
  /** Which slot of the call's timeline step: slot k covers [k, k + 1) x timelineStepMs from the start. */
  slot: number;
  /** Face-frames per label in that slot. */
  countByLabel: Record<string, number>;
}

/**
 * The timeline's step grows with the call, each step a multiple of the one before: a 20 s call has
 * 5 s slots, an hour has 1 min slots, so a short call is not one bar and a long one stays small.
 */
export const TIMELINE_STEPS_MS = [5_000, 10_000, 30_000, 60_000, 300_000, 600_000, 1_800_000, 3_600_000] as const;
/** Slots a call keeps at most: past it, the timeline moves to the next step (slots merged). */
export const MAX_TIMELINE_SLOTS = 120;

/** Tiles whose latest frame time a summary remembers (see lastFrameByTile); the least recent go first. */
export const MAX_REMEMBERED_TILES = 256;

export interface CallSummary {
  id: string;
  site: SiteId;
  callId: string;
  title: string;
  /** Epoch ms. */
  start: number;
  end: number;
  frames: number;
  labels: string[];
  participants: ParticipantSummary[];
  timeline: TimelineSlot[];
  /** The timeline's slot length (one of TIMELINE_STEPS_MS; calls stored before it had minutes). */
  timelineStepMs: number;
  backend: string | null;
  models: { detector: string; classifier: string } | null;
  ended: boolean;
  endReason: EndReason | null;
  /**
   * Latest frame time folded in, per tile id. A tile has one frame in flight at a time and reports
   * reach the background in order, so a report at or before it (tile id + frame time) was already
   * counted: a send retried after its reply was lost (the worker stopped mid-answer).
   */
  lastFrameByTile?: Record<string, number>;
  /**
   * 'media': a recorded video (YouTube, any finite video), summarized on the video's own clock: the
   * timeline is slots of the video's time over `mediaDurationMs`, moments are stamped with the video's
   * time (ms), and stretches watched again are counted in the same slots (`rewatched`). Absent: a
   * live call on the wall clock.
   */
  clock?: 'media';
  mediaDurationMs?: number;
  /** Some of the video was watched more than once (seeked back, or looped): its slots count every viewing. */
  rewatched?: boolean;
  /** Each tile's video time at its latest frame (ms): a frame well before it means the viewer went back. */
  mediaAtByTile?: Record<string, number>;
  /**
   * The video whose duration the summary spans: its tile, its latest video time as the page gave it
   * (not clamped to the duration) and that frame's wall time. Tells a new video in that tile (the
   * duration changed and the time jumped) from the same one playing on (call-end.ts mediaChanged).
   */
  mediaPlayhead?: { tileId: string; atMs: number; time: number };
  /** The user starred it: kept through the retention period and the size budget. */
  starred?: boolean;
  /** 'me': only the user's own tile was analyzed (Settings.analyze): a self-coaching summary. Absent: everyone. */
  analyze?: 'me';
  /** How many calls its tab had opened in the hour up to it, itself included (a flooding page's excess goes first: retention.ts). */
  opened?: number;
}

export interface AnalyzedFrame {
  time: number;
  /** The video's own time of this frame (ms), for a media-clock call. */
  mediaMs?: number;
  tileId: string;
  name: string | null;
  /** `facing`: the head faced the camera (absent: the detector cannot tell); `uncertain`: the label is under the model's calibrated threshold. */
  faces: ReadonlyArray<{ trackId: number; label: string; facing?: boolean; uncertain?: boolean }>;
  /** No face found: whether the person detector saw someone in the tile (absent: not asked). */
  someone?: boolean;
}

export function callKey(site: SiteId, callId: string): string {
  return `${site}:${callId}`;
}

/** A page-supplied call id and title, bounded (see src/core/text). */
export function boundCallId(callId: string): string {
  return truncateGraphemes(callId, MAX_ID_GRAPHEMES);
}
export function boundTitle(title: string): string {
  return truncateGraphemes(title, MAX_TITLE_GRAPHEMES);
}

export function startCall(init: { site: SiteId; callId: string; title: string; time: number; labels: readonly string[]; mediaDurationMs?: number }): CallSummary {
  const callId = boundCallId(init.callId);
  const d = init.mediaDurationMs;
  const media = d !== undefined && Number.isFinite(d) && d > 0 && d <= MAX_MEDIA_DURATION_MS;
  return {
    ...(media ? { clock: 'media' as const, mediaDurationMs: d } : {}),
    id: `${callKey(init.site, callId)}:${init.time}`,
    site: init.site,
    callId,
    title: boundTitle(init.title),
    start: init.time,
    end: init.time,
    frames: 0,
    labels: [...init.labels],
    participants: [],
    timeline: [],
    // A video's timeline spans its duration from the start: the step that holds it.
    timelineStepMs: media ? (TIMELINE_STEPS_MS.find((t) => Math.ceil(d / t) <= MAX_TIMELINE_SLOTS) ?? 3_600_000) : TIMELINE_STEPS_MS[0],
    backend: null,
    models: null,
    ended: false,
    endReason: null,
  };
}

/**
 * The summary without a participant (the user left them out): their row, name, times, moments and
 * attention go (a tile with several faces: every `<key>#<track>`). The call's timeline keeps its
 * per-slot label counts, which mix every participant's frames and cannot be split after the fact.
 */
export function withoutParticipant(summary: CallSummary, key: string): CallSummary {
  return { ...summary, participants: summary.participants.filter((p) => p.key !== key && !p.key.startsWith(`${key}#`)) };
}

/** A tile's participant key: its name where the site shows one, else the tile id (the content script keys its choices the same way). */
export const participantKeyOf = (name: string | null, tileId: string): string => (name ? `name:${name}` : `tile:${tileId}`);
/** A tile's one participant's key; with several faces in the tile, each is `<key>#<track>`. */
const tileKey = (frame: AnalyzedFrame) => participantKeyOf(frame.name, frame.tileId);

function participantKey(frame: AnalyzedFrame, trackId: number): string {
  return frame.faces.length > 1 ? `${tileKey(frame)}#${trackId}` : tileKey(frame);
}


/** Whether this frame (tile id + frame time) was already folded into the summary. */
export function isDuplicateFrame(summary: CallSummary, frame: Pick<AnalyzedFrame, 'tileId' | 'time'>): boolean {
  const last = summary.lastFrameByTile?.[frame.tileId];
  return last !== undefined && frame.time <= last;
}

function rememberFrame(s: CallSummary, frame: AnalyzedFrame): void {
  const seen = { ...s.lastFrameByTile, [frame.tileId]: frame.time };
  const tiles = Object.keys(seen);
  if (tiles.length > MAX_REMEMBERED_TILES) {
    tiles.sort((a, b) => (seen[a] ?? 0) - (seen[b] ?? 0));
    for (const t of tiles.slice(0, tiles.length - MAX_REMEMBERED_TILES)) delete seen[t];
  }
  s.lastFrameByTile = seen;
}

/**
 * Fold one analyzed frame into the summary (returns a new summary; the input is not changed). A
 * report already folded in (same tile, same or earlier frame time) returns the summary unchanged.
 */
export function addFrame(summary: CallSummary, analyzed: AnalyzedFrame): CallSummary {
  // Page-supplied strings, bounded before they become keys or stored names.
  const frame = { ...analyzed, tileId: truncateGraphemes(analyzed.tileId, MAX_ID_GRAPHEMES), name: analyzed.name === null ? null : truncateGraphemes(analyzed.name, MAX_NAME_GRAPHEMES) };
  if (summary.ended || isDuplicateFrame(summary, frame)) return summary;
  const s: CallSummary = structuredClone(summary);
  rememberFrame(s, frame);
  s.frames++;
  s.end = Math.max(s.end, frame.time);
  const onVideo = s.clock === 'media' && frame.mediaMs !== undefined;
  // Where the frame falls on the call's clock: the video's time, or the time since the call started.
  const at = onVideo ? Math.min(Math.max(0, frame.mediaMs!), s.mediaDurationMs ?? Infinity) : frame.time;
  // A frame more than REWATCH_MS before the previous one on the video: the viewer went back (seeked, or it looped).
  if (onVideo) {
    const previous = s.mediaAtByTile?.[frame.tileId];
    if (previous !== undefined && at < previous - REWATCH_MS) s.rewatched = true;
    // Kept for the tiles lastFrameByTile remembers (bounded there), no others.
    s.mediaAtByTile = Object.fromEntries(Object.entries({ ...s.mediaAtByTile, [frame.tileId]: at }).filter(([tile]) => tile in (s.lastFrameByTile ?? {})));
    // The first video folded in is the one whose duration the summary spans (another tile's video is a clock of its own).
    if (s.mediaPlayhead === undefined || s.mediaPlayhead.tileId === frame.tileId) s.mediaPlayhead = { tileId: frame.tileId, atMs: frame.mediaMs!, time: frame.time };
  }
  const elapsed = onVideo ? at : Math.max(0, frame.time - s.start);
  if (Math.floor(elapsed / s.timelineStepMs) >= MAX_TIMELINE_SLOTS) coarsenTimeline(s, elapsed);
  const index = Math.floor(elapsed / s.timelineStepMs);
  let slot = s.timeline.find((m) => m.slot === index);
  if (!slot && frame.faces.length > 0) {
    slot = { slot: index, countByLabel: zeros(s.labels) };
    s.timeline.push(slot);
    s.timeline.sort((a, b) => a.slot - b.slot);
  }
  for (const face of frame.faces) {
    if (!s.labels.includes(face.label)) continue;
    const key = participantKey(frame, face.trackId);
    let p = s.participants.find((x) => x.key === key);
    if (!p) {
      if (s.participants.length >= MAX_PARTICIPANTS) makeRoom(s);
      p = { key, name: frame.name, frames: 0, analyzed: 0, msByLabel: zeros(s.labels), countByLabel: zeros(s.labels), lastSeen: frame.time };
      s.participants.push(p);
    }
    const gap = Math.min(MAX_SAMPLE_GAP_MS, Math.max(0, frame.time - p.lastSeen));
    p.frames++;
    countFound(p, face.facing);
    p.lastSeen = Math.max(p.lastSeen, frame.time);
    if (face.uncertain) {
      // Seen, but its label is more likely wrong than right: counted apart from every label.
      p.uncertain = (p.uncertain ?? 0) + 1;
      p.uncertainMs = (p.uncertainMs ?? 0) + gap;
      continue;
    }
    p.msByLabel[face.label] = (p.msByLabel[face.label] ?? 0) + gap;
    p.countByLabel[face.label] = (p.countByLabel[face.label] ?? 0) + 1;
    noteMoment(p, face.label, at);
    if (slot) slot.countByLabel[face.label] = (slot.countByLabel[face.label] ?? 0) + 1;
  }
  // No face found: the tile's one participant was not seen in this frame.
  const alone = frame.faces.length === 0 ? s.participants.find((p) => p.key === tileKey(frame)) : undefined;
  if (alone) countMissing(alone, frame.someone);
  return s;
}

/**
 * End a call. Closing or leaving ends it at that moment (the tab was still showing the call); going
 * idle or being interrupted (browser crash) ends it at its last analyzed frame.
 */
export function endCall(summary: CallSummary, time: number, reason: EndReason): CallSummary {
  if (summary.ended) return summary;
  const end = reason === 'idle' || reason === 'interrupted' || reason === 'models-changed' || reason === 'media-changed' || reason === 'mode-changed' ? summary.end : Math.max(summary.end, Math.min(time, summary.end + IDLE_END_MS));
  return { ...summary, end, ended: true, endReason: reason };
}

/** Move the timeline to the first step that holds `elapsed` within MAX_TIMELINE_SLOTS, merging slots. */
function coarsenTimeline(s: CallSummary, elapsed: number): void {
  let step = TIMELINE_STEPS_MS.find((t) => t > s.timelineStepMs && Math.floor(elapsed / t) < MAX_TIMELINE_SLOTS) ?? Math.max(s.timelineStepMs, TIMELINE_STEPS_MS[TIMELINE_STEPS_MS.length - 1]!);
  // Past the longest step (a wall-clock call of days, a video stored before durations were bounded): doubled, so the slots stay bounded.
  while (Number.isFinite(elapsed) && Math.floor(elapsed / step) >= MAX_TIMELINE_SLOTS) step *= 2;
  if (step <= s.timelineStepMs) return;
  const merged = new Map<number, TimelineSlot>();
  for (const m of s.timeline) {
    const k = Math.floor((m.slot * s.timelineStepMs) / step);
    const into = merged.get(k) ?? { slot: k, countByLabel: zeros(s.labels) };
    for (const [l, c] of Object.entries(m.countByLabel)) into.countByLabel[l] = (into.countByLabel[l] ?? 0) + c;
    merged.set(k, into);
  }
  s.timeline = [...merged.values()].sort((a, b) => a.slot - b.slot);
  s.timelineStepMs = step;
}
