// Node CLI (`npm run bench:pipeline`): latency, FER+ accuracy and detector agreement for every model in models.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { perClassMetrics, type Stats, summarize } from './lib/metrics';
import type { ModelEntry, ModelsManifest } from '../src/core/models';
import type { AnalyzeResult } from '../src/core/types';
import { createPipeline, type Pipeline, type PipelineOptions } from '../src/ml/pipeline';
import type { PixelData } from '../src/ml/preprocess';
import { type AgreementPair, agreementPairs, type FacesByImage } from './lib/box-agreement';
import { exitWithError, isMain } from './lib/cli';
import { collectImageFiles } from './lib/image-files';
import { ferPlusFaces, scoreFerPlus } from './lib/ferplus';
import { decodeImageFile } from './lib/images';
import { fsReader, NODE_BACKEND_ORDER, readManifest } from './lib/node-models';
import { REPO_ROOT, sharedPath } from './lib/paths';
import { tf } from './lib/tf-node';

const WARMUP_CALLS = 3;
const ARTIFACT = join(REPO_ROOT, 'artifacts', 'bench-pipeline.json');

interface BenchOptions {
  runs: number;
  /** Undefined = the whole FER+ test split. */
  ferLimit?: number;
}

/** Time `runs` calls of analyze() on one image after WARMUP_CALLS untimed ones; keeps the last result for face counts. */
async function timeAnalyze(pipeline: Pipeline, image: PixelData, runs: number): Promise<{ total: Stats; detect: Stats; classify: Stats; faces: number }> {
  for (let i = 0; i < WARMUP_CALLS; i++) await pipeline.analyze(image);
  const totals: number[] = [];
  const results: AnalyzeResult[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    results.push(await pipeline.analyze(image));
    totals.push(performance.now() - t0);
  }
  return {
    total: summarize(totals),
    detect: summarize(results.map((r) => r.ms.detect)),
    classify: summarize(results.map((r) => r.ms.classify)),
    faces: results.at(-1)?.faces.length ?? 0,
  };
}

/** Create a Node pipeline, hand it to `use`, and always dispose it. */
async function withPipeline<T>(manifest: ModelsManifest, options: Partial<PipelineOptions>, use: (p: Pipeline) => Promise<T>): Promise<T> {
  const pipeline = await createPipeline({ manifest, read: fsReader(), backend: { order: NODE_BACKEND_ORDER }, ...options });
  try {
    return await use(pipeline);
  } finally {
    pipeline.dispose();
  }
}

const modelsOf = (manifest: ModelsManifest, task: ModelEntry['task']): ModelEntry[] => manifest.models.filter((m) => m.task === task);

// ---- a) latency -----------------------------------------------------------------------------

interface LatencyRow {
  id: string;
  task: ModelEntry['task'];
  quantization: string;
  bytes: number;
  /** The other stage's model, held at its default. */
  pairedWith: string;
  images: Record<string, Awaited<ReturnType<typeof timeAnalyze>>>;
}

async function benchLatency(manifest: ModelsManifest, images: Record<string, PixelData>, runs: number): Promise<LatencyRow[]> {
  const rows: LatencyRow[] = [];
  const entries = [...modelsOf(manifest, 'face-detection'), ...modelsOf(manifest, 'emotion')];
  for (const entry of entries) {
    const isDetector = entry.task === 'face-detection';
    const detector = isDetector ? entry.id : manifest.defaults.detector;
    const classifier = isDetector ? manifest.defaults.classifier : entry.id;
    console.error(`latency: ${entry.id} (${runs} runs per image)`);
    const timed = await withPipeline(manifest, { detector, classifier }, async (p) => {
      const out: LatencyRow['images'] = {};
      for (const [name, image] of Object.entries(images)) out[name] = await timeAnalyze(p, image, runs);
      return out;
    });
    rows.push({ id: entry.id, task: entry.task, quantization: entry.quantization, bytes: entry.bytes, pairedWith: isDetector ? classifier : detector, images: timed });
  }
  return rows;
}

// ---- b) FER+ accuracy -----------------------------------------------------------------------

interface FerRow {
  id: string;
  quantization: string;
  faces: number;
  accuracy: number;
  macroF1: number;
  recall: Record<string, number>;
  seconds: number;
  msPerFace: Stats;
}

async function benchFerPlus(manifest: ModelsManifest, limit: number | undefined): Promise<FerRow[]> {
  const faces = ferPlusFaces('test', { limit });
  const out: FerRow[] = [];
  for (const entry of modelsOf(manifest, 'emotion')) {
    console.error(`FER+ test: ${entry.id} on ${faces.length} faces`);
    const score = await withPipeline(manifest, { faces: 'whole', classifier: entry.id }, (p) =>
      scoreFerPlus(faces, async (face) => (await p.analyze(face)).faces[0]?.label ?? '', manifest.labels),
    );
    out.push({
      id: entry.id,
      quantization: entry.quantization,
      faces: faces.length,
      accuracy: score.accuracy,
      macroF1: score.macroF1,
      recall: Object.fromEntries(perClassMetrics(score.cm).map((c) => [c.label, c.recall])),
      seconds: score.seconds,
      msPerFace: summarize(score.msPerFace),
    });
  }
  return out;
}

// ---- c) detector agreement ------------------------------------------------------------------

interface AgreementResult {
  /** image (relative to fixtures/images) -> detector id -> faces found. */
  faces: FacesByImage;
  pairs: AgreementPair[];
}

async function benchAgreement(manifest: ModelsManifest, files: readonly string[], decoded: ReadonlyMap<string, PixelData>, imagesDir: string): Promise<AgreementResult> {
  const detectors = modelsOf(manifest, 'face-detection');
  const faces: FacesByImage = {};
  for (const entry of detectors) {
    console.error(`agreement: ${entry.id} on ${files.length} images`);
    await withPipeline(manifest, { detector: entry.id }, async (p) => {
      for (const file of files) {
        const image = decoded.get(file);
        if (!image) continue;
        const result = await p.analyze(image);
        const name = relative(imagesDir, file);
        (faces[name] ??= {})[entry.id] = result.faces.map((f) => ({ box: f.box, score: f.score }));
      }
    });
  }
  return { faces, pairs: agreementPairs(faces, detectors.map((d) => d.id)) };
}

// ---- output ---------------------------------------------------------------------------------

function table(headers: string[], rows: Array<Array<string | number>>, rightAlignFrom = 1): string {
  const line = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
  const rule = headers.map((_, i) => (i >= rightAlignFrom ? '---:' : '---'));
  return [line(headers), line(rule), ...rows.map(line)].join('\n');
}

const ms = (v: number): string => v.toFixed(1);
const ratio = (v: number): string => (Number.isNaN(v) ? 'n/a' : v.toFixed(3));
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KiB`;

function printLatency(rows: LatencyRow[], imageNames: string[]): void {
  for (const task of ['face-detection', 'emotion'] as const) {
    const stage = task === 'face-detection' ? 'detect' : 'classify';
    const headers = ['model', 'quant', 'paired with', 'bytes'];
    for (const name of imageNames) headers.push(`${name}: faces`, `${name}: median ms`, `${name}: p90 ms`, `${name}: ${stage} median ms`);
    const body = rows
      .filter((r) => r.task === task)
      .map((r) => [
        r.id,
        r.quantization,
        r.pairedWith,
        `${r.bytes} (${kb(r.bytes)})`,
        ...imageNames.flatMap((name) => {
          const t = r.images[name];
          return t ? [t.faces, ms(t.total.median), ms(t.total.p90), ms(t[stage].median)] : ['-', '-', '-', '-'];
        }),
      ]);
    console.log(`\n### Latency per analyze() call: ${task === 'face-detection' ? 'detectors (default classifier)' : 'classifiers (default detector)'}\n`);
    console.log(table(headers, body, 3));
  }
}

function printFerPlus(rows: FerRow[], labels: readonly string[]): void {
  const first = rows[0];
  console.log(`\n### FER+ test split, ${first?.faces ?? 0} faces, 5 classes, whole-image (48x48 grey)\n`);
  console.log(
    table(
      ['classifier', 'quant', 'macro-F1', 'accuracy', ...labels.map((l) => `recall ${l}`), 'pass s', 'ms/face median', 'ms/face p90'],
      rows.map((r) => [r.id, r.quantization, ratio(r.macroF1), ratio(r.accuracy), ...labels.map((l) => ratio(r.recall[l] ?? NaN)), r.seconds.toFixed(1), ms(r.msPerFace.median), ms(r.msPerFace.p90)]),
      2,
    ),
  );
}

function printAgreement(result: AgreementResult, detectorIds: string[]): void {
  console.log('\n### Detector agreement on fixtures/images: faces found\n');
  console.log(table(['image', ...detectorIds], Object.entries(result.faces).map(([name, by]) => [name, ...detectorIds.map((id) => by[id]?.length ?? 0)])));
  console.log('\n### Same base model, different quantization: matched boxes (greedy by IoU)\n');
  console.log(
    table(
      ['a', 'b', 'faces a', 'faces b', 'matched', 'mean IoU', 'min IoU', 'mean score diff'],
      result.pairs.map((p) => [p.a, p.b, p.facesA, p.facesB, p.matched, ratio(p.meanIoU), ratio(p.minIoU), p.meanScoreDiff.toFixed(4)]),
      2,
    ),
  );
}

// ---- main -----------------------------------------------------------------------------------

function parseBenchArgs(argv: string[]): BenchOptions {
  const { values } = parseArgs({ args: argv, options: { runs: { type: 'string' }, 'fer-limit': { type: 'string' } } });
  const positiveInt = (flag: string, raw: string | undefined): number | undefined => {
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} must be a positive integer, got "${raw}"`);
    return n;
  };
  return { runs: positiveInt('--runs', values.runs) ?? 20, ferLimit: positiveInt('--fer-limit', values['fer-limit']) };
}

async function main(argv: string[]): Promise<void> {
  const options = parseBenchArgs(argv);
  const manifest = readManifest();
  const imagesDir = sharedPath('fixtures', 'images');
  const latencyImages = { '1 face': sharedPath('fixtures', 'images', 'astronaut.png'), '4 faces': sharedPath('fixtures', 'images', 'grid-4-faces.png') };
  const fixtureFiles = collectImageFiles([imagesDir]);
  const decoded = new Map<string, PixelData>();
  for (const file of new Set([...Object.values(latencyImages), ...fixtureFiles])) decoded.set(file, await decodeImageFile(file));
  const images: Record<string, PixelData> = {};
  for (const [name, file] of Object.entries(latencyImages)) {
    const image = decoded.get(file);
    if (!image) throw new Error(`${file} was not decoded`);
    images[name] = image;
  }

  const latency = await benchLatency(manifest, images, options.runs);
  // The pipelines above picked the backend; read what the wasm build can do so the header says it.
  const backend = tf.getBackend();
  const simd = backend === 'wasm' ? Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) : false;
  const threads = backend === 'wasm' ? Boolean(tf.env().get('WASM_HAS_MULTITHREAD_SUPPORT')) : false;
  const ferplus = await benchFerPlus(manifest, options.ferLimit);
  const agreement = await benchAgreement(manifest, fixtureFiles, decoded, imagesDir);

  const cpu = cpus();
  const meta = {
    date: new Date().toISOString(),
    machine: `${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores`,
    node: process.version,
    backend: backend === 'wasm' ? `wasm (SIMD ${simd ? 'on' : 'off'}, threads ${threads ? 'on' : 'off'})` : backend,
    runs: options.runs,
    warmupCalls: WARMUP_CALLS,
    ferLimit: options.ferLimit ?? null,
    defaults: manifest.defaults,
  };
  console.log('## bench:pipeline\n');
  console.log(`- machine: ${meta.machine}\n- node: ${meta.node}\n- backend: ${meta.backend}\n- date: ${meta.date}`);
  console.log(`- latency: median / p90 over ${options.runs} analyze() calls after ${WARMUP_CALLS} warm-up calls (includes RGBA -> tensor)`);
  printLatency(latency, Object.keys(images));
  printFerPlus(ferplus, manifest.labels);
  printAgreement(agreement, modelsOf(manifest, 'face-detection').map((m) => m.id));

  mkdirSync(join(REPO_ROOT, 'artifacts'), { recursive: true });
  writeFileSync(ARTIFACT, `${JSON.stringify({ meta, latency, ferplus, agreement }, null, 2)}\n`);
  console.error(`wrote ${relative(process.cwd(), ARTIFACT)}`);
}

if (isMain(import.meta.url)) {
  try {
    await main(process.argv.slice(2));
  } catch (err) {
    exitWithError(err);
  }
}
