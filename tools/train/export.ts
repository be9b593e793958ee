// Node (tfjs wasm): the fine-tuned weights as shipped tfjs models (face-api's trunk layout plus our
// head, run by the extension's 'faceapi-features-mlp' graph), checked against the trainer's own
// logits, quantized, and scored through the real pipeline on the validation splits.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { softmax } from '../../src/core/labels';
import { type ModelEntry, type ModelsManifest, findModel, type Quantization } from '../../src/core/models';
import { createPipeline } from '../../src/ml/pipeline';
import type { PixelData } from '../../src/ml/preprocess';
import type { LabelledFace } from '../lib/ferplus';
import { encodeWeights, QUANT_SUFFIX, writeModelDir } from '../lib/model-files';
import { fsReader } from '../lib/node-models';
import { MODELS_DIR } from '../lib/paths';
import { combinedScore, scoreWithinSources, WILD_SOURCES } from '../lib/wild';
import type { FinetuneOutput } from './finetune';
import { TRUNK_SOURCE } from './finetune';

/** The data npm run train fits on, with their terms (../shared/README.md). */
const TRAINED_ON =
  'FER+ (FER2013 images, research use; labels MIT), OAHEGA (web-scraped), webcam student photos (educational and research use), NHFI (web images, no image licence), SFEW 2.0 (academic licence), AffectNet (academic licence, non-commercial)';

/** Write <id>-<q>/ and return its models.json entry. */
export function writeFinetunedModel(manifest: ModelsManifest, id: string, out: FinetuneOutput, q: Quantization, labels: string[], training: Record<string, unknown>): ModelEntry {
  const source = findModel(manifest, TRUNK_SOURCE, 'emotion');
  const modelId = `${id}-${QUANT_SUFFIX[q]}`;
  rmSync(join(MODELS_DIR, modelId), { recursive: true, force: true });
  const { specs, data } = encodeWeights(out.weights, out.names, q);
  const files = writeModelDir(modelId, { format: 'weights', architecture: 'faceapi-features-mlp', training, weightsManifest: [{ paths: ['weights.bin'], weights: specs }] }, data);
  const size = out.result.size;
  const hidden = out.names.filter((n) => /^head\/dense\d+\/kernel$/.test(n)).length - 1;
  return {
    id: modelId,
    task: 'emotion',
    architecture: 'faceapi-features-mlp',
    format: 'weights',
    input: { width: size, height: size, channels: 3, mean: [...source.input.mean], std: [...source.input.std] },
    labels,
    labelMap: {},
    outputs: 'logits',
    quantization: q,
    bytes: files.reduce((a, f) => a + f.bytes, 0),
    files,
    source: { package: `tools/train on ${source.source.package}`, version: source.source.version, files: [`${source.id} (trunk, fine-tuned)`] },
    licence: `${source.licence} (face-api's weights it starts from); the fine-tuned weights carry the research-use terms of the data below`,
    trainedOn: `${TRAINED_ON} (all research use), starting from face-api's expression net`,
    name: 'Ours (fine-tuned, distilled from face-api)',
    description: `Ours: face-api's expression net fine-tuned end to end at ${size} px on colour and grey, with a ${hidden > 0 ? `${hidden}-hidden-layer` : 'linear'} head, the paper's recipe (class weights mu, augmentation, Adam with LR halving), distilled from the original net and mixed with its weights (share chosen on valid), calibrated on valid`,
  };
}

export interface LabelledImage extends LabelledFace {
  /** 'ferplus' or a wild source. */
  source: string;
}

export interface ValidScore {
  perSource: Record<string, number>;
  /** `npm run eval -- classifiers`' combined score: mean of FER+ and the SELECTION_SOURCES macro-F1s. */
  combined: number;
}

/** A model through the real pipeline (whole image as the face), macro-F1 within each source. */
export async function scoreThroughPipeline(manifest: ModelsManifest, id: string, images: readonly LabelledImage[]): Promise<ValidScore> {
  const p = await createPipeline({ manifest, read: fsReader(), classifier: id, faces: 'whole', backend: { order: ['wasm'] }, warmup: false });
  const rows = [];
  try {
    for (const s of images) rows.push({ source: s.source, truth: s.truth, probs: (await p.analyze(s.image)).faces[0]?.probabilities ?? {} });
  } finally {
    p.dispose();
  }
  const scores = scoreWithinSources(rows, (s) => (s === 'ferplus' ? manifest.labels : WILD_SOURCES[s]));
  const perSource = Object.fromEntries(Object.entries(scores).map(([s, v]) => [s, v.macroF1]));
  return { perSource, combined: combinedScore(scores.ferplus?.macroF1 ?? 0, scores) };
}

/**
 * The float32 export must give the trainer's own probabilities on the reference faces (the first
 * wild valid photos): a wrong weight layout or padding shows here, not in a user's overlay.
 */
export async function checkAgainstReference(manifest: ModelsManifest, id: string, images: readonly PixelData[], reference: readonly number[][], labels: readonly string[]): Promise<number> {
  const p = await createPipeline({ manifest, read: fsReader(), classifier: id, faces: 'whole', backend: { order: ['wasm'] }, warmup: false });
  let worst = 0;
  try {
    for (const [i, logits] of reference.entries()) {
      const image = images[i];
      if (!image) throw new Error(`reference face ${i} missing`);
      const probs = (await p.analyze(image)).faces[0]?.probabilities ?? {};
      const expected = softmax(logits);
      labels.forEach((l, c) => {
        worst = Math.max(worst, Math.abs((probs[l] ?? 0) - (expected[c] ?? 0)));
      });
    }
  } finally {
    p.dispose();
  }
  if (worst > 0.02) throw new Error(`exported model ${id} disagrees with the trainer: max probability difference ${worst.toFixed(4)} on the reference faces`);
  return worst;
}
