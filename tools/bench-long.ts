// Node CLI (`npm run bench:long [-- --minutes 60] [--tiles 9] [--cold 5]`): a long call and a cold
// start, on the built extension in headless Chromium.
// - Cold start: a fresh browser each time (models not loaded), a Meet-like gallery of `--tiles`
//   tiles playing; the time from "overlay on" to the first chip drawn in the page (median of `--cold`).
// - Long call: the same gallery for `--minutes` with the overlay on: every minute, the resident
//   memory (VmRSS) of every extension process and of the call's page, analyzed frames, label age
//   and each tile's label refresh; then memory growth after warm-up (MB/hour, least squares from
//   minute WARM_UP_MINUTES on) and the frames of the last ten minutes against the first ten.
// Prints the tables, writes artifacts/bench-long.json. `--extension-dir` runs a copy of the build
// (so that a rebuild meanwhile does not change what is measured). `--heap` forces a garbage
// collection in the ML host and the service worker each minute and reads the JS heap they retain:
// memory that grows with it is kept; memory that a collection gives back was garbage.
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { TimingSample } from '../src/messaging/background';
import { openGallery, WINDOW } from './lib/gallery';
import { exitWithError, isMain } from './lib/cli';
import { type ExtensionSession, launchExtension, readOverlay, waitUntil } from './lib/extension-browser';
import { sampleLabelAges } from './lib/label-age';
import { median, percentile, refreshGaps } from './lib/metrics';
import { REPO_ROOT } from './lib/paths';
import { findBrowserPid, type ProcessKind, sampleTree } from './lib/proc-cpu';
import { retainedHeaps } from './lib/cdp-profile';

/** Minutes left out of the memory slope: models loading, caches filling. */
const WARM_UP_MINUTES = 5;
/** How often the background's recent frame timings are read (it keeps the last 2,000). */
const POLL_MS = 15_000;

/** Resident MB of every process in the browser's tree, by process kind. */
function residentMb(root: number): Partial<Record<ProcessKind, number>> {
  const out: Partial<Record<ProcessKind, number>> = {};
  for (const [pid, p] of sampleTree(root)) {
    try {
      const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
      out[p.kind] = (out[p.kind] ?? 0) + kb / 1024;
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/** Overlay on -> the first chip in the page, in a browser whose ML host has not loaded its models yet. */
async function coldStartMs(tiles: number, extensionDir?: string): Promise<number> {
  const session = await launchExtension({ extensionDir });
  try {
    const { ext, page, tabId } = await openGallery(session, tiles);
    // The control page (the popup) asks for the ML host's state as it opens, which starts the host
    // and its models: close it, so that "overlay on" meets a host with nothing loaded.
    const [worker] = session.context.serviceWorkers();
    if (!worker) throw new Error('no service worker');
    const hosts = () => worker.evaluate(async () => (await chrome.runtime.getContexts({ contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT] })).length);
    if ((await hosts()) > 0) await worker.evaluate(() => chrome.offscreen.closeDocument());
    await page.waitForTimeout(1000);
    if ((await hosts()) > 0) throw new Error('the ML host came back before the overlay was turned on: the start would not be cold');
    const t0 = Date.now();
    await ext.send('setOverlay', { tabId, on: true });
    await waitUntil(async () => ((await readOverlay(page)) ?? []).some((t) => t.chips.length > 0), 120_000, 'the first chip');
    return Date.now() - t0;
  } finally {
    await session.close();
  }
}

interface Minute {
  minute: number;
  rssMb: { extension: number; page: number; browser: number; gpu: number };
  frames: number;
  labelAgeMs: { median: number; p90: number };
  refreshMaxMs: number;
  /** With --heap: MB of JS heap the ML host and the service worker retain after a forced collection. */
  heapMb?: { host: number; worker: number };
}

/** Least-squares slope of y over x. */
function slope(xs: number[], ys: number[]): number {
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den > 0 ? num / den : Number.NaN;
}

/** The ML host's and the service worker's retained JS heap (MB), each after a forced collection. */
async function heaps(session: ExtensionSession): Promise<{ host: number; worker: number }> {
  const browser = session.context.browser();
  if (!browser) throw new Error('no browser');
  const found = await retainedHeaps(browser, (type, url) => url.endsWith('/offscreen.html') || type === 'service_worker');
  const sum = (f: (k: string) => boolean) => [...found].filter(([k]) => f(k)).reduce((a, [, v]) => a + v, 0);
  return { host: sum((k) => k.endsWith('/offscreen.html')), worker: sum((k) => k.startsWith('service_worker')) };
}

async function longCall(tiles: number, minutes: number, extensionDir?: string, heap = false): Promise<Minute[]> {
  const tag = `--bench-tag=long-${process.pid}-${Date.now()}`;
  const session = await launchExtension({ args: [tag], extensionDir });
  try {
    const root = findBrowserPid(tag);
    const { ext, page, tabId } = await openGallery(session, tiles);
    await ext.send('setTelemetry', { on: true });
    await ext.send('setOverlay', { tabId, on: true });
    const seen = new Map<string, TimingSample>(); // by tile + arrival, the background's ring read every POLL_MS
    const poll = async () => {
      for (const s of await ext.send<TimingSample[]>('getTimings', { tabId })) seen.set(`${s.tileId}@${s.at}`, s);
    };
    const start = Date.now();
    const rows: Minute[] = [];
    for (let m = 1; m <= minutes; m++) {
      while (Date.now() < start + m * 60_000) {
        await page.waitForTimeout(Math.min(POLL_MS, start + m * 60_000 - Date.now()));
        await poll();
      }
      const from = start + (m - 1) * 60_000;
      const inMinute = [...seen.values()].filter((s) => s.at >= from && s.at < from + 60_000);
      for (const [k, s] of seen) if (s.at < from) seen.delete(k);
      const ages = sampleLabelAges(inMinute);
      const gaps = refreshGaps(inMinute.map((s) => ({ tile: s.tileId, at: s.at })));
      const heapMb = heap ? await heaps(session) : undefined;
      const rss = residentMb(root);
      const row: Minute = {
        minute: m,
        rssMb: { extension: rss.extension ?? 0, page: rss.page ?? 0, browser: rss.browser ?? 0, gpu: rss.gpu ?? 0 },
        frames: inMinute.length,
        labelAgeMs: { median: median(ages), p90: percentile(ages, 90) },
        refreshMaxMs: gaps.length ? Math.max(...gaps) : Number.NaN,
        ...(heapMb ? { heapMb } : {}),
      };
      rows.push(row);
      console.error(`minute ${m}: ${row.frames} frames, extension ${row.rssMb.extension.toFixed(0)} MB, page ${row.rssMb.page.toFixed(0)} MB`);
    }
    return rows;
  } finally {
    await session.close();
  }
}

const f = (x: number, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : '-');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: '60' },
      tiles: { type: 'string', default: '9' },
      cold: { type: 'string', default: '5' },
      'extension-dir': { type: 'string' },
      /** Force a collection each minute and read the retained JS heap of the ML host and the worker. */
      heap: { type: 'boolean', default: false },
    },
  });
  const [minutes, tiles, colds] = [Number(values.minutes), Number(values.tiles), Number(values.cold)];
  const dir = values['extension-dir'];
  const cold: number[] = [];
  for (let i = 0; i < colds; i++) {
    cold.push(await coldStartMs(tiles, dir));
    console.error(`cold start ${i + 1}/${colds}: ${cold.at(-1)} ms`);
  }
  const rows = minutes > 0 ? await longCall(tiles, minutes, dir, values.heap) : [];
  console.log(`\n## bench:long: ${cpus()[0]?.model ?? '?'} x${cpus().length}, headless Chromium, ${tiles} tiles in a ${WINDOW.width}x${WINDOW.height} gallery, ${new Date().toISOString()}\n`);
  if (cold.length) console.log(`Cold start (overlay on -> first chip, models not loaded, ${cold.length} fresh browsers): median ${f(median(cold))} ms (${cold.map((c) => f(c)).join(', ')})\n`);
  if (rows.length === 0) return;
  console.log('| minute | resident MB: extension / page / browser / GPU | retained JS heap MB: ML host / worker (--heap) | analyzed frames | label age median / p90 ms | longest label refresh ms |\n|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    const heap = r.heapMb ? `${f(r.heapMb.host, 1)} / ${f(r.heapMb.worker, 1)}` : '-';
    console.log(`| ${r.minute} | ${f(r.rssMb.extension)} / ${f(r.rssMb.page)} / ${f(r.rssMb.browser)} / ${f(r.rssMb.gpu)} | ${heap} | ${r.frames} | ${f(r.labelAgeMs.median)} / ${f(r.labelAgeMs.p90)} | ${f(r.refreshMaxMs)} |`);
  }
  const after = rows.filter((r) => r.minute > WARM_UP_MINUTES);
  if (after.length >= 2) {
    const perHour = (k: keyof Minute['rssMb']) => slope(after.map((r) => r.minute), after.map((r) => r.rssMb[k])) * 60;
    const frames = (rs: Minute[]) => rs.reduce((a, r) => a + r.frames, 0) / Math.max(1, rs.length);
    const span = Math.min(10, Math.floor(after.length / 2));
    console.log(`\nMemory growth after minute ${WARM_UP_MINUTES} (least squares): extension ${f(perHour('extension'), 1)} MB/h, page ${f(perHour('page'), 1)} MB/h, browser ${f(perHour('browser'), 1)} MB/h, GPU ${f(perHour('gpu'), 1)} MB/h.`);
    console.log(`Analyzed frames per minute: ${f(frames(after.slice(0, span)))} in minutes ${after[0]!.minute}-${after[span - 1]!.minute}, ${f(frames(after.slice(-span)))} in the last ${span}.`);
  }
  mkdirSync(join(REPO_ROOT, 'artifacts'), { recursive: true });
  writeFileSync(join(REPO_ROOT, 'artifacts', 'bench-long.json'), `${JSON.stringify({ date: new Date().toISOString(), cpu: cpus()[0]?.model, cores: cpus().length, tiles, cold, rows }, null, 1)}\n`);
}

if (isMain(import.meta.url)) main().catch(exitWithError);
