// Background service worker: call sessions. Live state goes to storage.session on every frame batch
// (memory: it survives worker restarts), and into the call history (the disk) every CHECKPOINT_MS
// while it changes: an extension reload or a browser crash loses at most that much. A call the
// history cannot take (the disk is full even after pruning) is kept pending, shown, and retried.
import { callStartLimit, endReasonFor, MAX_NEW_CALLS_PER_HOUR, sameModels, withStart, worthKeeping } from '@/src/calls/call-end';
import { historyRules } from '@/src/core/settings';
import { addFrame, boundCallId, boundTitle, callKey, isDuplicateFrame, type CallSummary, CHECKPOINT_MS, endCall, type EndReason, IDLE_END_MS, participantKeyOf, startCall, withoutParticipant } from '@/src/calls/summary';
import type { AnalyzedReport } from '@/src/messaging/background';
import { adapterFor } from '@/src/sites';
import type { ImportOutcome } from '@/src/calls/retention';
import { deleteCalls, importCalls, listCallIndex, migrateLegacyCalls, liveCallsItem, liveCheckpointItem, pendingCallsItem, pruneExpired, pruneToRules, readCalls, readLiveCalls, readPendingCalls, saveCalls, setStoredStar } from '@/src/calls/store';
import { addNotice } from '@/src/storage/notices';
import { getSettings } from '@/src/storage/settings';

/**
 * How often the tick applies the retention period on its own (a checkpoint applies it too, but
 * without a call nothing would: history older than the period stayed until the next call). The
 * first tick after a worker start always does.
 */
export const RETENTION_EVERY_MS = 10 * 60_000;

/** Closed tabs remembered (their late reports end their call at once). */
const MAX_CLOSED_TABS = 64;

/** The call sessions of one worker's life: built at its start (defineBackground), nothing at import. */
export type Calls = ReturnType<typeof createCalls>;

export function createCalls() {
  const live = new Map<number, CallSummary>();
  const lastCheckpoint = new Map<number, number>();
  /** Each call's frame count as last written to history (an unchanged call is not written again). */
  const written = new Map<string, number>();
  /** When each tab started its calls in the last hour (the rate limits on new calls, and `opened`). */
  const callStarts = new Map<number, number[]>();
  /** When each tab was last told it reached the hourly limit (once per full hour of starts). */
  const hourLimitTold = new Map<number, number>();
  /**
   * Calls an extension reload or a browser crash interrupted (storage.session was cleared): unfinished
   * in history. A frame of the same call within the idle time resumes one; the tick ends the rest.
   */
  const resumable = new Map<string, CallSummary>();
  /** Participants the user left out, by call id (their frames still in flight are dropped). */
  const leftOut = new Map<string, Set<string>>();
  /** Calls the history could not take (mirrored to storage.session), by id: retried at every checkpoint. */
  const pending = new Map<string, CallSummary>();

  /** Told when a call starts or resumes (the tick's alarm must run while it is live). */
  const activeListeners = new Set<() => void>();
  /** Told when calls become pending or all pending ones are written (the badge warns meanwhile). */
  const pendingListeners = new Set<(count: number) => void>();

  /** Stored live calls that could not be read at start (skipped; listed with the history's problems). */
  const restoreProblems: string[] = [];

  /** Restore live calls after a worker restart, and collect the calls a reload or crash interrupted. */
  const restored: Promise<void> = (async () => {
    // Calls waiting for room first: whatever else fails below, they are not lost.
    const waiting = await readPendingCalls();
    restoreProblems.push(...waiting.problems);
    for (const c of waiting.calls) pending.set(c.id, c);
    const session = await readLiveCalls(liveCallsItem);
    restoreProblems.push(...session.problems);
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
    restoreProblems.push(...local.problems);
    const fresher = [...local.calls.values()].filter(
      (c) => !liveIds.has(c.id) && !ended.has(c.id) && c.frames >= (resumable.get(callKey(c.site, c.callId))?.frames ?? 0),
    );
    for (const c of fresher) resumable.set(callKey(c.site, c.callId), c);
    if (fresher.length > 0) await checkpoint(fresher);
    if (local.calls.size > 0 || local.problems.length > 0) await liveCheckpointItem.removeValue({ removeMeta: true });
  })().catch((err: unknown) => {
    // Never leave every later handler awaiting a rejected promise: start empty, say why.
    restoreProblems.push(`live calls could not be restored: ${err instanceof Error ? err.message : String(err)}`);
    console.error('[calls] restore failed', err);
  });

  /** What could not be restored at start (for the popup's list of problems). */
  async function liveProblems(): Promise<string[]> {
    await restored;
    return [...restoreProblems];
  }

  const snapshot = (calls: Iterable<[number | string, CallSummary]>) => Object.fromEntries([...calls].map(([k, v]) => [String(k), v]));

  let sessionWrite: Promise<void> = Promise.resolve();

  /** Mirror the live calls to storage.session (every change, writes chained so the last one wins). */
  function persistLive(): Promise<void> {
    const value = snapshot(live.entries());
    sessionWrite = sessionWrite.then(() => liveCallsItem.setValue(value)).catch((err: unknown) => console.error('[calls] session write failed', err));
    return sessionWrite;
  }

  /** Mirror the pending calls to storage.session, and tell the badge. */
  async function persistPending(): Promise<void> {
    await pendingCallsItem.setValue(snapshot(pending.entries())).catch((err: unknown) => console.error('[calls] pending write failed', err));
    for (const listener of pendingListeners) listener(pending.size);
  }

  /**
   * Write calls (and any still pending) to the history. What it cannot take stays pending, with a
   * notice; never throws, so whatever follows (the live state's own write) still happens.
   */
  async function checkpoint(calls: CallSummary[]): Promise<void> {
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
      if (hadPending === 0) await addNotice(`The call history could not be saved (${outcome.error ?? 'storage error'}): free disk space or lower the history's size limit (Settings); the calls are kept until then.`);
    }
    if (pending.size !== hadPending || (!outcome.saved && pending.size > 0)) await persistPending();
  }

  async function finish(tabId: number, reason: EndReason, time: number): Promise<void> {
    const call = live.get(tabId);
    if (!call) return;
    live.delete(tabId);
    lastCheckpoint.delete(tabId);
    const ended = endCall(call, time, reason);
    try {
      // A call without a face held for a while (a URL blip, a page without faces) is not kept.
      if (worthKeeping(call)) await checkpoint([ended]);
      // A video paused past the idle time goes on in the same summary when it plays again (one per video).
      if (reason === 'idle' && call.clock === 'media') resumable.set(callKey(call.site, call.callId), ended);
    } finally {
      await persistLive();
    }
  }

  /** Tabs closed in this worker's life: when, and their live call then (ids are never reused in a browser session). */
  const closedTabs = new Map<number, { at: number; call: CallSummary | null }>();

  // One frame at a time per worker: summaries are read-modify-write.
  let queue: Promise<void> = Promise.resolve();
  function serial(fn: () => Promise<void>): Promise<void> {
    queue = queue.then(fn, fn);
    return queue;
  }

  /**
   * Fold one report into its tab's call (inside the queue; the caller persists). False when it was a
   * duplicate (a retried send), ignored.
   */
  async function applyFrame(tabId: number, report: AnalyzedReport): Promise<boolean> {
    // Page-supplied: bounded here so that comparisons and stored copies agree.
    const { site } = report.call;
    const callId = report.call.callId === null ? null : boundCallId(report.call.callId);
    const title = boundTitle(report.call.title);
    const time = report.frameTime;
    let call = live.get(tabId);
    if (call) {
      const reason = endReasonFor(call, { type: 'frame', time, site, callId, models: report.models, tileId: report.tileId, ...(report.analyze ? { analyze: report.analyze } : {}), ...(report.media ? { mediaMs: report.media.time * 1000, mediaDurationMs: report.media.duration * 1000 } : {}) });
      if (reason) {
        await finish(tabId, reason, time);
        call = undefined;
      }
    }
    if (callId === null) return true;
    if (!call) {
      const key = callKey(site, callId);
      const starts = callStarts.get(tabId) ?? [];
      const limit = callStartLimit(starts, time);
      if (limit === 'hour' && (hourLimitTold.get(tabId) ?? -Infinity) < starts[0]!) {
        // Once per tab and hour: its calls are still drawn, but not summarized (never in silence).
        hourLimitTold.set(tabId, time);
        await addNotice(`A tab opened more than ${MAX_NEW_CALLS_PER_HOUR} calls or videos within an hour: the next ones there are shown but not summarized until that hour has passed.`);
      }
      if (limit) return false;
      const opened = withStart(starts, time);
      callStarts.set(tabId, opened);
      const previous = resumable.get(key);
      resumable.delete(key);
      const resumes = previous && (previous.clock === 'media' || time - previous.end <= IDLE_END_MS) && sameModels(previous.models, report.models);
      const mediaDurationMs = report.media ? report.media.duration * 1000 : undefined;
      call = resumes
        ? { ...previous, ended: false, endReason: null }
        : { ...startCall({ site, callId, title, time, labels: report.labels, mediaDurationMs }), backend: report.backend, models: report.models, opened: opened.length, ...(report.analyze ? { analyze: report.analyze } : {}) };
      if (previous && call !== previous) await checkpoint([endCall(previous, time, sameModels(previous.models, report.models) ? 'interrupted' : 'models-changed')]);
      lastCheckpoint.set(tabId, 0);
      for (const listener of activeListeners) listener();
    }
    // A participant the user left out of this call: their late frames are not counted.
    if (leftOut.get(call.id)?.has(participantKeyOf(report.name, report.tileId))) {
      live.set(tabId, call);
      return false;
    }
    const frame = { time, tileId: report.tileId, name: report.name, faces: report.faces, ...(report.media ? { mediaMs: report.media.time * 1000 } : {}) };
    if (isDuplicateFrame(call, frame)) {
      live.set(tabId, call); // (a call resumed by this report stays live)
      return false;
    }
    call = addFrame(call, frame);
    if (title && call.title !== title) call = { ...call, title };
    live.set(tabId, call);
    return true;
  }

  /**
   * Fold a batch of a tab's frame reports into its call, in order, then persist once (not once per
   * frame: the content script sends a second of frames at a time). Per report: false for a duplicate.
   */
  function onFrames(tabId: number, reports: readonly AnalyzedReport[]): Promise<boolean[]> {
    const counted: boolean[] = [];
    return serial(async () => {
      await restored;
      // Reports a tab sent as it closed can arrive after the worker heard it close: they go into the
      // call its closing ended (or one they resume), which then ends again as closed.
      const closed = closedTabs.get(tabId);
      if (closed?.call && !live.has(tabId)) live.set(tabId, closed.call);
      for (const r of reports) counted.push(await applyFrame(tabId, r));
      const call = live.get(tabId);
      if (!call) return;
      if (closed) {
        closedTabs.set(tabId, { at: closed.at, call });
        return finish(tabId, 'tab-closed', closed.at);
      }
      await persistLive();
      // A call is stored once a face was in it for a while (worthKeeping), then every CHECKPOINT_MS.
      if (worthKeeping(call) && Date.now() - (lastCheckpoint.get(tabId) ?? 0) >= CHECKPOINT_MS) {
        lastCheckpoint.set(tabId, Date.now());
        await checkpoint([call]);
      }
    }).then(() => counted);
  }

  /** One report (as a batch of one). */
  const onFrame = (tabId: number, report: AnalyzedReport): Promise<boolean> => onFrames(tabId, [report]).then((c) => c[0] ?? false);

  function onTabClosed(tabId: number): Promise<void> {
    const at = Date.now();
    return serial(async () => {
      await restored;
      closedTabs.set(tabId, { at, call: live.get(tabId) ?? null });
      for (const id of [...closedTabs.keys()].slice(0, -MAX_CLOSED_TABS)) closedTabs.delete(id);
      await finish(tabId, 'tab-closed', at);
    });
  }

  function onNavigated(tabId: number, url: string): Promise<void> {
    return serial(async () => {
      await restored;
      const call = live.get(tabId);
      if (!call) return;
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        return;
      }
      const adapter = adapterFor(parsed);
      const callId = adapter.callId(parsed);
      // A call in a frame (the Zoom Workplace app) is not named by the page's own URL: the shell
      // moving around it does not end it (its frames stop, and it ends when idle).
      // Teams may name no meeting in its URL (the content script numbers its joins): its URL moving does not end the call either.
      if (callId === null && (adapter.callFrames || adapter.unnamedCalls) && adapter.id === call.site) return;
      const reason = endReasonFor(call, { type: 'navigated', time: Date.now(), site: adapter.id, callId });
      if (reason) await finish(tabId, reason, Date.now());
    });
  }

  let lastRetention = Number.NEGATIVE_INFINITY;

  /** Periodic: end idle calls, checkpoint the rest, and drop calls past the retention period. */
  function onTick(): Promise<void> {
    return serial(async () => {
      await restored;
      const now = Date.now();
      for (const [tabId, call] of [...live.entries()]) {
        const reason = endReasonFor(call, { type: 'tick', time: now });
        if (reason) await finish(tabId, reason, now);
      }
      // Retention first: a checkpoint that fails must not keep expired calls.
      if (now - lastRetention >= RETENTION_EVERY_MS) {
        lastRetention = now;
        await pruneExpired((await getSettings()).retentionDays, now).catch((err: unknown) => console.error('[calls] retention failed', err));
      }
      const stale = [...resumable.entries()].filter(([, c]) => !c.ended && now - c.end > IDLE_END_MS);
      for (const [key] of stale) resumable.delete(key);
      // Calls changed since their last write, and any pending (checkpoint retries those).
      const changed = [...live.values()].filter((c) => worthKeeping(c) && written.get(c.id) !== c.frames);
      const due = [...stale.map(([, c]) => endCall(c, now, 'interrupted')), ...changed];
      if (due.length > 0 || pending.size > 0) await checkpoint(due);
    });
  }

  async function liveCall(tabId: number): Promise<CallSummary | null> {
    await restored;
    return live.get(tabId) ?? null;
  }

  /** The tab whose live call (or paused video) this summary is, if any. */
  async function tabOfCall(id: string): Promise<number | null> {
    await restored;
    for (const [tabId, call] of live) if (call.id === id) return tabId;
    return null;
  }

  async function liveCalls(): Promise<CallSummary[]> {
    await restored;
    return [...live.values()];
  }

  /** Ended calls the history could not take yet (listed with it). */
  async function pendingCalls(): Promise<CallSummary[]> {
    await restored;
    return [...pending.values()];
  }

  /** Star or unstar a call, live, pending or stored (in the queue: a checkpoint must not undo it). */
  function setStarred(id: string, starred: boolean): Promise<boolean> {
    let found = false;
    const mark = (c: CallSummary): CallSummary => {
      found = true;
      const { starred: _, ...rest } = c;
      return starred ? { ...rest, starred: true } : rest;
    };
    return serial(async () => {
      await restored;
      for (const [tabId, c] of live) if (c.id === id) live.set(tabId, mark(c));
      for (const [key, c] of resumable) if (c.id === id) resumable.set(key, mark(c));
      const waiting = pending.get(id);
      if (waiting) pending.set(id, mark(waiting));
      if (await setStoredStar(id, starred)) found = true;
      await persistLive();
      if (waiting) await persistPending();
    }).then(() => found);
  }

  /**
   * "Don't analyze": a participant of a tab's live call is left out. What the summary held of them goes
   * from the live call and, when it is stored, from the stored copy at once. False without a live call.
   */
  function leaveOut(tabId: number, key: string): Promise<boolean> {
    let done = false;
    return serial(async () => {
      await restored;
      const call = live.get(tabId);
      if (!call) return;
      leftOut.set(call.id, (leftOut.get(call.id) ?? new Set()).add(key));
      const without = withoutParticipant(call, key);
      live.set(tabId, without);
      done = true;
      await persistLive();
      if (written.has(call.id)) await checkpoint([without]);
    }).then(() => done);
  }

  /** Bring the history under the user's rules at once (they lowered the size limit or the retention period). */
  function applyRules(): Promise<void> {
    return serial(async () => {
      await restored;
      await pruneToRules(historyRules(await getSettings()));
    });
  }

  /** Merge an exported history (the popup's import), in the same queue as every other history write. */
  function importHistory(raw: readonly unknown[]): Promise<ImportOutcome> {
    let outcome: ImportOutcome | null = null;
    return serial(async () => {
      await restored;
      outcome = await importCalls(raw, historyRules(await getSettings()));
    }).then(() => outcome!);
  }

  /**
   * The popup's delete, in the same queue as every other history write (a checkpoint that read the
   * history before the delete would otherwise write the deleted calls back). Live calls lose their
   * data so far (the next frame starts a new call), and a call a reload interrupted is no longer
   * resumed or ended into history.
   */
  function removeCalls(ids: string[] | 'all'): Promise<void> {
    return serial(async () => {
      await restored;
      const doomed = (c: CallSummary) => ids === 'all' || ids.includes(c.id);
      for (const [tabId, call] of [...live.entries()]) {
        if (!doomed(call)) continue;
        live.delete(tabId);
        lastCheckpoint.delete(tabId);
      }
      for (const [key, call] of [...resumable.entries()]) if (doomed(call)) resumable.delete(key);
      const pendingBefore = pending.size;
      for (const call of [...pending.values()]) if (doomed(call)) pending.delete(call.id);
      if (pending.size !== pendingBefore) await persistPending();
      await deleteCalls(ids);
      await persistLive();
    });
  }

  /** Whether the tick has work: a live call, one a reload interrupted that may resume or must be ended, or calls waiting for room. */
  async function hasWork(): Promise<boolean> {
    await restored;
    // (a paused video's summary waits to resume without a tick: it is stored, ended, already)
    return live.size > 0 || pending.size > 0 || [...resumable.values()].some((c) => !c.ended);
  }

  const onActive = (listener: () => void) => void activeListeners.add(listener);
  /** Told the number of pending calls whenever it changes (and once the restore has read them). */
  const onPending = (listener: (count: number) => void) => {
    pendingListeners.add(listener);
    void restored.then(() => listener(pending.size));
  };

  return { hasWork, onActive, onPending, tabOfCall, liveProblems, onFrames, onFrame, onTabClosed, onNavigated, onTick, liveCall, liveCalls, pendingCalls, setStarred, importHistory, applyRules, leaveOut, removeCalls };
}
