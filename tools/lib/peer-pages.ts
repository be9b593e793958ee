// Node (Playwright): the pages the peer benchmarks run in (tools/bench-peers/: decode.html turns the
// fixture clips into tile frames, peers.html runs a peer library), each in its own headless Chromium,
// served with the libraries, models and wasm binaries from node_modules through context.route;
// nothing else loads. Also the frames every peer sees: 480x270 JPEG tiles and 2x2 mosaics of them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './browser';
import { REPO_ROOT, sharedPath } from './paths';
import { type ServeLog, newServeLog, serveMounts } from './static-server';

const ORIGIN = 'https://bench.local';
const NM = join(REPO_ROOT, 'node_modules');
const PAGE_DIR = join(REPO_ROOT, 'tools', 'bench-peers');

/** The talking-head clips of ../shared/fixtures/video, in the order tiles take them. */
export const TALKING_CLIPS = ['talking-d18', 'talking-d19', 'talking-d12', 'talking-d3', 'talking-d6'] as const;
const DEFAULT_TILES = TALKING_CLIPS.slice(0, 4);
const DEFAULT_FPS = 4;
const DEFAULT_CLIP_SECONDS = 10;

/**
 * The frame-prep page's script, bundled from TypeScript (decode.ts) with the extension's own frame
 * rules (src/core/geometry), into a folder of this process's own.
 */
function bundleDecodePage(): string {
  const dir = join(tmpdir(), `bench-peers-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const out = buildSync({ entryPoints: [join(PAGE_DIR, 'decode.ts')], bundle: true, format: 'iife', platform: 'browser', write: false, logLevel: 'silent' });
  writeFileSync(join(dir, 'decode.js'), out.outputFiles[0]!.text);
  return dir;
}

/** URL prefix -> directory. Every request outside these (or off bench.local) is aborted. */
const MOUNTS: ReadonlyArray<readonly [string, string]> = [
  ['/lib/face-api/', join(NM, '@vladmandic', 'face-api', 'dist')],
  ['/lib/human/', join(NM, '@vladmandic', 'human', 'dist')],
  ['/models/face-api/', join(NM, '@vladmandic', 'face-api', 'model')],
  ['/models/human/', join(NM, '@vladmandic', 'human-models', 'models')],
  ['/wasm/', join(NM, '@tensorflow', 'tfjs-backend-wasm', 'dist')],
  ['/video/', join(REPO_ROOT, '..', 'shared', 'fixtures', 'video')],
  ['/', PAGE_DIR],
];

export async function openBrowser(log: ServeLog, extraArgs: readonly string[] = []): Promise<{ browser: Browser; context: BrowserContext }> {
  // performance.memory without its 100 KB bucketing
  const browser = await launchBrowser(['--enable-precise-memory-info', ...extraArgs]);
  const context = await browser.newContext();
  await serveMounts(context, ORIGIN, [['/build/', bundleDecodePage()], ...MOUNTS], log);
  return { browser, context };
}

/** One of the bench pages, once it has set window[ready] = true. */
export async function openPage(context: BrowserContext, path: string, ready: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${ORIGIN}${path}`);
  await page.waitForFunction((flag) => (window as unknown as Record<string, unknown>)[flag] === true, ready, { timeout: 30_000 });
  return page;
}

// ---- frames --------------------------------------------------------------------------------

export interface BenchFrame {
  tile: string;
  jpeg: Buffer;
}

interface PrepApi {
  decodeVideo(url: string, o: { fps: number; seconds: number; width: number; height: number; fit: 'cover' | 'within' }): Promise<{ source: { width: number; height: number; duration: number }; width: number; height: number; fit: string; frames: Array<{ t: number; jpeg: string }> }>;
  mosaic(jpegs: string[]): Promise<string>;
}
type PrepWindow = Window & { prep: PrepApi };

/**
 * The peers' frames: the first `seconds` of each fixture video at `fps`, as the extension captures
 * them from a 480x270 call tile showing the clip with object-fit: cover (see decode.js).
 */
export async function decodeFixtureFrames({
  tiles = DEFAULT_TILES,
  fps = DEFAULT_FPS,
  seconds = DEFAULT_CLIP_SECONDS,
  fit = 'cover',
}: { tiles?: readonly string[]; fps?: number; seconds?: number; fit?: 'cover' | 'within' } = {}): Promise<BenchFrame[]> {
  for (const t of tiles) sharedPath('fixtures', 'video', `${t}.webm`);
  const log = newServeLog();
  const { browser, context } = await openBrowser(log);
  try {
    const page = await openPage(context, '/decode.html', 'prepReady');
    const out: BenchFrame[] = [];
    for (const tile of tiles) {
      const res = await page.evaluate(([url, o]) => (window as unknown as PrepWindow).prep.decodeVideo(url, o), [`/video/${tile}.webm`, { fps, seconds, width: 480, height: 270, fit }] as const);
      console.error(`decoded ${tile}: ${res.source.width}x${res.source.height} ${res.source.duration.toFixed(1)} s -> ${res.frames.length} frames ${res.width}x${res.height} (${res.fit})`);
      for (const f of res.frames) out.push({ tile, jpeg: Buffer.from(f.jpeg, 'base64') });
    }
    if (log.aborted.size) console.error(`decode: aborted ${[...log.aborted].join(', ')}`);
    return out;
  } finally {
    await browser.close();
  }
}

export interface PreparedFrames {
  singles: Array<{ id: string; tile: string; b64: string }>;
  mosaics: Array<{ id: string; tile: string; b64: string }>;
  tiles: string[];
  /** Single-frame ids, tiles interleaved (t0f0, t1f0, ..., t0f1, ...). */
  roundRobin: string[];
}

/** Group by tile; build 2x2 mosaics from the i-th frame of the first four tiles (tiles reused if fewer). */
export async function prepareFrames(frames: BenchFrame[], log: ServeLog): Promise<PreparedFrames> {
  if (frames.length === 0) throw new Error('benchPeers: no frames');
  const byTile = new Map<string, string[]>();
  const singles = frames.map((f, i) => {
    const id = `s${i}`;
    (byTile.get(f.tile) ?? byTile.set(f.tile, []).get(f.tile))?.push(id);
    return { id, tile: f.tile, b64: f.jpeg.toString('base64') };
  });
  const tiles = [...byTile.keys()];
  const b64Of = new Map(singles.map((s) => [s.id, s.b64]));
  const roundRobin: string[] = [];
  const longest = Math.max(...[...byTile.values()].map((ids) => ids.length));
  for (let i = 0; i < longest; i++) for (const t of tiles) { const id = byTile.get(t)?.[i]; if (id) roundRobin.push(id); }

  const quad = [0, 1, 2, 3].map((k) => tiles[k % tiles.length] as string);
  const count = Math.min(...quad.map((t) => byTile.get(t)?.length ?? 0));
  const { browser, context } = await openBrowser(log);
  const mosaics: PreparedFrames['mosaics'] = [];
  try {
    const page = await openPage(context, '/decode.html', 'prepReady');
    for (let i = 0; i < count; i++) {
      const jpegs = quad.map((t) => b64Of.get(byTile.get(t)?.[i] ?? '') ?? '');
      const b64 = await page.evaluate((j) => (window as unknown as PrepWindow).prep.mosaic(j), jpegs);
      mosaics.push({ id: `m${i}`, tile: `2x2(${quad.join('+')})`, b64 });
    }
  } finally {
    await browser.close();
  }
  return { singles, mosaics, tiles, roundRobin };
}

// ---- peers.html: window.bench ---------------------------------------------------------------

export interface Throughput {
  seconds: number;
  frames: number;
  faces: number;
  facesPerSecond: number;
  framesPerSecond: number;
  libShare: number;
}
export interface PageFace {
  box: number[];
  score: number;
  scores: Record<string, number>;
}
interface PageAnalysis {
  id: string;
  decodeMs: number;
  libMs: number;
  totalMs: number;
  faces: PageFace[];
}
interface TfState {
  backend: string;
  tfjsVersion: string | null;
  wasmSimd: boolean | null;
  wasmMultithread: boolean | null;
  threads: number | null;
  numTensors: number;
  numBytes: number;
}
export interface BenchApi {
  setFrames(list: Array<{ id: string; b64: string }>): number;
  load(name: string, firstFrame: string): Promise<{
    version: string;
    config: Record<string, unknown>;
    coldStart: { importMs: number; backendMs: number; modelsMs: number; firstInferenceMs: number; firstDecodeMs: number; totalMs: number };
    firstFaces: number;
    heapBeforeLoad: number | null;
    heapAfterColdStart: number | null;
    state: TfState;
  }>;
  analyzeAll(ids: string[]): Promise<PageAnalysis[]>;
  latency(ids: string[], runs: number): Promise<Array<{ libMs: number; totalMs: number; faces: number }>>;
  throughput(ids: string[], seconds: number): Promise<Throughput>;
  state(): Promise<TfState & { heap: number | null }>;
}
