// Node: ship a fine-tuned classifier: write it as tfjs weights in float32, float16 and uint8
// (export.ts), check float32 against the trainer's own logits, score each through the real pipeline
// on validation, keep uint8 if it costs under half a point (else float16), and write its models.json entry.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelEntry, Quantization } from '../../src/core/models';
import { FERPLUS_LABELS, ferPlusFaces } from '../lib/ferplus';
import { decodeImageFile } from '../lib/images';
import { readManifestFile, writeManifest } from '../lib/model-files';
import { MODELS_DIR } from '../lib/paths';
import { tf } from '../lib/tf-node';
import { readWild, WILD_SOURCES } from '../lib/wild';
import { checkAgainstReference, type LabelledImage, scoreThroughPipeline, type ValidScore, writeFinetunedModel } from './export';
import type { FinetuneOutput } from './finetune';

/** uint8 ships if its combined valid score is within this of float32's. */
const QUANT_TOLERANCE = 0.005;

/** FER+ valid and the wild valid photos of the scored sources, as the pipeline takes them. */
async function validImages(): Promise<LabelledImage[]> {
  const fer = ferPlusFaces('valid').map((f) => ({ ...f, source: 'ferplus' }));
  const rows = readWild('valid').filter((r) => WILD_SOURCES[r.source]?.includes(r.label));
  const wild = await Promise.all(rows.map(async (r) => ({ image: await decodeImageFile(r.path), truth: r.label, source: r.source })));
  return [...fer, ...wild];
}

export interface Shipped {
  ours: ModelEntry;
  scores: Partial<Record<Quantization, ValidScore>>;
  /** Largest probability difference between the float32 export and the trainer, on its reference faces. */
  referenceError: number;
}

export async function shipModel(out: FinetuneOutput, opts: { id: string; makeDefault: boolean }): Promise<Shipped> {
  const labels = [...FERPLUS_LABELS];
  const manifestBefore = readManifestFile();
  if (!manifestBefore) throw new Error('public/models/models.json missing: run `npm run models` first');
  const training = { ...out.result, reference: undefined, history: undefined, trainMinutes: out.result.minutes };
  const entries: ModelEntry[] = (['float32', 'float16', 'uint8'] as const).map((q) => writeFinetunedModel(manifestBefore, opts.id, out, q, labels, training));
  tf.dispose(Object.values(out.weights));
  writeManifest(entries, manifestBefore.defaults, manifestBefore.labels);
  const manifest = readManifestFile()!;

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
  return { ours, scores, referenceError };
}
