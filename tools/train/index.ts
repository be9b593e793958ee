// Node CLI (`npm run train -- [options]`): trains our emotion classifier (see tools/train/README.md):
// exports FER+ and the wild photos as tensors, fine-tunes face-api's expression trunk and a dense
// head with the paper's recipe (tools/train/torch/finetune.py: seeded search with successive
// halving, selection and calibration on validation only), then writes the tfjs model in float32,
// float16 and uint8, checks it against the trainer's logits, scores each through the real pipeline
// on validation, ships uint8 if it costs under half a point, and writes its models.json entry.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ModelEntry, Quantization } from '../../src/core/models';
import { exitWithError, isMain } from '../lib/cli';
import { FERPLUS_LABELS, readFerPlus } from '../lib/ferplus';
import { decodeImageFile, greyToPixels } from '../lib/images';
import { readManifestFile, writeManifest } from '../lib/model-files';
import { MODELS_DIR, REPO_ROOT } from '../lib/paths';
import { initNodeTf, tf } from '../lib/tf-node';
import { readWild, WILD_SOURCES } from '../lib/wild';
import { checkAgainstReference, type LabelledImage, scoreThroughPipeline, type ValidScore, writeFinetunedModel } from './export';
import { exportInitialWeights, readFinetuneOutput, runFinetune } from './finetune';
import { exportTensors } from './tensors';

export const DEFAULTS = {
  trials: 4,
  rungs: '0.5,1.5',
  epochs: 6,
  patience: 2,
  size: 96,
  batch: 64,
  ferRatio: 1,
  seed: 7,
  id: 'ours-emotion',
} as const;

const LOG_DIR = join(REPO_ROOT, 'artifacts', 'train');
/** uint8 ships if its combined valid score is within this of float32's. */
const QUANT_TOLERANCE = 0.005;

function parseCli() {
  const { values } = parseArgs({
    options: {
      trials: { type: 'string', default: String(DEFAULTS.trials) },
      rungs: { type: 'string', default: DEFAULTS.rungs },
      epochs: { type: 'string', default: String(DEFAULTS.epochs) },
      patience: { type: 'string', default: String(DEFAULTS.patience) },
      size: { type: 'string', default: String(DEFAULTS.size) },
      batch: { type: 'string', default: String(DEFAULTS.batch) },
      'fer-ratio': { type: 'string', default: String(DEFAULTS.ferRatio) },
      seed: { type: 'string', default: String(DEFAULTS.seed) },
      id: { type: 'string', default: DEFAULTS.id },
      // Export the last run's weights again (artifacts/train/run) without training.
      'export-only': { type: 'boolean', default: false },
      'no-default': { type: 'boolean', default: false },
    },
  });
  return {
    trials: Number(values.trials),
    rungs: values.rungs,
    epochs: Number(values.epochs),
    patience: Number(values.patience),
    size: Number(values.size),
    batch: Number(values.batch),
    ferRatio: Number(values['fer-ratio']),
    seed: Number(values.seed),
    id: values.id,
    exportOnly: values['export-only'],
    makeDefault: !values['no-default'],
  };
}

/** FER+ valid and the wild valid photos of the scored sources, as the pipeline takes them. */
async function validImages(): Promise<LabelledImage[]> {
  const fer = readFerPlus('valid').map((r) => ({ image: greyToPixels(r.pixels(), 48, 48), truth: r.label, source: 'ferplus' }));
  const rows = readWild('valid').filter((r) => WILD_SOURCES[r.source]?.includes(r.label) && r.source !== 'posed-unknown');
  const wild = await Promise.all(rows.map(async (r) => ({ image: await decodeImageFile(r.path), truth: r.label, source: r.source })));
  return [...fer, ...wild];
}

export async function train(opts: ReturnType<typeof parseCli>): Promise<void> {
  await initNodeTf();
  const t0 = performance.now();
  const runDir = join(LOG_DIR, 'run');
  mkdirSync(runDir, { recursive: true });
  const { dir, index } = await exportTensors();
  console.error(`[train] data: ${Object.entries(index.sets).map(([k, s]) => `${k} ${s.shape[0]}`).join(', ')} (${dir})`);
  if (!opts.exportOnly) {
    const init = await exportInitialWeights();
    await runFinetune({
      data: dir,
      init,
      out: runDir,
      size: opts.size,
      batch: opts.batch,
      'fer-ratio': opts.ferRatio,
      trials: opts.trials,
      rungs: opts.rungs,
      epochs: opts.epochs,
      patience: opts.patience,
      seed: opts.seed,
    });
  }
  const out = readFinetuneOutput(runDir);
  const labels = [...FERPLUS_LABELS];
  const manifestBefore = readManifestFile();
  if (!manifestBefore) throw new Error('public/models/models.json missing: run `npm run models` first');
  const training = { ...out.result, reference: undefined, history: undefined, trainMinutes: out.result.minutes };
  const entries: ModelEntry[] = (['float32', 'float16', 'uint8'] as const).map((q) => writeFinetunedModel(manifestBefore, opts.id, out, q, labels, training));
  tf.dispose(Object.values(out.weights));
  writeManifest(entries, manifestBefore.defaults, manifestBefore.labels);
  let manifest = readManifestFile()!;

  const referenceFaces = await Promise.all(readWild('valid').slice(0, out.result.reference.count).map((r) => decodeImageFile(r.path)));
  const f32 = entries.find((e) => e.quantization === 'float32')!;
  const referenceError = await checkAgainstReference(manifest, f32.id, referenceFaces, out.result.reference.logits, labels);
  console.error(`[train] float32 export matches the trainer: max probability difference ${referenceError.toFixed(5)}`);

  const valid = await validImages();
  const scores: Partial<Record<Quantization, ValidScore>> = {};
  for (const e of entries) {
    scores[e.quantization] = await scoreThroughPipeline(manifest, e.id, valid);
    console.error(`[train] ${e.id}: valid ${JSON.stringify(scores[e.quantization])}`);
  }
  const chosen: Quantization = (scores.float32?.combined ?? 0) - (scores.uint8?.combined ?? 0) < QUANT_TOLERANCE ? 'uint8' : 'float16';
  const ours = entries.find((e) => e.quantization === chosen)!;
  for (const e of entries) if (e !== ours) rmSync(join(MODELS_DIR, e.id), { recursive: true, force: true });
  writeManifest(
    [ours],
    opts.makeDefault ? { ...manifestBefore.defaults, classifier: ours.id } : manifestBefore.defaults,
    manifestBefore.labels,
    entries.map((e) => e.id),
  );
  manifest = readManifestFile()!;
  const minutes = (performance.now() - t0) / 60000;
  writeFileSync(join(LOG_DIR, 'result.json'), JSON.stringify({ ...out.result, referenceError, quantization: scores, shipped: ours.id, minutes }, null, 2));

  const r = out.result as typeof out.result & { config: Record<string, unknown>; epochs: number; valid: { combined: number }; validCalibrated: { combined: number }; minutes: number };
  const pct = (v: number | undefined) => ((v ?? 0) * 100).toFixed(1);
  console.log('| stage | value |');
  console.log('|---|---|');
  console.log(`| data | ${Object.entries(index.sets).map(([k, s]) => `${k} ${s.shape[0]}`).join(', ')} |`);
  console.log(`| search | ${opts.trials} trials, halving at epochs ${opts.rungs}, survivor up to ${opts.epochs} epochs, ${opts.size} px, seed ${opts.seed} (log: artifacts/train/run/trials.jsonl) |`);
  console.log(`| best | ${JSON.stringify(r.config)}, ${r.epochs} epochs |`);
  console.log(`| valid combined (trainer) | ${pct(r.valid.combined)} -> calibrated ${pct(r.validCalibrated.combined)} (biases ${out.result.calibration.join(', ')}) |`);
  for (const [q, s] of Object.entries(scores)) {
    console.log(`| valid through the pipeline, ${q} | combined ${pct(s.combined)}: ${Object.entries(s.perSource).map(([k, v]) => `${k} ${pct(v)}`).join(', ')} |`);
  }
  console.log(`| shipped | ${ours.id} (${ours.bytes} bytes)${opts.makeDefault ? ', default classifier' : ''} |`);
  console.log(`| minutes | ${minutes.toFixed(1)} (fine-tuning ${r.minutes.toFixed(1)}) |`);
}

if (isMain(import.meta.url)) train(parseCli()).catch(exitWithError);
