// Node (`npm run eval -- calibration [--models a,b] [--hold-out nhfi] [--limit n]`, tools/eval.ts):
// how far each classifier's confidence can be trusted, and the calibration that makes it mean what it
// says. Every classifier's raw probabilities on FER+ valid and test and the wild valid photos (each
// source's predictions restricted to its classes and renormalized, as every score here is judged);
// a temperature fitted on FER+ valid and the wild valid sources except the held-out one (least mean
// NLL), and the uncertain threshold chosen on the same faces (the largest confidence under which the
// labels, taken together, are wrong more often than right). Prints expected calibration error (ECE,
// 10 bins) before and after on every source, FER+ test and the held-out source included, and
// reliability tables; without --limit, writes each model's `calibration` into models.json.
import { parseArgs } from 'node:util';
import {
  accuracy,
  chooseUncertainBelow,
  expectedCalibrationError,
  fitTemperature,
  type ModelCalibration,
  reliability,
  type ScoredFace,
  temper,
  topConfidence,
} from '../../src/core/calibration';
import { createPipeline } from '../../src/ml/pipeline';
import { FERPLUS_LABELS, ferPlusFaces } from '../lib/ferplus';
import { recordCalibrations } from '../lib/model-files';
import { fsReader, readManifest } from '../lib/node-models';
import { initNodeTf } from '../lib/tf-node';
import { WILD_SOURCES } from '../lib/wild';
import { wildSamples } from './classifiers';

const LABELS: readonly string[] = FERPLUS_LABELS;

/** One face's raw probabilities over LABELS, its truth and where it comes from ('ferplus-valid', 'ferplus-test' or a wild source). */
interface Row {
  set: string;
  probs: number[];
  truth: string;
}

/** The classes a set is judged on (a wild source's own; FER+ all five). */
const classesOf = (set: string): readonly string[] => WILD_SOURCES[set] ?? LABELS;

/** A row as the calibration maths takes it: probabilities restricted to the set's classes (after `temperature`), renormalized. */
function scored(rows: readonly Row[], temperature: number): ScoredFace[] {
  return rows.map((r) => {
    const t = temper(r.probs, temperature);
    const classes = classesOf(r.set);
    const kept = classes.map((c) => t[LABELS.indexOf(c)] ?? 0);
    const sum = kept.reduce((a, b) => a + b, 0) || 1;
    return { probs: kept.map((p) => p / sum), truth: classes.indexOf(r.truth) };
  });
}

async function rawRows(id: string, limit?: number): Promise<Row[]> {
  const p = await createPipeline({ manifest: readManifest(), read: fsReader(), classifier: id, faces: 'whole', backend: { order: ['wasm'] }, calibrate: false });
  const rows: Row[] = [];
  const add = async (set: string, image: Parameters<typeof p.analyze>[0], truth: string) => {
    const probs = (await p.analyze(image)).faces[0]?.probabilities ?? {};
    rows.push({ set, truth, probs: LABELS.map((l) => probs[l] ?? 0) });
  };
  for (const split of ['valid', 'test'] as const) for (const f of ferPlusFaces(split, { limit })) await add(`ferplus-${split}`, f.image, f.truth);
  for (const s of await wildSamples(limit)) await add(s.source, s.image, s.truth);
  p.dispose();
  return rows;
}

const pct = (v: number) => (v * 100).toFixed(1);

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { models: { type: 'string' }, 'hold-out': { type: 'string', default: 'nhfi' }, limit: { type: 'string' } } });
  await initNodeTf();
  const limit = values.limit ? Number(values.limit) : undefined;
  const holdOut = values['hold-out'];
  const manifest = readManifest();
  const ids = values.models?.split(',') ?? manifest.models.filter((m) => m.task === 'emotion' && (m.name || m.id === manifest.defaults.classifier)).map((m) => m.id);
  const sets = ['ferplus-valid', 'ferplus-test', ...Object.keys(WILD_SOURCES)];
  const fitSets = sets.filter((s) => s !== 'ferplus-test' && s !== holdOut);
  const fittedOn = `FER+ valid and wild valid ${fitSets.filter((s) => s !== 'ferplus-valid').join(', ')} (${holdOut} held out; each source within its classes)`;
  const written = new Map<string, ModelCalibration>();
  const tables: string[] = [];
  console.log(`\n### Calibration: expected calibration error (10 bins) of the top label, before -> after temperature scaling\n`);
  console.log(`Fitted on ${fittedOn}. Accuracy and ECE in %; uncertain: faces under the threshold, and how often their label was right; sure: the others.\n`);
  console.log('| model | T | uncertain below | set | faces | accuracy | mean confidence before -> after | **ECE before -> after** | uncertain % (right %) | sure right % |');
  console.log('|---|---:|---:|---|---:|---:|---:|---:|---:|---:|');
  for (const id of ids) {
    const rows = await rawRows(id, limit);
    const fit = rows.filter((r) => fitSets.includes(r.set));
    const temperature = fitTemperature(scored(fit, 1));
    const uncertainBelow = chooseUncertainBelow(scored(fit, temperature));
    const ece = expectedCalibrationError(scored(fit, temperature));
    written.set(id, { temperature: Math.round(temperature * 1000) / 1000, uncertainBelow, ece: Math.round(ece * 10000) / 10000, fittedOn, by: 'npm run eval -- calibration', date: new Date().toISOString().slice(0, 10) });
    for (const set of ['fit (all fitted faces)', ...sets]) {
      const part = set.startsWith('fit') ? fit : rows.filter((r) => r.set === set);
      if (part.length === 0) continue;
      const [before, after] = [scored(part, 1), scored(part, temperature)];
      const mean = (fs: ScoredFace[]) => fs.reduce((a, f) => a + topConfidence(f.probs), 0) / fs.length;
      const unsure = after.filter((f) => topConfidence(f.probs) < uncertainBelow);
      const sure = after.filter((f) => topConfidence(f.probs) >= uncertainBelow);
      const name = set === holdOut ? `**${set}** (held out)` : set === 'ferplus-test' ? '**ferplus-test**' : set;
      console.log(
        `| ${id} | ${temperature.toFixed(2)} | ${pct(uncertainBelow)} | ${name} | ${part.length} | ${pct(accuracy(after))} | ${pct(mean(before))} -> ${pct(mean(after))} | ${pct(expectedCalibrationError(before))} -> **${pct(expectedCalibrationError(after))}** | ${pct(unsure.length / part.length)} (${unsure.length ? pct(accuracy(unsure)) : '-'}) | ${sure.length ? pct(accuracy(sure)) : '-'} |`,
      );
    }
    if (id === manifest.defaults.classifier) {
      for (const set of [holdOut, 'ferplus-test']) {
        const bins = (t: number) => reliability(scored(rows.filter((r) => r.set === set), t));
        const [b, a] = [bins(1), bins(temperature)];
        tables.push(`\n#### ${id} on ${set}: reliability (faces, mean confidence %, accuracy %), before -> after\n`);
        tables.push('| confidence | before: faces | confidence | accuracy | after: faces | confidence | accuracy |\n|---|---:|---:|---:|---:|---:|---:|');
        b.forEach((x, i) => {
          const y = a[i]!;
          if (x.faces + y.faces === 0) return;
          tables.push(`| ${pct(x.from)}-${pct(x.to)} | ${x.faces} | ${x.faces ? pct(x.meanConfidence) : '-'} | ${x.faces ? pct(x.accuracy) : '-'} | ${y.faces} | ${y.faces ? pct(y.meanConfidence) : '-'} | ${y.faces ? pct(y.accuracy) : '-'} |`);
        });
      }
    }
  }
  console.log(tables.join('\n'));
  if (limit === undefined) {
    recordCalibrations(written);
    console.log(`\nWritten into public/models/models.json (\`calibration\`): ${[...written].map(([id, c]) => `${id} T ${c.temperature}, uncertain below ${c.uncertainBelow}`).join('; ')}.`);
  }
}
