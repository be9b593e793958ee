// Extension page (bundled by tools/bench-storage.ts and run in a real extension page over CDP): the
// history's storage functions as the background runs them, against the real chrome.storage.local,
// each step timed here so that only storage work is measured (no CDP round trip).
import type { CallSummary } from '../../src/calls/summary';
import { listCallIndex, readCall, pruneExpired, saveCalls } from '../../src/calls/store';

const DAY_MS = 86_400_000;

async function timed(runs: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn(i);
    out.push(performance.now() - t);
  }
  return out;
}

/** Seed `history` (ended calls), then time each operation; `live` is a call in progress. */
export async function run(history: CallSummary[], live: CallSummary, runs: number): Promise<Record<string, number[]>> {
  await chrome.storage.local.clear();
  const rules = { retentionDays: 0, budgetBytes: 1024 ** 3 };
  const seed = await timed(1, () => saveCalls(history, rules));
  const checkpoint = await timed(runs, (i) => saveCalls([{ ...live, frames: live.frames + i, end: live.end + i * 1000 }], rules));
  const list = await timed(runs, () => listCallIndex());
  const open = await timed(runs, (i) => readCall(history[(i * 37) % history.length]!.id));
  // Prune 300: a retention period that the 300 oldest ended calls are past.
  const sorted = [...history].sort((a, b) => a.end - b.end);
  const cutoff = sorted[299]!.end + 1;
  const now = cutoff + 30 * DAY_MS;
  let pruned = 0;
  const prune = await timed(1, async () => (pruned = await pruneExpired(30, now)));
  if (pruned !== 300) throw new Error(`pruned ${pruned} calls, not 300`);
  // The history as one storage item rewritten whole (how every checkpoint wrote before records).
  await chrome.storage.local.clear(); // (both layouts at once would not fit the 10 MB quota)
  const whole = Object.fromEntries(history.map((c) => [c.id, c]));
  await chrome.storage.local.set({ legacy: whole });
  const wholeCheckpoint = await timed(runs, async (i) => {
    const { legacy } = (await chrome.storage.local.get('legacy')) as { legacy: Record<string, CallSummary> };
    legacy[live.id] = { ...live, frames: live.frames + i };
    await chrome.storage.local.set({ legacy });
  });
  await chrome.storage.local.clear();
  return { seed, checkpoint, list, open, prune, wholeCheckpoint };
}
