// Node (WXT's fake browser, a virtual clock): what the background writes to chrome.storage while a
// call runs. One call of N people is fed to the real call sessions (src/calls/sessions)
// as the content script sends it (a second of frame reports at a time, ANALYZED_FPS per tile), the
// tick runs on its alarm's period, and every storage write is counted in bytes as Chromium counts
// them (key + JSON value), per area.
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { AnalyzedReport } from '../../src/messaging/background';

/** Analyzed frames per second per tile (balanced mode's rate). */
export const ANALYZED_FPS = 6;
const TICK_MS = 30_000;
const LABELS = ['angry', 'happy', 'neutral', 'sad', 'surprise'];
const MODELS = { detector: 'blazeface-f16', classifier: 'ours-emotion-u8' };

export interface WriteCount {
  local: { calls: number; bytes: number };
  session: { calls: number; bytes: number };
  /** What the call's record takes at its end (bytes as stored). */
  recordBytes: number;
}

/** A virtual clock: Date.now and setTimeout run on it; timers fire only when it is moved. */
function virtualClock(start: number) {
  let now = start;
  const timers = new Map<number, { at: number; fn: () => void }>();
  let next = 1;
  const realNow = Date.now;
  const realSet = globalThis.setTimeout;
  const realClear = globalThis.clearTimeout;
  Date.now = () => now;
  (globalThis as { setTimeout: unknown }).setTimeout = (fn: () => void, ms = 0) => {
    timers.set(next, { at: now + Math.max(0, ms), fn });
    return next++;
  };
  (globalThis as { clearTimeout: unknown }).clearTimeout = (id: number) => void timers.delete(id);
  return {
    now: () => now,
    /** Move to `to`, firing due timers in order. */
    async moveTo(to: number): Promise<void> {
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= to).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = Math.max(now, due[1].at);
        due[1].fn();
        for (let i = 0; i < 20; i++) await Promise.resolve();
      }
      now = to;
    },
    restore(): void {
      Date.now = realNow;
      globalThis.setTimeout = realSet;
      globalThis.clearTimeout = realClear;
    },
  };
}

const bytesOf = (items: Record<string, unknown>) => Object.entries(items).reduce((n, [k, v]) => n + k.length + (v === undefined ? 0 : JSON.stringify(v).length), 0);

/** Feed one call of `people` tiles lasting `minutes` and count what the background writes. */
export async function countCallWrites(people: number, minutes: number): Promise<WriteCount> {
  (globalThis as { chrome?: unknown }).chrome = fakeBrowser;
  (globalThis as { browser?: unknown }).browser = fakeBrowser;
  fakeBrowser.reset();
  const count: WriteCount = { local: { calls: 0, bytes: 0 }, session: { calls: 0, bytes: 0 }, recordBytes: 0 };
  for (const area of ['local', 'session'] as const) {
    const store = fakeBrowser.storage[area];
    const set = store.set.bind(store);
    store.set = async (items: Record<string, unknown>) => {
      count[area].calls++;
      count[area].bytes += bytesOf(items);
      return set(items);
    };
  }
  const clock = virtualClock(Date.UTC(2026, 0, 5, 9));
  try {
    const { createCalls } = await import('../../src/calls/sessions');
    const calls = createCalls();
    const t0 = clock.now();
    const names = Array.from({ length: people }, (_, i) => `Participant ${i + 1} with a longer name`);
    let lastTick = t0;
    for (let s = 0; s < minutes * 60; s++) {
      const reports: AnalyzedReport[] = [];
      for (let f = 0; f < ANALYZED_FPS; f++) {
        for (let p = 0; p < people; p++) {
          const i = s * ANALYZED_FPS + f;
          // Mostly neutral, with runs of other labels (moments of change) that differ per person.
          const label = LABELS[Math.floor((i + p * 37) / 40) % 7 < 4 ? 2 : Math.floor((i + p * 37) / 40) % 5]!;
          reports.push({
            call: { site: 'meet', callId: 'abc-defg-hij', title: 'Weekly sync with the design team' },
            tileId: `tile-${p}`,
            name: names[p]!,
            frameTime: t0 + s * 1000 + f * (1000 / ANALYZED_FPS) + p,
            faces: [{ trackId: p + 1, label, confidence: 0.8, facing: (i + p) % 9 !== 0 }],
            models: MODELS,
            labels: LABELS,
            backend: 'wasm',
            latencyMs: 20,
            timings: { captureMs: 1, mainThreadMs: 1, transitMs: 1, decodeMs: 1, detectMs: 1, classifyMs: 1, totalMs: 20, source: 'jpeg', detected: true },
          });
        }
      }
      await clock.moveTo(t0 + (s + 1) * 1000);
      await calls.onFrames(1, reports);
      if (clock.now() - lastTick >= TICK_MS) {
        lastTick = clock.now();
        await calls.onTick();
      }
    }
    await clock.moveTo(clock.now() + 1000);
    await calls.onTabClosed(1);
    await clock.moveTo(clock.now() + 5000);
    const all = await fakeBrowser.storage.local.get(null);
    const key = Object.keys(all).find((k) => k.startsWith('call:'));
    count.recordBytes = key ? bytesOf({ [key]: all[key] }) : 0;
    return count;
  } finally {
    clock.restore();
  }
}
