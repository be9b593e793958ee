// Node context (tools, tests): the TFLite ops this reader runs, one tfjs implementation each. The
// table is the list of supported ops: a model with any other op is refused at load, naming it.
import { tf } from '../../../src/ml/tf';
import type { FusedActivation, TfliteOperator, TfliteTensor } from './schema';

/** What an op reads besides its operator: tensors by index, constants and uploaded filters. */
export interface OpContext {
  /** A live or constant tensor by index (never uploads: predict's tidy would free it). */
  get(i: number | undefined, op: string): tf.Tensor;
  /** A constant's values as numbers (shapes, axes, paddings). */
  intsOf(i: number, op: string): number[];
  isConstant(i: number): boolean;
  tensorAt(i: number): TfliteTensor;
  convFilters: ReadonlyMap<number, tf.Tensor4D>;
  depthwiseFilters: ReadonlyMap<number, tf.Tensor4D>;
}

type Op = (o: TfliteOperator, ctx: OpContext) => tf.Tensor;

type TfActivation = 'linear' | 'relu' | 'relu6';

/** The activation tfjs can fuse into conv/matMul, and what must follow it otherwise. */
export function splitActivation(a: FusedActivation | undefined, op: string): { fused: TfActivation; after?: (x: tf.Tensor) => tf.Tensor } {
  switch (a ?? 'none') {
    case 'none':
      return { fused: 'linear' };
    case 'relu':
      return { fused: 'relu' };
    case 'relu6':
      return { fused: 'relu6' };
    case 'relu_n1_to_1':
      return { fused: 'linear', after: (x) => tf.clipByValue(x, -1, 1) };
    case 'tanh':
      return { fused: 'linear', after: (x) => tf.tanh(x) };
    default:
      throw new Error(`TFLite ${op}: fused activation ${a ?? ''} is not supported`);
  }
}

function applyActivation(x: tf.Tensor, a: FusedActivation | undefined, op: string): tf.Tensor {
  const { fused, after } = splitActivation(a, op);
  const y = fused === 'relu' ? tf.relu(x) : fused === 'relu6' ? tf.relu6(x) : x;
  return after ? after(y) : y;
}

function normAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

/** Filters: TFLite conv [out, h, w, in] -> tfjs [h, w, in, out]. */
export const toConvFilter = (f: tf.Tensor): tf.Tensor4D => tf.transpose(f as tf.Tensor4D, [1, 2, 3, 0]);
/** Depthwise [1, h, w, in*mult] -> [h, w, in, mult]. */
export const toDepthwiseFilter = (f: tf.Tensor, inChannels: number): tf.Tensor4D => {
  const [, h = 1, w = 1, total = 1] = f.shape;
  return tf.reshape(f, [h, w, inChannels, total / inChannels]);
};

/** Stride, padding, dilation and the optional bias (third input) of a CONV_2D or DEPTHWISE_CONV_2D. */
function convArgs(o: TfliteOperator, get: OpContext['get']) {
  const { options: opt, inputs } = o;
  const bias = inputs[2];
  return {
    strides: [opt.strideH ?? 1, opt.strideW ?? 1] as [number, number],
    pad: opt.padding ?? 'valid',
    dilations: [opt.dilationH ?? 1, opt.dilationW ?? 1] as [number, number],
    bias: bias !== undefined && bias >= 0 ? get(bias, o.op) : undefined,
  };
}

/** A fused activation tfjs cannot fuse, applied after the op. */
const finish = (y: tf.Tensor, after?: (x: tf.Tensor) => tf.Tensor) => (after ? after(y) : y);

const unary =
  (f: (x: tf.Tensor) => tf.Tensor): Op =>
  (o, { get }) =>
    f(get(o.inputs[0], o.op));

const binary =
  (f: typeof tf.add): Op =>
  (o, { get }) =>
    applyActivation(f(get(o.inputs[0], o.op), get(o.inputs[1], o.op)), o.options.activation, o.op);

const pool =
  (f: typeof tf.avgPool): Op =>
  (o, { get }) => {
    const opt = o.options;
    const pooled = f(get(o.inputs[0], o.op) as tf.Tensor4D, [opt.filterH ?? 1, opt.filterW ?? 1], [opt.strideH ?? 1, opt.strideW ?? 1], opt.padding ?? 'valid');
    return applyActivation(pooled, opt.activation, o.op);
  };

/** The supported ops. */
export const OPS: Readonly<Record<string, Op>> = {
  CONV_2D: (o, ctx) => {
    const [a, b] = o.inputs;
    const { fused, after } = splitActivation(o.options.activation, o.op);
    const filter = ctx.convFilters.get(b ?? -1) ?? toConvFilter(ctx.get(b, o.op));
    return finish(tf.fused.conv2d({ x: ctx.get(a, o.op) as tf.Tensor4D, filter, ...convArgs(o, ctx.get), activation: fused }), after);
  },
  DEPTHWISE_CONV_2D: (o, ctx) => {
    const [a, b] = o.inputs;
    const { fused, after } = splitActivation(o.options.activation, o.op);
    const input = ctx.get(a, o.op) as tf.Tensor4D;
    const filter = ctx.depthwiseFilters.get(b ?? -1) ?? toDepthwiseFilter(ctx.get(b, o.op), input.shape[3]);
    return finish(tf.fused.depthwiseConv2d({ x: input, filter, ...convArgs(o, ctx.get), activation: fused }), after);
  },
  FULLY_CONNECTED: (o, { get }) => {
    // weights [out, in]; the input is flattened to [-1, in] unless keep_num_dims.
    const [a, b, c] = o.inputs;
    const opt = o.options;
    if (opt.weightsFormat) throw new Error(`TFLite FULLY_CONNECTED: shuffled weights format ${opt.weightsFormat} is not supported`);
    const { fused, after } = splitActivation(opt.activation, o.op);
    const w = get(b, o.op) as tf.Tensor2D;
    const [outDim, inDim] = w.shape;
    const input = get(a, o.op);
    const bias = c !== undefined && c >= 0 ? get(c, o.op) : undefined;
    // Not fused: tfjs-backend-wasm 4.22's fused matMul with transposeB and a bias is wrong (off by ~20
    // on [1,256] x [512,256]^T; tests/tools/tflite.test.ts compares with the unfused ops).
    const product = tf.matMul(tf.reshape(input, [-1, inDim]), w, false, true);
    const biased = bias ? tf.add(product, bias) : product;
    const y = finish(fused === 'relu' ? tf.relu(biased) : fused === 'relu6' ? tf.relu6(biased) : biased, after);
    return opt.keepNumDims ? tf.reshape(y, [...input.shape.slice(0, -1), outDim]) : y;
  },
  AVERAGE_POOL_2D: pool(tf.avgPool),
  MAX_POOL_2D: pool(tf.maxPool),
  MEAN: (o, ctx) => {
    const input = ctx.get(o.inputs[0], o.op);
    const axes = ctx.intsOf(o.inputs[1] ?? -1, o.op).map((ax) => normAxis(ax, input.rank));
    return tf.mean(input, axes, o.options.keepDims ?? false);
  },
  PAD: (o, ctx) => {
    const p = ctx.intsOf(o.inputs[1] ?? -1, o.op);
    const pairs: Array<[number, number]> = [];
    for (let k = 0; k + 1 < p.length; k += 2) pairs.push([p[k] ?? 0, p[k + 1] ?? 0]);
    return tf.pad(ctx.get(o.inputs[0], o.op), pairs);
  },
  RESHAPE: (o, ctx) => {
    const b = o.inputs[1];
    const shape = b !== undefined && b >= 0 && ctx.isConstant(b) ? ctx.intsOf(b, o.op) : (o.options.newShape ?? ctx.tensorAt(o.outputs[0] ?? -1).shape);
    return tf.reshape(ctx.get(o.inputs[0], o.op), shape);
  },
  SQUEEZE: (o, { get }) => {
    const dims = o.options.squeezeDims ?? [];
    return tf.squeeze(get(o.inputs[0], o.op), dims.length > 0 ? dims : undefined);
  },
  SOFTMAX: (o, { get }) => {
    const beta = o.options.beta ?? 1;
    const input = get(o.inputs[0], o.op);
    return tf.softmax(beta === 1 ? input : tf.mul(input, beta));
  },
  CONCATENATION: (o, { get }) => {
    const parts = o.inputs.map((i) => get(i, o.op));
    return applyActivation(tf.concat(parts, normAxis(o.options.axis ?? 0, parts[0]?.rank ?? 1)), o.options.activation, o.op);
  },
  ADD: binary(tf.add),
  SUB: binary(tf.sub),
  MUL: binary(tf.mul),
  DIV: binary(tf.div),
  DEQUANTIZE: (o, ctx) => {
    // A runtime (non-constant) input: activations are float32 already unless affine-quantized.
    const a = o.inputs[0];
    const input = ctx.get(a, o.op);
    const q = ctx.tensorAt(a ?? -1).quantization;
    if (q && q.scale.length > 1) throw new Error('TFLite DEQUANTIZE: per-channel runtime dequantization is not supported');
    return q ? tf.mul(tf.sub(tf.cast(input, 'float32'), q.zeroPoint[0] ?? 0), q.scale[0] ?? 1) : tf.cast(input, 'float32');
  },
  RELU: unary((x) => tf.relu(x)),
  RELU6: unary((x) => tf.relu6(x)),
  LOGISTIC: unary((x) => tf.sigmoid(x)),
  TANH: unary((x) => tf.tanh(x)),
  LEAKY_RELU: (o, { get }) => tf.leakyRelu(get(o.inputs[0], o.op), o.options.alpha ?? 0.2),
};
