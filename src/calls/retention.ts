// Pure: which stored calls to keep (retention period, size budget). Works on the history's index
// entries (each knows what its call takes in storage), so pruning is one linear pass after a sort,
// never a re-serialisation.
const DAY_MS = 86_400_000;

/** What the history may keep, as the user chose it (Settings). */
export interface HistoryRules {
  /** Ended calls older than this many days go; 0 keeps them forever. */
  retentionDays: number;
  /** Everything the history stores (records, index entries, keys, the id list) stays under this. */
  budgetBytes: number;
}

/** What an import did: calls added, already here, unreadable, past retention, or over the budget. */
export interface ImportOutcome {
  added: number;
  present: number;
  invalid: number;
  expired: number;
  overBudget: number;
  saved: boolean;
}

/** A stored call as pruning sees it (an index entry). */
export interface Prunable {
  id: string;
  start: number;
  end: number;
  ended: boolean;
  /** What the call takes in storage: its record, its index entry, their keys, its id in the list. */
  bytes: number;
  /** Kept through retention and the budget. */
  starred?: boolean;
  /** How many calls its tab had opened in the hour up to it, itself included (see FLOOD_CALLS_PER_HOUR). */
  opened?: number;
  /** Its record cannot be read: the budget drops it first. */
  problem?: string;
}

/**
 * A tab's calls past this many in an hour are its excess: when the budget binds they go before any
 * other call, so a page that keeps changing its meeting id cannot push the user's real calls out.
 */
export const FLOOD_CALLS_PER_HOUR = 4;

/** The callIds list's own size beside its ids (brackets). */
export const ID_LIST_BYTES = 2;

/** What `calls` take in storage together, with the id list's own brackets (the budget's measure). */
export const usedBytes = (calls: Iterable<{ bytes: number }>): number => [...calls].reduce((n, c) => n + c.bytes, ID_LIST_BYTES);

/**
 * What one call takes in chrome.storage.local as Chromium counts it (key + JSON value): its record,
 * its index entry and its id in the id list (quotes and a comma).
 */
export function callBytes(id: string, record: unknown, entry: unknown): number {
  return storedSize(record) + storedSize(entry) + 2 * id.length + 'call:'.length + 'callMeta:'.length + id.length + 3;
}

/** Ended calls older than `days` go; live and starred calls always stay. days = 0 keeps everything. */
export function applyRetention<T extends { ended: boolean; end: number; starred?: boolean }>(calls: readonly T[], now: number, days: number): { kept: T[]; removed: T[] } {
  if (days <= 0) return { kept: [...calls], removed: [] };
  const cutoff = now - days * DAY_MS;
  const kept: T[] = [];
  const removed: T[] = [];
  for (const c of calls) (c.ended && !c.starred && c.end < cutoff ? removed : kept).push(c);
  return { kept, removed };
}

/** A value's size as stored (UTF-8 JSON bytes). */
export function storedSize(value: unknown): number {
  return new TextEncoder().encode(JSON.stringify(value) ?? '').byteLength;
}

/** Which calls the budget drops first: unreadable ones, then a flooding tab's excess, then the oldest. */
function pruneRank(c: Prunable): number {
  if (c.problem) return 0;
  return (c.opened ?? 1) > FLOOD_CALLS_PER_HOUR ? 1 : 2;
}

/**
 * Drop calls until the rest fit `maxBytes` (in pruneRank's order, oldest first within a rank); live
 * and starred calls, and those in `keep`, are never dropped. Linear after the sort.
 */
export function pruneToBudget<T extends Prunable>(calls: readonly T[], maxBytes: number, keep: ReadonlySet<string> = new Set()): { kept: T[]; removed: T[] } {
  const sorted = [...calls].sort((a, b) => pruneRank(a) - pruneRank(b) || a.start - b.start);
  let size = usedBytes(sorted);
  const removed = new Set<T>();
  for (const c of sorted) {
    if (size <= maxBytes) break;
    if ((!c.ended && !c.problem) || c.starred || keep.has(c.id)) continue;
    removed.add(c);
    size -= c.bytes;
  }
  return { kept: sorted.filter((c) => !removed.has(c)), removed: [...removed] };
}

/**
 * What to remove before writing `incoming` (their ids and sizes; a call already stored is replaced):
 * the calls past the retention period, then what the budget needs dropped for the rest and the
 * incoming calls to fit. Decided before anything is written, so a write never needs room that a
 * prune after it would have made.
 */
export function planPrune<T extends Prunable>(
  stored: readonly T[],
  incoming: ReadonlyArray<{ id: string; bytes: number }>,
  rules: HistoryRules,
  now: number,
): { expired: T[]; overBudget: T[] } {
  const incomingIds = new Set(incoming.map((c) => c.id));
  // Unreadable records have no date to judge: left to the budget (which drops them first).
  const { removed: expired } = applyRetention(
    stored.filter((c) => !c.problem && !incomingIds.has(c.id)),
    now,
    rules.retentionDays,
  );
  const gone = new Set<T>(expired);
  const rest = stored.filter((c) => !gone.has(c) && !incomingIds.has(c.id));
  const incomingBytes = incoming.reduce((n, c) => n + c.bytes, 0);
  const { removed: overBudget } = pruneToBudget(rest, rules.budgetBytes - incomingBytes);
  return { expired, overBudget };
}
