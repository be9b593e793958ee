// Any context: stage 1, face detection. One implementation per architecture in models.json.
import { BLAZEFACE_BACK_ANCHORS, blazeFaceAnchors, FACE_API_SSD_ANCHORS, ssdAnchors } from './logic/anchors';
import { unletterbox } from '../core/boxes';
import { decodeBlazeFace, decodeSsd } from './logic/decode';
import type { ModelEntry } from '../core/models';
import type { Candidate } from '../core/types';
import { type GraphNode, loadGraphAndWeights, loadWeightMap, type ModelFileReader } from './loader';
import { letterboxInput } from './preprocess';
import { type GraphModel, tf } from './tf';

export interface FaceDetector {
  readonly entry: ModelEntry;
  /** Scored candidates (before NMS) in corners normalized to the image. */
  detect(image: tf.Tensor3D, minScore: number): Promise<Candidate[]>;
  dispose(): void;
}

const BN_EPSILON = 0.0010000000474974513;

function w(map: tf.NamedTensorMap, name: string): tf.Tensor {
  const t = map[name];
  if (!t) throw new Error(`weight ${name} missing`);
  return t;
}

interface FusedConv {
  filter: tf.Tensor4D;
  bias: tf.Tensor1D;
}

/**
 * SSD-MobileNetV1 as face-api runs it, with each depthwise BatchNorm folded into its filter and
 * bias at load time so every layer is one fused conv + relu6.
 */
async function createSsdDetector(entry: ModelEntry, read: ModelFileReader): Promise<FaceDetector> {
  const map = await loadWeightMap(entry, read);
  const mb = 'MobilenetV1';
  const pointwise = (prefix: string): FusedConv => ({
    filter: w(map, `${prefix}/weights`) as tf.Tensor4D,
    bias: w(map, `${prefix}/convolution_bn_offset`) as tf.Tensor1D,
  });
  const depthwise = (i: number): FusedConv =>
    tf.tidy(() => {
      const p = `${mb}/Conv2d_${i}_depthwise`;
      const scale = tf.div(w(map, `${p}/BatchNorm/gamma`), tf.sqrt(tf.add(w(map, `${p}/BatchNorm/moving_variance`), BN_EPSILON)));
      const filter = tf.mul(w(map, `${p}/depthwise_weights`), tf.reshape(scale, [1, 1, -1, 1])) as tf.Tensor4D;
      const bias = tf.sub(w(map, `${p}/BatchNorm/beta`), tf.mul(w(map, `${p}/BatchNorm/moving_mean`), scale)) as tf.Tensor1D;
      return { filter, bias };
    });
  const conv0 = pointwise(`${mb}/Conv2d_0_pointwise`);
  const blocks = Array.from({ length: 13 }, (_, k) => ({
    dw: depthwise(k + 1),
    pw: pointwise(`${mb}/Conv2d_${k + 1}_pointwise`),
    stride: [2, 4, 6, 12].includes(k + 1) ? 2 : 1,
  }));
  const extra = Array.from({ length: 8 }, (_, i) => pointwise(`Prediction/Conv2d_${i}_pointwise`));
  const heads = Array.from({ length: 6 }, (_, i) => ({
    box: { filter: w(map, `Prediction/BoxPredictor_${i}/BoxEncodingPredictor/weights`), bias: w(map, `Prediction/BoxPredictor_${i}/BoxEncodingPredictor/biases`) },
    cls: { filter: w(map, `Prediction/BoxPredictor_${i}/ClassPredictor/weights`), bias: w(map, `Prediction/BoxPredictor_${i}/ClassPredictor/biases`) },
  }));
  // Folded copies replace the raw BatchNorm tensors; the rest stay referenced above.
  const keep = new Set<tf.Tensor>([conv0, ...blocks.map((b) => b.pw), ...extra].flatMap((c) => [c.filter, c.bias]));
  for (const h of heads) for (const c of [h.box, h.cls]) keep.add(c.filter).add(c.bias);
  for (const t of Object.values(map)) if (!keep.has(t)) t.dispose();
  const anchors = ssdAnchors(FACE_API_SSD_ANCHORS);
  const relu6 = (x: tf.Tensor4D, c: FusedConv, stride: number) =>
    tf.fused.conv2d({ x, filter: c.filter, strides: stride, pad: 'same', bias: c.bias, activation: 'relu6' });

  return {
    entry,
    async detect(image, minScore) {
      const { batch, box } = letterboxInput(image, entry.input);
      // The letterboxed batch is freed on every path, a failing graph included.
      let outs: tf.Tensor[];
      try {
        outs = tf.tidy(() => {
          let x = relu6(batch, conv0, 2);
          let conv11 = x;
          blocks.forEach((b, k) => {
            x = tf.fused.depthwiseConv2d({ x, filter: b.dw.filter, strides: b.stride, pad: 'same', bias: b.dw.bias, activation: 'relu6' });
            x = relu6(x, b.pw, 1);
            if (k + 1 === 11) conv11 = x;
          });
          const feats: tf.Tensor4D[] = [conv11, x];
          let y = x;
          extra.forEach((c, i) => {
            y = relu6(y, c, i % 2 === 1 ? 2 : 1);
            if (i % 2 === 1) feats.push(y);
          });
          const head = (f: tf.Tensor4D, c: { filter: tf.Tensor; bias: tf.Tensor }, n: number) =>
            tf.reshape(tf.fused.conv2d({ x: f, filter: c.filter as tf.Tensor4D, strides: 1, pad: 'same', bias: c.bias }), [-1, n]);
          return [
            tf.concat(feats.map((f, i) => head(f, (heads[i] ?? heads[0]!).box, 4))),
            tf.concat(feats.map((f, i) => head(f, (heads[i] ?? heads[0]!).cls, 3))),
          ];
        });
      } finally {
        batch.dispose();
      }
      try {
        const [e, l] = await Promise.all(outs.map((t) => t.data()));
        return decodeSsd(e ?? [], l ?? [], 3, anchors, minScore).map((c) => ({ score: c.score, box: unletterbox(c.box, box) }));
      } finally {
        tf.dispose(outs);
      }
    },
    dispose() {
      tf.dispose([...keep]);
      blocks.forEach((b) => tf.dispose([b.dw.filter, b.dw.bias]));
    },
  };
}

/**
 * Inputs are padded to a multiple of twice the heads' largest stride (32): whole cells, plus a
 * margin of padding below a 16:9 frame. Padding only to 32 (256 x 160) was 11% faster again but
 * let a 0.58 false positive through on a wall beside a face (fixtures/images/expressions/happy.jpg).
 */
const BLAZEFACE_MAX_STRIDE = 2 * Math.max(...BLAZEFACE_BACK_ANCHORS.layers.map((l) => l.stride));

async function createBlazeFaceDetector(entry: ModelEntry, read: ModelFileReader): Promise<FaceDetector> {
  // The graph is fully convolutional: a 16:9 frame runs at 256 x 192 rather than padded to a 256 x 256
  // square, the same scale with 25% fewer pixels (docs/decisions.md). Its outputs are read before the graph's fixed-shape
  // reshapes (the heads' biased convolutions), reshaped here to the input's own anchor count.
  const { model, nodes } = await loadGraphAndWeights(entry, read, () => false, { anyInputSize: true });
  let heads: string[];
  try {
    heads = blazeFaceHeads(model, nodes);
  } catch (err) {
    model.dispose();
    throw err;
  }
  const anchorsBySize = new Map<string, ReturnType<typeof blazeFaceAnchors>>();
  return {
    entry,
    async detect(image, minScore) {
      const { batch, box } = letterboxInput(image, entry.input, BLAZEFACE_MAX_STRIDE);
      let outputs: tf.Tensor[];
      try {
        outputs = tf.tidy(() => {
          const out = model.execute(batch, heads) as tf.Tensor4D[];
          const flat = (t: tf.Tensor4D | undefined, c: number) => tf.reshape(t!, [1, -1, c]);
          // Scores and boxes of the stride-16 head, then the stride-32 head (the anchors' order).
          return [tf.concat([flat(out[0], 1), flat(out[2], 1)], 1), tf.concat([flat(out[1], 16), flat(out[3], 16)], 1)];
        });
      } finally {
        batch.dispose();
      }
      try {
        const key = `${box.width}x${box.height}`;
        let anchors = anchorsBySize.get(key);
        if (!anchors) anchorsBySize.set(key, (anchors = blazeFaceAnchors(BLAZEFACE_BACK_ANCHORS, box.width, box.height)));
        const [logits, regs] = await Promise.all(outputs.map((t) => t.data()));
        return decodeBlazeFace(regs ?? [], logits ?? [], 16, anchors, box, minScore).map((c) => ({
          score: c.score,
          box: unletterbox(c.box, box),
          roll: c.roll,
          ...(c.turn === undefined ? {} : { turn: c.turn }),
        }));
      } finally {
        tf.dispose(outputs);
      }
    },
    dispose() {
      model.dispose();
    },
  };
}

/**
 * The four head convolutions feeding the graph's output reshapes, in the order stride-16 scores,
 * stride-16 boxes, stride-32 scores, stride-32 boxes (told apart by channels: 2 or 6 anchors per
 * cell give 2 / 6 scores and 32 / 96 box values).
 */
function blazeFaceHeads(model: GraphModel, nodes: readonly GraphNode[]): string[] {
  const probe = tf.zeros([1, 64, 64, 3]);
  try {
    const byName = new Map(nodes.map((n) => [n.name, n]));
    const inputs = model.outputNodes.map((name) => {
      let node = byName.get(name.replace(/:0$/, ''));
      while (node?.op === 'Identity') node = byName.get(node.input?.[0] ?? '');
      const input = node?.op === 'Reshape' ? node.input?.[0] : undefined;
      if (!input) throw new Error(`blazeface: output ${name} is not a Reshape of a head`);
      return input;
    });
    const outs = model.execute(probe, inputs) as tf.Tensor[];
    const channels = outs.map((o) => o.shape[3]);
    tf.dispose(outs);
    return [2, 32, 6, 96].map((c) => {
      const i = channels.indexOf(c);
      if (i < 0) throw new Error(`blazeface: no head with ${c} channels (found ${channels.join(', ')})`);
      return inputs[i]!;
    });
  } finally {
    probe.dispose();
  }
}

export function createDetector(entry: ModelEntry, read: ModelFileReader): Promise<FaceDetector> {
  switch (entry.architecture) {
    case 'ssd-mobilenetv1':
      return createSsdDetector(entry, read);
    case 'blazeface':
      return createBlazeFaceDetector(entry, read);
    default:
      throw new Error(`model ${entry.id}: ${entry.architecture} is not a face detector`);
  }
}
