// Background service worker: the call sessions as a worker start finds them. Calls waiting for room,
// the live calls of storage.session (a worker restart), the calls an extension reload or a browser
// crash interrupted (unfinished in history: resumable), and, once after an upgrade, an older
// version's local live checkpoint. A legacy history is moved into records first.
import { callKey, type CallSummary } from './summary';
import type { HistoryWriter } from './history-writer';
import { listCallIndex, readCalls } from './store';
import { migrateLegacyCalls } from './store-legacy';
import { liveCallsItem, liveCheckpointItem, readLiveCalls } from './store-live';

export async function restoreSessions({ live, resumable, history, problems }: { live: Map<number, CallSummary>; resumable: Map<string, CallSummary>; history: HistoryWriter; problems: string[] }): Promise<void> {
  // Calls waiting for room first: whatever else fails below, they are not lost.
  problems.push(...(await history.restore()));
  const session = await readLiveCalls(liveCallsItem);
  problems.push(...session.problems);
  for (const [tabId, call] of session.calls) live.set(tabId, call);
  await migrateLegacyCalls();
  const liveIds = new Set([...live.values()].map((c) => c.id));
  // One read of the index; only the unfinished calls' records are read, never the whole history.
  const { calls: listed } = await listCallIndex();
  const { calls } = await readCalls(listed.filter((c) => !c.ended).map((c) => c.id));
  for (const c of calls) if (!c.ended && !liveIds.has(c.id)) resumable.set(callKey(c.site, c.callId), c);
  // An older version's live checkpoint (storage.local, every second) may be fresher than history's copy: taken once, then removed.
  const ended = new Set(listed.filter((c) => c.ended).map((c) => c.id));
  const local = await readLiveCalls(liveCheckpointItem);
  problems.push(...local.problems);
  const fresher = [...local.calls.values()].filter((c) => !liveIds.has(c.id) && !ended.has(c.id) && c.frames >= (resumable.get(callKey(c.site, c.callId))?.frames ?? 0));
  for (const c of fresher) resumable.set(callKey(c.site, c.callId), c);
  if (fresher.length > 0) await history.checkpoint(fresher);
  if (local.calls.size > 0 || local.problems.length > 0) await liveCheckpointItem.removeValue({ removeMeta: true });
}
