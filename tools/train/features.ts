// Node (tfjs wasm): frozen-backbone features for FER+ faces (or a folder-per-class dataset), with
// seeded augmentation variants, cached on disk so the head search never recomputes them.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findModel } from '../../src/core/models';
import { rng } from './training';
import { faceApiFeatures } from '../../src/ml/classifiers/faceapi';
import { loadGraph, loadWeightMap } from '../../src/ml/loader';
import { loadTfliteModel } from '../lib/tflite';
import { fsReader, readManifest } from '../lib/node-models';
import { REPO_ROOT, sharedPath } from '../lib/paths';
import { tf } from '../lib/tf-node';

export const CACHE_DIR = join(REPO_ROOT, '.cache', 'features');

/** A face as the trainer sees it: grey pixels, any square-ish size, and its label index. */
export interface Face {
  grey: Uint8Array;
  width: number;
  height: number;
  label: number;
}

export interface Backbone {
  id: string;
  /** Where its weights come from (a models.json id): the deployed model embeds them. */
  sourceModel: string;
  inputSize: number;
  dim: number;
  /** [N, H, W, 1] grey 0..255 -> [N, dim] features. */
  features(grey: tf.Tensor4D): tf.Tensor2D;
  dispose(): void;
}

/** [N, H, W, 1] -> [N, H, W, 3] as a matMul: on wasm, tf.tile over the channel axis is slow. */
function greyToRgb(grey: tf.Tensor4D): tf.Tensor4D {
  const [n, h, w] = grey.shape;
  return tf.tidy(() => tf.reshape(tf.matMul(tf.reshape(grey, [-1, 1]), tf.ones([1, 3])), [n, h, w, 3]));
}

/** face-api's expression feature extractor on grey faces repeated over RGB, normalized as face-api does. */
export async function faceApiBackbone(inputSize = 112): Promise<Backbone> {
  const manifest = readManifest();
  const entry = findModel(manifest, 'faceapi-expression-f16', 'emotion');
  const map = await loadWeightMap(entry, fsReader());
  const run = faceApiFeatures(map);
  const mean = tf.tensor1d(entry.input.mean);
  return {
    id: `faceapi-${inputSize}`,
    sourceModel: entry.id,
    inputSize,
    dim: 256,
    features: (grey) =>
      tf.tidy(() => {
        const rgb = greyToRgb(tf.image.resizeBilinear(grey, [inputSize, inputSize]));
        return run(tf.div(tf.sub(rgb, mean), 255) as tf.Tensor4D);
      }),
    dispose: () => {
      mean.dispose();
      tf.dispose(Object.values(map));
    },
  };
}

/** Seeded augmentation of a [N, 48, 48, 1] batch: variant 0 is the original, 1 the mirror, 2+ random crops/flips/contrast. */
export function augment(batch: tf.Tensor4D, variant: number, seed: number): tf.Tensor4D {
  if (variant === 0) return tf.clone(batch);
  if (variant === 1) return tf.image.flipLeftRight(batch);
  const random = rng(seed);
  const n = batch.shape[0];
  const [h, w] = [batch.shape[1], batch.shape[2]];
  return tf.tidy(() => {
    const boxes: number[][] = [];
    for (let i = 0; i < n; i++) {
      const s = 0.8 + 0.2 * random();
      const y = (1 - s) * random();
      const x = (1 - s) * random();
      const flip = random() < 0.5;
      boxes.push(flip ? [y, x + s, y + s, x] : [y, x, y + s, x + s]); // x1 > x2 mirrors the crop
    }
    const cropped = tf.image.cropAndResize(batch, tf.tensor2d(boxes), tf.range(0, n, 1, 'int32') as tf.Tensor1D, [h, w]);
    const contrast = tf.tensor(Array.from({ length: n }, () => 0.75 + 0.5 * random()), [n, 1, 1, 1]);
    const brightness = tf.tensor(Array.from({ length: n }, () => (random() - 0.5) * 50), [n, 1, 1, 1]);
    const mean = tf.mean(cropped, [1, 2, 3], true);
    return tf.clipByValue(tf.add(tf.add(tf.mul(tf.sub(cropped, mean), contrast), mean), brightness), 0, 255) as tf.Tensor4D;
  });
}

export interface FeatureSet {
  x: Float32Array;
  y: Int32Array;
  dim: number;
  n: number;
}

/** Features of `faces` (resized to 48x48 grey first) for one augmentation variant, cached under `key`. */
export async function extractFeatures(backbone: Backbone, faces: readonly Face[], variant: number, key: string, seed = 1): Promise<FeatureSet> {
  mkdirSync(CACHE_DIR, { recursive: true });
  const file = join(CACHE_DIR, `${backbone.id}-${key}-v${variant}-s${seed}.f32`);
  const y = Int32Array.from(faces, (f) => f.label);
  if (existsSync(file)) {
    const buf = readFileSync(file);
    const x = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
    if (x.length === faces.length * backbone.dim) return { x: Float32Array.from(x), y, dim: backbone.dim, n: faces.length };
  }
  const x = new Float32Array(faces.length * backbone.dim);
  const BATCH = 128;
  for (let start = 0; start < faces.length; start += BATCH) {
    const chunk = faces.slice(start, start + BATCH);
    const feats = tf.tidy(() => {
      const imgs = chunk.map((f) => tf.image.resizeBilinear(tf.tensor3d(f.grey, [f.height, f.width, 1], 'float32'), [48, 48]));
      const batch = tf.stack(imgs) as tf.Tensor4D;
      const aug = augment(batch, variant, seed * 100_003 + variant * 7919 + start);
      return backbone.features(aug);
    });
    x.set(await feats.data(), start * backbone.dim);
    feats.dispose();
  }
  writeFileSync(file, Buffer.from(x.buffer));
  return { x, y, dim: backbone.dim, n: faces.length };
}

/**
 * human's emotion net (mini-Xception, grey) up to its last residual block, pooled: 256 features.
 * It was trained at 64 px; other sizes (for probing cheaper inputs) lift the graph's fixed input shape.
 */
export async function humanBackbone(inputSize = 64): Promise<Backbone> {
  const manifest = readManifest();
  const entry = findModel(manifest, 'human-emotion-f16', 'emotion');
  const model = await loadGraph(entry, fsReader());
  if (inputSize !== 64) {
    // The converter checks inputs against the placeholder's declared shape [-1, 64, 64, 1].
    const graph = (model as unknown as { executor: { graph: { placeholders: Array<{ attrParams: { shape?: { value: number[] } } }> } } }).executor.graph;
    for (const p of graph.placeholders) if (p.attrParams.shape) p.attrParams.shape.value = [-1, -1, -1, 1];
  }
  const node = 'StatefulPartitionedCall/model_1/add_2/add';
  const features = (grey: tf.Tensor4D) =>
    tf.tidy(() => {
      const x = tf.div(tf.sub(tf.image.resizeBilinear(grey, [inputSize, inputSize]), 127.5), 127.5);
      return tf.mean(model.execute(x, node) as tf.Tensor4D, [1, 2]) as tf.Tensor2D;
    });
  const probe = tf.tidy(() => features(tf.zeros([1, 48, 48, 1])));
  const dim = probe.shape[1];
  probe.dispose();
  return { id: `human-${inputSize}`, sourceModel: entry.id, inputSize, dim, features, dispose: () => model.dispose() };
}

/**
 * The paper's released classifier (OAHEGA emotions.tflite, a distilled alpha-0.25 MobileNet, RGB/255)
 * up to its global average pooling: 256 features. For probing only: the extension does not run TFLite.
 */
export async function oahegaBackbone(): Promise<Backbone> {
  const inputSize = 128;
  const buf = readFileSync(sharedPath('models', 'oahega', 'emotions.tflite'));
  const model = loadTfliteModel(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer, { output: 'model_2/global_average_pooling2d_1/Mean' });
  return {
    id: `oahega-${inputSize}`,
    sourceModel: 'oahega-emotions-tflite',
    inputSize,
    dim: 256,
    features: (grey) => tf.tidy(() => model.predict(tf.div(greyToRgb(tf.image.resizeBilinear(grey, [inputSize, inputSize])), 255) as tf.Tensor4D) as tf.Tensor2D),
    dispose: () => model.dispose(),
  };
}
