// Background service worker: writes calls into the history and keeps what it cannot take. A call
// the history refuses (the disk is full even after pruning) waits here, mirrored to storage.session
// (memory, apart from the disk), is listed with the history, told in a notice and on the badge, and
// goes with the next checkpoint that succeeds. Never throws: whatever follows a checkpoint still runs.
import { historyRules } from '../core/settings';
import type { CallSummary } from './summary';
import { saveCalls } from './store';
import { pendingCallsItem, readPendingCalls } from './store-live';
import { addNotice } from '../storage/notices';
import { t } from '../i18n';
import { getSettings } from '../storage/settings';

export type HistoryWriter = ReturnType<typeof createHistoryWriter>;

export function createHistoryWriter() {
  /** Calls the history could not take, by id: retried at every checkpoint. */
  const pending = new Map<string, CallSummary>();
  /** Each call's frame count as last written (an unchanged call is not written again). */
  const written = new Map<string, number>();
  /** Told the number of pending calls when it changes (the badge warns meanwhile). */
  const listeners = new Set<(count: number) => void>();

  async function persist(): Promise<void> {
    await pendingCallsItem.setValue(Object.fromEntries(pending)).catch((err: unknown) => console.error('[calls] pending write failed', err));
    for (const listener of listeners) listener(pending.size);
  }

  /** Write calls (and any still pending) to the history; what it cannot take stays pending, with a notice. */
  async function checkpoint(calls: readonly CallSummary[]): Promise<void> {
    const ids = new Set(calls.map((c) => c.id));
    const batch = [...calls, ...[...pending.values()].filter((c) => !ids.has(c.id))];
    const outcome = await saveCalls(batch, historyRules(await getSettings())).catch((err: unknown) => ({ saved: false, error: String(err) }));
    const hadPending = pending.size;
    if (outcome.saved) {
      pending.clear();
      for (const c of batch) written.set(c.id, c.frames);
    } else {
      // Live calls stay live (they are retried at their next checkpoint); ended ones wait here.
      for (const c of batch) if (c.ended) pending.set(c.id, c);
      if (hadPending === 0) await addNotice(t('notice_not_saved', outcome.error ?? t('storage_error')));
    }
    // Mirrored (and the badge told) whenever there is something waiting, or there was and it went.
    if (outcome.saved ? hadPending > 0 : pending.size > 0) await persist();
  }

  return {
    checkpoint,
    /** The calls a worker restart found waiting (their problems reported). */
    async restore(): Promise<string[]> {
      const waiting = await readPendingCalls();
      for (const c of waiting.calls) pending.set(c.id, c);
      return waiting.problems;
    },
    /** Whether this call was written in this worker's life, and whether it changed since. */
    wasWritten: (id: string) => written.has(id),
    changedSinceWrite: (c: CallSummary) => written.get(c.id) !== c.frames,
    pendingCalls: () => [...pending.values()],
    get pendingCount() {
      return pending.size;
    },
    /** Change a pending call in place (its star). */
    async update(id: string, change: (c: CallSummary) => CallSummary): Promise<void> {
      const c = pending.get(id);
      if (!c) return;
      pending.set(id, change(c));
      await persist();
    },
    /** Drop pending calls (the user deleted them). */
    async drop(doomed: (c: CallSummary) => boolean): Promise<void> {
      const before = pending.size;
      for (const c of [...pending.values()]) if (doomed(c)) pending.delete(c.id);
      if (pending.size !== before) await persist();
    },
    onChange: (listener: (count: number) => void) => void listeners.add(listener),
  };
}
