// Background service worker: call sessions. Live state goes to storage.session on every frame batch
// (memory: it survives worker restarts), and into the call history (the disk) every CHECKPOINT_MS
// while it changes: an extension reload or a browser crash loses at most that much. A call the
// history cannot take (the disk is full even after pruning) is kept pending, shown, and retried.
import { callStartLimit, endReasonFor, MAX_NEW_CALLS_PER_HOUR, sameModels, withStart, worthKeeping } from './call-end';
import { createHistoryWriter } from './history-writer';
import { restoreSessions } from './session-restore';
import { userActions } from './session-actions';
import { addFrame, boundCallId, boundTitle, callKey, isDuplicateFrame, type CallSummary, CHECKPOINT_MS, endCall, type EndReason, IDLE_END_MS, participantKeyOf, startCall } from './summary';
import { pruneExpired } from './store';
import { liveCallsItem } from './store-live';
import type { AnalyzedReport } from '../messaging/background';
import { adapterFor } from '../sites';
import { addNotice } from '../storage/notices';
import { t } from '../i18n';
import { getSettings } from '../storage/settings';

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
  /** Writes to the history, and the calls it could not take yet. */
  const history = createHistoryWriter();
  const { checkpoint } = history;
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

  /** Told when a call starts or resumes (the tick's alarm must run while it is live). */
  const activeListeners = new Set<() => void>();

  /** Stored live calls that could not be read at start (skipped; listed with the history's problems). */
  const restoreProblems: string[] = [];

  /** Restore live calls after a worker restart, and collect the calls a reload or crash interrupted. */
  const restored: Promise<void> = restoreSessions({ live, resumable, history, problems: restoreProblems }).catch((err: unknown) => {
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

  // One job at a time per worker (summaries are read-modify-write), each after the restore; a job's
  // result (or error) is its caller's, and the queue goes on either way.
  let queue: Promise<unknown> = Promise.resolve();
  function serial<T>(fn: () => Promise<T>): Promise<T> {
    const job = queue.then(async () => {
      await restored;
      return fn();
    });
    queue = job.catch(() => undefined);
    return job;
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
    // The video's own clock, in ms (a report gives seconds).
    const media = report.media ? { mediaMs: report.media.time * 1000, mediaDurationMs: report.media.duration * 1000 } : {};
    let call = live.get(tabId);
    if (call) {
      const reason = endReasonFor(call, { type: 'frame', time, site, callId, models: report.models, tileId: report.tileId, ...(report.analyze ? { analyze: report.analyze } : {}), ...media });
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
        await addNotice(t('notice_hour_limit', MAX_NEW_CALLS_PER_HOUR));
      }
      if (limit) return false;
      const opened = withStart(starts, time);
      callStarts.set(tabId, opened);
      const previous = resumable.get(key);
      resumable.delete(key);
      const resumes = previous && (previous.clock === 'media' || time - previous.end <= IDLE_END_MS) && sameModels(previous.models, report.models);
      call = resumes
        ? { ...previous, ended: false, endReason: null }
        : { ...startCall({ site, callId, title, time, labels: report.labels, mediaDurationMs: media.mediaDurationMs }), backend: report.backend, models: report.models, opened: opened.length, ...(report.analyze ? { analyze: report.analyze } : {}) };
      if (previous && call !== previous) await checkpoint([endCall(previous, time, sameModels(previous.models, report.models) ? 'interrupted' : 'models-changed')]);
      lastCheckpoint.set(tabId, 0);
      for (const listener of activeListeners) listener();
    }
    // A participant the user left out of this call: their late frames are not counted.
    if (leftOut.get(call.id)?.has(participantKeyOf(report.name, report.tileId))) {
      live.set(tabId, call);
      return false;
    }
    const frame = { time, tileId: report.tileId, name: report.name, faces: report.faces, ...(report.someone === undefined ? {} : { someone: report.someone }), ...(media.mediaMs === undefined ? {} : { mediaMs: media.mediaMs }) };
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
    return serial(async () => {
      // Reports a tab sent as it closed can arrive after the worker heard it close: they go into the
      // call its closing ended (or one they resume), which then ends again as closed.
      const closed = closedTabs.get(tabId);
      if (closed?.call && !live.has(tabId)) live.set(tabId, closed.call);
      const counted: boolean[] = [];
      for (const r of reports) counted.push(await applyFrame(tabId, r));
      await keepFrames(tabId, closed);
      return counted;
    });
  }

  /** After a batch: a closed tab's call ends; else the live state is saved, and the history's copy every CHECKPOINT_MS. */
  async function keepFrames(tabId: number, closed: { at: number } | undefined): Promise<void> {
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
  }

  /** One report (as a batch of one). */
  const onFrame = (tabId: number, report: AnalyzedReport): Promise<boolean> => onFrames(tabId, [report]).then((c) => c[0] ?? false);

  function onTabClosed(tabId: number): Promise<void> {
    const at = Date.now();
    return serial(async () => {
      closedTabs.set(tabId, { at, call: live.get(tabId) ?? null });
      for (const id of [...closedTabs.keys()].slice(0, -MAX_CLOSED_TABS)) closedTabs.delete(id);
      await finish(tabId, 'tab-closed', at);
    });
  }

  function onNavigated(tabId: number, url: string): Promise<void> {
    return serial(async () => {
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
      const changed = [...live.values()].filter((c) => worthKeeping(c) && history.changedSinceWrite(c));
      const due = [...stale.map(([, c]) => endCall(c, now, 'interrupted')), ...changed];
      if (due.length > 0 || history.pendingCount > 0) await checkpoint(due);
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
    return history.pendingCalls();
  }

  const { setStarred, leaveOut, applyRules, importHistory, removeCalls } = userActions({ serial, live, resumable, leftOut, lastCheckpoint, history, persistLive });

  /** Whether the tick has work: a live call, one a reload interrupted that may resume or must be ended, or calls waiting for room. */
  async function hasWork(): Promise<boolean> {
    await restored;
    // (a paused video's summary waits to resume without a tick: it is stored, ended, already)
    return live.size > 0 || history.pendingCount > 0 || [...resumable.values()].some((c) => !c.ended);
  }

  const onActive = (listener: () => void) => void activeListeners.add(listener);
  /** Told the number of pending calls whenever it changes (and once the restore has read them). */
  const onPending = (listener: (count: number) => void) => {
    history.onChange(listener);
    void restored.then(() => listener(history.pendingCount));
  };

  return { hasWork, onActive, onPending, tabOfCall, liveProblems, onFrames, onFrame, onTabClosed, onNavigated, onTick, liveCall, liveCalls, pendingCalls, setStarred, importHistory, applyRules, leaveOut, removeCalls };
}
