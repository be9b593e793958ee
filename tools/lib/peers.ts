// Node (Playwright): the peer libraries, @vladmandic/face-api (SSD-MobileNetV1 + faceExpressionNet)
// and @vladmandic/human (default face detector + emotion), in headless Debian Chromium on
// tfjs-backend-wasm (SIMD, no threads), each in a fresh browser and an isolated page (peer-pages.ts):
// cold start, latency on 1 and 4 faces, throughput, faces and labels found, heap and tensors
// (benchPeers), or CPU by process type in a live call page (benchPeerLive).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mapLabel } from '../../src/core/labels';
import { mean, type Stats, summarize } from './metrics';
import { readManifest } from './node-models';
import { launchBrowser } from './browser';
import { retainedHeap } from './extension-browser';
import { type BenchApi, type BenchFrame, openBrowser, openPage, type PageFace, type PreparedFrames, prepareFrames, type Throughput } from './peer-pages';
import { newServeLog, type ServeLog } from './static-server';
import { cpuBetween, type CpuByKind, findBrowserPid, sampleTree } from './proc-cpu';
import { REPO_ROOT } from './paths';

export const PEERS_ARTIFACT = join(REPO_ROOT, 'artifacts', 'bench-peers.json');

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
  throughput?: Throughput;
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

// ---- one peer ------------------------------------------------------------------------------

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
    const latencyOf = (label: string, xs: typeof one): LatencySummary => ({
      frames: label,
      runs: xs.length,
      libMs: summarize(xs.map((x) => x.libMs)),
      withDecodeMs: summarize(xs.map((x) => x.totalMs)),
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
      latency: { oneFace: latencyOf(`${tile0} 480x270 (${oneIds.length} frames cycled)`, one), fourFace: latencyOf(`2x2 960x540 (${fourIds.length} mosaics cycled)`, four) },
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

// ---- every peer, and one live --------------------------------------------------------------

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

/** Every peer's results, with what the pages loaded and aborted and the browser version (also written to PEERS_ARTIFACT). */
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
  writeFileSync(PEERS_ARTIFACT, `${JSON.stringify(report, null, 1)}\n`);
  return report;
}

export interface LiveTileResult {
  sampled: number;
  done: number;
  faces: number;
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
