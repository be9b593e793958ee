// Any context: stage 2, emotion classification of face crops. One implementation per architecture.
import type { ModelEntry } from '../core/models';
import type { PixelBox } from '../core/types';
import { loadGraph, loadGraphAndWeights, loadWeightMap, type ModelFileReader } from './loader';
import { cropBatch } from './preprocess';
import { tf } from './tf';

export interface EmotionClassifier {
  readonly entry: ModelEntry;
  /** One probability vector per crop, in the model's output label order. */
  classify(image: tf.Tensor3D, crops: readonly PixelBox[]): Promise<Float32Array[]>;
  /** The same for a batch already at the model's input, normalized (sheetBatch); disposes it. */
  classifyBatch(batch: tf.Tensor4D): Promise<Float32Array[]>;
  dispose(): void;
}

function weight(map: tf.NamedTensorMap, name: string): tf.Tensor {
  const t = map[name];
  if (!t) throw new Error(`weight ${name} missing`);
  return t;
}

/**
 * face-api's FaceExpressionNet feature extractor: four dense blocks of separable convs, then a
 * global average pool (face-api's 7x7 pool at 112 px), giving 256 features per face at any input size.
 */
export function faceApiFeatures(map: tf.NamedTensorMap): (x: tf.Tensor4D) => tf.Tensor2D {
  // A separable conv as depthwise then a pointwise conv with the bias (and a relu) fused in: one pass
  // fewer per conv than tf.separableConv2d + add (+ relu).
  const sep = (x: tf.Tensor4D, p: string, stride: number, activation: 'relu' | 'linear' = 'linear') =>
    tf.fused.conv2d({
      x: tf.depthwiseConv2d(x, weight(map, `${p}/depthwise_filter`) as tf.Tensor4D, stride, 'same'),
      filter: weight(map, `${p}/pointwise_filter`) as tf.Tensor4D,
      strides: 1,
      pad: 'same',
      bias: weight(map, `${p}/bias`),
      activation,
    });
  const block = (x: tf.Tensor4D, i: number) => {
    const p = `dense${i}`;
    const out1 =
      i === 0
        ? tf.fused.conv2d({ x, filter: weight(map, `${p}/conv0/filters`) as tf.Tensor4D, strides: 2, pad: 'same', bias: weight(map, `${p}/conv0/bias`), activation: 'relu' })
        : sep(x, `${p}/conv0`, 2, 'relu');
    const out2 = sep(out1, `${p}/conv1`, 1);
    const out3 = sep(tf.relu(tf.add(out1, out2)) as tf.Tensor4D, `${p}/conv2`, 1);
    const out4 = sep(tf.relu(tf.addN([out1, out2, out3])) as tf.Tensor4D, `${p}/conv3`, 1);
    return tf.relu(tf.addN([out1, out2, out3, out4])) as tf.Tensor4D;
  };
  return (x) => {
    let out = x;
    for (let i = 0; i < 4; i++) out = block(out, i);
    return tf.mean(out, [1, 2]) as tf.Tensor2D;
  };
}

/** Dense layers `${prefix}${i}/kernel|bias` (relu between, none after the last), as the trainer writes them. */
export function denseHead(map: tf.NamedTensorMap, prefix: string): (x: tf.Tensor2D) => tf.Tensor2D {
  const layers: Array<{ kernel: tf.Tensor2D; bias: tf.Tensor1D }> = [];
  for (let i = 0; map[`${prefix}${i}/kernel`]; i++) {
    layers.push({ kernel: weight(map, `${prefix}${i}/kernel`) as tf.Tensor2D, bias: weight(map, `${prefix}${i}/bias`) as tf.Tensor1D });
  }
  if (layers.length === 0) throw new Error(`no dense layers named ${prefix}0/kernel`);
  return (x) =>
    layers.reduce<tf.Tensor2D>(
      (h, l, i) => tf.fused.matMul({ a: h, b: l.kernel, bias: l.bias, activation: i < layers.length - 1 ? 'relu' : 'linear' }) as tf.Tensor2D,
      x,
    );
}

/** face-api's FaceExpressionNet: the feature extractor and its FC layer. */
function faceApiExpressionNet(map: tf.NamedTensorMap): (x: tf.Tensor4D) => tf.Tensor2D {
  const features = faceApiFeatures(map);
  return (x) => tf.add(tf.matMul(features(x), weight(map, 'fc/weights') as tf.Tensor2D), weight(map, 'fc/bias')) as tf.Tensor2D;
}

export async function createClassifier(entry: ModelEntry, read: ModelFileReader): Promise<EmotionClassifier> {
  let run: (x: tf.Tensor4D) => tf.Tensor;
  let release: () => void;
  if (entry.architecture === 'faceapi-expression') {
    const map = await loadWeightMap(entry, read);
    run = faceApiExpressionNet(map);
    release = () => tf.dispose(Object.values(map));
  } else if (entry.architecture === 'faceapi-features-mlp') {
    // Ours (tools/train): face-api's frozen feature extractor, our trained dense head.
    const map = await loadWeightMap(entry, read);
    const features = faceApiFeatures(map);
    const head = denseHead(map, 'head/dense');
    run = (x) => head(features(x));
    release = () => tf.dispose(Object.values(map));
  } else if (entry.architecture === 'graph-features-mlp') {
    // Ours (tools/train): a frozen graph backbone up to `featuresNode`, pooled, then our dense head.
    const { model, weights, metadata } = await loadGraphAndWeights(entry, read, (n) => n.startsWith('head/'));
    const node = metadata.featuresNode;
    if (typeof node !== 'string') throw new Error(`model ${entry.id}: model.json lacks userDefinedMetadata.featuresNode`);
    const head = denseHead(weights, 'head/dense');
    run = (x) => head(tf.mean(model.execute(x, node) as tf.Tensor4D, [1, 2]) as tf.Tensor2D);
    release = () => {
      model.dispose();
      tf.dispose(Object.values(weights));
    };
  } else if (entry.architecture === 'graph-classifier') {
    const model = await loadGraph(entry, read);
    run = (x) => model.execute(x) as tf.Tensor;
    release = () => model.dispose();
  } else {
    throw new Error(`model ${entry.id}: ${entry.architecture} is not an emotion classifier`);
  }
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
