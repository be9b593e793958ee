// Node (`npm run eval -- detectors [--limit n] [--crop-scales 1.1,1.25]`, tools/eval.ts): every
// shipped face detector with the default classifier on the wild valid photos, each centred on a
// 480 x 270 frame as a call tile would show it: the share of photos where a face was found, macro-F1
// within each source on the largest face found (a miss counts as wrong), and the median detection
// ms per frame (Node, tfjs wasm; the detectors interleaved photo by photo). --crop-scales runs each
// detector at other classifier crop scales too (how much the square crop grows around the box).
// Without --limit the figures at the pipeline's own crop scale go into models.json (`measured`),
// which the Settings picker shows.
import { parseArgs } from 'node:util';
import { median } from '../lib/metrics';
import { createPipeline, PIPELINE_DEFAULTS } from '../../src/ml/pipeline';
import { recordMeasurements } from '../lib/model-files';
import { fsReader, readManifest } from '../lib/node-models';
import { initNodeTf } from '../lib/tf-node';
import { largestFace, readWild, scoreWithinSources, spreadSubset, WILD_FRAME, wildOnFrame, WILD_SOURCES } from '../lib/wild';

const SOURCES = ['oahega', 'webcam-colour'] as const;

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { limit: { type: 'string' }, 'crop-scales': { type: 'string' } } });
  await initNodeTf();
  const manifest = readManifest();
  const scales = values['crop-scales'] ? values['crop-scales'].split(',').map(Number) : [PIPELINE_DEFAULTS.cropScale];
  if (scales.some((x) => !(x > 0))) throw new Error(`--crop-scales must be positive numbers, got ${values['crop-scales']}`);
  const detectors = manifest.models
    .filter((m) => m.task === 'face-detection')
    .flatMap((m) => scales.map((cropScale) => ({ ...m, cropScale })));
  const pipelines = await Promise.all(detectors.map((d) => createPipeline({ manifest, read: fsReader(), detector: d.id, cropScale: d.cropScale, backend: { order: ['wasm'] } })));
  const all = readWild('valid').filter((r) => (SOURCES as readonly string[]).includes(r.source) && WILD_SOURCES[r.source]?.includes(r.label));
  const rows = spreadSubset(all, values.limit ? Number(values.limit) : undefined);

  const runs = detectors.map(() => ({ found: 0, ms: [] as number[], boxes: [] as number[], scored: [] as Array<{ source: string; truth: string; probs: Record<string, number> }> }));
  for (const r of rows) {
    const image = await wildOnFrame(r.path);
    for (const [k, p] of pipelines.entries()) {
      const result = await p.analyze(image);
      const run = runs[k]!;
      const face = largestFace(result.faces);
      if (face) {
        run.found++;
        run.boxes.push(face.box.width);
      }
      run.ms.push(result.ms.detect);
      // A photo with no face found counts as a wrong label (the user sees none): all weight on another class.
      const wrong = (WILD_SOURCES[r.source] ?? []).find((c) => c !== r.label) ?? r.label;
      run.scored.push({ source: r.source, truth: r.label, probs: face ? face.probabilities : { [wrong]: 1 } });
    }
  }
  pipelines.forEach((p) => p.dispose());

  const scores = runs.map((run) => scoreWithinSources(run.scored));
  const f1 = (k: number, s: string) => scores[k]?.[s]?.macroF1 ?? 0;
  const pct = (v: number) => (v * 100).toFixed(1);
  console.log(`\n### ${rows.length} wild valid photos on a ${WILD_FRAME.width}x${WILD_FRAME.height} frame, classifier ${manifest.defaults.classifier} (Node, tfjs wasm)\n`);
  console.log('| detector | crop scale | bytes | faces found % | box width px (median) | OAHEGA macro-F1 % | webcam-colour macro-F1 % | detect ms / frame (median) |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  detectors.forEach((d, k) => {
    const run = runs[k]!;
    console.log(`| ${d.id} | ${d.cropScale} | ${d.bytes.toLocaleString('en')} | ${pct(run.found / rows.length)} | ${median(run.boxes).toFixed(1)} | ${pct(f1(k, 'oahega'))} | ${pct(f1(k, 'webcam-colour'))} | ${median(run.ms).toFixed(1)} |`);
  });
  const shipped = detectors.map((d, k) => ({ d, k })).filter(({ d }) => d.cropScale === PIPELINE_DEFAULTS.cropScale);
  if (!values.limit && shipped.length > 0) {
    const date = new Date().toISOString();
    recordMeasurements(
      new Map(
        shipped.map(({ d, k }) => {
          const run = runs[k]!;
          const wildMacroF1 = Object.fromEntries(SOURCES.map((s) => [s, f1(k, s)]));
          return [d.id, { wildMacroF1, facesFound: run.found / rows.length, ms: median(run.ms), by: 'npm run eval -- detectors', date }];
        }),
      ),
    );
    console.log(`\nmeasurements of ${shipped.map(({ d }) => d.id).join(', ')} (crop scale ${PIPELINE_DEFAULTS.cropScale}) written to public/models/models.json`);
  }
}

