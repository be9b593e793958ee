// Node CLI (`npm run train -- [options]`): trains our emotion classifier (see tools/train/README.md):
// exports FER+ and the wild photos as tensors (tensors.ts), fine-tunes face-api's expression trunk and
// a dense head with the paper's recipe (finetune.ts runs torch/finetune.py: the seeded search with
// successive halving, selection and calibration on validation only), then ships it (ship.ts: the
// tfjs export in three quantizations, checked, scored, one kept) and prints what it did.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { exitWithError, isMain } from '../lib/cli';
import { REPO_ROOT } from '../lib/paths';
import { initNodeTf } from '../lib/tf-node';
import { exportInitialWeights, readFinetuneOutput, runFinetune } from './finetune';
import { DEFAULTS } from './recipe';
import { shipModel } from './ship';
import { exportTeacherProbs } from './teachers';
import { exportTensors } from './tensors';

const LOG_DIR = join(REPO_ROOT, 'artifacts', 'train');

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
      distill: { type: 'string', default: String(DEFAULTS.distill) },
      temperature: { type: 'string', default: String(DEFAULTS.temperature) },
      // Peers distilled from their outputs on the clean training faces, besides face-api's own net ('' for none).
      teachers: { type: 'string', default: DEFAULTS.teachers },
      // Wild sources left out of training (e.g. nhfi: its valid split is then a population the model never saw).
      'hold-out': { type: 'string', default: DEFAULTS.holdOut },
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
    distill: Number(values.distill),
    temperature: Number(values.temperature),
    teachers: values.teachers,
    holdOut: values['hold-out'],
    seed: Number(values.seed),
    id: values.id,
    exportOnly: values['export-only'],
    makeDefault: !values['no-default'],
  };
}

async function train(opts: ReturnType<typeof parseCli>): Promise<void> {
  await initNodeTf();
  const t0 = performance.now();
  const runDir = join(LOG_DIR, 'run');
  mkdirSync(runDir, { recursive: true });
  const { dir, index } = await exportTensors();
  console.error(`[train] data: ${Object.entries(index.sets).map(([k, s]) => `${k} ${s.shape[0]}`).join(', ')} (${dir})`);
  if (!opts.exportOnly) {
    const init = await exportInitialWeights();
    for (const t of opts.teachers.split(',').filter(Boolean)) await exportTeacherProbs(dir, index, t);
    await runFinetune({
      data: dir,
      init,
      out: runDir,
      size: opts.size,
      batch: opts.batch,
      'fer-ratio': opts.ferRatio,
      distill: opts.distill,
      temperature: opts.temperature,
      teachers: opts.teachers,
      'hold-out': opts.holdOut,
      trials: opts.trials,
      rungs: opts.rungs,
      epochs: opts.epochs,
      patience: opts.patience,
      seed: opts.seed,
    });
  }
  const out = readFinetuneOutput(runDir);
  const { ours, scores, referenceError } = await shipModel(out, { id: opts.id, makeDefault: opts.makeDefault });
  const minutes = (performance.now() - t0) / 60000;
  writeFileSync(join(LOG_DIR, 'result.json'), JSON.stringify({ ...out.result, referenceError, quantization: scores, shipped: ours.id, minutes }, null, 2));

  const r = out.result;
  const pct = (v: number | undefined) => ((v ?? 0) * 100).toFixed(1);
  console.log('| stage | value |');
  console.log('|---|---|');
  console.log(`| data | ${Object.entries(index.sets).map(([k, s]) => `${k} ${s.shape[0]}`).join(', ')} |`);
  console.log(`| recipe | ${opts.trials} trial(s)${opts.rungs ? `, halving at epochs ${opts.rungs}` : ''}, up to ${opts.epochs} epochs, ${opts.size} px, distillation ${opts.distill} at temperature ${opts.temperature} (teachers: face-api's net${opts.teachers ? `, ${opts.teachers}` : ''}), held out: ${opts.holdOut || 'none'}, seed ${opts.seed} (log: artifacts/train/run/trials.jsonl) |`);
  console.log(`| best | ${JSON.stringify(r.config)}, ${r.epochs} epochs, fine-tuned weight share ${r.mix} |`);
  console.log(`| valid combined (trainer) | ${pct(r.valid.combined)} -> calibrated ${pct(r.validCalibrated.combined)} (biases ${out.result.calibration.join(', ')}) |`);
  for (const [q, s] of Object.entries(scores)) {
    console.log(`| valid through the pipeline, ${q} | combined ${pct(s.combined)}: ${Object.entries(s.perSource).map(([k, v]) => `${k} ${pct(v)}`).join(', ')} |`);
  }
  console.log(`| shipped | ${ours.id} (${ours.bytes} bytes)${opts.makeDefault ? ', default classifier' : ''} |`);
  console.log(`| minutes | ${minutes.toFixed(1)} (fine-tuning ${r.minutes.toFixed(1)}) |`);
}

if (isMain(import.meta.url)) train(parseCli()).catch(exitWithError);
