// Any context: SSD-MobileNetV1 (face-api's face detector), the paper's stage 1.
import { FACE_API_SSD_ANCHORS, ssdAnchors } from '../logic/anchors';
import { unletterbox } from '../../core/boxes';
import { decodeSsd } from '../logic/decode';
import type { ModelEntry } from '../../core/models';
import { loadWeightMap, type ModelFileReader } from '../loader';
import { letterboxInput } from '../preprocess';
import { tf } from '../tf';
import type { FaceDetector } from './index';

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
export async function createSsdDetector(entry: ModelEntry, read: ModelFileReader): Promise<FaceDetector> {
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

