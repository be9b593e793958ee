// Pure: which stored calls to keep (retention period, storage budget).
import type { CallSummary } from './summary';

const DAY_MS = 86_400_000;

/** Ended calls older than `days` go; live calls always stay. days = 0 keeps everything. */
export function applyRetention(calls: readonly CallSummary[], now: number, days: number): { kept: CallSummary[]; removed: CallSummary[] } {
  if (days <= 0) return { kept: [...calls], removed: [] };
  const cutoff = now - days * DAY_MS;
  const kept: CallSummary[] = [];
  const removed: CallSummary[] = [];
  for (const c of calls) (c.ended && c.end < cutoff ? removed : kept).push(c);
  return { kept, removed };
}

export function storedSize(calls: readonly CallSummary[]): number {
  return new TextEncoder().encode(JSON.stringify(calls)).byteLength;
}

/** Drop the oldest ended calls until the stored size fits `maxBytes` (live calls are never dropped). */
export function pruneOldest(calls: readonly CallSummary[], maxBytes: number): { kept: CallSummary[]; removed: CallSummary[] } {
  const kept = [...calls].sort((a, b) => a.start - b.start);
  const removed: CallSummary[] = [];
  let size = storedSize(kept);
  while (size > maxBytes) {
    const i = kept.findIndex((c) => c.ended);
    if (i < 0) break;
    const [gone] = kept.splice(i, 1);
    if (!gone) break;
    removed.push(gone);
    size = storedSize(kept);
  }
  return { kept, removed };
}
