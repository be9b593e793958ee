// Node (WXT's fake browser): the background's call sessions (src/calls/sessions) against
// in-memory storage whose writes take a while to land, as chrome.storage's do.
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { addFrame, type CallSummary, endCall, IDLE_END_MS, startCall } from '../../src/calls/summary';
import type { AnalyzedReport } from '../../src/messaging/background';
import { readCalls } from '../../src/calls/store';
import { DEFAULT_SETTINGS } from '../../src/core/settings';

const LABELS = ['angry', 'happy', 'neutral', 'sad', 'surprise'];

import { type Calls, createCalls, RETENTION_EVERY_MS } from '../../src/calls/sessions';
import { KEEP_AFTER_FACE_MS } from '../../src/calls/call-end';
import { CHECKPOINT_MS } from '../../src/calls/summary';

/** Stored history as the background writes it (v2 records keyed by id, with the version meta). */
const storeHistory = (...calls: CallSummary[]) => fakeBrowser.storage.local.set({ calls: Object.fromEntries(calls.map((c) => [c.id, c])), calls$: { v: 2 } });

/** A fresh background's call sessions, as after a worker start, over the current storage. */
async function startWorker(): Promise<Calls> {
  return createCalls();
}

function storedCall(callId: string, start: number, ended: boolean): CallSummary {
  let c = startCall({ site: 'meet', callId, title: callId, time: start, labels: LABELS });
  c = addFrame(c, { time: start + 100, tileId: 'tile-1', name: 'Ada', faces: [{ trackId: 1, label: 'happy' }] });
  return ended ? endCall(c, start + 1000, 'tab-closed') : c;
}

const MODELS = { detector: 'blazeface-f16', classifier: 'ours-emotion-u8' };

function frame(callId: string, time: number, tileId = 'tile-1', models: { classifier: string; labels: string[] } = { classifier: MODELS.classifier, labels: LABELS }): AnalyzedReport {
  return {
    call: { site: 'meet', callId, title: callId },
    tileId,
    name: 'Ada',
    frameTime: time,
    faces: [{ trackId: 1, label: 'happy', confidence: 0.9 }],
    models: { detector: MODELS.detector, classifier: models.classifier },
    labels: models.labels,
    backend: 'wasm',
    latencyMs: 20,
    timings: { captureMs: 1, mainThreadMs: 1, transitMs: 1, decodeMs: 1, detectMs: 1, classifyMs: 1, totalMs: 20, source: 'jpeg', detected: true },
  };
}

/** chrome.storage writes land after other work has run: every set waits a few dozen microtasks. */
function slowWrites(turns = 50): void {
  const set = fakeBrowser.storage.local.set.bind(fakeBrowser.storage.local);
  vi.spyOn(fakeBrowser.storage.local, 'set').mockImplementation(async (items) => {
    for (let i = 0; i < turns; i++) await Promise.resolve();
    return set(items);
  });
}


beforeEach(() => {
  // Timers never fire on their own (a module's delayed checkpoint cannot leak into the next test);
  // the clock moves only when a test moves it.
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  fakeBrowser.reset();
});
afterEach(() => {
  vi.clearAllTimers();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('deleting calls', () => {
  it('a checkpoint running at the same time does not write a deleted call back', async () => {
    const now = Date.now();
    const old = storedCall('old-call-xyz', now - 3_600_000, true);
    await storeHistory(old);
    const bg = await startWorker();
    // Another tab's call is live, long enough to be kept (worthKeeping).
    for (let i = 0; i <= 30; i++) await bg.onFrame(2, frame('live-call-xyz', now + i * 200));
    slowWrites();
    await Promise.all([bg.removeCalls([old.id]), bg.onTick()]);
    const { calls } = await readCalls();
    expect(calls.map((c) => c.callId)).toEqual(['live-call-xyz']);
  });

  it('"delete all" while a call is live elsewhere leaves nothing of the deleted calls', async () => {
    const now = Date.now();
    const old = storedCall('old-call-xyz', now - 3_600_000, true);
    await storeHistory(old);
    const bg = await startWorker();
    await bg.onFrame(2, frame('live-call-xyz', now));
    slowWrites();
    await Promise.all([bg.removeCalls('all'), bg.onFrame(2, frame('live-call-xyz', now + 200)), bg.onTick()]);
    const { calls } = await readCalls();
    expect(calls.map((c) => c.id)).not.toContain(old.id);
  });

  it('a deleted call that a reload interrupted is not resumed or ended back into history', async () => {
    const now = Date.now();
    const interrupted = storedCall('cut-call-xyz', now - 10_000, false); // unfinished: resumable
    await storeHistory(interrupted);
    const bg = await startWorker();
    await bg.removeCalls([interrupted.id]);
    // The same meeting's next frame starts a new call; the deleted one stays deleted.
    await bg.onFrame(1, frame('cut-call-xyz', now));
    await bg.onTick();
    const { calls } = await readCalls();
    expect(calls.map((c) => c.id)).not.toContain(interrupted.id);
    expect((await bg.liveCalls()).map((c) => c.id)).not.toContain(interrupted.id);
  });

  it('a deleted call held only in the local live checkpoint does not come back after a restart', async () => {
    const now = Date.now();
    const cut = storedCall('cut-call-xyz', now - 10_000, false);
    await fakeBrowser.storage.local.set({ liveCalls: { '1': cut } });
    const bg = await startWorker();
    await bg.removeCalls([cut.id]);
    await bg.onTick();
    const again = await startWorker();
    await again.onTick();
    expect((await readCalls()).calls.map((c) => c.id)).not.toContain(cut.id);
  });
});

describe('restoring live calls', () => {
  it('a null or corrupt stored live call is skipped and reported; frames, lists and live status keep working', async () => {
    const now = Date.now();
    const good = storedCall('good-call-xyz', now - 5_000, false);
    // As an old version left them: unversioned, one entry null, one half-written.
    await fakeBrowser.storage.session.set({ liveCalls: { '1': null, '2': good } });
    await fakeBrowser.storage.local.set({ liveCalls: { '3': { id: 'half', site: 'meet' } } });
    const bg = await startWorker();
    await bg.onFrame(4, frame('new-call-xyz', now));
    expect((await bg.liveCalls()).map((c) => c.callId).sort()).toEqual(['good-call-xyz', 'new-call-xyz']);
    expect((await bg.liveCall(2))?.id).toBe(good.id);
    expect(await bg.liveProblems()).toEqual([
      'live call in session:liveCalls for tab 1 skipped: not an object',
      'live call in local:liveCalls for tab 3 skipped: start is not a number',
    ]);
  });
});

describe('frame reports', () => {
  it('a report re-sent after the worker restarted mid-answer is counted once', async () => {
    const now = Date.now();
    const bg = await startWorker();
    expect(await bg.onFrame(1, frame('call-xyz', now))).toBe(true);
    expect(await bg.onFrame(1, frame('call-xyz', now + 160))).toBe(true);
    const restarted = await startWorker(); // restores the live call from storage.session
    expect(await restarted.onFrame(1, frame('call-xyz', now + 160))).toBe(false);
    expect(await restarted.onFrame(1, frame('call-xyz', now + 320))).toBe(true);
    expect((await restarted.liveCall(1))?.frames).toBe(3);
  });
});

describe('retention', () => {
  it('the periodic tick drops calls past the retention period even when no call runs', async () => {
    const day = 86_400_000;
    const now = Date.now();
    const expired = storedCall('old-call-xyz', now - 100 * day, true); // default retention: 90 days
    const kept = storedCall('recent-call-xyz', now - 10 * day, true);
    await storeHistory(expired, kept);
    const bg = await startWorker();
    await bg.onTick();
    expect((await readCalls()).calls.map((c) => c.callId)).toEqual(['recent-call-xyz']);
  });

  it('applies a shortened retention period on a later tick', async () => {
    const day = 86_400_000;
    const now = Date.now();
    await storeHistory(storedCall('ten-days-xyz', now - 10 * day, true));
    const bg = await startWorker();
    await bg.onTick();
    await fakeBrowser.storage.local.set({ settings: { ...DEFAULT_SETTINGS, retentionDays: 7 }, settings$: { v: 1 } });
    vi.setSystemTime(now + RETENTION_EVERY_MS);
    await bg.onTick();
    expect((await readCalls()).calls).toEqual([]);
  });
});

describe('the call state machine', () => {
  /** Frames at 200 ms that make a call worth keeping (a face for KEEP_AFTER_FACE_MS). */
  const KEPT = KEEP_AFTER_FACE_MS / 200 + 2;
  /** Frames of one call every 200 ms from `from` on; the clock follows them. */
  async function frames(bg: Calls, tabId: number, callId: string, from: number, n: number): Promise<number> {
    let t = from;
    for (let i = 0; i < n; i++, t += 200) {
      vi.setSystemTime(t);
      await bg.onFrame(tabId, frame(callId, t));
    }
    return t;
  }

  it('models switched mid-call: the call ends as models-changed and goes on as a new part with their models and label set', async () => {
    const t0 = Date.now();
    const bg = await startWorker();
    let t = await frames(bg, 1, 'call-xyz', t0, KEPT);
    const first = (await bg.liveCall(1))!;
    expect(first).toMatchObject({ models: MODELS, backend: 'wasm', labels: LABELS });
    const six = [...LABELS, 'ahegao'];
    t += 200;
    vi.setSystemTime(t);
    expect(await bg.onFrame(1, frame('call-xyz', t, 'tile-1', { classifier: 'oahega-emotion-f16', labels: six }))).toBe(true);
    const second = (await bg.liveCall(1))!;
    expect(second.id).not.toBe(first.id);
    expect(second).toMatchObject({ callId: 'call-xyz', frames: 1, labels: six, models: { detector: MODELS.detector, classifier: 'oahega-emotion-f16' } });
    const ended = (await readCalls()).calls.find((c) => c.id === first.id);
    expect(ended).toMatchObject({ ended: true, endReason: 'models-changed', frames: KEPT, labels: LABELS, models: MODELS });
  });

  it("a YouTube pre-roll ad (15 s) then the video (10 min): the ad is stored apart as media-changed, the video gets its own duration", async () => {
    const t0 = Date.now();
    const bg = await startWorker();
    const watch = (time: number, duration: number, at: number): AnalyzedReport => ({ ...frame('fixture0001', time), call: { site: 'youtube', callId: 'fixture0001', title: 'Interview' }, media: { time: at, duration } });
    let t = t0;
    for (let s = 0; s < 15; s++, t += 1000) {
      vi.setSystemTime(t);
      await bg.onFrame(1, watch(t, 15, s));
    }
    const ad = (await bg.liveCall(1))!;
    for (let s = 0; s < 20; s++, t += 1000) {
      vi.setSystemTime(t);
      await bg.onFrame(1, watch(t, 600, s));
    }
    const video = (await bg.liveCall(1))!;
    expect(video.id).not.toBe(ad.id);
    expect(video).toMatchObject({ callId: 'fixture0001', clock: 'media', mediaDurationMs: 600_000, frames: 20 });
    const storedAd = (await readCalls()).calls.find((c) => c.id === ad.id);
    expect(storedAd).toMatchObject({ ended: true, endReason: 'media-changed', mediaDurationMs: 15_000, frames: 15 });
  });

  it('resume: after a worker restart the next frame goes on with the same live call', async () => {
    const t0 = Date.now();
    const bg = await startWorker();
    const t = await frames(bg, 1, 'call-xyz', t0, 5);
    const id = (await bg.liveCall(1))!.id;
    const restarted = await startWorker(); // storage.session kept: the worker only
    await frames(restarted, 1, 'call-xyz', t, 5);
    expect(await restarted.liveCalls()).toMatchObject([{ id, frames: 10, ended: false }]);
  });

  it('reports that arrive after their tab closed (sent as it closed) are counted, and the call ends as closed then', async () => {
    const t0 = Date.now();
    const bg = await startWorker();
    const t = await frames(bg, 1, 'call-xyz', t0, KEPT);
    const id = (await bg.liveCall(1))!.id;
    vi.setSystemTime(t + 300);
    await bg.onTabClosed(1);
    expect(await bg.liveCall(1)).toBeNull();
    vi.setSystemTime(t + 400);
    await bg.onFrames(1, [frame('call-xyz', t + 100), frame('call-xyz', t + 200)]);
    expect(await bg.liveCall(1)).toBeNull();
    expect((await readCalls()).calls).toMatchObject([{ id, frames: KEPT + 2, ended: true, endReason: 'tab-closed', end: t + 300 }]);
  });

  it('idle end: a call without frames for the idle time is ended by the tick, as idle', async () => {
    const t0 = Date.now();
    const bg = await startWorker();
    const t = await frames(bg, 1, 'call-xyz', t0, KEPT);
    vi.setSystemTime(t + IDLE_END_MS / 2);
    await bg.onTick();
    expect(await bg.liveCall(1)).not.toBeNull();
    vi.setSystemTime(t + IDLE_END_MS + 1000);
    await bg.onTick();
    expect(await bg.liveCall(1)).toBeNull();
    expect((await readCalls()).calls).toMatchObject([{ callId: 'call-xyz', frames: KEPT, ended: true, endReason: 'idle' }]);
  });

  it('idle end: a frame after the idle time starts a new call and ends the old one', async () => {
    const t0 = Date.now();
    const bg = await startWorker();
    const t = await frames(bg, 1, 'call-xyz', t0, KEPT);
    await frames(bg, 1, 'call-xyz', t + IDLE_END_MS + 1000, 2);
    const old = (await readCalls()).calls.find((c) => c.ended);
    expect(old).toMatchObject({ frames: KEPT, endReason: 'idle' });
    expect(await bg.liveCall(1)).toMatchObject({ frames: 2, ended: false });
    expect((await bg.liveCall(1))!.id).not.toBe(old!.id);
  });

  it('crash: storage.session is gone but the history\'s checkpoint is resumed by the same meeting within the idle time, losing at most CHECKPOINT_MS', async () => {
    const t0 = Date.now();
    const bg = await startWorker();
    let t = await frames(bg, 1, 'call-xyz', t0, KEPT + 30);
    const id = (await bg.liveCall(1))!.id;
    const checkpointed = (await readCalls()).calls[0]!.frames;
    expect(KEPT + 30 - checkpointed).toBeLessThanOrEqual(CHECKPOINT_MS / 200);
    await fakeBrowser.storage.session.clear(); // a browser crash or an extension reload
    const after = await startWorker();
    expect(await after.liveCalls()).toEqual([]);
    // The reloaded tab has another id; the meeting is the same.
    t = await frames(after, 7, 'call-xyz', t + 5000, 3);
    expect(await after.liveCall(7)).toMatchObject({ id, ended: false, frames: checkpointed + 3 });
  });

  it('upgrade: an older version\'s local live checkpoint (fresher than history) is resumed once, then removed', async () => {
    const now = Date.now();
    const cut = storedCall('cut-call-xyz', now - 10_000, false);
    await fakeBrowser.storage.local.set({ liveCalls: { '1': cut } });
    const bg = await startWorker();
    await bg.liveCalls(); // (the restore done)
    expect((await readCalls()).calls.map((c) => c.id)).toEqual([cut.id]);
    expect(await fakeBrowser.storage.local.get('liveCalls')).toEqual({});
    await frames(bg, 3, 'cut-call-xyz', now, 2);
    expect(await bg.liveCall(3)).toMatchObject({ id: cut.id, frames: cut.frames + 2 });
  });

  it('crash: an interrupted call that nobody resumes is ended as interrupted, not lost', async () => {
    const t0 = Date.now();
    const bg = await startWorker();
    const t = await frames(bg, 1, 'call-xyz', t0, KEPT);
    await bg.onTick(); // the tick writes what changed since the last checkpoint
    await fakeBrowser.storage.session.clear();
    const after = await startWorker();
    await after.onTick();
    expect((await readCalls()).calls).toMatchObject([{ frames: KEPT, ended: false }]); // still resumable
    vi.setSystemTime(t + IDLE_END_MS + 1000);
    await after.onTick();
    expect((await readCalls()).calls).toMatchObject([{ callId: 'call-xyz', frames: KEPT, ended: true, endReason: 'interrupted' }]);
  });

  it('delete: a deleted live call is gone from history and live state, and its next frame starts afresh', async () => {
    const t0 = Date.now();
    const bg = await startWorker();
    const t = await frames(bg, 1, 'call-xyz', t0, 30); // past CHECKPOINT_MS: in history too
    const id = (await bg.liveCall(1))!.id;
    expect((await readCalls()).calls.map((c) => c.id)).toEqual([id]);
    await bg.removeCalls([id]);
    expect(await bg.liveCall(1)).toBeNull();
    expect((await readCalls()).calls).toEqual([]);
    const restarted = await startWorker();
    expect(await restarted.liveCalls()).toEqual([]);
    await frames(restarted, 1, 'call-xyz', t + 200, 1);
    expect(await restarted.liveCall(1)).toMatchObject({ frames: 1 });
    expect((await restarted.liveCall(1))!.id).not.toBe(id);
  });
});

describe('URL churn (a call is a meeting, not a URL)', () => {
  it('a page changing its meeting code every 400 ms for 20 s stores no call, and starts at most 3 a minute', async () => {
    const calls = await startWorker();
    const t0 = Date.now();
    let counted = 0;
    for (let i = 0; i < 50; i++) {
      const time = t0 + i * 400;
      await calls.onNavigated(1, `https://meet.google.com/chn-code-${String(i).padStart(3, '0')}`);
      for (const dt of [0, 100, 200, 300]) if (await calls.onFrame(1, frame(`chn-code-${String(i).padStart(3, '0')}`, time + dt))) counted++;
    }
    await calls.onTabClosed(1);
    expect((await readCalls()).calls).toEqual([]);
    expect(counted).toBe(3 * 4); // the first three codes' frames; every later code was refused a call
  });

  it('a real call (longer than a blip) that the tab navigates away from is kept', async () => {
    const calls = await startWorker();
    const t0 = Date.now();
    for (let i = 0; i < 7; i++) await calls.onFrame(1, frame('abc-defg-hij', t0 + i * 1000));
    await calls.onNavigated(1, 'https://meet.google.com/landing');
    expect((await readCalls()).calls.map((c) => [c.callId, c.endReason])).toEqual([['abc-defg-hij', 'navigated']]);
  });
});

describe('batched frame reports', () => {
  it('a batch is folded in order and persisted once; duplicates inside a re-sent batch are not counted again', async () => {
    const t0 = Date.now();
    const bg = await startWorker();
    await bg.onFrame(1, frame('call-xyz', t0 - 160)); // the call starts
    const writes = vi.spyOn(fakeBrowser.storage.session, 'set');
    const batch = [0, 160, 320, 480].map((dt) => frame('call-xyz', t0 + dt));
    expect(await bg.onFrames(1, batch)).toEqual([true, true, true, true]);
    expect(writes).toHaveBeenCalledTimes(1);
    // The reply was lost: the same batch again, plus one new frame.
    expect(await bg.onFrames(1, [...batch, frame('call-xyz', t0 + 640)])).toEqual([false, false, false, false, true]);
    expect((await bg.liveCall(1))?.frames).toBe(6);
  });
});

describe('who is analyzed', () => {
  /** Two tiles of one call, a frame each every 200 ms, for `n` rounds from `from` on. */
  async function twoTiles(bg: Calls, callId: string, from: number, n: number, extra: Partial<AnalyzedReport> = {}): Promise<number> {
    let t = from;
    for (let i = 0; i < n; i++, t += 200) {
      vi.setSystemTime(t);
      await bg.onFrames(1, [{ ...frame(callId, t), ...extra }, { ...frame(callId, t + 1, 'tile-2'), name: 'Grace', ...extra }]);
    }
    return t;
  }

  it("don't analyze: the participant leaves the live call and its stored copy at once; their late frames are not counted", async () => {
    const bg = await startWorker();
    let t = await twoTiles(bg, 'call-xyz', Date.now(), 40);
    expect((await readCalls()).calls[0]!.participants.map((p) => p.name).sort()).toEqual(['Ada', 'Grace']);
    expect(await bg.leaveOut(1, 'name:Grace')).toBe(true);
    expect((await bg.liveCall(1))!.participants.map((p) => p.name)).toEqual(['Ada']);
    expect((await readCalls()).calls[0]!.participants.map((p) => p.name)).toEqual(['Ada']);
    // A batch already on its way when the user clicked: Grace's frames in it are dropped.
    t = await twoTiles(bg, 'call-xyz', t, 5);
    expect((await bg.liveCall(1))!.participants.map((p) => p.name)).toEqual(['Ada']);
    expect(await bg.leaveOut(9, 'name:Ada')).toBe(false); // no live call in that tab
  });

  it("switching to 'just me' mid-call ends the part as mode-changed; the next part is the user's own (analyze: 'me')", async () => {
    const bg = await startWorker();
    const t = await twoTiles(bg, 'call-xyz', Date.now(), 30);
    const everyone = (await bg.liveCall(1))!;
    vi.setSystemTime(t + 200);
    await bg.onFrames(1, [{ ...frame('call-xyz', t + 200), analyze: 'me' }]);
    const mine = (await bg.liveCall(1))!;
    expect(mine.id).not.toBe(everyone.id);
    expect(mine).toMatchObject({ analyze: 'me', frames: 1 });
    expect((await readCalls()).calls.find((c) => c.id === everyone.id)).toMatchObject({ ended: true, endReason: 'mode-changed' });
  });
});
