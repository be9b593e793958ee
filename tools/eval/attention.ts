// Node (`npm run eval -- attention [--detectors a,b]`, tools/eval.ts): how well the head turn from a
// detector's keypoints (src/ml/logic/head-turn.ts) agrees with frames marked by eye as facing the camera or
// turned away (tests/fixtures/attention-check.csv: ../shared's talking clips and wild photos). Prints,
// per detector with keypoints and part of the check set, the agreement at FACING_MAX_TURN, then the
// default detector's agreement at other thresholds.
import { parseArgs } from 'node:util';
import { FACING_MAX_TURN } from '../../src/ml/logic/head-turn';
import { createPipeline } from '../../src/ml/pipeline';
import { type Agreement, agreement, type Measured, measureCheckSet, partOf, readCheckSet } from '../lib/attention-check';
import { fsReader, readManifest } from '../lib/node-models';
import { initNodeTf } from '../lib/tf-node';
import { readWild } from '../lib/wild';

const pct = (n: number, d: number) => (d > 0 ? `${((n / d) * 100).toFixed(1)}` : '—');
const cells = (a: Agreement) => [`${a.agree}/${a.judged} (${pct(a.agree, a.judged)} %)`, `${a.turnedCaught}/${a.turned}`, `${a.facingKept}/${a.facing}`, (((a.turned ? a.turnedCaught / a.turned : 1) + (a.facing ? a.facingKept / a.facing : 1)) * 50).toFixed(1), String(a.noFace)];

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { detectors: { type: 'string' } } });
  await initNodeTf();
  const manifest = readManifest();
  const ids = values.detectors ? values.detectors.split(',') : manifest.models.filter((m) => m.architecture === 'blazeface').map((m) => m.id);
  const items = readCheckSet();
  // Wild items are named by their path under datasets/wild (images/<label>/<hash>.jpg).
  const sources = new Map([...readWild('train'), ...readWild('valid')].map((r) => [r.path.slice(r.path.lastIndexOf('images/')), r.source]));
  const parts = [...new Set(items.map((i) => partOf(i.item, sources)))];
  const byDetector = new Map<string, Measured[]>();
  for (const id of ids) {
    const pipeline = await createPipeline({ manifest, read: fsReader(), detector: id, backend: { order: ['wasm'] } });
    byDetector.set(id, await measureCheckSet(pipeline, items));
    pipeline.dispose();
  }
  const marks = (part: string) => ['facing', 'turned', 'unclear'].map((m) => items.filter((i) => i.mark === m && partOf(i.item, sources) === part).length).join(' / ');
  console.log(`\n### Attention check set: ${items.length} items marked by eye, facing when |turn| < ${FACING_MAX_TURN} (Node, tfjs wasm)\n`);
  console.log('| detector | part | marked facing / turned / unclear | agreement | turned caught | facing kept | balanced % | no face found |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|');
  for (const [id, measured] of byDetector) {
    for (const part of parts) console.log(`| ${id} | ${part} | ${marks(part)} | ${cells(agreement(measured.filter((m) => partOf(m.item, sources) === part), FACING_MAX_TURN)).join(' | ')} |`);
  }
  const [first] = byDetector;
  if (!first) return;
  console.log(`\n### ${first[0]} at other thresholds (balanced %: mean of turned caught and facing kept)\n`);
  console.log(`| max turn | ${parts.join(' | ')} |`);
  console.log(`|---:|${parts.map(() => '---:').join('|')}|`);
  for (const t of [0.2, 0.25, 0.3, 0.35, 0.4, 0.5]) {
    console.log(`| ${t} | ${parts.map((p) => cells(agreement(first[1].filter((m) => partOf(m.item, sources) === p), t))[3]).join(' | ')} |`);
  }
}
