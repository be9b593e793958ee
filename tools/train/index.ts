// Node CLI (`npm run train -- [options]`): trains our emotion classifier with the paper's recipe on
// frozen-backbone features (see tools/train/README.md), searches hyperparameters with seeded random
// search + successive halving (selection by validation macro-F1, never the test split), then writes
// the quantized model and its models.json entry. The defaults regenerate the committed model.
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { findModel, type ModelEntry, type Quantization } from '../../src/core/models';
import { calibrateBiases, logUniform, pick, rng, scoreWithBias } from '../../src/core/training';
import { perClassMetrics } from '../../src/core/metrics';
import { exitWithError, isMain } from '../lib/cli';
import { encodeWeights, QUANT_SUFFIX, readManifestFile, writeManifest, writeModelDir } from '../lib/model-files';
import { greyToPixels } from '../lib/images';
import { fsReader } from '../lib/node-models';
import { MODELS_DIR, REPO_ROOT } from '../lib/paths';
import { initNodeTf, tf } from '../lib/tf-node';
import { type Dataset, ferPlusDataset, folderDataset } from './data';
import { type Backbone, extractFeatures, faceApiBackbone, type FeatureSet, humanBackbone } from './features';
import { argmaxRows, createHead, disposeHead, evaluate, fitStandardizer, type HeadConfig, type HeadState, predictLogits, standardize, type Standardizer, trainEpochs } from './head';

export const DEFAULTS = {
  backbones: 'human-64,faceapi-112',
  trials: 12,
  rungs: '3,9,27',
  variants: 3,
  seed: 7,
  id: 'ours-emotion',
} as const;

const LOG_DIR = join(REPO_ROOT, 'artifacts', 'train');
/** The issue's floor: no class's recall below this (on the test split). */
const MIN_RECALL = 0.6;
/**
 * Calibration asks validation for more than the floor: a class's recall can fall from valid to test
 * (FER+ sad, for every model: human 0.722 -> 0.663, face-api 0.717 -> 0.691, ours 0.694 -> 0.606;
 * `npm run eval:classifiers -- --split valid` against the default test; ours calibrated to a bare
 * 0.6 floor went 0.674 -> 0.585). The default run's calibrated valid macro-F1 is still above the
 * uncalibrated head's (artifacts/train/result.json).
 */
const VALID_RECALL_MARGIN = 0.1;

interface Trial {
  n: number;
  backbone: string;
  cfg: HeadConfig;
  state?: HeadState;
  validF1: number;
  epochs: number;
}

function sampleConfig(random: () => number): HeadConfig {
  return {
    hidden: pick(random, [[], [128], [256], [512], [256, 128], [512, 256]]),
    dropout: Math.round(random() * 50) / 100,
    l1: random() < 0.5 ? 0 : logUniform(random, 1e-7, 1e-5),
    l2: logUniform(random, 1e-6, 1e-3),
    lr: logUniform(random, 3e-4, 3e-3),
    mu: logUniform(random, 0.5, 3),
    // Large batches: a training step's cost here is mostly per-op overhead, not arithmetic.
    batchSize: pick(random, [512, 1024]),
  };
}

async function loadBackbone(id: string): Promise<Backbone> {
  if (id === 'human-64') return humanBackbone();
  const m = /^faceapi-(\d+)$/.exec(id);
  if (m) return faceApiBackbone(Number(m[1]));
  throw new Error(`unknown backbone ${id} (known: human-64, faceapi-<size>)`);
}

function concat(sets: readonly FeatureSet[]): FeatureSet {
  const n = sets.reduce((a, s) => a + s.n, 0);
  const dim = sets[0]?.dim ?? 0;
  const x = new Float32Array(n * dim);
  const y = new Int32Array(n);
  let o = 0;
  for (const s of sets) {
    x.set(s.x, o * dim);
    y.set(s.y, o);
    o += s.n;
  }
  return { x, y, dim, n };
}

interface Features {
  backbone: Backbone;
  st: Standardizer;
  train: FeatureSet;
  valid: FeatureSet;
  test: FeatureSet;
}

async function features(bb: Backbone, ds: Dataset, variants: number, key: string): Promise<Features> {
  const t0 = performance.now();
  const trainSets: FeatureSet[] = [];
  for (let v = 0; v < variants; v++) trainSets.push(await extractFeatures(bb, ds.train, v, `${key}-train`));
  const rawTrain = concat(trainSets);
  const st = fitStandardizer([rawTrain]);
  const f = {
    backbone: bb,
    st,
    train: standardize(rawTrain, st),
    valid: standardize(await extractFeatures(bb, ds.valid, 0, `${key}-valid`), st),
    test: standardize(await extractFeatures(bb, ds.test, 0, `${key}-test`), st),
  };
  console.error(`[train] ${bb.id}: ${rawTrain.n} train rows (${variants} variants), ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  return f;
}

/**
 * Head weights with the standardization folded into the first layer (W' = W / std,
 * b' = b - (mean / std) W) and the calibration biases added to the last layer's bias.
 */
function exportHead(state: HeadState, st: Standardizer, calibration: readonly number[]): tf.NamedTensorMap {
  const map: tf.NamedTensorMap = {};
  state.layers.forEach((l, i) => {
    let kernel = state.best[2 * i] ?? Float32Array.from(l.kernel.dataSync());
    let bias = state.best[2 * i + 1] ?? Float32Array.from(l.bias.dataSync());
    const [inp, out] = l.kernel.shape as [number, number];
    if (i === 0) {
      const k = new Float32Array(kernel.length);
      const b = Float32Array.from(bias);
      for (let r = 0; r < inp; r++) {
        const s = st.std[r] ?? 1;
        const m = st.mean[r] ?? 0;
        for (let c = 0; c < out; c++) {
          const w = kernel[r * out + c] ?? 0;
          k[r * out + c] = w / s;
          b[c] = (b[c] ?? 0) - (m / s) * w;
        }
      }
      kernel = k;
      bias = b;
    }
    if (i === state.layers.length - 1) bias = Float32Array.from(bias, (v, c) => v + (calibration[c] ?? 0));
    map[`head/dense${i}/kernel`] = tf.tensor2d(kernel, [inp, out]);
    map[`head/dense${i}/bias`] = tf.tensor1d(bias);
  });
  return map;
}

/** A models.json model's own weights, decoded from public/models (the backbone we embed). */
function readModelWeights(entry: ModelEntry): { json: Record<string, unknown>; weights: tf.NamedTensorMap; names: string[] } {
  const json = JSON.parse(readFileSync(join(MODELS_DIR, entry.id, 'model.json'), 'utf8')) as Record<string, unknown> & {
    weightsManifest: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>;
  };
  const bin = readFileSync(join(MODELS_DIR, entry.id, 'weights.bin'));
  const specs = json.weightsManifest.flatMap((g) => g.weights);
  const weights = tf.io.decodeWeights(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength), specs);
  return { json, weights, names: specs.map((w) => w.name) };
}

/** Write <id>-<q>/ (backbone weights + our head) and return its models.json entry. */
function writeOurModel(
  id: string,
  f: Features,
  state: HeadState,
  calibration: readonly number[],
  q: Quantization,
  labels: string[],
  training: Record<string, unknown>,
): ModelEntry {
  const manifest = readManifestFile();
  if (!manifest) throw new Error('public/models/models.json missing: run `npm run models` first');
  const source = findModel(manifest, f.backbone.sourceModel, 'emotion');
  const { json, weights: backbone, names } = readModelWeights(source);
  const head = exportHead(state, f.st, calibration);
  const modelId = `${id}-${QUANT_SUFFIX[q]}`;
  rmSync(join(MODELS_DIR, modelId), { recursive: true, force: true });
  const graph = f.backbone.id === 'human-64';
  const backboneNames = graph ? names : names.filter((n) => n.startsWith('dense'));
  const { specs, data } = encodeWeights({ ...backbone, ...head }, [...backboneNames, ...Object.keys(head)], q);
  const weightsManifest = [{ paths: ['weights.bin'], weights: specs }];
  const modelJson = graph
    ? {
        format: 'graph-model',
        generatedBy: 'tools/train',
        modelTopology: json.modelTopology,
        userDefinedMetadata: { ...(json.userDefinedMetadata as object), featuresNode: 'StatefulPartitionedCall/model_1/add_2/add', training },
        weightsManifest,
      }
    : { format: 'weights', architecture: 'faceapi-features-mlp', training, weightsManifest };
  const files = writeModelDir(modelId, modelJson, data);
  tf.dispose([...Object.values(backbone), ...Object.values(head)]);
  const layers = `${state.cfg.hidden.length + 1}-layer head (${[...state.cfg.hidden, labels.length].join('-')})`;
  return {
    id: modelId,
    task: 'emotion',
    architecture: graph ? 'graph-features-mlp' : 'faceapi-features-mlp',
    format: graph ? 'graph-model' : 'weights',
    input: graph
      ? { width: 64, height: 64, channels: 1, mean: [127.5], std: [127.5] }
      : { width: f.backbone.inputSize, height: f.backbone.inputSize, channels: 3, grey: true, mean: [...source.input.mean], std: [...source.input.std] },
    labels,
    labelMap: {},
    outputs: 'logits',
    quantization: q,
    bytes: files.reduce((a, x) => a + x.bytes, 0),
    files,
    source: { package: `tools/train on ${source.source.package}`, version: source.source.version, files: [`${source.id} (frozen backbone)`] },
    licence: `${source.licence}; head trained by this project on FER+ (labels MIT; FER2013 images, research use)`,
    description: `Ours: ${f.backbone.id} features (frozen, grey faces) + ${layers} trained with the paper's recipe (class weights mu, dropout, L1/L2, Adam, LR halving, early stopping, searched)`,
  };
}

function parseCli() {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      backbones: { type: 'string', default: DEFAULTS.backbones },
      trials: { type: 'string', default: String(DEFAULTS.trials) },
      rungs: { type: 'string', default: DEFAULTS.rungs },
      variants: { type: 'string', default: String(DEFAULTS.variants) },
      seed: { type: 'string', default: String(DEFAULTS.seed) },
      id: { type: 'string', default: DEFAULTS.id },
      limit: { type: 'string' },
      'no-default': { type: 'boolean', default: false },
    },
  });
  return {
    data: values.data,
    backbones: values.backbones.split(','),
    trials: Number(values.trials),
    rungs: values.rungs.split(',').map(Number),
    variants: Number(values.variants),
    seed: Number(values.seed),
    id: values.id,
    limit: values.limit ? Number(values.limit) : undefined,
    makeDefault: !values['no-default'],
  };
}

export async function train(opts: ReturnType<typeof parseCli>): Promise<void> {
  await initNodeTf();
  const t0 = performance.now();
  mkdirSync(LOG_DIR, { recursive: true });
  const trialLog = join(LOG_DIR, 'trials.jsonl');
  writeFileSync(trialLog, '');
  const ds = opts.data ? await folderDataset(opts.data, opts.seed) : ferPlusDataset(opts.limit);
  const key = `${opts.data ? 'folder' : 'ferplus'}${opts.limit ? `-l${opts.limit}` : ''}`;
  console.error(`[train] ${ds.name}: ${ds.train.length} train / ${ds.valid.length} valid / ${ds.test.length} test, labels ${ds.labels.join(', ')}`);

  const feats = new Map<string, Features>();
  for (const id of opts.backbones) feats.set(id, await features(await loadBackbone(id), ds, opts.variants, key));

  // Random search with successive halving: every trial gets the first rung, the best third goes on.
  const random = rng(opts.seed);
  let alive: Trial[] = Array.from({ length: opts.trials }, (_, n) => ({ n, backbone: pick(random, opts.backbones), cfg: sampleConfig(random), validF1: 0, epochs: 0 }));
  let done = 0;
  for (const [r, rungEpochs] of opts.rungs.entries()) {
    for (const t of alive) {
      const f = feats.get(t.backbone)!;
      t.state ??= createHead(t.cfg, f.train.dim, ds.labels.length, opts.seed * 1000 + t.n);
      trainEpochs(t.state, f.train, f.valid, ds.labels, rungEpochs - t.state.epoch, rng(opts.seed * 7 + t.n * 13 + r));
      t.validF1 = t.state.bestF1;
      t.epochs = t.state.epoch;
      appendFileSync(trialLog, `${JSON.stringify({ trial: t.n, rung: r, backbone: t.backbone, ...t.cfg, epochs: t.epochs, bestEpoch: t.state.bestEpoch, validF1: t.validF1, lr: t.state.lr })}\n`);
      console.error(`[train] rung ${r} trial ${t.n} ${t.backbone} ${JSON.stringify(t.cfg.hidden)} -> valid macro-F1 ${t.validF1.toFixed(4)} (${t.epochs} epochs)`);
    }
    alive.sort((a, b) => b.validF1 - a.validF1);
    if (r < opts.rungs.length - 1) {
      const keep = Math.max(1, Math.ceil(alive.length / 3));
      for (const t of alive.slice(keep)) disposeHead(t.state!);
      done += alive.length - keep;
      alive = alive.slice(0, keep);
    }
  }
  const best = alive[0]!;
  for (const t of alive.slice(1)) disposeHead(t.state!);
  const f = feats.get(best.backbone)!;
  console.error(`[train] best: trial ${best.n} ${best.backbone} ${JSON.stringify(best.cfg)} valid macro-F1 ${best.validF1.toFixed(4)} (${done} trials stopped early)`);

  // Logit adjustment chosen on validation: the best macro-F1 with every class's recall >= MIN_RECALL + margin.
  const classes = ds.labels.length;
  const calibration = calibrateBiases(predictLogits(best.state!, f.valid), f.valid.y, classes, MIN_RECALL + VALID_RECALL_MARGIN);
  const validCalibrated = scoreWithBias(predictLogits(best.state!, f.valid), f.valid.y, calibration);
  console.error(`[train] calibration ${JSON.stringify(calibration)}: valid macro-F1 ${validCalibrated.macroF1.toFixed(4)}, recalls ${validCalibrated.recalls.map((r) => r.toFixed(3)).join(' ')}`);

  // Test split: only now, only for the report.
  const testLogits = predictLogits(best.state!, f.test);
  const uncalibrated = evaluate(argmaxRows(testLogits, classes), f.test.y, ds.labels);
  const shifted = Float32Array.from(testLogits, (v, i) => v + (calibration[i % classes] ?? 0));
  const test = evaluate(argmaxRows(shifted, classes), f.test.y, ds.labels);
  const recalls = Object.fromEntries(perClassMetrics(test.cm).map((m) => [m.label, m.recall]));
  const training = {
    dataset: ds.name,
    backbone: best.backbone,
    config: best.cfg,
    epochs: best.state!.epoch,
    bestEpoch: best.state!.bestEpoch,
    validMacroF1: best.validF1,
    calibration,
    validMacroF1Calibrated: validCalibrated.macroF1,
    testMacroF1Uncalibrated: uncalibrated.macroF1,
    testMacroF1: test.macroF1,
    testRecall: recalls,
    seed: opts.seed,
    trials: opts.trials,
    rungs: opts.rungs,
    variants: opts.variants,
    minutes: (performance.now() - t0) / 60000,
  };

  // Quantize: uint8 if it costs under half a macro-F1 point on validation, else float16 (reported either way).
  const entries: ModelEntry[] = [];
  const report: Record<string, number> = {};
  for (const q of ['float32', 'float16', 'uint8'] as const) entries.push(writeOurModel(opts.id, f, best.state!, calibration, q, ds.labels, training));
  const manifestBefore = readManifestFile()!;
  const labelsForManifest = manifestBefore.labels;
  writeManifest(entries, manifestBefore.defaults, labelsForManifest);
  const { createPipeline } = await import('../../src/ml/pipeline');
  const manifest = readManifestFile()!;
  for (const e of entries) {
    const p = await createPipeline({ manifest, read: fsReader(), classifier: e.id, faces: 'whole', backend: { order: ['wasm'] }, warmup: false });
    const preds: number[] = [];
    for (const face of ds.valid) {
      const r = await p.analyze(greyToPixels(face.grey, face.width, face.height));
      preds.push(ds.labels.indexOf(r.faces[0]?.label ?? ''));
    }
    p.dispose();
    report[e.quantization] = evaluate(preds, Int32Array.from(ds.valid, (x) => x.label), ds.labels).macroF1;
  }
  const f32 = report.float32 ?? 0;
  const chosen: Quantization = Math.abs((report.uint8 ?? 0) - f32) < 0.005 ? 'uint8' : 'float16';
  const keep = entries.filter((e) => e.quantization === chosen);
  for (const e of entries) if (e.quantization !== chosen) rmSync(join(MODELS_DIR, e.id), { recursive: true, force: true });
  const ours = keep[0]!;
  writeManifest(
    keep,
    opts.makeDefault && !opts.data ? { ...manifestBefore.defaults, classifier: ours.id } : manifestBefore.defaults,
    labelsForManifest,
    entries.map((e) => e.id),
  );
  writeFileSync(join(LOG_DIR, 'result.json'), JSON.stringify({ ...training, quantizationValidMacroF1: report, shipped: ours.id }, null, 2));

  console.log('| stage | value |');
  console.log('|---|---|');
  console.log(`| dataset | ${ds.name}: ${ds.train.length} train x ${opts.variants} variants, ${ds.valid.length} valid, ${ds.test.length} test |`);
  console.log(`| search | ${opts.trials} trials, rungs ${opts.rungs.join('/')} epochs, seed ${opts.seed} (log: artifacts/train/trials.jsonl) |`);
  console.log(`| best | ${best.backbone}, hidden ${JSON.stringify(best.cfg.hidden)}, dropout ${best.cfg.dropout}, l1 ${best.cfg.l1.toExponential(1)}, l2 ${best.cfg.l2.toExponential(1)}, lr ${best.cfg.lr.toExponential(1)}, mu ${best.cfg.mu.toFixed(2)}, batch ${best.cfg.batchSize} |`);
  console.log(`| valid macro-F1 (float32 head) | ${best.validF1.toFixed(4)} |`);
  console.log(`| calibration (logit biases, on valid) | ${calibration.join(', ')}: valid macro-F1 ${validCalibrated.macroF1.toFixed(4)} |`);
  console.log(`| test macro-F1 (uncalibrated -> shipped) | ${uncalibrated.macroF1.toFixed(4)} -> ${test.macroF1.toFixed(4)} |`);
  console.log(`| test recall | ${Object.entries(recalls).map(([l, r]) => `${l} ${r.toFixed(3)}`).join(', ')} |`);
  console.log(`| valid macro-F1 through the pipeline | ${Object.entries(report).map(([q, v]) => `${q} ${v.toFixed(4)}`).join(', ')} |`);
  console.log(`| shipped | ${ours.id} (${ours.bytes} bytes) |`);
  console.log(`| minutes | ${((performance.now() - t0) / 60000).toFixed(1)} |`);
}

if (isMain(import.meta.url)) train(parseCli()).catch(exitWithError);
