// Any context: the layers the classifier architectures share: named weights, the dense head the trainer writes.
import { tf } from '../tf';

export function weight(map: tf.NamedTensorMap, name: string): tf.Tensor {
  const t = map[name];
  if (!t) throw new Error(`weight ${name} missing`);
  return t;
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
