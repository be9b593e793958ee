// Node CLI (`npm run train:compare -- [--recipes a,b] [--hold-out nhfi] [--rerun]`): the trainer's
// recipes side by side with a wild source left out of training entirely, so its valid split is a
// population the model never saw (as users' faces are). Each recipe is one finetune.py run (about
// 8 minutes here at 1.5 epochs); a finished run's result is reused unless --rerun. Prints, per
// recipe, valid macro-F1 within source: the fine-tuned weights alone, the chosen mix with the
// original net, after calibration, and with test-time flip averaging.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { exitWithError, isMain } from '../lib/cli';
import { REPO_ROOT } from '../lib/paths';
import { initNodeTf } from '../lib/tf-node';
import { SELECTION_SOURCES, WILD_SOURCES } from '../lib/wild';
import { exportInitialWeights, runFinetune } from './finetune';
import { DEFAULTS } from './recipe';
import { exportTeacherProbs } from './teachers';
import { exportTensors, type TensorIndex } from './tensors';

/** The recipes compared: finetune.py flags on top of the shared ones. */
const RECIPES: Record<string, Record<string, string | number>> = {
  'labels-112': { size: 112, distill: 0 },
  'distill-96': { size: 96, distill: 1, temperature: 2 },
  'distill-112': { size: 112, distill: 1, temperature: 2 },
  'distill-human-112': { size: 112, distill: 1, temperature: 2, teachers: 'human-emotion-f16' },
  'distill-human-112-3ep': { size: 112, distill: 1, temperature: 2, teachers: 'human-emotion-f16', epochs: 3 },
  'distill2-human-112': { size: 112, distill: 2, temperature: 2, teachers: 'human-emotion-f16' },
  // The shipped recipe: npm run train's defaults (112 px, distill 1, temperature 4, human's net as second teacher).
  'distill-human-112-t4': { size: DEFAULTS.size, distill: DEFAULTS.distill, temperature: DEFAULTS.temperature, teachers: DEFAULTS.teachers, epochs: DEFAULTS.epochs },
  // Issue 39's levers, each alone on top of the shipped recipe:
  // FER+'s vote distributions as soft targets;
  't4-fer-soft': { size: DEFAULTS.size, distill: DEFAULTS.distill, temperature: DEFAULTS.temperature, teachers: DEFAULTS.teachers, epochs: DEFAULTS.epochs, 'fer-soft': 1 },
  // label noise in the web-scraped wild sources: soft bootstrapping (a fifth of the target is the net's own belief);
  't4-bootstrap': { size: DEFAULTS.size, distill: DEFAULTS.distill, temperature: DEFAULTS.temperature, teachers: DEFAULTS.teachers, epochs: DEFAULTS.epochs, bootstrap: 0.2 },
  // a face and its mirror agree (flip consistency in training instead of flips at test time).
  't4-flip': { size: DEFAULTS.size, distill: DEFAULTS.distill, temperature: DEFAULTS.temperature, teachers: DEFAULTS.teachers, epochs: DEFAULTS.epochs, 'flip-consistency': 1 },
};

interface SourceF1 {
  f1: number;
  recall?: number[];
}
type Scores = Record<string, SourceF1 | number>;
interface RunResult {
  mix: number;
  mixes: Scores[];
  valid: Scores;
  validCalibrated: Scores;
  flipCalibrated: Scores;
  minutes: number;
}

const SOURCES = ['ferplus', ...Object.keys(WILD_SOURCES)];
const pct = (v: number | undefined) => (v === undefined ? '—' : (v * 100).toFixed(1));
const f1Of = (s: Scores, k: string): number | undefined => {
  const v = s[k];
  return typeof v === 'number' ? v : v?.f1;
};

function row(name: string, stage: string, s: Scores): string {
  return `| ${name} | ${stage} | ${SOURCES.map((k) => pct(f1Of(s, k))).join(' | ')} | ${pct(f1Of(s, 'combined'))} |`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { recipes: { type: 'string', default: Object.keys(RECIPES).join(',') }, 'hold-out': { type: 'string', default: 'nhfi' }, rerun: { type: 'boolean', default: false } },
  });
  const names = values.recipes.split(',');
  for (const n of names) if (!RECIPES[n]) throw new Error(`unknown recipe ${n} (known: ${Object.keys(RECIPES).join(', ')})`);
  const holdOut = values['hold-out'];
  const results = new Map<string, RunResult>();
  let data: { dir: string; index: TensorIndex; init: string } | undefined;
  for (const name of names) {
    const out = join(REPO_ROOT, 'artifacts', 'train', `holdout-${holdOut}-${name}`);
    const recipe = RECIPES[name]!;
    if (values.rerun || !existsSync(join(out, 'weights.json'))) {
      if (!data) {
        await initNodeTf();
        data = { ...(await exportTensors()), init: await exportInitialWeights() };
      }
      const { dir, index, init } = data;
      if (typeof recipe.teachers === 'string') for (const t of recipe.teachers.split(',')) await exportTeacherProbs(dir, index, t);
      console.error(`[compare] ${name}: training without ${holdOut}`);
      await runFinetune({ data: dir, init, out, 'hold-out': holdOut, batch: DEFAULTS.batch, seed: DEFAULTS.seed, epochs: 1.5, ...recipe });
    }
    results.set(name, JSON.parse(readFileSync(join(out, 'weights.json'), 'utf8')) as RunResult);
  }
  console.log(`\n### Recipes trained without ${holdOut} (valid macro-F1 % within source; ${holdOut} is held out, so its column is a population the model never saw)\n`);
  console.log(`| recipe | stage | ${SOURCES.map((s) => (s === holdOut ? `**${s}** (held out)` : s)).join(' | ')} | selection mean |`);
  console.log(`|---|---|${SOURCES.map(() => '---:').join('|')}|---:|`);
  const first = results.values().next().value;
  const original = first?.mixes.find((m) => m.alpha === 0);
  if (original) console.log(row("face-api's net, cut to 5 classes (112 px)", 'original (mix 0)', original));
  for (const [name, r] of results) {
    const alone = r.mixes.find((m) => m.alpha === 1);
    if (alone) console.log(row(name, 'fine-tuned alone', alone));
    console.log(row(name, `mix ${r.mix}`, r.valid));
    console.log(row(name, 'mix + calibration', r.validCalibrated));
    console.log(row(name, '+ flip averaging (2x time)', r.flipCalibrated));
  }
  console.log(`\nselection mean = mean of FER+ valid and ${SELECTION_SOURCES.join(', ')} (oahega reported, not selected on). Runs: artifacts/train/holdout-${holdOut}-<recipe>/.`);
  const best = [...results].sort((a, b) => (f1Of(b[1].validCalibrated, holdOut) ?? 0) - (f1Of(a[1].validCalibrated, holdOut) ?? 0))[0];
  if (best) console.log(`best on held-out ${holdOut} after calibration: ${best[0]} (${pct(f1Of(best[1].validCalibrated, holdOut))})`);
}

if (isMain(import.meta.url)) main().catch(exitWithError);
