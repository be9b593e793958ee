// Any extension context (written by the background only): stored call summaries and live calls.
// Versioned; every record is validated on read.
import { storage } from 'wxt/utils/storage';
import { applyRetention, pruneOldest } from '../core/retention';
import { type CallSummary } from '../core/summary';
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

export async function readCalls(): Promise<{ calls: CallSummary[]; problems: string[] }> {
  const raw = await callsItem.getValue();
  const calls: CallSummary[] = [];
  const problems: string[] = [];
  for (const [id, rec] of Object.entries(raw ?? {})) {
    const problem = summaryProblem(rec);
    if (problem) problems.push(`call ${id} skipped: ${problem}`);
    else calls.push(rec as CallSummary);
  }
  calls.sort((a, b) => b.start - a.start);
  return { calls, problems };
}

/** Insert or replace calls, then apply retention and the storage budget (telling the user what went). */
export async function saveCalls(summaries: readonly CallSummary[], retentionDays: number, now = Date.now()): Promise<void> {
  const raw = { ...(await callsItem.getValue()) };
  for (const s of summaries) raw[s.id] = s;
  // Corrupt records stay untouched (reported on read), valid ones go through retention and budget.
  const valid = Object.values(raw).filter((r): r is CallSummary => summaryProblem(r) === null);
  const expired = applyRetention(valid, now, retentionDays).removed;
  const budget = pruneOldest(
    valid.filter((c) => !expired.includes(c)),
    CALLS_BUDGET_BYTES,
  ).removed;
  for (const c of [...expired, ...budget]) delete raw[c.id];
  await callsItem.setValue(raw);
  if (budget.length > 0) await addNotice(`Storage was nearly full: the ${budget.length} oldest call(s) were deleted.`);
}

/** Apply the retention period alone (the periodic tick); writes only when a call expired. */
export async function pruneExpired(retentionDays: number, now = Date.now()): Promise<number> {
  const raw = { ...(await callsItem.getValue()) };
  const valid = Object.values(raw).filter((r): r is CallSummary => summaryProblem(r) === null);
  const { removed } = applyRetention(valid, now, retentionDays);
  if (removed.length === 0) return 0;
  for (const c of removed) delete raw[c.id];
  await callsItem.setValue(raw);
  return removed.length;
}

export async function deleteCalls(ids: string[] | 'all'): Promise<void> {
  if (ids === 'all') {
    await callsItem.setValue({});
    return;
  }
  const raw = { ...(await callsItem.getValue()) };
  for (const id of ids) delete raw[id];
  await callsItem.setValue(raw);
}
