// Node CLI (`npm run eval:preprocess -- [--classifier id] [--limit n]`): does the OAHEGA app's
// preprocessing help our pipeline? The wild valid photos (scored within each source), each put on a
// larger canvas so the detector finds the face as it would in a call, under four conditions
// (as is, darkened x0.4, rotated +20° and -20°), through four pipelines: plain, dark-frame gamma
// (1.5 at or below a mean brightness threshold), eye alignment (BlazeFace keypoints), both.
import { parseArgs } from 'node:util';
import sharp, { type Sharp } from 'sharp';
import { confusionMatrix, macroF1 } from './lib/metrics';
import { createPipeline, type Pipeline } from '../src/ml/pipeline';
import type { PixelData } from '../src/ml/preprocess';
import { exitWithError, isMain } from './lib/cli';
import { fsReader, readManifest } from './lib/node-models';
import { initNodeTf } from './lib/tf-node';
import { readWild, restrictedTop, WILD_SOURCES } from './lib/wild';

const CANVAS = 256;
/** Mean brightness (0-255) at or below which a frame counts as dark. */
export const DARK_THRESHOLD = 70;
const GAMMA = 1.5;

const CONDITIONS: Record<string, (img: Sharp) => Sharp> = {
  'as is': (img) => img,
  'dark x0.4': (img) => img.linear(0.4, 0),
  'rotated +20°': (img) => img.rotate(20, { background: '#000' }),
  'rotated -20°': (img) => img.rotate(-20, { background: '#000' }),
};

/** The photo (transformed) centred on a black CANVAS x CANVAS frame, as RGBA. */
async function onCanvas(path: string, condition: (img: Sharp) => Sharp): Promise<PixelData> {
  const face = await condition(sharp(path).removeAlpha()).png().toBuffer();
  const { width = 0, height = 0 } = await sharp(face).metadata();
  const left = Math.round((CANVAS - width) / 2);
  const top = Math.round((CANVAS - height) / 2);
  const { data, info } = await sharp({ create: { width: CANVAS, height: CANVAS, channels: 3, background: '#000' } })
    .composite([{ input: face, left, top }])
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

interface Row {
  condition: string;
  variant: string;
  detected: number;
  n: number;
  perSource: Record<string, number>;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { classifier: { type: 'string' }, limit: { type: 'string' } } });
  await initNodeTf();
  const manifest = readManifest();
  const classifier = values.classifier ?? manifest.defaults.classifier;
  let rows = readWild('valid').filter((r) => WILD_SOURCES[r.source]?.includes(r.label));
  if (values.limit) rows = rows.filter((_, i) => i % Math.max(1, Math.floor(rows.length / Number(values.limit))) === 0);
  const variants: Record<string, Pipeline> = {};
  const base = { manifest, read: fsReader(), classifier, backend: { order: ['wasm' as const] } };
  variants.plain = await createPipeline(base);
  variants.gamma = await createPipeline({ ...base, darkGamma: { threshold: DARK_THRESHOLD, gamma: GAMMA } });
  variants.align = await createPipeline({ ...base, align: true });
  variants['gamma + align'] = await createPipeline({ ...base, align: true, darkGamma: { threshold: DARK_THRESHOLD, gamma: GAMMA } });
  const results: Row[] = [];
  for (const [condition, transform] of Object.entries(CONDITIONS)) {
    const images = await Promise.all(rows.map((r) => onCanvas(r.path, transform)));
    for (const [variant, p] of Object.entries(variants)) {
      const bySource = new Map<string, { truths: string[]; preds: string[] }>();
      let detected = 0;
      for (const [i, r] of rows.entries()) {
        const faces = (await p.analyze(images[i]!)).faces;
        // The largest face is the photo's subject; no face counts as a miss, scored as the first class.
        const face = [...faces].sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height)[0];
        if (face) detected++;
        const e = bySource.get(r.source) ?? { truths: [], preds: [] };
        e.truths.push(r.label);
        e.preds.push(face ? restrictedTop(face.probabilities, WILD_SOURCES[r.source] ?? []) : (WILD_SOURCES[r.source]?.[0] ?? ''));
        bySource.set(r.source, e);
      }
      const perSource = Object.fromEntries([...bySource].map(([s, { truths, preds }]) => [s, macroF1(confusionMatrix(truths, preds, [...(WILD_SOURCES[s] ?? [])]))]));
      results.push({ condition, variant, detected, n: rows.length, perSource });
      console.error(`[preprocess] ${condition} / ${variant}: ${JSON.stringify(perSource)}, ${detected}/${rows.length} detected`);
    }
  }
  Object.values(variants).forEach((p) => p.dispose());
  const pct = (v: number | undefined) => ((v ?? 0) * 100).toFixed(1);
  console.log(`\n### Preprocessing on wild valid (${rows.length} photos on a ${CANVAS} px canvas, detector ${manifest.defaults.detector}, classifier ${classifier}; macro-F1 % within source)\n`);
  console.log('| condition | variant | faces found | oahega | webcam-colour |');
  console.log('|---|---|---:|---:|---:|');
  for (const r of results) console.log(`| ${r.condition} | ${r.variant} | ${r.detected}/${r.n} | ${pct(r.perSource.oahega)} | ${pct(r.perSource['webcam-colour'])} |`);
  console.log(`\ngamma: ${GAMMA} on frames with mean brightness <= ${DARK_THRESHOLD}; align: crop rotated to level BlazeFace's eye keypoints.`);
}

if (isMain(import.meta.url)) main().catch(exitWithError);
