// Pure: a call summary as read back from storage: older shapes brought up to today's, and the
// checks that keep a malformed record from being shown half-broken.
import type { CallSummary } from './summary';
import { isSiteId } from '../core/types';

/**
 * A stored summary in today's shape: calls stored before the adaptive timeline had one slot per
 * minute (`minute`, no timelineStepMs). Anything else is returned as it is, for summaryProblem.
 */
export function upgradeSummary(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null) return raw;
  const c = raw as Record<string, unknown>;
  if (c.timelineStepMs !== undefined || !Array.isArray(c.timeline)) return raw;
  const timeline = c.timeline.map((m: unknown) => {
    const e = m as { minute?: unknown; countByLabel?: unknown } | null;
    return e && typeof e === 'object' && 'minute' in e ? { slot: e.minute, countByLabel: e.countByLabel } : m;
  });
  return { ...c, timeline, timelineStepMs: 60_000 };
}

function isNumRecord(v: unknown): v is Record<string, number> {
  return typeof v === 'object' && v !== null && Object.values(v).every((x) => typeof x === 'number' && Number.isFinite(x));
}

/** Validate a stored summary; returns the reason it is unusable, or null when it is fine. */
export function summaryProblem(raw: unknown): string | null {
  if (typeof raw !== 'object' || raw === null) return 'not an object';
  const c = raw as Partial<CallSummary>;
  if (typeof c.id !== 'string' || !c.id) return 'no id';
  if (!isSiteId(c.site)) return `unknown site ${String(c.site)}`;
  for (const k of ['start', 'end', 'frames'] as const) if (typeof c[k] !== 'number' || !Number.isFinite(c[k])) return `${k} is not a number`;
  if (typeof c.callId !== 'string' || typeof c.title !== 'string') return 'callId/title missing';
  if (!Array.isArray(c.labels) || !c.labels.every((l) => typeof l === 'string')) return 'labels missing';
  const momentsOk = (m: unknown) => m === undefined || (Array.isArray(m) && m.every((x: { time?: unknown; label?: unknown }) => typeof x?.time === 'number' && typeof x.label === 'string'));
  const countOk = (v: unknown) => v === undefined || (typeof v === 'number' && Number.isFinite(v) && v >= 0);
  if (!Array.isArray(c.participants) || !c.participants.every((p) => typeof p?.key === 'string' && isNumRecord(p.msByLabel) && isNumRecord(p.countByLabel) && momentsOk(p.moments) && countOk(p.analyzed) && countOk(p.facing) && countOk(p.uncertain) && countOk(p.uncertainMs) && countOk(p.away) && countOk(p.nobody))) {
    return 'participants malformed';
  }
  if (!Array.isArray(c.timeline) || !c.timeline.every((m) => Number.isInteger(m?.slot) && m.slot >= 0 && isNumRecord(m.countByLabel))) return 'timeline malformed';
  if (typeof c.timelineStepMs !== 'number' || !(c.timelineStepMs > 0)) return 'timeline step missing';
  if (typeof c.ended !== 'boolean') return 'ended flag missing';
  if (c.lastFrameByTile !== undefined && !isNumRecord(c.lastFrameByTile)) return 'lastFrameByTile malformed';
  if (c.starred !== undefined && typeof c.starred !== 'boolean') return 'starred flag malformed';
  if (c.analyze !== undefined && c.analyze !== 'me') return 'analyze mode malformed';
  if (c.opened !== undefined && !(Number.isInteger(c.opened) && c.opened >= 1)) return 'opened count malformed';
  return null;
}
