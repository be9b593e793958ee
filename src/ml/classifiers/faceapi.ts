// Any context: classifiers on face-api's FaceExpressionNet: its own net ('faceapi-expression'), and
// ours, its frozen feature extractor with our trained dense head ('faceapi-features-mlp', tools/train).
import type { ModelEntry } from '../../core/models';
import { loadWeightMap, type ModelFileReader } from '../loader';
import { tf } from '../tf';
import type { ClassifierNet } from './index';
import { denseHead, weight } from './layers';

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

/** face-api's FaceExpressionNet: the feature extractor and its FC layer. */
function faceApiExpressionNet(map: tf.NamedTensorMap): (x: tf.Tensor4D) => tf.Tensor2D {
  const features = faceApiFeatures(map);
  return (x) => tf.add(tf.matMul(features(x), weight(map, 'fc/weights') as tf.Tensor2D), weight(map, 'fc/bias')) as tf.Tensor2D;
}

export async function faceApiExpression(entry: ModelEntry, read: ModelFileReader): Promise<ClassifierNet> {
  const map = await loadWeightMap(entry, read);
  return { run: faceApiExpressionNet(map), release: () => tf.dispose(Object.values(map)) };
}

export async function faceApiFeaturesMlp(entry: ModelEntry, read: ModelFileReader): Promise<ClassifierNet> {
  const map = await loadWeightMap(entry, read);
  const features = faceApiFeatures(map);
  const head = denseHead(map, 'head/dense');
  return { run: (x) => head(features(x)), release: () => tf.dispose(Object.values(map)) };
}
