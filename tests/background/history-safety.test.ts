// Node (WXT's fake browser, a storage double with a quota: tests/storage/quota.ts): nothing the user
// keeps is lost when storage refuses writes. Each case is one way a finished call used to be lost.
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { addFrame, type CallSummary, endCall, startCall } from '../../src/calls/summary';
import { listingOf } from '../../src/calls/summary-read';
import type { AnalyzedReport } from '../../src/messaging/background';
import { readCalls } from '../../src/calls/store';
import { readNotices } from '../../src/storage/notices';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { createCalls } from '../../src/calls/sessions';
import { bytesInUse, enforceQuota } from '../storage/quota';

const LABELS = ['angry', 'happy', 'neutral', 'sad', 'surprise'];
const MODELS = { detector: 'blazeface-f16', classifier: 'ours-emotion-u8' };
const DAY = 86_400_000;

function report(callId: string, time: number, tileId = 'tile-1'): AnalyzedReport {
  return {
    call: { site: 'meet', callId, title: callId },
    tileId,
    name: tileId === 'tile-1' ? 'Ada' : 'Grace',
    frameTime: time,
    faces: [{ trackId: 1, label: 'happy', confidence: 0.9 }],
    models: MODELS,
    labels: LABELS,
    backend: 'wasm',
    latencyMs: 20,
    timings: { captureMs: 1, mainThreadMs: 1, transitMs: 1, decodeMs: 1, detectMs: 1, classifyMs: 1, totalMs: 20, source: 'jpeg', detected: true },
  };
}

/** A real call as the content script sends it: `seconds` of two tiles at 5 frames/s, a batch a second. */
async function runCall(bg: ReturnType<typeof createCalls>, tabId: number, callId: string, from: number, seconds: number): Promise<number> {
  let t = from;
  for (let s = 0; s < seconds; s++) {
    const batch = [0, 200, 400, 600, 800].flatMap((dt) => [report(callId, t + dt), report(callId, t + dt + 1, 'tile-2')]);
    t += 1000;
    vi.setSystemTime(t);
    await bg.onFrames(tabId, batch);
  }
  return t;
}

/** A stored call in today's record format, about `bytes` long (a call that saw many tiles). */
function storedCall(callId: string, start: number, bytes = 0): CallSummary {
  let c = { ...startCall({ site: 'meet', callId, title: callId, time: start, labels: LABELS }), id: `meet:${callId}:${start}` };
  c = addFrame(c, { time: start + 100, tileId: 'tile-1', name: 'Ada', faces: [{ trackId: 1, label: 'happy' }] });
  const tiles = Object.fromEntries(Array.from({ length: Math.floor(bytes / 27) }, (_, i) => [`tile-${String(i).padStart(6, '0')}`, start + 100]));
  return { ...endCall(c, start + 60_000, 'tab-closed'), lastFrameByTile: { ...c.lastFrameByTile, ...tiles } };
}

/** Seed the history straight into storage (records, index entries, the id list), as a full one looks. */
async function seedHistory(calls: CallSummary[]): Promise<void> {
  const items: Record<string, unknown> = { callIds: calls.map((c) => c.id) };
  for (const c of calls) {
    items[`call:${c.id}`] = c;
    items[`callMeta:${c.id}`] = { ...listingOf(c), bytes: JSON.stringify(c).length };
  }
  await fakeBrowser.storage.local.set(items);
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  fakeBrowser.reset();
});
afterEach(() => {
  vi.clearAllTimers();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('a full storage never loses a finished call', () => {
  it('at the quota, a call that ends is kept: the oldest calls are pruned first and the user is told', async () => {
    const now = Date.now();
    // 10 MB, as chrome.storage.local held before unlimitedStorage (or a full disk): filled with recent calls.
    const QUOTA = 10 * 1024 * 1024;
    const history = Array.from({ length: 95 }, (_, i) => storedCall(`old-${String(i).padStart(3, '0')}-xyz`, now - (i + 1) * DAY / 4, 108_000));
    await seedHistory(history);
    expect(await bytesInUse()).toBeGreaterThan(QUOTA - 200_000);
    enforceQuota(QUOTA);
    const bg = createCalls();
    const t = await runCall(bg, 1, 'new-call-xyz', now, 30);
    vi.setSystemTime(t + 500);
    await bg.onTabClosed(1);
    const { calls } = await readCalls();
    expect(calls[0]).toMatchObject({ callId: 'new-call-xyz', ended: true, endReason: 'tab-closed' });
    // What went are the oldest; the rest stay.
    const kept = new Set(calls.map((c) => c.id));
    const gone = history.filter((c) => !kept.has(c.id));
    expect(gone.length).toBeGreaterThan(0);
    expect(Math.min(...history.filter((c) => kept.has(c.id)).map((c) => c.start))).toBeGreaterThan(Math.max(...gone.map((c) => c.start)));
    expect((await readNotices()).notices.join(' ')).toMatch(/deleted/);
  });

  it('when the disk refuses every history write, the call is kept pending: listed, told, and written once writes work again', async () => {
    const now = Date.now();
    const { lift } = enforceQuota(Infinity, (keys) => keys.some((k) => k.startsWith('call') || k === 'notices'));
    const bg = createCalls();
    const counts: number[] = [];
    bg.onPending((n) => counts.push(n));
    const t = await runCall(bg, 1, 'full-disk-xyz', now, 30);
    vi.setSystemTime(t + 500);
    await bg.onTabClosed(1);
    expect((await readCalls()).calls).toEqual([]);
    expect(await bg.pendingCalls()).toMatchObject([{ callId: 'full-disk-xyz', ended: true, frames: 300 }]);
    expect(counts.at(-1)).toBe(1);
    // The notice could not be stored either: it is held (storage.session) and still shown.
    expect((await readNotices()).notices.join(' ')).toMatch(/could not be saved/);
    // A worker restart keeps it (storage.session), and the tick writes it once the disk has room.
    const restarted = createCalls();
    expect(await restarted.pendingCalls()).toHaveLength(1);
    lift();
    await restarted.onTick();
    expect((await readCalls()).calls).toMatchObject([{ callId: 'full-disk-xyz', frames: 300 }]);
    expect(await restarted.pendingCalls()).toEqual([]);
  });

  it('a record is never stored without its id in the list (one write, or none)', async () => {
    const now = Date.now();
    enforceQuota(Infinity, (keys) => keys.includes('callIds'));
    const bg = createCalls();
    const t = await runCall(bg, 1, 'half-write-xyz', now, 30);
    vi.setSystemTime(t + 500);
    await bg.onTabClosed(1);
    const stored = await fakeBrowser.storage.local.get(null);
    const listed = new Set((stored.callIds as string[] | undefined) ?? []);
    const records = Object.keys(stored).filter((k) => k.startsWith('call:')).map((k) => k.slice('call:'.length));
    expect(records.filter((id) => !listed.has(id))).toEqual([]);
    expect(await bg.pendingCalls()).toHaveLength(1);
  });

  it('the live state is saved even when the history write fails (no zombie call after a restart)', async () => {
    const now = Date.now();
    enforceQuota(Infinity, (keys) => keys.some((k) => k.startsWith('call')));
    const bg = createCalls();
    const t = await runCall(bg, 1, 'zombie-xyz', now, 30);
    vi.setSystemTime(t + 500);
    await bg.onTabClosed(1).catch(() => undefined);
    const restarted = createCalls();
    expect(await restarted.liveCalls()).toEqual([]);
  });

  it('the tick applies the retention period even when its checkpoint fails', async () => {
    const now = Date.now();
    await seedHistory([storedCall('expired-xyz', now - 200 * DAY)]);
    const bg = createCalls();
    await runCall(bg, 1, 'live-call-xyz', now, 10);
    enforceQuota(Infinity, (keys) => keys.some((k) => k.startsWith('call:')));
    await bg.onTick();
    expect((await readCalls()).calls.map((c) => c.callId)).not.toContain('expired-xyz');
  });
});

describe('no page can evict real calls', () => {
  it('a page that changes its meeting id every 20 s (faces in each) stores at most 12 calls an hour', async () => {
    const bg = createCalls();
    let t = Date.now();
    for (let i = 0; i < 180; i++) t = await runCall(bg, 1, `flood-${String(i).padStart(3, '0')}-xyz`, t, 20);
    vi.setSystemTime(t + 500);
    await bg.onTabClosed(1);
    const { calls } = await readCalls();
    expect(calls.length).toBeLessThanOrEqual(12);
    expect(calls.map((c) => c.opened)).toEqual([...calls.map((c) => c.opened)].sort((a, b) => (b ?? 0) - (a ?? 0)));
    // The user is told once that the tab's next calls were not summarized.
    expect((await readNotices()).notices.filter((n) => n.includes('within an hour'))).toHaveLength(1);
  });

  it('a call without a face held for a while is not stored (a page without faces, a URL blip)', async () => {
    const bg = createCalls();
    const t = await runCall(bg, 1, 'brief-xyz', Date.now(), 2);
    vi.setSystemTime(t + 500);
    await bg.onTabClosed(1);
    expect((await readCalls()).calls).toEqual([]);
  });

  it('at the size limit a flooding tab\'s excess goes before the user\'s older real calls; a starred call never goes', async () => {
    const now = Date.now();
    await fakeBrowser.storage.local.set({ settings: { ...DEFAULT_SETTINGS, historyBudgetMB: 1 }, settings$: { v: 2 } });
    // The user's real calls, older, most of the budget.
    const real = Array.from({ length: 8 }, (_, i) => storedCall(`real-${i}-xyz`, now - (10 - i) * DAY, 110_000));
    await seedHistory(real);
    const bg = createCalls();
    expect(await bg.setStarred(real[0]!.id, true)).toBe(true);
    let t = now;
    for (let i = 0; i < 12; i++) t = await runCall(bg, 1, `flood-${String(i).padStart(3, '0')}-xyz`, t, 20);
    // One more real call, in another tab: it needs room.
    await runCall(bg, 2, 'today-xyz', t, 10);
    vi.setSystemTime(t + 20_000);
    await bg.onTabClosed(1);
    await bg.onTabClosed(2);
    const ids = new Set((await readCalls()).calls.map((c) => c.callId));
    expect(ids.has('today-xyz')).toBe(true);
    expect(ids.has('real-0-xyz')).toBe(true); // starred, the oldest
    // The flooding tab's excess (its 5th call of the hour on) went first.
    const flood = [...ids].filter((id) => id.startsWith('flood-'));
    expect(flood.every((id) => Number(id.slice(6, 9)) < 4 || real.every((r) => ids.has(r.callId)))).toBe(true);
  });
});
