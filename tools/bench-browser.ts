// Node CLI (`npm run bench:browser`): the built extension in headless Chromium, analysis in the
// offscreen document as in production, on the four-tile Meet fixture. Prints one table (and writes
// artifacts/bench-browser.json): end-to-end latency (1 and 4 faces), analyzed frames/s per tile and in
// total, label age, cold start, content-script main-thread time, model bytes, memory over a long run,
// the backend; then the peers (face-api, human) on the same clips in the same kind of page.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { mean, median, percentile } from './lib/metrics';
import type { TimingSample } from '../src/messaging/background';
import type { PipelineState } from '../src/messaging/offscreen';
import { exitWithError, isMain } from './lib/cli';
import { sampleLabelAges } from './lib/label-age';
import { FAKE_CAMERA_ARGS, extensionPage, launchExtension, openFixturePage, readOverlay, retainedHeap, serveFixtures, waitForVideos, waitUntil } from './lib/extension-browser';
import { readManifest } from './lib/node-models';
import { REPO_ROOT } from './lib/paths';
import { decodeFixtureFrames } from './lib/peer-pages';
import { peerTables } from './lib/peer-tables';
import { benchPeers } from './lib/peers';

interface MemorySample {
  t: number;
  tensors: number;
  offscreenHeap: number | null;
  pageHeap: number | null;
}

const stats = (xs: number[]) => ({ median: median(xs), p90: percentile(xs, 90), mean: mean(xs), n: xs.length });

async function benchExtension(opts: { seconds: number; memoryMinutes: number; oneFaceSeconds: number; gpu: boolean }) {
  const args = [...FAKE_CAMERA_ARGS];
  if (opts.gpu) args.push('--enable-unsafe-webgpu', '--enable-features=Vulkan', '--ignore-gpu-blocklist');
  const session = await launchExtension({ args });
  try {
    await serveFixtures(session);
    const ext = await extensionPage(session);
    const { page, tabId } = await openFixturePage(session, ext, 'meet');
    await waitForVideos(page, 30_000);

    // Cold start: the ML host does not exist yet; overlay on -> first chip drawn.
    await ext.send('setTelemetry', { on: true }); // per-frame timings (off for users)
    const t0 = Date.now();
    await ext.send('setOverlay', { tabId, on: true });
    await waitUntil(async () => ((await readOverlay(page)) ?? []).some((t) => t.chips.length > 0), 30_000, 'first label');
    const coldStartMs = Date.now() - t0;
    const pipeline = await ext.send<PipelineState>('pipelineStatus', undefined);
    if (pipeline.state !== 'ready') throw new Error(`pipeline not ready: ${JSON.stringify(pipeline)}`);

    // Four tiles: throughput window, and the start of the memory run.
    // An extension's pages share one renderer and V8 isolate: the heap behind the control page is the
    // offscreen document's (plus the control page's own, idle, small one).
    const extensionIsolate = await session.context.newCDPSession(ext.page);
    const pageIsolate = await session.context.newCDPSession(page);
    const memory: MemorySample[] = [];
    const sampleMemory = async () => {
      const s = await ext.send<PipelineState>('pipelineStatus', undefined);
      if (s.state === 'ready') memory.push({ t: Date.now() - t0, tensors: s.memory.tensors, offscreenHeap: await retainedHeap(extensionIsolate), pageHeap: await retainedHeap(pageIsolate) });
    };
    await page.waitForTimeout(5000);
    const w0 = Date.now();
    const memoryEnd = w0 + Math.max(opts.seconds * 1000, opts.memoryMinutes * 60_000);
    let four: TimingSample[] | null = null;
    while (Date.now() < memoryEnd) {
      await sampleMemory();
      const untilWindowEnd = four ? Infinity : Math.max(100, w0 + opts.seconds * 1000 - Date.now());
      await page.waitForTimeout(Math.max(0, Math.min(10_000, memoryEnd - Date.now(), untilWindowEnd)));
      // Take the throughput window as soon as it ends: the background keeps only the latest frames.
      if (!four && Date.now() >= w0 + opts.seconds * 1000) {
        four = (await ext.send<TimingSample[]>('getTimings', { tabId })).filter((s) => s.at >= w0 && s.at < w0 + opts.seconds * 1000);
      }
    }
    await sampleMemory();
    four ??= (await ext.send<TimingSample[]>('getTimings', { tabId })).filter((s) => s.at >= w0 && s.at < w0 + opts.seconds * 1000);
    const tiles = [...new Set(four.map((s) => s.tileId))];

    // One face: remove three tiles.
    await page.evaluate(() => [...document.querySelectorAll('.tile')].slice(1).forEach((t) => t.remove()));
    await page.waitForTimeout(3000);
    const o0 = Date.now();
    await page.waitForTimeout(opts.oneFaceSeconds * 1000);
    const one = (await ext.send<TimingSample[]>('getTimings', { tabId })).filter((s) => s.at >= o0);
    await ext.send('setOverlay', { tabId, on: false });

    const manifest = readManifest();
    const bytes = (id: string) => manifest.models.find((m) => m.id === id)?.bytes ?? 0;
    const afterFirstMinute = memory.filter((m) => m.t >= 60_000);
    const base = afterFirstMinute[0] ?? memory[0];
    const growth = (key: 'offscreenHeap' | 'pageHeap') => {
      const b = base?.[key];
      const e = memory[memory.length - 1]?.[key];
      return b && e ? (e - b) / b : null;
    };
    return {
      backend: pipeline.backend,
      detector: pipeline.detector,
      classifier: pipeline.classifier,
      modelBytes: { detector: bytes(pipeline.detector), classifier: bytes(pipeline.classifier) },
      coldStartMs,
      fourFaces: {
        tiles: tiles.length,
        seconds: opts.seconds,
        totalFps: four.length / opts.seconds,
        perTileFps: tiles.map((id) => four.filter((s) => s.tileId === id).length / opts.seconds),
        latencyMs: stats(four.map((s) => s.totalMs)),
        detectShare: four.filter((s) => s.detected).length / Math.max(1, four.length),
        labelAgeMs: { ...stats(sampleLabelAges(four)), max: Math.max(...sampleLabelAges(four)) },
        mainThreadMs: stats(four.map((s) => s.mainThreadMs)),
        offscreen: { decode: stats(four.map((s) => s.decodeMs)), detect: stats(four.filter((s) => s.detected).map((s) => s.detectMs)), classify: stats(four.map((s) => s.classifyMs)) },
      },
      oneFace: { latencyMs: stats(one.map((s) => s.totalMs)), fps: one.length / opts.oneFaceSeconds },
      memory: {
        minutes: (memory[memory.length - 1]?.t ?? 0) / 60_000,
        samples: memory,
        tensors: { start: memory[0]?.tensors, end: memory[memory.length - 1]?.tensors, max: Math.max(...memory.map((m) => m.tensors)) },
        offscreenHeapGrowthAfterFirstMinute: growth('offscreenHeap'),
        pageHeapGrowthAfterFirstMinute: growth('pageHeap'),
      },
    };
  } finally {
    await session.close();
  }
}

const mb = (b: number | null | undefined) => (b == null ? 'n/a' : `${(b / 1e6).toFixed(1)} MB`);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '60' },
      'memory-minutes': { type: 'string', default: '10' },
      'one-face-seconds': { type: 'string', default: '20' },
      'no-peers': { type: 'boolean', default: false },
      gpu: { type: 'boolean', default: false },
    },
  });
  const ours = await benchExtension({
    seconds: Number(values.seconds),
    memoryMinutes: Number(values['memory-minutes']),
    oneFaceSeconds: Number(values['one-face-seconds']),
    gpu: values.gpu,
  });
  const f = ours.fourFaces;
  const mem = ours.memory;
  const heapEnd = (k: 'offscreenHeap' | 'pageHeap') => mem.samples.map((m) => m[k] ?? 0);
  console.log(`\n## bench:browser: ${cpus()[0]?.model ?? '?'} x${cpus().length}, headless Chromium, ${new Date().toISOString()}\n`);
  console.log('| measure | value |');
  console.log('|---|---|');
  console.log(`| backend (offscreen) | ${ours.backend} |`);
  console.log(`| models | ${ours.detector} ${ours.modelBytes.detector.toLocaleString('en')} B + ${ours.classifier} ${ours.modelBytes.classifier.toLocaleString('en')} B |`);
  console.log(`| cold start: overlay on -> first label | ${ours.coldStartMs} ms |`);
  console.log(`| 4 tiles: analyzed frames/s total | ${f.totalFps.toFixed(1)} (per tile ${f.perTileFps.map((x) => x.toFixed(1)).join(', ')}) over ${f.seconds} s |`);
  console.log(`| 4 tiles: end-to-end latency median / p90 | ${f.latencyMs.median.toFixed(0)} / ${f.latencyMs.p90.toFixed(0)} ms |`);
  console.log(`| 4 tiles: label age median / p90 / max | ${f.labelAgeMs.median.toFixed(0)} / ${f.labelAgeMs.p90.toFixed(0)} / ${f.labelAgeMs.max.toFixed(0)} ms |`);
  console.log(`| 4 tiles: frames with a full detection | ${(f.detectShare * 100).toFixed(0)} % |`);
  console.log(`| offscreen per frame: decode / detect / classify (median) | ${f.offscreen.decode.median.toFixed(1)} / ${f.offscreen.detect.median.toFixed(1)} / ${f.offscreen.classify.median.toFixed(1)} ms |`);
  console.log(`| 1 face: end-to-end latency median / p90 | ${ours.oneFace.latencyMs.median.toFixed(0)} / ${ours.oneFace.latencyMs.p90.toFixed(0)} ms (${ours.oneFace.fps.toFixed(1)} frames/s) |`);
  console.log(`| content-script main thread per sampled frame median / mean / p90 | ${f.mainThreadMs.median.toFixed(2)} / ${f.mainThreadMs.mean.toFixed(2)} / ${f.mainThreadMs.p90.toFixed(2)} ms |`);
  console.log(`| memory run | ${mem.minutes.toFixed(1)} min |`);
  console.log(`| tfjs tensors start / end / max | ${mem.tensors.start} / ${mem.tensors.end} / ${mem.tensors.max} |`);
  console.log(`| offscreen JS heap start / end / max | ${mb(heapEnd('offscreenHeap')[0])} / ${mb(heapEnd('offscreenHeap').at(-1))} / ${mb(Math.max(...heapEnd('offscreenHeap')))} (growth after 1st min ${((mem.offscreenHeapGrowthAfterFirstMinute ?? 0) * 100).toFixed(1)} %) |`);
  console.log(`| page JS heap start / end / max | ${mb(heapEnd('pageHeap')[0])} / ${mb(heapEnd('pageHeap').at(-1))} / ${mb(Math.max(...heapEnd('pageHeap')))} (growth after 1st min ${((mem.pageHeapGrowthAfterFirstMinute ?? 0) * 100).toFixed(1)} %) |`);
  const result: Record<string, unknown> = { ours };
  if (!values['no-peers']) {
    // The peers on the same clips, decoded to the same 480x270 tile frames, in the same kind of page, on wasm.
    const peers = (await benchPeers({ frames: await decodeFixtureFrames(), seconds: Math.min(30, Number(values.seconds)) })).results;
    result.peers = peers;
    console.log(`\n${peerTables(peers)}`);
    console.log('\n| ours vs peer | analyzed faces/s (ours, 4 tiles) | peer faces/s | ratio | 1-face latency ours / peer (median) |');
    console.log('|---|---:|---:|---:|---|');
    for (const p of peers) {
      if (!p.ok || !p.throughput || !p.latency) {
        console.log(`| ${p.peer} | failed: ${p.error ?? '?'} | | | |`);
        continue;
      }
      console.log(
        `| ${p.peer} | ${f.totalFps.toFixed(1)} | ${p.throughput.facesPerSecond.toFixed(1)} | ${(f.totalFps / p.throughput.facesPerSecond).toFixed(1)}x | ${ours.oneFace.latencyMs.median.toFixed(0)} / ${p.latency.oneFace.withDecodeMs.median.toFixed(0)} ms |`,
      );
    }
  }
  mkdirSync(join(REPO_ROOT, 'artifacts'), { recursive: true });
  writeFileSync(join(REPO_ROOT, 'artifacts', 'bench-browser.json'), JSON.stringify(result, null, 1));
}

if (isMain(import.meta.url)) main().catch(exitWithError);
