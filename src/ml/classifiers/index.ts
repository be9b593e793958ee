// Any context: stage 2, emotion classification of face crops: one interface, one file per family of
// architectures in models.json. Adding an architecture: its loader (a net: run + release) and one
// line in NETS; batching, softmax and crops are the same for all.
import type { ModelEntry } from '../../core/models';
import type { PixelBox } from '../../core/types';
import type { ModelFileReader } from '../loader';
import { cropBatch } from '../preprocess';
import { tf } from '../tf';
import { faceApiExpression, faceApiFeaturesMlp } from './faceapi';
import { graphClassifier, graphFeaturesMlp } from './graph';

export interface EmotionClassifier {
  readonly entry: ModelEntry;
  /** One probability vector per crop, in the model's output label order. */
  classify(image: tf.Tensor3D, crops: readonly PixelBox[]): Promise<Float32Array[]>;
  /** The same for a batch already at the model's input, normalized (sheetBatch); disposes it. */
  classifyBatch(batch: tf.Tensor4D): Promise<Float32Array[]>;
  dispose(): void;
}

/** A loaded classifier network: a batch of crops in, one output row per crop; `release` frees its weights. */
export interface ClassifierNet {
  run(x: tf.Tensor4D): tf.Tensor;
  release(): void;
}

/** models.json's classifier architectures, each with its loader. */
const NETS: Readonly<Record<string, (entry: ModelEntry, read: ModelFileReader) => Promise<ClassifierNet>>> = {
  'faceapi-expression': faceApiExpression,
  'faceapi-features-mlp': faceApiFeaturesMlp,
  'graph-features-mlp': graphFeaturesMlp,
  'graph-classifier': graphClassifier,
};

export async function createClassifier(entry: ModelEntry, read: ModelFileReader): Promise<EmotionClassifier> {
  const load = NETS[entry.architecture];
  if (!load) throw new Error(`model ${entry.id}: ${entry.architecture} is not an emotion classifier`);
  const { run, release } = await load(entry, read);
  async function classifyBatch(batch: tf.Tensor4D): Promise<Float32Array[]> {
    const count = batch.shape[0];
    let probs: tf.Tensor;
    try {
      probs = tf.tidy(() => {
        const out = run(batch);
        return entry.outputs === 'logits' ? tf.softmax(out) : out;
      });
    } finally {
      batch.dispose();
    }
    try {
      const data = (await probs.data()) as Float32Array;
      const n = entry.labels.length;
      return Array.from({ length: count }, (_, i) => data.slice(i * n, (i + 1) * n));
    } finally {
      probs.dispose();
    }
  }
  return {
    entry,
    async classify(image, crops) {
      if (crops.length === 0) return [];
      return classifyBatch(cropBatch(image, crops, entry.input));
    },
    classifyBatch,
    dispose: release,
  };
}
