// Any extension context (written by the background only): stored call summaries and live calls.
// Versioned; every record is validated on read.
//
// The history is one record per call (`call:<id>`) plus an index (`callIds`, and per call `callMeta:<id>`:
// what the list shows and the record's size): a checkpoint writes one record and its entry, the list
// reads only the index, opening a call reads one record, retention and the size budget are decided on the index and
// removed in one call. Version 3 and older kept every call in one `calls` item, rewritten whole on
// every write: it is moved into records once (migrateLegacyCalls), losing nothing.
import { storage } from 'wxt/utils/storage';
import { applyRetention, pruneOldest, storedSize } from '../core/retention';
import { type CallSummary } from '../core/summary';
import { type CallListing, listingOf } from '../core/summary-read';
import { summaryProblem, upgradeSummary } from '../core/summary-stored';
import { addNotice } from './notices';
import { objectOrEmpty } from './shape';

/** chrome.storage.local holds 10 MB without unlimitedStorage; calls may use this much of it. */
export const CALLS_BUDGET_BYTES = 8 * 1024 * 1024;

/** Version 1 kept calls as an array; participants had no per-label frame counts. */
export interface CallsV1 {
  calls: Array<Omit<CallSummary, 'participants'> & { participants: Array<Omit<CallSummary['participants'][number], 'countByLabel'>> }>;
}

/** v1 -> v2: keyed by id (one upsert per checkpoint), participants gain countByLabel (zeros: unknown). */
export function migrateCallsV1(old: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const list = (old as Partial<CallsV1> | null)?.calls;
  if (!Array.isArray(list)) return out;
  for (const c of list) {
    if (typeof c !== 'object' || c === null || typeof c.id !== 'string') continue;
    out[c.id] = {
      ...c,
      participants: Array.isArray(c.participants)
        ? c.participants.map((p) => ({ ...p, countByLabel: Object.fromEntries((c.labels ?? []).map((l) => [l, 0])) }))
        : c.participants,
    };
  }
  return out;
}

/** v2 -> v3: every record's per-minute timeline becomes slots of 1 min (upgradeSummary); the rest as it was. */
export function migrateCallsV2(old: unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(objectOrEmpty(old)).map(([k, v]) => [k, upgradeSummary(v)]));
}

/** The history before records (v1-v3): read only to move it into records (migrateLegacyCalls). */
export const callsItem = storage.defineItem<Record<string, unknown>>('local:calls', {
  fallback: {},
  version: 3,
  migrations: { 2: migrateCallsV1, 3: migrateCallsV2 },
});

/**
 * Live calls v1 (unversioned): an object of CallSummary by tab id, read as is (one null entry made
 * every later read throw). v2: the same shape, every entry validated on read; this migration only
 * makes sure the whole value is an object.
 */
export const migrateLiveCallsV1 = objectOrEmpty;

/** v3: the adaptive timeline, as for calls (migrateCallsV2). */
const liveCallsOptions = { fallback: {}, version: 3, migrations: { 2: migrateLiveCallsV1, 3: migrateCallsV2 } };
/** Live calls by tab id: storage.session survives service-worker restarts (not browser restarts). */
export const liveCallsItem = storage.defineItem<Record<string, unknown>>('session:liveCalls', liveCallsOptions);
/**
 * The same live calls, in storage.local at most every LIVE_CHECKPOINT_MS: what an extension reload
 * or a browser crash (both clear storage.session) leaves to resume from.
 */
export const liveCheckpointItem = storage.defineItem<Record<string, unknown>>('local:liveCalls', liveCallsOptions);

/** Live calls by tab id, every entry validated: corrupt ones are skipped and reported, never thrown on. */
export async function readLiveCalls(item: typeof liveCallsItem): Promise<{ calls: Map<number, CallSummary>; problems: string[] }> {
  const raw: unknown = await item.getValue();
  const calls = new Map<number, CallSummary>();
  const problems: string[] = [];
  for (const [key, rec] of Object.entries(migrateLiveCallsV1(raw))) {
    const tabId = Number(key);
    const problem = Number.isInteger(tabId) && tabId >= 0 ? summaryProblem(rec) : `tab id ${JSON.stringify(key)} is not a tab id`;
    if (problem) problems.push(`live call in ${item.key} for tab ${key} skipped: ${problem}`);
    else calls.set(tabId, rec as CallSummary);
  }
  return { calls, problems };
}

/** A call's index entry: its listing, its record's size, and why its record is unreadable if it is. */
export interface IndexEntry extends CallListing {
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

/** An index entry for a record (a corrupt one is listed by its problem, oldest first for the budget). */
function entryFor(id: string, rec: unknown): IndexEntry {
  const bytes = storedSize(rec);
  const problem = summaryProblem(rec);
  if (!problem) return { ...listingOf(rec as CallSummary), bytes };
  return { id, site: 'generic', callId: '', title: '', start: 0, end: 0, ended: true, frames: 0, dominant: null, bytes, problem };
}

/** Write records with their index entries (one storage call), and the id list when a call is new. */
async function writeRecords(ids: readonly string[], recs: ReadonlyArray<readonly [string, unknown]>): Promise<void> {
  await storage.setItems(recs.flatMap(([id, rec]) => [{ key: recordKey(id), value: rec }, { key: metaKey(id), value: entryFor(id, rec) }]));
  const known = new Set(ids);
  const added = recs.map(([id]) => id).filter((id) => !known.has(id));
  if (added.length > 0) await callIdsItem.setValue([...ids, ...new Set(added)]);
}

/**
 * Move a v1-v3 history (one `calls` item) into records and the index, once: records first, then the
 * ids, then the old item, so an interruption at any point is redone at the next call, losing nothing.
 */
export async function migrateLegacyCalls(): Promise<void> {
  if ((await storage.getItem('local:calls')) === null) return;
  const legacy = await callsItem.getValue(); // its own migrations bring v1 and v2 to v3 first
  await writeRecords(
    await callIdsItem.getValue(),
    Object.entries(legacy ?? {}).filter(([id]) => id !== ''),
  );
  await callsItem.removeValue({ removeMeta: true });
}

/** The stored calls' ids. (The background moves a legacy history into records at its start, before any read: migrateLegacyCalls.) */
const readIds = (): Promise<string[]> => callIdsItem.getValue();

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
    .map(({ bytes: _, problem: __, ...listing }) => listing)
    .sort((a, b) => b.start - a.start);
  return { calls, problems: problemsOf(index) };
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

/** The readable calls past the retention period (an unreadable record has no date to judge). */
const expiredOf = (index: Record<string, IndexEntry>, now: number, retentionDays: number): IndexEntry[] =>
  applyRetention(
    Object.values(index).filter((e) => !e.problem),
    now,
    retentionDays,
  ).removed;

/** Remove records and their index entries (one storage call), and their ids. */
async function removeFromHistory(ids: readonly string[], doomed: readonly string[]): Promise<void> {
  if (doomed.length === 0) return;
  const gone = new Set(doomed);
  await storage.removeItems(doomed.flatMap((id) => [recordKey(id), metaKey(id)]));
  await callIdsItem.setValue(ids.filter((id) => !gone.has(id)));
}

/**
 * Insert or replace calls (each its record and index entry), then, when a call is new or ended,
 * apply retention and the storage budget on the index (telling the user what went). A checkpoint of
 * a call already stored writes that call alone.
 */
export async function saveCalls(summaries: readonly CallSummary[], retentionDays: number, now = Date.now()): Promise<void> {
  const ids = await readIds();
  const known = new Set(ids);
  await writeRecords(
    ids,
    summaries.map((s) => [s.id, s] as const),
  );
  if (summaries.every((s) => known.has(s.id) && !s.ended)) return;
  const { ids: all, index } = await readIndex();
  // Unreadable records are left to the budget, which drops them first (they sort as the oldest).
  const expired = expiredOf(index, now, retentionDays);
  const gone = new Set(expired);
  const budget = pruneOldest(
    Object.values(index).filter((e) => !gone.has(e)),
    CALLS_BUDGET_BYTES,
  ).removed;
  await removeFromHistory(
    all,
    [...expired, ...budget].map((e) => e.id),
  );
  const pruned = budget.filter((e) => !e.problem).length;
  if (pruned > 0) await addNotice(`Storage was nearly full: the ${pruned} oldest call(s) were deleted.`);
}

/** Apply the retention period alone (the periodic tick): decided on the index, removed in one call. */
export async function pruneExpired(retentionDays: number, now = Date.now()): Promise<number> {
  const { ids, index } = await readIndex();
  const removed = expiredOf(index, now, retentionDays);
  await removeFromHistory(
    ids,
    removed.map((e) => e.id),
  );
  return removed.length;
}

export async function deleteCalls(which: string[] | 'all'): Promise<void> {
  const ids = await readIds();
  await removeFromHistory(ids, which === 'all' ? ids : which.filter((id) => ids.includes(id)));
}
