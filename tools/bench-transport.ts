// Node CLI (`npm run bench:transport`): how frames should travel from the content script to the
// offscreen ML host. Runs the built extension in headless Chromium on the four-tile Meet fixture,
// once per encoding (JPEG Blob, raw RGBA ArrayBuffer), and prints the per-frame cost on both sides.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameTimings } from '../src/messaging/background';
import { median, percentile } from './lib/metrics';
import { exitWithError, isMain } from './lib/cli';
import { FAKE_CAMERA_ARGS, extensionPage, launchExtension, openFixturePage, serveFixtures, waitForVideos, waitUntil } from './lib/extension-browser';
import { REPO_ROOT } from './lib/paths';

const SECONDS = Number(process.argv.find((a) => a.startsWith('--seconds='))?.split('=')[1] ?? 20);
const ENCODINGS = ['jpeg', 'raw'] as const;

async function run(encoding: (typeof ENCODINGS)[number]): Promise<FrameTimings[]> {
  const session = await launchExtension({
    args: [...FAKE_CAMERA_ARGS],
  });
  try {
    await serveFixtures(session);
    const ext = await extensionPage(session);
    await ext.page.evaluate((e) => chrome.storage.local.set({ settings: { frameEncoding: e } }), encoding);
    const { page, tabId } = await openFixturePage(session, ext, 'meet');
    await waitForVideos(page, 20_000);
    await ext.send('setOverlay', { tabId, on: true });
    await waitUntil(async () => (await ext.send<FrameTimings[]>('getTimings', { tabId })).length >= 8, 20_000, 'first frames');
    const skip = (await ext.send<FrameTimings[]>('getTimings', { tabId })).length; // warm-up frames
    await page.waitForTimeout(SECONDS * 1000);
    const all = await ext.send<FrameTimings[]>('getTimings', { tabId });
    await ext.send('setOverlay', { tabId, on: false });
    return all.slice(skip);
  } finally {
    await session.close();
  }
}

function row(name: string, t: FrameTimings[]): string {
  const stat = (k: keyof Omit<FrameTimings, 'source' | 'detected' | 'batch'>) => {
    const xs = t.map((x) => x[k]);
    return `${median(xs).toFixed(1)} / ${percentile(xs, 90).toFixed(1)}`;
  };
  return `| ${name} | ${t.length} | ${(t.length / SECONDS).toFixed(1)} | ${stat('mainThreadMs')} | ${stat('captureMs')} | ${stat('transitMs')} | ${stat('decodeMs')} | ${stat('detectMs')} | ${stat('totalMs')} |`;
}

async function main(): Promise<void> {
  const results: Record<string, FrameTimings[]> = {};
  for (const e of ENCODINGS) results[e] = await run(e);
  console.log(`\nFrame transport, 4-tile Meet fixture, ${SECONDS} s each, headless Chromium, wasm. Cells: median / p90 ms.\n`);
  console.log('| encoding | frames | frames/s (all tiles) | content main thread | content capture | transit to offscreen | offscreen decode | detect | sample-to-result |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const e of ENCODINGS) console.log(row(e, results[e] ?? []));
  mkdirSync(join(REPO_ROOT, 'artifacts'), { recursive: true });
  writeFileSync(join(REPO_ROOT, 'artifacts', 'bench-transport.json'), JSON.stringify({ seconds: SECONDS, results }, null, 1));
}

if (isMain(import.meta.url)) main().catch(exitWithError);
