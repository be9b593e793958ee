// Background service worker: what the user does to calls from the popup (star, leave someone out,
// apply new rules, import, delete), each in the call sessions' one queue (a checkpoint that read the
// history before it would otherwise undo it). The state is the sessions' own (sessions.ts).
import { historyRules } from '../core/settings';
import type { ImportOutcome } from './retention';
import { type CallSummary, withoutParticipant } from './summary';
import type { HistoryWriter } from './history-writer';
import { deleteCalls, importCalls, pruneToRules, setStoredStar } from './store';
import { getSettings } from '../storage/settings';

export interface SessionState {
  /** Run in the sessions' one queue, after the restore. */
  serial<T>(fn: () => Promise<T>): Promise<T>;
  live: Map<number, CallSummary>;
  resumable: Map<string, CallSummary>;
  leftOut: Map<string, Set<string>>;
  lastCheckpoint: Map<number, number>;
  history: HistoryWriter;
  persistLive(): Promise<void>;
}

export function userActions({ serial, live, resumable, leftOut, lastCheckpoint, history, persistLive }: SessionState) {
  const { checkpoint } = history;
  /** Star or unstar a call, live, pending or stored (in the queue: a checkpoint must not undo it). */
  function setStarred(id: string, starred: boolean): Promise<boolean> {
    let found = false;
    const mark = (c: CallSummary): CallSummary => {
      found = true;
      const { starred: _, ...rest } = c;
      return starred ? { ...rest, starred: true } : rest;
    };
    return serial(async () => {
      for (const [tabId, c] of live) if (c.id === id) live.set(tabId, mark(c));
      for (const [key, c] of resumable) if (c.id === id) resumable.set(key, mark(c));
      await history.update(id, mark);
      const stored = await setStoredStar(id, starred);
      await persistLive();
      return found || stored;
    });
  }

  /**
   * "Don't analyze": a participant of a tab's live call is left out. What the summary held of them goes
   * from the live call and, when it is stored, from the stored copy at once. False without a live call.
   */
  function leaveOut(tabId: number, key: string): Promise<boolean> {
    return serial(async () => {
      const call = live.get(tabId);
      if (!call) return false;
      leftOut.set(call.id, (leftOut.get(call.id) ?? new Set()).add(key));
      const without = withoutParticipant(call, key);
      live.set(tabId, without);
      await persistLive();
      if (history.wasWritten(call.id)) await checkpoint([without]);
      return true;
    });
  }

  /** Bring the history under the user's rules at once (they lowered the size limit or the retention period). */
  function applyRules(): Promise<void> {
    return serial(async () => void (await pruneToRules(historyRules(await getSettings()))));
  }

  /** Merge an exported history (the popup's import), in the same queue as every other history write. */
  function importHistory(raw: readonly unknown[]): Promise<ImportOutcome> {
    return serial(async () => importCalls(raw, historyRules(await getSettings())));
  }

  /**
   * The popup's delete, in the same queue as every other history write (a checkpoint that read the
   * history before the delete would otherwise write the deleted calls back). Live calls lose their
   * data so far (the next frame starts a new call), and a call a reload interrupted is no longer
   * resumed or ended into history.
   */
  function removeCalls(ids: string[] | 'all'): Promise<void> {
    return serial(async () => {
      const doomed = (c: CallSummary) => ids === 'all' || ids.includes(c.id);
      for (const [tabId, call] of [...live.entries()]) {
        if (!doomed(call)) continue;
        live.delete(tabId);
        lastCheckpoint.delete(tabId);
      }
      for (const [key, call] of [...resumable.entries()]) if (doomed(call)) resumable.delete(key);
      await history.drop(doomed);
      await deleteCalls(ids);
      await persistLive();
    });
  }

  return { setStarred, leaveOut, applyRules, importHistory, removeCalls };
}
