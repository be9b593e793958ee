// Node (`npm run eval -- classifiers [--limit n] [--split test|valid] [--models a,b]`, tools/eval.ts):
// every shipped emotion classifier side by side on the same crops: ours, face-api's face_expression,
// human's emotion, and the paper authors' six-class model. FER+ test split (five classes), the
// in-the-wild colour photos' valid split scored within each source (../shared/datasets/wild: class
// and source are confounded there), and the expression fixture photos; accuracy, macro-F1, per-class
// precision/recall, confusion matrices, bytes and median latency per face (Node, tfjs wasm). With
// the test split and no --limit, the wild macro-F1s, FER+ macro-F1 and ms per face go into
// models.json (`measured`), which the Settings picker shows.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { squareCrop } from '../../src/core/boxes';
import { topLabel } from '../../src/core/labels';
import { type ConfusionMatrix, median, perClassMetrics } from '../lib/metrics';
import type { PixelBox } from '../../src/core/types';
import { createPipeline, PIPELINE_DEFAULTS } from '../../src/ml/pipeline';
import type { PixelData } from '../../src/ml/preprocess';
import { recordMeasurements } from '../lib/model-files';
import { FERPLUS_LABELS, ferPlusFaces, type LabelledFace, scoreFerPlus } from '../lib/ferplus';
import { decodeImageFile } from '../lib/images';
import { fsReader, readManifest } from '../lib/node-models';
import { REPO_ROOT, sharedPath } from '../lib/paths';
import { initNodeTf } from '../lib/tf-node';
import { combinedScore, readWild, SELECTION_SOURCES, scoreWithinSources, type SourceScore, spreadSubset, WILD_SOURCES } from '../lib/wild';

const LABELS: string[] = [...FERPLUS_LABELS];
/** Fixture photos with a label in the five-class set (disgusted and fearful have none). */
const FIXTURES: Record<string, string> = { angry: 'angry', happy: 'happy', neutral: 'neutral', sad: 'sad', surprised: 'surprise' };

interface Classifier {
  name: string;
  bytes: number;
  /** Probabilities over LABELS for one face crop, and the time the model itself took. */
  classify(image: PixelData): Promise<{ probs: Record<string, number>; ms: number }>;
  dispose(): void;
}

async function pipelineClassifier(id: string, name: string): Promise<Classifier> {
  const manifest = readManifest();
  const p = await createPipeline({ manifest, read: fsReader(), classifier: id, faces: 'whole', backend: { order: ['wasm'] } });
  const entry = manifest.models.find((m) => m.id === id)!;
  return {
    name: `${name} (${id})`,
    bytes: entry.bytes,
    async classify(image) {
      const r = await p.analyze(image);
      return { probs: r.faces[0]?.probabilities ?? {}, ms: r.ms.classify };
    },
    dispose: () => p.dispose(),
  };
}

/** Crop a face box out of an RGBA image (square, grown like the pipeline's crops; black outside). */
function cropPixels(img: PixelData, box: PixelBox): PixelData {
  const c = squareCrop(box, PIPELINE_DEFAULTS.cropScale);
  const side = Math.round(c.width);
  const data = new Uint8ClampedArray(side * side * 4);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const sx = Math.round(c.x + x);
      const sy = Math.round(c.y + y);
      const o = (y * side + x) * 4;
      if (sx >= 0 && sy >= 0 && sx < img.width && sy < img.height) data.set(img.data.subarray((sy * img.width + sx) * 4, (sy * img.width + sx) * 4 + 4), o);
      else data[o + 3] = 255;
    }
  }
  return { data, width: side, height: side };
}

/** Fixture faces, cropped once with the default detector so every classifier sees the same crop. */
async function fixtureSamples(): Promise<LabelledFace[]> {
  const manifest = readManifest();
  const det = await createPipeline({ manifest, read: fsReader(), backend: { order: ['wasm'] } });
  const out: LabelledFace[] = [];
  for (const [file, truth] of Object.entries(FIXTURES)) {
    const img = await decodeImageFile(sharedPath('fixtures', 'images', 'expressions', `${file}.jpg`));
    const face = (await det.analyze(img)).faces[0];
    if (!face) throw new Error(`no face found in ${file}.jpg`);
    out.push({ image: cropPixels(img, face.box), truth });
  }
  det.dispose();
  return out;
}

interface Result {
  name: string;
  id: string;
  bytes: number;
  ferplus: { cm: ConfusionMatrix; accuracy: number; macroF1: number };
  /** wild valid, per source, predictions restricted to the source's classes. */
  wild: Record<string, SourceScore>;
  /** The selection score: mean of FER+ macro-F1 and the SELECTION_SOURCES macro-F1s. */
  combined: number;
  fixtures: { cm: ConfusionMatrix; accuracy: number; macroF1: number; predictions: string[] };
  medianMsPerFace: number;
}

async function evaluateOn(c: Classifier, samples: readonly LabelledFace[]): Promise<{ cm: ConfusionMatrix; accuracy: number; macroF1: number; predictions: string[] }> {
  // The five classes scored: a six-class model's "ahegao" has no place in FER+ or the fixtures.
  const five = async (image: PixelData) => {
    const { probs } = await c.classify(image);
    return topLabel(Object.fromEntries(LABELS.map((l) => [l, probs[l] ?? 0]))).label || 'neutral';
  };
  const { cm, accuracy, macroF1, predictions } = await scoreFerPlus(samples, five, LABELS);
  return { cm, accuracy, macroF1, predictions };
}

interface WildSample extends LabelledFace {
  source: string;
}

export async function wildSamples(limit?: number): Promise<WildSample[]> {
  const rows = readWild('valid').filter((r) => WILD_SOURCES[r.source]?.includes(r.label));
  return Promise.all(spreadSubset(rows, limit).map(async (r) => ({ image: await decodeImageFile(r.path), truth: r.label, source: r.source })));
}

async function evaluateWild(c: Classifier, samples: readonly WildSample[]): Promise<Record<string, SourceScore>> {
  const rows = [];
  for (const s of samples) rows.push({ source: s.source, truth: s.truth, probs: (await c.classify(s.image)).probs });
  return scoreWithinSources(rows);
}

/**
 * Median ms per face with every classifier loaded and run in interleaved rounds (40 faces each, the
 * first 5 of a round dropped), so a busy or throttled moment of the machine costs them all alike.
 */
async function interleavedLatency(cs: readonly Classifier[], faces: readonly LabelledFace[], rounds = 15): Promise<number[]> {
  const times: number[][] = cs.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (const [k, c] of cs.entries()) {
      for (const [i, s] of faces.slice(0, 40).entries()) {
        const { ms } = await c.classify(s.image);
        if (i >= 5) times[k]?.push(ms);
      }
    }
  }
  return times.map((t) => median(t));
}

const pct = (v: number) => (v * 100).toFixed(1);

function printWildTable(results: Result[], split: string): void {
  const sources = Object.keys(WILD_SOURCES);
  const first = results[0];
  const counts = sources.map((s) => `${s} ${first?.wild[s]?.n ?? 0}`).join(', ');
  console.log(`\n### wild valid split, within each source (${counts} faces; predictions restricted to the source's classes)\n`);
  const head = sources.map((s) => `${s} macro-F1 % (${(WILD_SOURCES[s] ?? []).map((l) => l.slice(0, 3)).join('/')} recall %)`);
  console.log(`| model | ${head.join(' | ')} | FER+ macro-F1 % | combined % |`);
  console.log(`|---|${sources.map(() => '---:').join('|')}|---:|---:|`);
  for (const r of results) {
    const cells = sources.map((s) => {
      const w = r.wild[s];
      return w ? `${pct(w.macroF1)} (${(WILD_SOURCES[s] ?? []).map((l) => pct(w.recall[l] ?? 0)).join('/')})` : '';
    });
    console.log(`| ${r.name} | ${cells.join(' | ')} | ${pct(r.ferplus.macroF1)} | ${pct(r.combined)} |`);
  }
  console.log(`\ncombined = mean of FER+ ${split} macro-F1 and the wild valid macro-F1s of ${SELECTION_SOURCES.join(', ')} (what classifiers are selected by; oahega is reported, not selected on).`);
}

function printTables(results: Result[], ferN: number, split: string): void {
  console.log(`\n### FER+ ${split} split (${ferN} faces, 5 classes, each 48x48 face classified whole; ms per face: median over interleaved rounds)\n`);
  console.log(`| model | bytes | median ms/face | accuracy % | macro-F1 % | ${LABELS.map((l) => `${l} P/R %`).join(' | ')} |`);
  console.log(`|---|---:|---:|---:|---:|${LABELS.map(() => '---:').join('|')}|`);
  for (const r of results) {
    const pc = perClassMetrics(r.ferplus.cm);
    console.log(
      `| ${r.name} | ${r.bytes.toLocaleString('en')} | ${r.medianMsPerFace.toFixed(2)} | ${pct(r.ferplus.accuracy)} | ${pct(r.ferplus.macroF1)} | ${pc.map((m) => `${pct(m.precision)} / ${pct(m.recall)}`).join(' | ')} |`,
    );
  }
  console.log(`\n### Expression fixture photos (${Object.keys(FIXTURES).length} faces, cropped by the default detector)\n`);
  console.log(`| model | accuracy % | ${Object.values(FIXTURES).map((t) => `${t} ->`).join(' | ')} |`);
  console.log(`|---|---:|${Object.keys(FIXTURES).map(() => '---').join('|')}|`);
  for (const r of results) console.log(`| ${r.name} | ${pct(r.fixtures.accuracy)} | ${r.fixtures.predictions.join(' | ')} |`);
  console.log(`\n### Confusion matrices on FER+ ${split} (rows: truth, columns: predicted)\n`);
  for (const r of results) {
    console.log(`**${r.name}**\n`);
    console.log(`| truth \\ predicted | ${LABELS.join(' | ')} |`);
    console.log(`|---|${LABELS.map(() => '---:').join('|')}|`);
    r.ferplus.cm.counts.forEach((row, i) => console.log(`| ${LABELS[i]} | ${row.join(' | ')} |`));
    console.log('');
  }
}

export async function run(argv: string[]): Promise<void> {
  // --split valid: the same table on the split the trainer selects and calibrates on (the report is test).
  // --models a,b: only these models.json ids.
  const { values } = parseArgs({ args: argv, options: { limit: { type: 'string' }, split: { type: 'string', default: 'test' }, models: { type: 'string' } } });
  const split = values.split;
  if (split !== 'test' && split !== 'valid') throw new Error(`--split must be test or valid, got ${split}`);
  await initNodeTf();
  const manifest = readManifest();
  const fer = ferPlusFaces(split, { limit: values.limit ? Number(values.limit) : undefined });
  const wild = await wildSamples(values.limit ? Number(values.limit) : undefined);
  const fixtures = await fixtureSamples();
  const names: Record<string, string> = { ours: 'ours', faceapi: 'face-api face_expression', human: 'human emotion', oahega: 'OAHEGA paper' };
  const candidates = manifest.models
    .filter((m) => m.task === 'emotion')
    .map((m) => ({ id: m.id, make: () => pipelineClassifier(m.id, names[m.id.split('-')[0] ?? ''] ?? m.id) }));
  const only = values.models?.split(',');
  const chosen = candidates.filter((c) => !only || only.includes(c.id));
  // Every classifier loaded once: scored one after another, then timed in interleaved rounds.
  const classifiers = await Promise.all(chosen.map((c) => c.make()));
  const results: Result[] = [];
  try {
    for (const [k, c] of classifiers.entries()) {
      const ferplus = await evaluateOn(c, fer);
      const wildScores = await evaluateWild(c, wild);
      const fx = await evaluateOn(c, fixtures);
      results.push({ name: c.name, id: chosen[k]!.id, bytes: c.bytes, ferplus, wild: wildScores, combined: combinedScore(ferplus.macroF1, wildScores), fixtures: fx, medianMsPerFace: Number.NaN });
      console.error(`[eval] ${c.name}: FER+ macro-F1 ${pct(ferplus.macroF1)}%, ${Object.entries(wildScores).map(([s, w]) => `${s} ${pct(w.macroF1)}%`).join(', ')}`);
    }
    const latency = await interleavedLatency(classifiers, fer);
    results.forEach((r, k) => {
      r.medianMsPerFace = latency[k] ?? Number.NaN;
    });
  } finally {
    classifiers.forEach((c) => c.dispose());
  }
  printTables(results, fer.length, split);
  printWildTable(results, split);
  const out = join(REPO_ROOT, 'artifacts');
  mkdirSync(out, { recursive: true });
  const date = new Date().toISOString();
  writeFileSync(join(out, `eval-classifiers${split === 'test' ? '' : `-${split}`}.json`), JSON.stringify({ date, split, labels: LABELS, results }, null, 1));
  if (split === 'test' && !values.limit) {
    const by = 'npm run eval -- classifiers';
    const wildF1 = (r: Result) => Object.fromEntries(Object.keys(WILD_SOURCES).map((src) => [src, r.wild[src]?.macroF1 ?? 0]));
    recordMeasurements(new Map(results.map((r) => [r.id, { wildMacroF1: wildF1(r), ferplusMacroF1: r.ferplus.macroF1, ms: r.medianMsPerFace, by, date }])));
    console.log(`\nmeasurements of ${results.map((r) => r.id).join(', ')} written to public/models/models.json`);
  }
}

