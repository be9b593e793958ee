// Node (`npm run eval -- presence [--models a,b]`, tools/eval.ts): does a tile with no face found have
// someone in it? Each item of the presence check set (tests/fixtures/presence-check.csv, marked by eye:
// face / person / nobody / unclear; tools/lib/presence-check.ts) through the real pipeline with the
// default face detector and each person detector: the state the overlay would show (a face found;
// else "someone there" or "nobody" by the person detector) against the mark, the agreement on
// someone-or-nobody without and with the person detector, its agreement at other thresholds, and its
// median ms per frame (Node, tfjs wasm).
import { parseArgs } from 'node:util';
import { PERSON_MIN_SCORE } from '../../src/ml/logic/presence';
import { createPipeline } from '../../src/ml/pipeline';
import { median } from '../lib/metrics';
import { fsReader, readManifest } from '../lib/node-models';
import { agreement, measurePresence, readPresenceSet, type Seen, stateOf } from '../lib/presence-check';
import { initNodeTf } from '../lib/tf-node';

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { models: { type: 'string' } } });
  await initNodeTf();
  const manifest = readManifest();
  const ids = values.models?.split(',') ?? manifest.models.filter((m) => m.task === 'person-detection').map((m) => m.id);
  const items = readPresenceSet();
  const results = new Map<string, { seen: Seen[]; ms: number[] }>();
  for (const id of ids) {
    const pipeline = await createPipeline({ manifest, read: fsReader(), person: id, backend: { order: ['wasm'] } });
    await measurePresence(pipeline, items); // a first pass loads the person detector and warms it
    results.set(id, await measurePresence(pipeline, items));
    pipeline.dispose();
  }
  const count = (m: string) => items.filter((i) => i.mark === m).length;
  console.log(`\n### Presence check set: ${items.length} items marked by eye (face ${count('face')}, person ${count('person')}, nobody ${count('nobody')}, unclear ${count('unclear')}); default face detector ${manifest.defaults.detector}, person threshold ${PERSON_MIN_SCORE}\n`);
  console.log('| person detector | someone or nobody right (judged) | someone kept | nobody kept | balanced % | marked person: face found / person / nobody | marked nobody: face / person / nobody | ms per frame (median) | bytes |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  const first = [...results.values()][0];
  const row = (name: string, seen: readonly Seen[], t: number | null, ms: string, bytes: string) => {
    const a = agreement(seen, t);
    const split = (mark: string) => (['face', 'person', 'nobody'] as const).map((st) => seen.filter((s) => s.mark === mark && stateOf(s, t) === st).length).join(' / ');
    console.log(`| ${name} | ${a.agree}/${a.judged} (${((a.agree / a.judged) * 100).toFixed(1)} %) | ${a.someoneKept} | ${a.nobodyKept} | ${a.balanced.toFixed(1)} | ${split('person')} | ${split('nobody')} | ${ms} | ${bytes} |`);
  };
  if (first) row('none (no face = nobody)', first.seen, null, '—', '—');
  for (const [id, r] of results) row(id, r.seen, PERSON_MIN_SCORE, median(r.ms).toFixed(1), (manifest.models.find((m) => m.id === id)?.bytes ?? 0).toLocaleString('en'));
  console.log('\n### Balanced % at other person thresholds (items with no face found decide)\n');
  console.log(`| threshold | ${ids.join(' | ')} |`);
  console.log(`|---:|${ids.map(() => '---:').join('|')}|`);
  for (const t of [0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5]) console.log(`| ${t} | ${[...results.values()].map((r) => agreement(r.seen, t).balanced.toFixed(1)).join(' | ')} |`);
  if (first) {
    console.log('\n### Person scores where no face was found, by mark (first detector)\n');
    for (const mark of ['person', 'nobody', 'face']) {
      const scores = first.seen.filter((s) => s.mark === mark && s.score !== null).map((s) => s.score!.toFixed(2));
      console.log(`- ${mark}: ${scores.join(', ') || '—'}`);
    }
  }
}
