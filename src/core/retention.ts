// Pure: which stored calls to keep (retention period, storage budget). Works on the history's index
// entries (each knows its record's size), so pruning is one linear pass, never a re-serialisation.
const DAY_MS = 86_400_000;

/** Ended calls older than `days` go; live calls always stay. days = 0 keeps everything. */
export function applyRetention<T extends { ended: boolean; end: number }>(calls: readonly T[], now: number, days: number): { kept: T[]; removed: T[] } {
  if (days <= 0) return { kept: [...calls], removed: [] };
  const cutoff = now - days * DAY_MS;
  const kept: T[] = [];
  const removed: T[] = [];
  for (const c of calls) (c.ended && c.end < cutoff ? removed : kept).push(c);
  return { kept, removed };
}

/** A record's size as stored (UTF-8 JSON bytes). */
export function storedSize(value: unknown): number {
  return new TextEncoder().encode(JSON.stringify(value)).byteLength;
}

/** Drop the oldest ended calls until their sizes fit `maxBytes` (live calls are never dropped); linear after the sort. */
export function pruneOldest<T extends { start: number; ended: boolean; bytes: number }>(calls: readonly T[], maxBytes: number): { kept: T[]; removed: T[] } {
  const sorted = [...calls].sort((a, b) => a.start - b.start);
  let size = sorted.reduce((sum, c) => sum + c.bytes, 0);
  const removed = new Set<T>();
  for (const c of sorted) {
    if (size <= maxBytes) break;
    if (!c.ended) continue;
    removed.add(c);
    size -= c.bytes;
  }
  return { kept: sorted.filter((c) => !removed.has(c)), removed: [...removed] };
}
