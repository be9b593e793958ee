// One-off study (docs/decisions.md): ours-emotion-u8 at other input sides, its trained head unchanged:
// macro-F1 within each wild valid source and on FER+ test. `npx tsx tools/study/classifier-size.ts 112 96`.
import { createPipeline } from '../../src/ml/pipeline';
import { topLabel } from '../../src/core/labels';
import { fsReader, readManifest } from '../lib/node-models';
import { initNodeTf } from '../lib/tf-node';
import { decodeImageFile } from '../lib/images';
import { ferPlusFaces, scoreFerPlus, FERPLUS_LABELS } from '../lib/ferplus';
import { readWild, scoreWithinSources, WILD_SOURCES } from '../lib/wild';
await initNodeTf();
const base = readManifest();
const wild = readWild('valid').filter((r) => WILD_SOURCES[r.source]?.includes(r.label));
const wildImgs = await Promise.all(wild.map((r) => decodeImageFile(r.path)));
const fer = ferPlusFaces('test');
for (const size of process.argv.slice(2).map(Number)) {
  const manifest = { ...base, models: base.models.map((m) => (m.id === 'ours-emotion-u8' ? { ...m, input: { ...m.input, width: size, height: size } } : m)) };
  const p = await createPipeline({ manifest, read: fsReader(), classifier: 'ours-emotion-u8', faces: 'whole', backend: { order: ['wasm'] } });
  const rows = [];
  for (let i = 0; i < wild.length; i++) rows.push({ source: wild[i]!.source, truth: wild[i]!.label, probs: (await p.analyze(wildImgs[i]!)).faces[0]!.probabilities });
  const s = scoreWithinSources(rows);
  const f = await scoreFerPlus(fer, async (img) => { const pr = (await p.analyze(img)).faces[0]!.probabilities; return topLabel(Object.fromEntries(FERPLUS_LABELS.map((l) => [l, pr[l] ?? 0]))).label; });
  console.log(size, Object.entries(s).map(([k, v]) => `${k} ${(v.macroF1 * 100).toFixed(1)}`).join(' / '), `| FER+ ${(f.macroF1 * 100).toFixed(1)}`);
  p.dispose();
}
