// Node CLI (`npm run bench:cpu [-- --tiles 4,9,16,25] [--seconds 30] [--peers human] [--peer-tiles 4,9]`):
// what one label costs the machine. The built extension in headless Chromium on a fixture call of N
// talking tiles (tests/e2e/fixtures/many-tiles.html) laid out as Meet lays out a gallery in a
// 1920x1080 window (galleryLayout below; `--tile-width 320`: one size at every count), default settings; `--before
// <dir>` measures another build (e.g. the last commit's) first at each count, interleaved. CPU time of every
// Chromium process, by type, read from /proc over a window with the overlay off and one with it on;
// analyzed frames/s, label age, how often each tile's label is refreshed, added cores and added CPU
// ms per analyzed frame. Then the peers
// (@vladmandic/human, @vladmandic/face-api) in a page on the same clips as tiles, analyzing each
// tile's <video> at the frame rate ours reached, same wasm backend, measured the same way.
// `--empty K`: K tiles of each gallery show an empty room (the person detector's work). `--modes battery,smooth` adds our other performance modes; `--profile 10000` prints where the time goes;
// `--backends wasm,webgpu` measures ours on each backend (`npm run bench:gpu`; `--adapter swiftshader`
// for software WebGPU where there is no GPU). Prints one table, writes artifacts/bench-cpu.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { labelAges, median, percentile, refreshGaps } from './lib/metrics';
import { DEFAULT_SETTINGS, PERFORMANCE_MODES, type PerformanceMode } from '../src/core/settings';
import type { BackendName } from '../src/core/types';
import type { TimingSample } from '../src/messaging/background';
import type { PipelineState } from '../src/messaging/offscreen';
import { exitWithError, isMain } from './lib/cli';
import { openGallery, WINDOW } from './lib/gallery';
import { type ExtensionSession, FIXTURE_PAGES, launchExtension, waitUntil } from './lib/extension-browser';
import { profileTargets } from './lib/cdp-profile';
import { sampleLabelAges } from './lib/label-age';
import { REPO_ROOT } from './lib/paths';
import { TALKING_CLIPS } from './lib/peer-pages';
import { benchPeerLive, type PeerName, PEERS } from './lib/peers';
import { cpuBetween, type CpuByKind, findBrowserPid, PROCESS_KINDS, sampleTree, totalCpu } from './lib/proc-cpu';

/** Overlay on -> models loaded and every tile analyzed a while before the window opens. */
const WARM_MS = 8000;

interface CpuRow {
  system: string;
  tiles: number;
  seconds: number;
  /** Analyzed frames per second, all tiles together. */
  fps: number;
  labelAgeMs: { median: number; p90: number };
  /** Time between two labels of one tile (its chip's refresh), over every tile: median, p90, the longest. */
  refreshMs: { median: number; p90: number; max: number };
  /** The tiles' size on the page (CSS px), or null for the peers (they read each video whole). */
  tileSize: string | null;
  /** CPU ms per second of wall time (1000 = one core busy), by process type, analysis off and on. */
  off: CpuByKind;
  on: CpuByKind;
  addedCores: number;
  addedMsPerFrame: number;
  /** Ours only: the ML host's mean ms per analyzed frame by stage, and how the frames came (share by source). */
  stages?: { decode: number; detect: number; classify: number; person: number; detectedShare: number; sources: Record<string, number>; framesPerMessage: number; facesPerCall: number };
  /**
   * Ours only: what the CPU budget counts per second (the ML host's work and the page's capture as
   * timed, ms/s), messages to the ML host per second, and what is left of the measured added CPU per
   * message (the budget's UNSEEN_MS_PER_MESSAGE is set from it).
   */
  budget?: { timedMsPerSecond: number; messagesPerSecond: number; unseenMsPerMessage: number };
}

function stagesOf(samples: readonly TimingSample[]): NonNullable<CpuRow['stages']> {
  const mean = (k: 'decodeMs' | 'detectMs' | 'classifyMs') => samples.reduce((a, s) => a + s[k], 0) / Math.max(1, samples.length);
  const sources: Record<string, number> = {};
  for (const s of samples) sources[s.source] = (sources[s.source] ?? 0) + 1 / samples.length;
  const meanOf = (f: (s: TimingSample) => number) => samples.reduce((a, s) => a + f(s), 0) / Math.max(1, samples.length);
  return {
    framesPerMessage: meanOf((s) => s.batch?.frames ?? 1),
    facesPerCall: meanOf((s) => s.batch?.faces ?? 1),
    decode: mean('decodeMs'), detect: mean('detectMs'), classify: mean('classifyMs'), person: meanOf((s) => s.personMs ?? 0), detectedShare: samples.filter((s) => s.detected).length / Math.max(1, samples.length), sources };
}

const perSecond = (c: CpuByKind, seconds: number) => Object.fromEntries(PROCESS_KINDS.map((k) => [k, c[k] / seconds])) as CpuByKind;

function row(system: string, tiles: number, seconds: number, frames: number, ages: number[], gaps: number[], off: CpuByKind, on: CpuByKind, tileSize: string | null = null): CpuRow {
  const added = (totalCpu(on) - totalCpu(off)) / 1000; // cores
  const fps = frames / seconds;
  return {
    system,
    tiles,
    seconds,
    fps,
    labelAgeMs: { median: median(ages), p90: percentile(ages, 90) },
    refreshMs: { median: median(gaps), p90: percentile(gaps, 90), max: gaps.length ? Math.max(...gaps) : Number.NaN },
    tileSize,
    off,
    on,
    addedCores: added,
    addedMsPerFrame: fps > 0 ? (added * 1000) / fps : Number.NaN,
  };
}

/** Chromium flags per backend: WebGPU needs its adapter switched on (a real GPU, or SwiftShader's software Vulkan). */
function backendArgs(backend: BackendName, adapter: 'hardware' | 'swiftshader'): string[] {
  if (backend !== 'webgpu') return [];
  return ['--enable-unsafe-webgpu', '--enable-features=Vulkan', ...(adapter === 'swiftshader' ? ['--use-vulkan=swiftshader', '--use-webgpu-adapter=swiftshader'] : [])];
}

interface OursRun {
  mode?: PerformanceMode;
  profileMs?: number;
  backend?: BackendName;
  adapter?: 'hardware' | 'swiftshader';
  /** Every tile this wide (CSS px) instead of the gallery layout. */
  tileWidth?: number;
  /** Another build of the extension (`--before`), named in the row. */
  extensionDir?: string;
  /** This many of the tiles show an empty room (the person detector's work). */
  empty?: number;
}

async function benchOurs(tiles: number, seconds: number, run: OursRun = {}): Promise<CpuRow> {
  const { mode = DEFAULT_SETTINGS.performanceMode, profileMs = 0, backend = 'wasm', adapter = 'hardware' } = run;
  const tag = `--bench-tag=ours-${process.pid}-${Date.now()}`;
  const session = await launchExtension({ args: [tag, ...backendArgs(backend, adapter)], extensionDir: run.extensionDir });
  try {
    const root = findBrowserPid(tag);
    const { ext, page, tabId, tileSize: size } = await openGallery(session, tiles, run.tileWidth, run.empty);
    await page.waitForTimeout(3000);
    // The control page (the popup, idle) is open in both windows: its cost cancels out.
    const o0 = sampleTree(root);
    await page.waitForTimeout(seconds * 1000);
    const off = perSecond(cpuBetween(o0, sampleTree(root)), seconds);
    await ext.send('updateSettings', { performanceMode: mode, fps: PERFORMANCE_MODES[mode].fps });
    // Per-frame timings for the label ages (off for users; their few fields add little to a frame's cost).
    await ext.send('setTelemetry', { on: true });
    await ext.send('setOverlay', { tabId, on: true });
    await waitUntil(async () => (await ext.send<TimingSample[]>('getTimings', { tabId, last: 1 })).length > 0, 90_000, 'first analyzed frame');
    const state = await ext.send<PipelineState>('pipelineStatus', undefined);
    if (state.state !== 'ready' || state.backend !== backend) throw new Error(`asked for the ${backend} backend, the ML host runs ${state.state === 'ready' ? state.backend : state.state} (${backend === 'webgpu' ? 'no WebGPU adapter: try --adapter swiftshader' : 'a WebGPU adapter was found'})`);
    await page.waitForTimeout(WARM_MS);
    const w0 = Date.now();
    const s0 = sampleTree(root);
    await page.waitForTimeout(seconds * 1000);
    const on = perSecond(cpuBetween(s0, sampleTree(root)), seconds);
    const w1 = Date.now();
    const samples = (await ext.send<TimingSample[]>('getTimings', { tabId })).filter((s) => s.at >= w0 && s.at < w1);
    if (profileMs > 0) await printProfile(session, profileMs);
    await ext.send('setOverlay', { tabId, on: false });
    const name = `ours${run.extensionDir ? ` (${basename(run.extensionDir)})` : ''}${mode === DEFAULT_SETTINGS.performanceMode ? '' : ` (${PERFORMANCE_MODES[mode].name})`}${backend === 'wasm' ? '' : ` on ${backend}`}`;
    const gaps = refreshGaps(samples.map((s) => ({ tile: s.tileId, at: s.at })));
    const span = (w1 - w0) / 1000;
    const timedMsPerSecond = samples.reduce((a, s) => a + s.captureMs + s.decodeMs + s.detectMs + s.classifyMs + (s.personMs ?? 0), 0) / span;
    const messagesPerSecond = samples.reduce((a, s) => a + ((s.batch?.frames ?? 1) > 0 ? 1 / (s.batch?.frames ?? 1) : 0), 0) / span;
    const addedMsPerSecond = totalCpu(on) - totalCpu(off);
    const budget = { timedMsPerSecond, messagesPerSecond, unseenMsPerMessage: (addedMsPerSecond - timedMsPerSecond) / Math.max(1e-9, messagesPerSecond) };
    return { ...row(name, tiles, span, samples.length, sampleLabelAges(samples), gaps, off, on, size), stages: stagesOf(samples), budget };
  } finally {
    await session.close();
  }
}

/** Where the time goes: a V8 CPU profile of the ML host, the worker and the call page (self time, top functions). */
async function printProfile(session: ExtensionSession, ms: number): Promise<void> {
  const browser = session.context.browser();
  if (!browser) return;
  const profiles = await profileTargets(browser, (type, url) => url.endsWith('/offscreen.html') || type === 'service_worker' || url.startsWith(FIXTURE_PAGES.manyTiles.url), ms);
  for (const [target, fns] of profiles) {
    const busy = fns.filter((f) => !f.fn.startsWith('(idle)')).reduce((s, f) => s + f.ms, 0);
    console.log(`\n${target}: ${busy.toFixed(0)} ms busy in ${ms} ms (sampling profiler; it adds its own overhead)\n`);
    console.log('| self ms | function |\n|---:|---|');
    for (const f of fns.filter((x) => !x.fn.startsWith('(idle)')).slice(0, 12)) console.log(`| ${f.ms.toFixed(0)} | ${f.fn} |`);
  }
}

async function benchPeer(peer: PeerName, tiles: number, seconds: number, fpsPerTile: number): Promise<CpuRow> {
  const clips = Array.from({ length: tiles }, (_, i) => TALKING_CLIPS[i % TALKING_CLIPS.length]!);
  // human keeps per-instance caches (one instance per tile, as an app would); face-api has none.
  const r = await benchPeerLive(peer, { clips, fps: fpsPerTile, seconds, idleSeconds: seconds, perTile: peer === 'human' });
  const results = r.results.flatMap((list, i) => list.map((x) => ({ tile: String(i), sampledAt: x.sampled, doneAt: x.done })));
  const gaps = refreshGaps(results.map((x) => ({ tile: x.tile, at: x.doneAt })));
  return row(`${peer} ${r.version}`, tiles, r.seconds, results.length, labelAges(results), gaps, perSecond(r.idle, seconds), perSecond(r.live, r.seconds));
}

const f = (x: number, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : '-');

function cpuTable(rows: readonly CpuRow[]): string {
  const lines = [
    '| system | tiles | tile px | analyzed frames/s | label refresh per tile median / p90 / max ms | label age median / p90 ms | **added cores** | **added CPU ms / analyzed frame** | x human | added by process: extension / page / browser / GPU / other ms/s |',
    '|---|---:|---|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of rows) {
    const human = rows.find((o) => o.system.startsWith('human') && o.tiles === r.tiles);
    const d = (k: keyof CpuByKind) => r.on[k] - r.off[k];
    lines.push(
      `| ${r.system} | ${r.tiles} | ${r.tileSize ?? '-'} | ${f(r.fps, 1)} | ${f(r.refreshMs.median)} / ${f(r.refreshMs.p90)} / ${f(r.refreshMs.max)} | ${f(r.labelAgeMs.median)} / ${f(r.labelAgeMs.p90)} | **${f(r.addedCores, 2)}** | **${f(r.addedMsPerFrame, 1)}** | ${human ? f(r.addedMsPerFrame / human.addedMsPerFrame, 2) : '-'} | ${f(d('extension'))} / ${f(d('page'))} / ${f(d('browser'))} / ${f(d('gpu'))} / ${f(d('utility') + d('other'))} |`,
    );
  }
  const ours = rows.filter((r) => r.stages);
  if (ours.length > 0) {
    lines.push('', '| ours | tiles | ML host ms / frame: decode / detect / classify / person | frames detected | frames by source | frames per message / faces per classifier call (means over frames) | budget: timed ms/s, messages/s, unseen ms / message |', '|---|---:|---:|---:|---|---:|---:|');
    for (const r of ours) {
      const st = r.stages!;
      const by = Object.entries(st.sources).map(([k, v]) => `${k} ${(v * 100).toFixed(0)}%`).join(', ');
      lines.push(`| ${r.system} | ${r.tiles} | ${f(st.decode, 1)} / ${f(st.detect, 1)} / ${f(st.classify, 1)} / ${f(st.person, 2)} | ${(st.detectedShare * 100).toFixed(0)}% | ${by} | ${f(st.framesPerMessage, 1)} / ${f(st.facesPerCall, 1)} | ${r.budget ? `${f(r.budget.timedMsPerSecond)}, ${f(r.budget.messagesPerSecond, 1)}, ${f(r.budget.unseenMsPerMessage, 1)}` : '-'} |`);
    }
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      tiles: { type: 'string', default: '4,9,16,25' },
      /** The peers run at these tile counts only (the ones in --tiles); empty: at every count. */
      'peer-tiles': { type: 'string', default: '4,9' },
      /** Builds to measure before this one at each count, interleaved (e.g. a worktree's .output/chrome-mv3). */
      before: { type: 'string', default: '' },
      /** Every tile this wide (CSS px), instead of the 1920x1080 gallery layout. */
      'tile-width': { type: 'string', default: '' },
      /** This many tiles of each gallery show an empty room: nobody, so the person detector runs there. */
      empty: { type: 'string', default: '0' },
      seconds: { type: 'string', default: '30' },
      peers: { type: 'string', default: PEERS.join(',') },
      /** Also measure ours in these performance modes (at each tile count), e.g. battery,smooth. */
      modes: { type: 'string', default: '' },
      /** Ms of V8 CPU profile (ML host, worker, page) after each default-mode window; 0: none. */
      profile: { type: 'string', default: '0' },
      /** Measure ours on each of these backends (the first one's rows are the peers' reference). */
      backends: { type: 'string', default: 'wasm' },
      /** WebGPU adapter: the machine's GPU, or SwiftShader (software; for checking the script without a GPU). */
      adapter: { type: 'string', default: 'hardware' },
    },
  });
  const backends = values.backends.split(',').filter(Boolean) as BackendName[];
  for (const b of backends) if (b !== 'wasm' && b !== 'webgpu') throw new Error(`--backends: ${b} is not wasm or webgpu`);
  const adapter = values.adapter === 'swiftshader' ? 'swiftshader' : 'hardware';
  const modes = values.modes.split(',').filter(Boolean) as PerformanceMode[];
  for (const m of modes) if (!(m in PERFORMANCE_MODES)) throw new Error(`--modes: unknown mode ${m}`);
  const seconds = Number(values.seconds);
  const tileCounts = values.tiles.split(',').map(Number);
  const peerTiles = values['peer-tiles'].split(',').filter(Boolean).map(Number);
  const tileWidth = values['tile-width'] ? Number(values['tile-width']) : undefined;
  const empty = Number(values.empty);
  const before = values.before.split(',').filter(Boolean);
  const peers = values.peers ? (values.peers.split(',').filter(Boolean) as PeerName[]) : [];
  const rows: CpuRow[] = [];
  for (const n of tileCounts) {
    // One backend after another: two browsers at once would share the cores.
    for (const backend of backends) {
      // The build before first, then this one, at each count: interleaved, so drift hits both alike.
      for (const extensionDir of before) {
        const b = await benchOurs(n, seconds, { backend, adapter, tileWidth, extensionDir, empty });
        rows.push(b);
        console.error(`${b.system}, ${n} tile(s): ${b.addedMsPerFrame.toFixed(1)} ms/frame`);
      }
      const r = await benchOurs(n, seconds, { profileMs: Number(values.profile), backend, adapter, tileWidth, empty });
      rows.push(r);
      console.error(`${r.system}, ${n} tile(s): ${r.addedMsPerFrame.toFixed(1)} ms/frame`);
    }
    const ours = rows.find((r) => r.tiles === n && r.system.startsWith('ours') && !r.system.includes('('));
    if (!ours) throw new Error('--backends: none given');
    for (const m of modes) rows.push(await benchOurs(n, seconds, { mode: m, tileWidth }));
    if (peerTiles.length > 0 && !peerTiles.includes(n)) continue;
    for (const peer of peers) {
      const r = await benchPeer(peer, n, seconds, ours.fps / n);
      rows.push(r);
      console.error(`${peer}, ${n} tile(s): ${r.addedMsPerFrame.toFixed(1)} ms/frame`);
    }
  }
  console.log(`\n## bench:cpu: ${cpus()[0]?.model ?? '?'} x${cpus().length}, headless Chromium, ${WINDOW.width}x${WINDOW.height} window, ${backends.join(' and ')}, ${seconds} s windows, ${new Date().toISOString()}\n`);
  console.log(cpuTable(rows));
  console.log('\nAdded = overlay (or peer analysis) on minus off, the same call playing in both windows. Peers analyze at the frame rate ours reached (face-api cannot keep up: its row shows what it managed).');
  mkdirSync(join(REPO_ROOT, 'artifacts'), { recursive: true });
  writeFileSync(join(REPO_ROOT, 'artifacts', 'bench-cpu.json'), `${JSON.stringify({ date: new Date().toISOString(), cpu: cpus()[0]?.model, cores: cpus().length, seconds, rows }, null, 1)}\n`);
}

if (isMain(import.meta.url)) main().catch(exitWithError);
