// Pure: the rules for when a call ends, and when a tab may start one.
import { type CallSummary, callKey, type EndReason, IDLE_END_MS, REWATCH_MS } from './summary';
import type { SiteId } from '../core/types';

/**
 * A call is a meeting, not a URL: a page that changes its URL (history.pushState) or its meeting id
 * over and over would otherwise store a call each time and push the user's real calls out of the
 * history. So a call is stored only once one face has been in it for KEEP_AFTER_FACE_MS (a URL blip,
 * a page without faces never is), a tab starts at most MAX_NEW_CALLS_PER_MIN calls a minute and
 * MAX_NEW_CALLS_PER_HOUR an hour (frames of more are dropped), and each call records how many its
 * tab opened in the hour (`opened`: the budget drops a flooding tab's excess first, retention.ts).
 */
export const KEEP_AFTER_FACE_MS = 5_000;
export const MAX_NEW_CALLS_PER_MIN = 3;
export const MAX_NEW_CALLS_PER_HOUR = 12;
const HOUR_MS = 3_600_000;

/** Whether a call is worth keeping in the history: one participant's face was analyzed for KEEP_AFTER_FACE_MS (uncertain labels included). */
export function worthKeeping(call: Pick<CallSummary, 'participants'>): boolean {
  return call.participants.some((p) => Object.values(p.msByLabel).reduce((a, b) => a + b, p.uncertainMs ?? 0) >= KEEP_AFTER_FACE_MS);
}

/** Which limit keeps a tab that started calls at `starts` (epoch ms) from starting another at `now`; null: none. */
export function callStartLimit(starts: readonly number[], now: number): 'minute' | 'hour' | null {
  const recent = starts.filter((t) => now - t < HOUR_MS);
  if (recent.length >= MAX_NEW_CALLS_PER_HOUR) return 'hour';
  return recent.filter((t) => now - t < 60_000).length >= MAX_NEW_CALLS_PER_MIN ? 'minute' : null;
}

/** Whether a tab that started calls at `starts` (epoch ms) may start another at `now`. */
export const mayStartCall = (starts: readonly number[], now: number): boolean => callStartLimit(starts, now) === null;

/** A tab's call starts after one at `now`: the hour's (older ones are forgotten). */
export const withStart = (starts: readonly number[], now: number): number[] => [...starts.filter((t) => now - t < HOUR_MS), now];

/**
 * A video's duration may move this much and still be the same video (it settles as the video loads).
 * A playhead further than MEDIA_JUMP_MS ahead of what the time since its last frame could play (at
 * up to 2x speed), or more than REWATCH_MS back, was moved, not played.
 */
export const MEDIA_DURATION_TOLERANCE_MS = 1_000;
export const MEDIA_JUMP_MS = 5_000;

/** A frame's video, as the background knows it (ms): its tile, time and duration. */
export interface FrameMedia {
  tileId?: string;
  mediaMs?: number;
  mediaDurationMs?: number;
}

export type CallEvent =
  | ({ type: 'frame'; time: number; site: SiteId; callId: string | null; models?: { detector: string; classifier: string }; analyze?: 'me' } & FrameMedia)
  | { type: 'tab-closed'; time: number }
  | { type: 'navigated'; time: number; site: SiteId; callId: string | null }
  | { type: 'tick'; time: number };

/** Whether a call's recorded models are these (a call from before models were recorded: it takes them). */
export function sameModels(recorded: CallSummary['models'], models: { detector: string; classifier: string }): boolean {
  return recorded === null || (recorded.detector === models.detector && recorded.classifier === models.classifier);
}

/**
 * Whether the video a media-clock summary spans was replaced in its tile: its duration changed and
 * its time jumped (a pre-roll ad ended and the video began, at 0 or where the viewer left it). A
 * duration that grows while the time plays on (a stream's window) is the same video; so is a video
 * in another tile (a clock of its own).
 */
export function mediaChanged(live: CallSummary, frame: { time: number } & FrameMedia): boolean {
  const head = live.mediaPlayhead;
  const was = live.mediaDurationMs;
  if (live.clock !== 'media' || was === undefined || !head || frame.tileId !== head.tileId || frame.mediaMs === undefined || frame.mediaDurationMs === undefined) return false;
  if (Math.abs(frame.mediaDurationMs - was) <= MEDIA_DURATION_TOLERANCE_MS) return false;
  const moved = frame.mediaMs - head.atMs;
  return moved < -REWATCH_MS || moved > 2 * Math.max(0, frame.time - head.time) + MEDIA_JUMP_MS;
}

/** Whether the live call ends on this event, and why (null: it goes on). */
export function endReasonFor(live: CallSummary, event: CallEvent): EndReason | null {
  switch (event.type) {
    case 'tab-closed':
      return 'tab-closed';
    case 'navigated':
    case 'frame':
      if (event.callId === null || callKey(event.site, event.callId) !== callKey(live.site, live.callId)) return 'navigated';
      if (event.type === 'frame' && event.time - live.end > IDLE_END_MS) return 'idle';
      // One summary, one video: another in its place (an ad over) starts the next part, on its own duration.
      if (event.type === 'frame' && mediaChanged(live, event)) return 'media-changed';
      // One summary, one pair of models (and so one label set): other models start the next part.
      if (event.type === 'frame' && event.models && !sameModels(live.models, event.models)) return 'models-changed';
      // One summary, one choice of who is analyzed: the user's own ('me') or everyone's.
      return event.type === 'frame' && (event.analyze === 'me') !== (live.analyze === 'me') ? 'mode-changed' : null;
    case 'tick':
      return event.time - live.end > IDLE_END_MS ? 'idle' : null;
  }
}
