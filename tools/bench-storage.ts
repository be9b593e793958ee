// Node CLI (`npm run bench:storage [-- --calls 1000 --runs 20]`): the call history's storage at
// scale, in the real chrome.storage.local of an extension page (headless Chromium, the built
// extension). A history of N half-hour four-person calls; per operation the median and worst ms:
// checkpointing a live call, listing the history, opening one call, pruning 300 calls; and, for
// comparison, a checkpoint that rewrites the whole history as one item (the layout before records).
// First, in Node: the bytes the background writes per call-hour (tools/lib/storage-writes), at 1, 4
// and 9 people (`--writes-only` stops there; `--minutes` sets the call's length).
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { addFrame, type CallSummary, endCall, startCall } from '../src/calls/summary';
import { exitWithError, isMain } from './lib/cli';
import { extensionPage, launchExtension } from './lib/extension-browser';
import { median } from './lib/metrics';
import { REPO_ROOT } from './lib/paths';
import { countCallWrites } from './lib/storage-writes';

const TARGETS_MS: Record<string, number> = { checkpoint: 10, list: 100, open: 10, prune: 1000 };
const LABELS = ['angry', 'happy', 'neutral', 'sad', 'surprise'];
const HALF_HOUR_MS = 30 * 60_000;

/** A half-hour call of four people at 6 analyzed frames/s each (what the overlay stores for one). */
function halfHourCall(t0: number): CallSummary {
  let c = startCall({ site: 'meet', callId: 'abc-defg-hij', title: 'Weekly sync with the design team', time: t0, labels: LABELS });
  for (let i = 0; i < 30 * 60 * 6; i++) {
    for (let t = 0; t < 4; t++) {
      const label = LABELS[(i + t * 7) % 97 < 60 ? 2 : (i + t) % 5]!;
      c = addFrame(c, { time: t0 + i * (1000 / 6) + t, tileId: `tile-${t}`, name: ['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Katherine Johnson'][t]!, faces: [{ trackId: t + 1, label }] });
    }
  }
  return { ...endCall(c, t0 + HALF_HOUR_MS, 'tab-closed'), backend: 'wasm', models: { detector: 'blazeface-f16', classifier: 'ours-emotion-u8' } };
}

/** Bytes written to chrome.storage per call-hour (a call of `minutes` scaled to an hour). */
async function writesTable(minutes: number): Promise<void> {
  console.log(`\nBytes the background writes per call-hour (a ${minutes}-minute call, scaled to an hour; Node, WXT's fake browser, the real call sessions)\n`);
  console.log('| people | storage.local writes / h | storage.local MB / h | storage.session MB / h | the call\'s record at its end, KB |');
  console.log('|---:|---:|---:|---:|---:|');
  for (const people of [1, 4, 9]) {
    const w = await countCallWrites(people, minutes);
    const perHour = 60 / minutes;
    console.log(`| ${people} | ${Math.round(w.local.calls * perHour)} | ${((w.local.bytes * perHour) / 1e6).toFixed(2)} | ${((w.session.bytes * perHour) / 1e6).toFixed(2)} | ${(w.recordBytes / 1e3).toFixed(1)} |`);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { calls: { type: 'string', default: '1000' }, runs: { type: 'string', default: '20' }, minutes: { type: 'string', default: '60' }, 'writes-only': { type: 'boolean', default: false } } });
  await writesTable(Number(values.minutes));
  if (values['writes-only']) return;
  const n = Number(values.calls);
  const runs = Number(values.runs);
  const t0 = Date.UTC(2026, 0, 1);
  const one = halfHourCall(t0);
  const history = Array.from({ length: n }, (_, i) => {
    const start = t0 + i * 3_600_000;
    return { ...one, id: `meet:abc-defg-hij:${start}`, start, end: start + HALF_HOUR_MS };
  });
  const live = { ...one, id: 'meet:live-call-xyz:1', callId: 'live-call-xyz', ended: false, endReason: undefined, start: t0 + n * 3_600_000, end: t0 + n * 3_600_000 + HALF_HOUR_MS };
  const bytes = JSON.stringify(history).length;

  const bundle = await build({ entryPoints: [`${REPO_ROOT}/tools/lib/storage-bench-page.ts`], bundle: true, format: 'iife', globalName: 'StorageBench', platform: 'browser', write: false, logLevel: 'silent' });
  const session = await launchExtension({ args: [] });
  try {
    const ext = await extensionPage(session);
    await ext.page.evaluate(`${bundle.outputFiles[0]!.text};globalThis.StorageBench = StorageBench;`);
    const result = (await ext.page.evaluate(
      ([h, l, r]) => (globalThis as unknown as { StorageBench: { run: (h: unknown, l: unknown, r: number) => Promise<Record<string, number[]>> } }).StorageBench.run(h, l, r),
      [history, live, runs] as const,
    )) as Record<string, number[]>;
    console.log(`\nCall history storage: ${n} half-hour four-person calls (${(bytes / 1e6).toFixed(1)} MB as JSON), ${runs} runs each, real chrome.storage.local (Chromium, headless)\n`);
    console.log('| operation | median ms | worst ms | target ms |');
    console.log('|---|---:|---:|---:|');
    const rows: Array<[string, string]> = [
      ['checkpoint', 'checkpoint a live call (its record and index entry; worst: the first, which adds the call and prunes)'],
      ['list', 'list the history (the id list and the index entries)'],
      ['open', 'open one call (one record)'],
      ['prune', 'prune 300 calls (retention, one removal)'],
      ['wholeCheckpoint', 'for comparison: a checkpoint rewriting the history as one item'],
      ['seed', `write the ${n} calls at once (setup)`],
    ];
    let failed = false;
    for (const [key, label] of rows) {
      const xs = result[key]!;
      const target = TARGETS_MS[key];
      const med = median(xs);
      if (target !== undefined && Math.max(...xs) > target && med > target) failed = true;
      console.log(`| ${label} | ${med.toFixed(1)} | ${Math.max(...xs).toFixed(1)} | ${target ?? '—'} |`);
    }
    if (failed) throw new Error('a median is over its target');
  } finally {
    await session.close();
  }
}

if (isMain(import.meta.url)) main().catch(exitWithError);
