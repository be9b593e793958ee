// Node (tfjs wasm): the trainable part: N dense layers with dropout and L1/L2 on frozen features,
// Adam, learning rate halved when validation loss stalls for 10 epochs, early stopping on
// validation macro-F1, the paper's class weights. A custom loop so training can resume between
// successive-halving rungs.
import { confusionMatrix, macroF1 } from '../lib/metrics';
import { classWeights, shuffled } from './training';
import { tf } from '../lib/tf-node';
import type { FeatureSet } from './features';

export interface HeadConfig {
  hidden: number[];
  dropout: number;
  l1: number;
  l2: number;
  lr: number;
  mu: number;
  batchSize: number;
}

export interface EpochLog {
  epoch: number;
  trainLoss: number;
  validLoss: number;
  validF1: number;
  lr: number;
}

export interface HeadState {
  cfg: HeadConfig;
  layers: Array<{ kernel: tf.Variable; bias: tf.Variable }>;
  optimizer: tf.AdamOptimizer;
  lr: number;
  epoch: number;
  bestF1: number;
  bestEpoch: number;
  best: Float32Array[];
  bestValidLoss: number;
  sinceLossImproved: number;
  stopped: boolean;
  history: EpochLog[];
}

/** Training stops when validation macro-F1 has not improved for this many epochs. */
export const EARLY_STOP_PATIENCE = 20;
/** The learning rate halves when validation loss has not improved for this many epochs (the paper's 10). */
export const PLATEAU_EPOCHS = 10;

/** Features standardized with the train split's statistics (folded into the first layer on export). */
export interface Standardizer {
  mean: Float32Array;
  std: Float32Array;
}

export function fitStandardizer(sets: readonly FeatureSet[]): Standardizer {
  const dim = sets[0]?.dim ?? 0;
  const mean = new Float64Array(dim);
  const sq = new Float64Array(dim);
  let n = 0;
  for (const s of sets) {
    for (let i = 0; i < s.n; i++) {
      for (let d = 0; d < dim; d++) {
        const v = s.x[i * dim + d] ?? 0;
        mean[d] = (mean[d] ?? 0) + v;
        sq[d] = (sq[d] ?? 0) + v * v;
      }
    }
    n += s.n;
  }
  const m = Float32Array.from(mean, (v) => v / n);
  const sd = Float32Array.from(sq, (v, d) => Math.sqrt(Math.max(1e-8, v / n - (m[d] ?? 0) ** 2)));
  return { mean: m, std: sd };
}

export function standardize(set: FeatureSet, st: Standardizer): FeatureSet {
  const x = new Float32Array(set.x.length);
  for (let i = 0; i < set.x.length; i++) {
    const d = i % set.dim;
    x[i] = ((set.x[i] ?? 0) - (st.mean[d] ?? 0)) / (st.std[d] ?? 1);
  }
  return { ...set, x };
}

export function createHead(cfg: HeadConfig, dim: number, classes: number, seed: number): HeadState {
  const sizes = [dim, ...cfg.hidden, classes];
  const layers = sizes.slice(1).map((out, i) => {
    const inp = sizes[i] ?? dim;
    // He initialization for relu layers.
    return {
      kernel: tf.variable(tf.randomNormal([inp, out], 0, Math.sqrt(2 / inp), 'float32', seed + i)),
      bias: tf.variable(tf.zeros([out])),
    };
  });
  return {
    cfg,
    layers,
    optimizer: tf.train.adam(cfg.lr),
    lr: cfg.lr,
    epoch: 0,
    bestF1: -1,
    bestEpoch: 0,
    best: [],
    bestValidLoss: Infinity,
    sinceLossImproved: 0,
    stopped: false,
    history: [],
  };
}

/** `dropoutSeed` makes training reproducible: tfjs' dropout otherwise draws from Math.random. */
function forward(state: HeadState, x: tf.Tensor2D, training: boolean, dropoutSeed = 0): tf.Tensor2D {
  let h = x;
  state.layers.forEach((l, i) => {
    h = tf.add(tf.matMul(h, l.kernel), l.bias) as tf.Tensor2D;
    if (i < state.layers.length - 1) {
      h = tf.relu(h) as tf.Tensor2D;
      if (training && state.cfg.dropout > 0) h = tf.dropout(h, state.cfg.dropout, undefined, dropoutSeed + i) as tf.Tensor2D;
    }
  });
  return h;
}

/** Logits for a whole feature set, in chunks. */
export function predictLogits(state: HeadState, set: FeatureSet, useBest = true): Float32Array {
  const weights = useBest && state.best.length > 0 ? state.best : null;
  const saved = weights ? state.layers.map((l) => [l.kernel.dataSync().slice(), l.bias.dataSync().slice()] as const) : null;
  if (weights) state.layers.forEach((l, i) => {
    l.kernel.assign(tf.tensor(weights[2 * i]!, l.kernel.shape));
    l.bias.assign(tf.tensor(weights[2 * i + 1]!, l.bias.shape));
  });
  const classes = state.layers[state.layers.length - 1]!.bias.shape[0]!;
  const out = new Float32Array(set.n * classes);
  const CHUNK = 4096;
  for (let s = 0; s < set.n; s += CHUNK) {
    const n = Math.min(CHUNK, set.n - s);
    const logits = tf.tidy(() => forward(state, tf.tensor2d(set.x.subarray(s * set.dim, (s + n) * set.dim), [n, set.dim]), false));
    out.set(logits.dataSync(), s * classes);
    logits.dispose();
  }
  if (saved) state.layers.forEach((l, i) => {
    l.kernel.assign(tf.tensor(saved[i]![0], l.kernel.shape));
    l.bias.assign(tf.tensor(saved[i]![1], l.bias.shape));
  });
  return out;
}

export function argmaxRows(logits: Float32Array, classes: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < logits.length / classes; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if ((logits[i * classes + c] ?? -Infinity) > (logits[i * classes + best] ?? -Infinity)) best = c;
    out.push(best);
  }
  return out;
}

export function evaluate(predicted: readonly number[], truth: ArrayLike<number>, labels: readonly string[]) {
  const cm = confusionMatrix(Array.from(truth, (t) => labels[t] ?? ''), predicted.map((p) => labels[p] ?? ''), labels);
  return { cm, macroF1: macroF1(cm) };
}

/** Train for up to `epochs` more epochs (or until early stopping); resumable. */
export function trainEpochs(state: HeadState, train: FeatureSet, valid: FeatureSet, labels: readonly string[], epochs: number, random: () => number): void {
  const classes = labels.length;
  const counts = labels.map((_, c) => train.y.filter((y) => y === c).length);
  const weights = tf.tensor1d(classWeights(counts, state.cfg.mu));
  const vars = state.layers.flatMap((l) => [l.kernel, l.bias]);
  const order = Array.from({ length: train.n }, (_, i) => i);
  for (let e = 0; e < epochs && !state.stopped; e++) {
    let lossSum = 0;
    let batches = 0;
    const idx = shuffled(order, random);
    for (let s = 0; s < idx.length; s += state.cfg.batchSize) {
      const batch = idx.slice(s, s + state.cfg.batchSize);
      const xb = new Float32Array(batch.length * train.dim);
      batch.forEach((j, k) => xb.set(train.x.subarray(j * train.dim, (j + 1) * train.dim), k * train.dim));
      const yb = Int32Array.from(batch, (j) => train.y[j] ?? 0);
      const loss = state.optimizer.minimize(
        () =>
          tf.tidy(() => {
            const logits = forward(state, tf.tensor2d(xb, [batch.length, train.dim]), true, Math.floor(random() * 2 ** 31));
            const labelsT = tf.tensor1d(yb, 'int32');
            const ce = tf.losses.softmaxCrossEntropy(tf.oneHot(labelsT, classes), logits, tf.gather(weights, labelsT), undefined, tf.Reduction.MEAN);
            let reg = tf.scalar(0);
            for (const l of state.layers) {
              if (state.cfg.l1 > 0) reg = tf.add(reg, tf.mul(state.cfg.l1, tf.sum(tf.abs(l.kernel))));
              if (state.cfg.l2 > 0) reg = tf.add(reg, tf.mul(state.cfg.l2, tf.sum(tf.square(l.kernel))));
            }
            return tf.add(ce, reg) as tf.Scalar;
          }),
        true,
        vars,
      );
      lossSum += loss?.dataSync()[0] ?? 0;
      loss?.dispose();
      batches++;
    }
    state.epoch++;
    const logits = predictLogits(state, valid, false);
    const validLoss = tf.tidy(() => tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(valid.y, 'int32'), classes), tf.tensor2d(logits, [valid.n, classes])).dataSync()[0] ?? 0);
    const { macroF1: f1 } = evaluate(argmaxRows(logits, classes), valid.y, labels);
    state.history.push({ epoch: state.epoch, trainLoss: lossSum / batches, validLoss, validF1: f1, lr: state.lr });
    if (f1 > state.bestF1) {
      state.bestF1 = f1;
      state.bestEpoch = state.epoch;
      state.best = state.layers.flatMap((l) => [Float32Array.from(l.kernel.dataSync()), Float32Array.from(l.bias.dataSync())]);
    }
    if (validLoss < state.bestValidLoss - 1e-4) {
      state.bestValidLoss = validLoss;
      state.sinceLossImproved = 0;
    } else if (++state.sinceLossImproved >= PLATEAU_EPOCHS) {
      state.lr /= 2;
      (state.optimizer as unknown as { learningRate: number }).learningRate = state.lr;
      state.sinceLossImproved = 0;
    }
    if (state.epoch - state.bestEpoch >= EARLY_STOP_PATIENCE) state.stopped = true;
  }
  weights.dispose();
}

export function disposeHead(state: HeadState): void {
  for (const l of state.layers) tf.dispose([l.kernel, l.bias]);
  state.optimizer.dispose();
}
