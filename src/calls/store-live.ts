// Any extension context (written by the background only): the calls in progress (storage.session,
// with the checkpoint an older version kept in storage.local) and the calls waiting for room.
// Versioned; every entry validated on read.
import { storage } from 'wxt/utils/storage';
import { type CallSummary } from './summary';
import { summaryProblem } from './summary-stored';
import { migrateCallsV2 } from './store-legacy';
import { objectOrEmpty } from '../storage/shape';

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
 * Versions before 0.2 also mirrored the live calls to storage.local every second (what an extension
 * reload or a crash left to resume from). The history's own checkpoint does that now: this item is
 * read once at the worker's start after the upgrade, then removed.
 */
export const liveCheckpointItem = storage.defineItem<Record<string, unknown>>('local:liveCalls', liveCallsOptions);
/**
 * Calls the history could not take (the disk was full even after pruning): kept here, shown with the
 * history, and written as soon as a write succeeds. storage.session: in memory, apart from the disk.
 */
export const pendingCallsItem = storage.defineItem<Record<string, unknown>>('session:pendingCalls', { fallback: {}, version: 1 });

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

/** The calls waiting for room, every one validated (a corrupt one is skipped and reported). */
export async function readPendingCalls(): Promise<{ calls: CallSummary[]; problems: string[] }> {
  const calls: CallSummary[] = [];
  const problems: string[] = [];
  for (const [id, rec] of Object.entries(objectOrEmpty(await pendingCallsItem.getValue()))) {
    const problem = summaryProblem(rec);
    if (problem) problems.push(`call ${id} waiting for room skipped: ${problem}`);
    else calls.push(rec as CallSummary);
  }
  return { calls, problems };
}

