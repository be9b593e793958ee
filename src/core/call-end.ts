// Pure: the rules for when a call ends, and when a tab may start one.
import { type CallSummary, callKey, type EndReason, IDLE_END_MS } from './summary';
import type { SiteId } from './types';

/**
 * A call is a meeting, not a URL: a page that changes its URL every few hundred ms (history.pushState)
 * would otherwise store a call per URL and push the user's real calls out of the history. A call that
 * the tab navigated away from before this long is a blip, never stored, and a tab starts at most
 * MAX_NEW_CALLS_PER_MIN calls a minute (frames of more are dropped).
 */
export const MIN_CALL_MS = 5_000;
export const MAX_NEW_CALLS_PER_MIN = 3;

/** Whether a call ending for `reason` is worth keeping: not a URL blip. */
export const isBlip = (call: { start: number; end: number }, reason: EndReason): boolean => reason === 'navigated' && call.end - call.start < MIN_CALL_MS;

/** Whether a tab that started calls at `starts` (epoch ms) may start another at `now`. */
export const mayStartCall = (starts: readonly number[], now: number): boolean => starts.filter((t) => now - t < 60_000).length < MAX_NEW_CALLS_PER_MIN;
export type CallEvent =
  | { type: 'frame'; time: number; site: SiteId; callId: string | null; models?: { detector: string; classifier: string } }
  | { type: 'tab-closed'; time: number }
  | { type: 'navigated'; time: number; site: SiteId; callId: string | null }
  | { type: 'tick'; time: number };

/** Whether a call's recorded models are these (a call from before models were recorded: it takes them). */
export function sameModels(recorded: CallSummary['models'], models: { detector: string; classifier: string }): boolean {
  return recorded === null || (recorded.detector === models.detector && recorded.classifier === models.classifier);
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
      // One summary, one pair of models (and so one label set): other models start the next part.
      return event.type === 'frame' && event.models && !sameModels(live.models, event.models) ? 'models-changed' : null;
    case 'tick':
      return event.time - live.end > IDLE_END_MS ? 'idle' : null;
  }
}
