// Node CLI (`npx tsx tools/bench-peers.ts [--seconds=20] [--runs=40] [--peer=human] [--fit=cover|within]`): runs the two peer pipelines,
// @vladmandic/face-api (SSD-MobileNetV1 + faceExpressionNet) and @vladmandic/human (default face
// detector + emotion), in headless Debian Chromium on the frames our extension analyzes (480x270
// JPEG q0.85 tiles, plus 2x2 960x540 mosaics), on tfjs-backend-wasm (SIMD, no threads). Each peer
// gets its own fresh browser and an isolated page (tools/bench-peers/peers.html) served, like the
// libraries, models and wasm binaries, from node_modules through context.route; nothing else loads.
// Writes artifacts/bench-peers.json and prints markdown tables.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { PixelData } from '../src/ml/preprocess';
import { BASIC_LABELS } from '../src/core/label-set';
import { mapLabel } from '../src/core/labels';
import { mean, median, percentile } from './lib/metrics';
import { exitWithError, isMain } from './lib/cli';
import { decodeImageFile } from './lib/images';
import { readManifest } from './lib/node-models';
import { launchBrowser } from './lib/browser';
import { retainedHeap } from './lib/extension-browser';
import { newServeLog, type ServeLog, serveMounts } from './lib/static-server';
import { cpuBetween, type CpuByKind, findBrowserPid, sampleTree } from './lib/proc-cpu';
import { REPO_ROOT, sharedPath } from './lib/paths';

const ORIGIN = 'https://bench.local';
const ARTIFACT = join(REPO_ROOT, 'artifacts', 'bench-peers.json');
const NM = join(REPO_ROOT, 'node_modules');
const PAGE_DIR = join(REPO_ROOT, 'tools', 'bench-peers');
/** The talking-head clips of ../shared/fixtures/video, in the order tiles take them. */
export const TALKING_CLIPS = ['talking-d18', 'talking-d19', 'talking-d12', 'talking-d3', 'talking-d6'] as const;
const CLI_TILES = TALKING_CLIPS.slice(0, 4);
const CLI_FPS = 4;
const CLI_CLIP_SECONDS = 10;

export const PEERS = ['face-api', 'human'] as const;
export type PeerName = (typeof PEERS)[number];

/** The shipped model that is each peer's own expression model: its models.json labelMap maps the peer's labels onto ours. */
const PEER_MODEL: Record<PeerName, string> = { 'face-api': 'faceapi-expression-u8', human: 'human-emotion-f16' };

/** A peer's label in our vocabulary, as models.json maps the same model's outputs; one we drop stays the peer's own, starred. */
let manifest: ReturnType<typeof readManifest> | null = null;
function peerLabel(peer: PeerName, raw: string): string {
  manifest ??= readManifest();
  const entry = manifest.models.find((m) => m.id === PEER_MODEL[peer]);
  return (entry ? mapLabel(entry.labelMap, raw) : raw) ?? `${raw}*`;
}

export interface BenchFrame {
  tile: string;
  jpeg: Buffer;
}

interface Stats {
  median: number;
  p90: number;
}

interface LatencySummary {
  frames: string;
  runs: number;
  libMs: Stats;
  withDecodeMs: Stats;
  facesMean: number;
}

interface FaceOut {
  box: number[];
  score: number;
  /** Top label in our vocabulary ("fear*", "disgusted*"... where ours has no such class). */
  label: string;
  raw: string;
  confidence: number;
}

export interface PeerResult {
  peer: PeerName;
  ok: boolean;
  error?: string;
  version?: string;
  tfjsVersion?: string | null;
  backend?: string;
  wasm?: { simd: boolean | null; multithread: boolean | null; threads: number | null };
  config?: Record<string, unknown>;
  coldStart?: { totalMs: number; importMs: number; backendMs: number; modelsMs: number; firstInferenceMs: number; firstDecodeMs: number; firstFaces: number };
  latency?: { oneFace: LatencySummary; fourFace: LatencySummary };
  throughput?: { seconds: number; frames: number; faces: number; facesPerSecond: number; framesPerSecond: number; libShare: number };
  /** Mean faces found per frame; hit = share of frames with at least one face. */
  facesPerFrame?: { single: number; mosaic: number; byTile: Record<string, number>; singleHit: number; mosaicHit: number };
  /** Counts of top labels over one pass of every distinct frame. */
  expressions?: { byTile: Record<string, Record<string, number>>; mosaic: Record<string, number> };
  /** One pass over every distinct frame: faces and labels per frame, timings. */
  frames?: Array<{ id: string; tile: string; libMs: number; totalMs: number; faces: FaceOut[] }>;
  /** usedJSHeapSize in bytes (garbage included); *Gc = retained heap, through CDP after a full GC. */
  heap?: { beforeLoad: number | null; afterColdStart: number | null; afterColdStartGc: number | null; end: number | null; endGc: number | null };
  tensors?: { afterColdStart: number; end: number; bytesAfterColdStart: number; bytesEnd: number };
  /** Console warnings/errors the page printed. */
  console: string[];
}

export interface BenchPeersOptions {
  frames: BenchFrame[];
  /** Round-robin throughput duration per peer (default 20). */
  seconds?: number;
  /** Timed runs for each latency figure (default 40). */
  runs?: number;
  peers?: readonly PeerName[];
}

// ---- serving -------------------------------------------------------------------------------

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

async function openBrowser(log: ServeLog, extraArgs: readonly string[] = []): Promise<{ browser: Browser; context: BrowserContext }> {
  // performance.memory without its 100 KB bucketing
  const browser = await launchBrowser(['--enable-precise-memory-info', ...extraArgs]);
  const context = await browser.newContext();
  await serveMounts(context, ORIGIN, MOUNTS, log);
  return { browser, context };
}

async function openPage(context: BrowserContext, path: string, ready: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${ORIGIN}${path}`);
  await page.waitForFunction((flag) => (window as unknown as Record<string, unknown>)[flag] === true, ready, { timeout: 30_000 });
  return page;
}

// ---- frames --------------------------------------------------------------------------------

interface PrepApi {
  decodeVideo(url: string, o: { fps: number; seconds: number; width: number; height: number; fit: 'cover' | 'within' }): Promise<{ source: { width: number; height: number; duration: number }; width: number; height: number; fit: string; frames: Array<{ t: number; jpeg: string }> }>;
  mosaic(jpegs: string[]): Promise<string>;
}
type PrepWindow = Window & { prep: PrepApi };

/**
 * The CLI's frames: the first CLIP seconds of each fixture video at FPS, as the extension captures
 * them from a 480x270 call tile showing the clip with object-fit: cover (see decode.js).
 */
export async function decodeFixtureFrames(tiles: readonly string[] = CLI_TILES, fps = CLI_FPS, seconds = CLI_CLIP_SECONDS, fit: 'cover' | 'within' = 'cover'): Promise<BenchFrame[]> {
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

interface PreparedFrames {
  singles: Array<{ id: string; tile: string; b64: string }>;
  mosaics: Array<{ id: string; tile: string; b64: string }>;
  tiles: string[];
  /** Single-frame ids, tiles interleaved (t0f0, t1f0, ..., t0f1, ...). */
  roundRobin: string[];
}

/** Group by tile; build 2x2 mosaics from the i-th frame of the first four tiles (tiles reused if fewer). */
async function prepareFrames(frames: BenchFrame[], log: ServeLog): Promise<PreparedFrames> {
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

// ---- one peer ------------------------------------------------------------------------------

interface PageFace {
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
interface BenchApi {
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
  throughput(ids: string[], seconds: number): Promise<NonNullable<PeerResult['throughput']>>;
  state(): Promise<TfState & { heap: number | null }>;
}
type BenchWindow = Window & { bench: BenchApi };

const stats = (xs: number[]): Stats => ({ median: median(xs), p90: percentile(xs, 90) });

function topFace(peer: PeerName, f: PageFace): FaceOut {
  const [raw, confidence] = Object.entries(f.scores).reduce<[string, number]>((best, e) => (e[1] > best[1] ? e : best), ['', -1]);
  return { box: f.box.map((v) => Math.round(v * 10) / 10), score: f.score, label: raw ? peerLabel(peer, raw) : 'none', raw, confidence };
}

function countLabels(faces: FaceOut[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of faces) out[f.label] = (out[f.label] ?? 0) + 1;
  return out;
}

async function benchOne(peer: PeerName, prep: PreparedFrames, seconds: number, runs: number, log: ServeLog): Promise<PeerResult> {
  const consoleLines: string[] = [];
  const { browser, context } = await openBrowser(log);
  try {
    const page = await openPage(context, '/peers.html', 'benchReady');
    page.on('console', (m) => {
      if ((m.type() === 'warning' || m.type() === 'error') && consoleLines.length < 50) consoleLines.push(`${m.type()}: ${m.text().slice(0, 300)}`);
    });
    page.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message.slice(0, 300)}`));
    // Calls window.bench[method](...args) in the page; results come back as JSON.
    const call = <M extends keyof BenchApi>(method: M, ...args: Parameters<BenchApi[M]>): Promise<Awaited<ReturnType<BenchApi[M]>>> =>
      page.evaluate(({ m, a }) => (window as unknown as Record<string, Record<string, (...x: unknown[]) => unknown>>).bench?.[m]?.(...a), { m: method, a: args as unknown[] }) as Promise<Awaited<ReturnType<BenchApi[M]>>>;

    await call('setFrames', [...prep.singles, ...prep.mosaics].map(({ id, b64 }) => ({ id, b64 })));
    const first = prep.singles[0]?.id ?? '';
    console.error(`${peer}: cold start`);
    const loaded = await call('load', peer, first);
    const cdp = await context.newCDPSession(page);
    const heapAfterColdStartGc = await retainedHeap(cdp);

    console.error(`${peer}: one pass over ${prep.singles.length} frames + ${prep.mosaics.length} mosaics`);
    const pass = await call('analyzeAll', [...prep.singles, ...prep.mosaics].map((f) => f.id));
    const tileOf = new Map([...prep.singles, ...prep.mosaics].map((f) => [f.id, f.tile]));
    const frames = pass.map((r) => ({ id: r.id, tile: tileOf.get(r.id) ?? '', libMs: r.libMs, totalMs: r.totalMs, faces: r.faces.map((f) => topFace(peer, f)) }));
    const singleFrames = frames.filter((f) => f.id.startsWith('s'));
    const mosaicFrames = frames.filter((f) => f.id.startsWith('m'));

    const tile0 = prep.tiles[0] ?? '';
    const oneIds = prep.singles.filter((s) => s.tile === tile0).map((s) => s.id);
    const fourIds = prep.mosaics.map((m) => m.id);
    console.error(`${peer}: latency (${runs} runs each)`);
    const one = await call('latency', oneIds, runs);
    const four = fourIds.length ? await call('latency', fourIds, runs) : [];
    const summarize = (label: string, xs: typeof one): LatencySummary => ({
      frames: label,
      runs: xs.length,
      libMs: stats(xs.map((x) => x.libMs)),
      withDecodeMs: stats(xs.map((x) => x.totalMs)),
      facesMean: mean(xs.map((x) => x.faces)),
    });

    console.error(`${peer}: throughput (${seconds} s round-robin)`);
    const throughput = await call('throughput', prep.roundRobin, seconds);
    const end = await call('state');
    const endGc = await retainedHeap(cdp);

    const s = loaded.state;
    return {
      peer,
      ok: true,
      version: loaded.version,
      tfjsVersion: s.tfjsVersion,
      backend: end.backend,
      wasm: { simd: s.wasmSimd, multithread: s.wasmMultithread, threads: s.threads },
      config: loaded.config,
      coldStart: { ...loaded.coldStart, firstFaces: loaded.firstFaces },
      latency: { oneFace: summarize(`${tile0} 480x270 (${oneIds.length} frames cycled)`, one), fourFace: summarize(`2x2 960x540 (${fourIds.length} mosaics cycled)`, four) },
      throughput,
      facesPerFrame: {
        single: mean(singleFrames.map((f) => f.faces.length)),
        mosaic: mean(mosaicFrames.map((f) => f.faces.length)),
        singleHit: mean(singleFrames.map((f) => (f.faces.length > 0 ? 1 : 0))),
        mosaicHit: mean(mosaicFrames.map((f) => (f.faces.length > 0 ? 1 : 0))),
        byTile: Object.fromEntries(prep.tiles.map((t) => [t, mean(singleFrames.filter((f) => f.tile === t).map((f) => f.faces.length))])),
      },
      expressions: {
        byTile: Object.fromEntries(prep.tiles.map((t) => [t, countLabels(singleFrames.filter((f) => f.tile === t).flatMap((f) => f.faces))])),
        mosaic: countLabels(mosaicFrames.flatMap((f) => f.faces)),
      },
      frames,
      heap: { beforeLoad: loaded.heapBeforeLoad, afterColdStart: loaded.heapAfterColdStart, afterColdStartGc: heapAfterColdStartGc, end: end.heap, endGc },
      tensors: { afterColdStart: s.numTensors, end: end.numTensors, bytesAfterColdStart: s.numBytes, bytesEnd: end.numBytes },
      console: consoleLines,
    };
  } catch (err) {
    return { peer, ok: false, error: err instanceof Error ? err.message : String(err), console: consoleLines };
  } finally {
    await browser.close();
  }
}

// ---- entry points --------------------------------------------------------------------------

export interface BenchPeersReport {
  date: string;
  chromium: string;
  frames: { singles: number; mosaics: number; tiles: string[] };
  seconds: number;
  runs: number;
  served: Record<string, number>;
  aborted: string[];
  results: PeerResult[];
}

/** Every peer's results, with what the pages loaded and aborted and the browser version (also written to ARTIFACT). */
export async function benchPeers(opts: BenchPeersOptions): Promise<BenchPeersReport> {
  const seconds = opts.seconds ?? 20;
  const runs = opts.runs ?? 40;
  const log = newServeLog();
  const prep = await prepareFrames(opts.frames, log);
  const results: PeerResult[] = [];
  for (const peer of opts.peers ?? PEERS) results.push(await benchOne(peer, prep, seconds, runs, log));
  const b = await launchBrowser();
  const version = b.version();
  await b.close();
  const report: BenchPeersReport = {
    date: new Date().toISOString(),
    chromium: version,
    frames: { singles: prep.singles.length, mosaics: prep.mosaics.length, tiles: prep.tiles },
    seconds,
    runs,
    served: Object.fromEntries([...log.served].sort()),
    aborted: [...log.aborted],
    results,
  };
  mkdirSync(join(REPO_ROOT, 'artifacts'), { recursive: true });
  writeFileSync(ARTIFACT, `${JSON.stringify(report, null, 1)}\n`);
  return report;
}

export interface LiveTileResult {
  sampled: number;
  done: number;
  faces: number;
}

/** decodeFixtureFrames' frames as RGBA pixels (for the Node pipeline), with their clip. */
export async function fixtureFramePixels(...args: Parameters<typeof decodeFixtureFrames>): Promise<Array<{ clip: string; pixels: PixelData }>> {
  const frames = await decodeFixtureFrames(...args);
  return Promise.all(frames.map(async (f) => ({ clip: f.tile, pixels: await decodeImageFile(f.jpeg) })));
}

/**
 * A peer in a live call page (bench-peers/peers.js `live`): `clips` play as tiles and each tile's
 * frame is copied to a 480 px canvas and analyzed at `fps`; the browser's CPU by process type over `idleSeconds` of the call without
 * analysis, then over `seconds` of it analyzed. (Its models load between the two windows.)
 */
export async function benchPeerLive(
  peer: PeerName,
  opts: { clips: string[]; fps: number; seconds: number; idleSeconds: number; perTile: boolean },
): Promise<{ version: string; seconds: number; idle: CpuByKind; live: CpuByKind; results: LiveTileResult[][] }> {
  const log = newServeLog();
  const tag = `--bench-tag=${peer}-${process.pid}-${Date.now()}`;
  const { browser, context } = await openBrowser(log, [tag]);
  try {
    const root = findBrowserPid(tag);
    const page = await openPage(context, '/peers.html', 'benchReady');
    const run = page.evaluate(([name, o]) => (window as unknown as { bench: { live: (n: string, o: unknown) => Promise<unknown> } }).bench.live(name, o), [peer, opts] as const);
    // A failing run (its error) ends the wait for a phase too.
    const failed = run.then(() => new Promise<never>(() => undefined));
    const phase = (p: string) =>
      Promise.race([page.waitForFunction((x) => (window as unknown as { livePhases?: string[] }).livePhases?.includes(x) ?? false, p, { timeout: 120_000, polling: 20 }), failed]);
    await phase('idle');
    const i0 = sampleTree(root);
    await phase('loading');
    const idle = cpuBetween(i0, sampleTree(root));
    await phase('live');
    const l0 = sampleTree(root);
    const out = (await run) as { version: string; seconds: number; results: LiveTileResult[][] };
    const live = cpuBetween(l0, sampleTree(root));
    return { ...out, idle, live };
  } finally {
    await browser.close();
  }
}

const f0 = (x: number | null | undefined) => (x == null || Number.isNaN(x) ? '-' : x.toFixed(0));
const f1 = (x: number | null | undefined) => (x == null || Number.isNaN(x) ? '-' : x.toFixed(1));
const mb = (x: number | null | undefined) => (x == null ? '-' : (x / 2 ** 20).toFixed(1));
const st = (s: Stats | undefined) => (s ? `${f0(s.median)} / ${f0(s.p90)}` : '-');

export function markdownTables(results: PeerResult[]): string {
  const lines = [
    '| peer | backend (simd, threads) | cold start ms (import+backend+models+1st) | 1-face ms lib med/p90 | 1-face ms incl. decode | 4-face ms lib med/p90 | 4-face ms incl. decode | faces/s (frames/s) | faces/frame 1-tile / 2x2 (1-tile frames with a face) | JS heap MB before→cold→end (after GC: cold→end) | tensors cold→end |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    if (!r.ok) {
      lines.push(`| ${r.peer} | FAILED: ${r.error?.replace(/\|/g, '/').slice(0, 200)} |||||||||| `);
      continue;
    }
    const c = r.coldStart;
    lines.push(
      `| ${r.peer} ${r.version} | ${r.backend} (simd ${r.wasm?.simd}, mt ${r.wasm?.multithread}) | ${f0(c?.totalMs)} (${f0(c?.importMs)}+${f0(c?.backendMs)}+${f0(c?.modelsMs)}+${f0(c?.firstInferenceMs)}) | ${st(r.latency?.oneFace.libMs)} | ${st(r.latency?.oneFace.withDecodeMs)} | ${st(r.latency?.fourFace.libMs)} | ${st(r.latency?.fourFace.withDecodeMs)} | ${f1(r.throughput?.facesPerSecond)} (${f1(r.throughput?.framesPerSecond)}) | ${f1(r.facesPerFrame?.single)} / ${f1(r.facesPerFrame?.mosaic)} (${f0((r.facesPerFrame?.singleHit ?? NaN) * 100)}%) | ${mb(r.heap?.beforeLoad)}→${mb(r.heap?.afterColdStart)}→${mb(r.heap?.end)} (${mb(r.heap?.afterColdStartGc)}→${mb(r.heap?.endGc)}) | ${r.tensors?.afterColdStart}→${r.tensors?.end} |`,
    );
  }
  lines.push('', '| peer | frames | faces/frame | top labels (count of faces) |', '|---|---|---|---|');
  const fmt = (m: Record<string, number> | undefined) =>
    Object.entries(m ?? {})
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || '-';
  for (const r of results) {
    if (!r.ok) continue;
    for (const [tile, counts] of Object.entries(r.expressions?.byTile ?? {})) {
      lines.push(`| ${r.peer} | ${tile} | ${f1(r.facesPerFrame?.byTile[tile])} | ${fmt(counts)} |`);
    }
    lines.push(`| ${r.peer} | 2x2 mosaics | ${f1(r.facesPerFrame?.mosaic)} | ${fmt(r.expressions?.mosaic)} |`);
  }
  lines.push('', `\`*\` = label outside our ${BASIC_LABELS.length} basic classes (${BASIC_LABELS.join('/')}).`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { seconds: { type: 'string', default: '20' }, runs: { type: 'string', default: '40' }, peer: { type: 'string', multiple: true }, fit: { type: 'string', default: 'cover' } } });
  const frames = await decodeFixtureFrames(CLI_TILES, CLI_FPS, CLI_CLIP_SECONDS, values.fit === 'within' ? 'within' : 'cover');
  const peers = (values.peer as PeerName[] | undefined)?.filter((p) => PEERS.includes(p));
  const report = await benchPeers({ frames, seconds: Number(values.seconds), runs: Number(values.runs), peers: peers?.length ? peers : undefined });
  const { results } = report;
  console.log(markdownTables(results));
  console.log(`\nChromium ${report.chromium}; ${report.frames.singles} tile frames + ${report.frames.mosaics} mosaics; throughput ${report.seconds} s; ${report.runs} latency runs.`);
  console.log(`Aborted requests: ${report.aborted.length ? report.aborted.join(', ') : 'none'}`);
  for (const r of results) if (r.console.length) console.log(`\n${r.peer} console:\n  ${r.console.slice(0, 10).join('\n  ')}`);
  console.log(`\nwrote ${ARTIFACT}`);
}

if (isMain(import.meta.url)) main().catch(exitWithError);
