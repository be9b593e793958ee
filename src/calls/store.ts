// Any extension context (written by the background only): the call history's records and index.
// Versioned; every record is validated on read. Live and pending calls: store-live.ts; the history
// before records, and its one-time move: store-legacy.ts.
//
// The history is one record per call (`call:<id>`) plus an index (`callIds`, and per call `callMeta:<id>`:
// what the list shows and what the call takes in storage): a checkpoint writes one record and its
// entry, the list reads only the index, opening a call reads one record, retention and the size
// budget are decided on the index. A new call's record, entry and id go in one storage call (never
// a record the list does not know), after the prune that makes room for it. Version 3 and older
// kept every call in one `calls` item, rewritten whole on every write: it is moved into records
// once, in chunks (store-legacy.ts), losing nothing.
import { storage } from 'wxt/utils/storage';
import { applyRetention, callBytes, type HistoryRules, type ImportOutcome, planPrune, type Prunable, pruneToBudget, usedBytes } from './retention';
import { type CallSummary } from './summary';
import { type CallListing, listingOf } from './summary-read';
import { summaryProblem } from './summary-stored';
import { addNotice } from '../storage/notices';
import { plural } from '../i18n';

/** A call's index entry: its listing, what it takes in storage, and why its record is unreadable if it is. */
export interface IndexEntry extends CallListing, Prunable {
  bytes: number;
  problem?: string;
}

/**
 * The history's index: the ids of the stored calls (`callIds`, rewritten only when calls come or go)
 * and one small entry per call (`callMeta:<id>`, written with its record). A checkpoint of a known
 * call writes its record and its entry in one storage call, nothing else.
 */
export const callIdsItem = storage.defineItem<string[]>('local:callIds', { fallback: [], version: 1 });

const recordKey = (id: string) => `local:call:${id}` as const;
const metaKey = (id: string) => `local:callMeta:${id}` as const;

/** An index entry for a record (a corrupt one is listed by its problem, first to go for the budget). */
function entryFor(id: string, rec: unknown): IndexEntry {
  const problem = summaryProblem(rec);
  const c = rec as CallSummary;
  const base: IndexEntry = problem
    ? { id, site: 'generic', callId: '', title: '', start: 0, end: 0, ended: true, frames: 0, dominant: null, bytes: 0, problem }
    : { ...listingOf(c), ...(c.opened ? { opened: c.opened } : {}), bytes: 0 };
  // The entry's own size counts a bytes figure of up to 9 digits.
  return { ...base, bytes: callBytes(id, rec, { ...base, bytes: 999_999_999 }) };
}

/**
 * Write records with their index entries, and the id list when calls are new: one storage call, so a
 * record is never stored without its id (nor an id without its record).
 */
export async function writeRecords(ids: readonly string[], recs: ReadonlyArray<readonly [string, unknown]>): Promise<void> {
  const known = new Set(ids);
  const added = [...new Set(recs.map(([id]) => id).filter((id) => !known.has(id)))];
  const items: Array<{ key: `local:${string}`; value: unknown }> = recs.flatMap(([id, rec]) => [
    { key: recordKey(id), value: rec },
    { key: metaKey(id), value: entryFor(id, rec) },
  ]);
  if (added.length > 0) items.push({ key: 'local:callIds', value: [...ids, ...added] });
  await storage.setItems(items);
}

/** The stored calls' ids. (The background moves a legacy history into records at its start, before any read: migrateLegacyCalls.) */
export const readIds = (): Promise<string[]> => callIdsItem.getValue();

/** Every index entry (one read of the id list, one of the entries). */
async function readIndex(): Promise<{ ids: string[]; index: Record<string, IndexEntry> }> {
  const ids = await readIds();
  const metas = await storage.getItems(ids.map(metaKey));
  const index: Record<string, IndexEntry> = {};
  ids.forEach((id, i) => {
    const meta = metas[i]?.value as IndexEntry | null | undefined;
    index[id] = meta && typeof meta === 'object' && meta.id === id ? meta : { ...entryFor(id, null), problem: 'index entry missing' };
  });
  return { ids, index };
}

const problemsOf = (index: Record<string, IndexEntry>) => Object.values(index).flatMap((e) => (e.problem ? [`call ${e.id} skipped: ${e.problem}`] : []));

/** The history as the list shows it, newest first (the index alone), and the records that cannot be read. */
export async function listCallIndex(): Promise<{ calls: CallListing[]; problems: string[] }> {
  const { index } = await readIndex();
  const calls = Object.values(index)
    .filter((e) => !e.problem)
    .map(({ bytes: _, problem: __, opened: ___, ...listing }) => listing)
    .sort((a, b) => b.start - a.start);
  return { calls, problems: problemsOf(index) };
}

/** What the history takes in storage (as the budget counts it) and how many calls it holds. */
export async function historyUsage(): Promise<{ bytes: number; calls: number }> {
  const { index } = await readIndex();
  const entries = Object.values(index);
  return { bytes: usedBytes(entries), calls: entries.length };
}

/** One stored call, validated; null when there is none or it cannot be read. */
export async function readCall(id: string): Promise<CallSummary | null> {
  const rec = await storage.getItem<unknown>(recordKey(id));
  return rec !== null && summaryProblem(rec) === null ? (rec as CallSummary) : null;
}

/**
 * Stored calls in full, validated, newest first: every readable one (with the index's problems), or
 * those with `ids` (no index read); unreadable records reported.
 */
export async function readCalls(ids?: readonly string[]): Promise<{ calls: CallSummary[]; problems: string[] }> {
  const index = ids ? null : (await readIndex()).index;
  const wanted = ids ?? Object.values(index ?? {}).flatMap((e) => (e.problem ? [] : [e.id]));
  const found = await storage.getItems(wanted.map(recordKey));
  const calls: CallSummary[] = [];
  const problems = index ? problemsOf(index) : [];
  found.forEach(({ value }, i) => {
    const problem = value === null ? 'record missing' : summaryProblem(value);
    if (problem) problems.push(`call ${wanted[i]} skipped: ${problem}`);
    else calls.push(value as CallSummary);
  });
  calls.sort((a, b) => b.start - a.start);
  return { calls, problems };
}

/** Remove records and their index entries (one storage call), then their ids. */
async function removeFromHistory(ids: readonly string[], doomed: readonly string[]): Promise<void> {
  if (doomed.length === 0) return;
  const gone = new Set(doomed);
  await storage.removeItems(doomed.flatMap((id) => [recordKey(id), metaKey(id)]));
  await callIdsItem.setValue(ids.filter((id) => !gone.has(id)));
}

const MB = 1024 * 1024;

/** What happened to a save: written or not, what was pruned to make room, and why it failed. */
export interface SaveOutcome {
  saved: boolean;
  /** Readable calls removed by the size budget (not counting those past the retention period). */
  pruned: number;
  /** The last write error, when `saved` is false. */
  error?: string;
}

/**
 * Make room for `recs`, then write them. `squeeze`: the last write failed for want of room below the
 * budget (the disk is full): drop as much again as the write needs, oldest first by the same rules.
 */
async function pruneThenWrite(recs: ReadonlyArray<readonly [string, CallSummary]>, rules: HistoryRules, now: number, squeeze: boolean): Promise<number> {
  const { ids, index } = await readIndex();
  const stored = Object.values(index);
  const incoming = recs.map(([id, s]) => ({ id, bytes: entryFor(id, s).bytes }));
  const incomingBytes = incoming.reduce((n, c) => n + c.bytes, 0);
  const used = usedBytes(stored);
  const budgetBytes = squeeze ? Math.min(rules.budgetBytes, used - incomingBytes) : rules.budgetBytes;
  const { expired, overBudget } = planPrune(stored, incoming, { ...rules, budgetBytes }, now);
  const doomed = [...expired, ...overBudget].map((e) => e.id);
  await removeFromHistory(ids, doomed);
  const gone = new Set(doomed);
  await writeRecords(
    ids.filter((id) => !gone.has(id)),
    recs,
  );
  return overBudget.filter((e) => !e.problem).length;
}

/**
 * Insert or replace calls (each its record and index entry). A checkpoint of a call already stored
 * writes that call alone; a new or ended call first makes room (retention, then the budget), then is
 * written. On a write error (the disk is full), prune harder by the same rules and retry once; the
 * outcome says whether the calls are in (never throws for want of room: the caller keeps them).
 */
export async function saveCalls(summaries: readonly CallSummary[], rules: HistoryRules, now = Date.now()): Promise<SaveOutcome> {
  // A call already past the retention period is not written (it would be the first to go).
  const recs = applyRetention(summaries, now, rules.retentionDays).kept.map((s) => [s.id, s] as const);
  let pruned = 0;
  let error = '';
  for (const squeeze of [false, true]) {
    try {
      const ids = await readIds();
      const known = new Set(ids);
      if (!squeeze && summaries.every((s) => known.has(s.id) && !s.ended)) await writeRecords(ids, recs);
      else pruned += await pruneThenWrite(recs, rules, now, squeeze);
      if (pruned > 0) {
        await addNotice(squeeze ? plural('notice_disk_full', pruned) : plural('notice_size_limit', pruned, Math.round(rules.budgetBytes / MB)));
      }
      return { saved: true, pruned };
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
      console.warn('[calls] history write failed', squeeze ? '(after pruning)' : '', err);
    }
  }
  return { saved: false, pruned, error };
}

/** Bring the history under `rules` (a lowered size limit or retention period): how many calls each rule removed. */
export async function pruneToRules(rules: HistoryRules, now = Date.now()): Promise<{ expired: number; overBudget: number }> {
  const { ids, index } = await readIndex();
  const { expired, overBudget } = planPrune(Object.values(index), [], rules, now);
  await removeFromHistory(
    ids,
    [...expired, ...overBudget].map((e) => e.id),
  );
  return { expired: expired.length, overBudget: overBudget.length };
}

/** Apply the retention period alone (the periodic tick): the same plan with no size limit. */
export async function pruneExpired(retentionDays: number, now = Date.now()): Promise<number> {
  return (await pruneToRules({ retentionDays, budgetBytes: Number.POSITIVE_INFINITY }, now)).expired;
}

/** Star or unstar a stored call (its record and entry together); false when it is not stored. */
export async function setStoredStar(id: string, starred: boolean): Promise<boolean> {
  const rec = await readCall(id);
  if (!rec) return false;
  const { starred: _, ...rest } = rec;
  await writeRecords(await readIds(), [[id, starred ? { ...rest, starred: true } : rest]]);
  return true;
}

/**
 * Merge exported calls into the history: every record validated (an unreadable one is counted, never
 * stored), calls already here kept as they are, ended ones only (a live call in an export is a
 * snapshot: it is stored ended), none past the retention period, and the newest that fit the budget.
 */
export async function importCalls(raw: readonly unknown[], rules: HistoryRules, now = Date.now()): Promise<ImportOutcome> {
  const { index } = await readIndex();
  const valid = new Map<string, CallSummary>();
  let invalid = 0;
  for (const r of raw) {
    if (summaryProblem(r) === null) valid.set((r as CallSummary).id, r as CallSummary);
    else invalid++;
  }
  const fresh = [...valid.values()].filter((c) => !index[c.id]).map((c): CallSummary => ({ ...c, ended: true, endReason: c.endReason ?? 'interrupted' }));
  const { kept, removed: expired } = applyRetention(fresh, now, rules.retentionDays);
  // Room: the budget less what stays whatever happens (starred calls); the newest imported calls first.
  const room = rules.budgetBytes - usedBytes(Object.values(index).filter((e) => e.starred));
  const fits = new Set(pruneToBudget(kept.map((c) => ({ ...entryFor(c.id, c), starred: false })), room).kept.map((e) => e.id));
  const adding = kept.filter((c) => fits.has(c.id));
  const { saved } = adding.length > 0 ? await saveCalls(adding, rules, now) : { saved: true };
  return { added: saved ? adding.length : 0, present: valid.size - fresh.length, invalid, expired: expired.length, overBudget: kept.length - adding.length, saved };
}

export async function deleteCalls(which: string[] | 'all'): Promise<void> {
  const ids = await readIds();
  await removeFromHistory(ids, which === 'all' ? ids : which.filter((id) => ids.includes(id)));
}
