// Node context (tools, tests): run a parsed TFLite float graph with tfjs, op by op in file order.
import { tf } from '../../../src/ml/tf';
import { constantValues } from './dequantize';
import { type OpContext, OPS, toConvFilter, toDepthwiseFilter } from './ops';
import { parseTflite, type TfliteTensor } from './schema';

export interface TfliteRunner {
  /** The model's declared input shape, e.g. [1, 128, 128, 3]. */
  inputShape: number[];
  outputShape: number[];
  /** Runs the graph on a float NHWC batch; the caller disposes the result. */
  predict(input: tf.Tensor4D): tf.Tensor;
  /** Frees the uploaded constants. */
  dispose(): void;
}

/** The ops loadTfliteModel can run: the ops table's. */
export const SUPPORTED_OPS: ReadonlySet<string> = new Set(Object.keys(OPS));

/**
 * Upload a parsed model's constants once and return a runner that executes its operators in
 * file order (TFLite stores them topologically sorted). Throws naming the first unsupported op.
 */
export function loadTfliteModel(bytes: ArrayBuffer, opts: { output?: string } = {}): TfliteRunner {
  const model = parseTflite(bytes);
  const { tensors, operators } = model;
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new Error(`expected a single-input single-output TFLite model, got ${model.inputs.length} inputs and ${model.outputs.length} outputs`);
  }
  const inputIndex = model.inputs[0] ?? -1;
  // `output` names an inner tensor to stop at (e.g. pooled features); the operators after it are skipped.
  const outputIndex = opts.output === undefined ? (model.outputs[0] ?? -1) : tensors.findIndex((t) => t.name === opts.output);
  if (outputIndex < 0) throw new Error(`TFLite model has no tensor named ${opts.output ?? ''}`);
  const tensorAt = (i: number): TfliteTensor => {
    const t = tensors[i];
    if (!t) throw new Error(`TFLite graph refers to missing tensor ${i}`);
    return t;
  };
  const inputTensor = tensorAt(inputIndex);
  const outputTensor = tensorAt(outputIndex);
  if (inputTensor.type !== 'float32') throw new Error(`TFLite input ${inputTensor.name} is ${inputTensor.type}; only float32 inputs are supported`);
  if (inputTensor.shape.length !== 4) throw new Error(`TFLite input ${inputTensor.name} has shape [${inputTensor.shape.join(',')}]; expected NHWC`);
  operators.forEach((o, i) => {
    if (!SUPPORTED_OPS.has(o.op)) throw new Error(`TFLite op ${o.op} (operator ${i}, output ${tensors[o.outputs[0] ?? -1]?.name ?? '?'}) is not supported`);
  });

  // JS values of every constant (DEQUANTIZE of a constant is folded here), then tensors in the layout each consumer needs.
  const values = new Map<number, { values: Float32Array | Int32Array; dtype: 'float32' | 'int32' }>();
  for (const t of tensors) if (t.data) values.set(t.index, constantValues(t));
  for (const o of operators) {
    const src = values.get(o.inputs[0] ?? -1);
    if (o.op === 'DEQUANTIZE' && src) values.set(o.outputs[0] ?? -1, { values: Float32Array.from(src.values), dtype: 'float32' });
  }
  const folded = new Set(operators.filter((o) => o.op === 'DEQUANTIZE' && values.has(o.inputs[0] ?? -1)));
  const intsOf = (i: number, op: string): number[] => {
    const v = values.get(i);
    if (!v) throw new Error(`TFLite ${op}: input ${tensors[i]?.name ?? i} must be a constant`);
    return Array.from(v.values);
  };

  const uploaded: tf.Tensor[] = [];
  const upload = <T extends tf.Tensor>(t: T): T => {
    uploaded.push(t);
    return t;
  };
  const plain = new Map<number, tf.Tensor>();
  const constant = (i: number): tf.Tensor | undefined => {
    const v = values.get(i);
    if (!v) return undefined;
    let t = plain.get(i);
    if (!t) {
      t = upload(tf.tensor(v.values, tensorAt(i).shape, v.dtype));
      plain.set(i, t);
    }
    return t;
  };
  // Filters in tfjs layout (see toConvFilter, toDepthwiseFilter), uploaded once.
  const convFilters = new Map<number, tf.Tensor4D>();
  const depthwiseFilters = new Map<number, tf.Tensor4D>();
  const channelsOf = (i: number): number => tensorAt(i).shape[3] ?? 1;
  /** Upload constant `i` in a new layout; the tensor in file layout lives only inside the tidy. */
  const uploadAs = (i: number, relayout: (t: tf.Tensor) => tf.Tensor4D): tf.Tensor4D | undefined => {
    const v = values.get(i);
    return v && upload(tf.tidy(() => relayout(tf.tensor(v.values, tensorAt(i).shape, v.dtype))));
  };
  for (const o of operators) {
    const f = o.inputs[1] ?? -1;
    const filter =
      o.op === 'CONV_2D' && !convFilters.has(f)
        ? uploadAs(f, toConvFilter)
        : o.op === 'DEPTHWISE_CONV_2D' && !depthwiseFilters.has(f)
          ? uploadAs(f, (t) => toDepthwiseFilter(t, channelsOf(o.inputs[0] ?? -1)))
          : undefined;
    if (filter) (o.op === 'CONV_2D' ? convFilters : depthwiseFilters).set(f, filter);
  }
  // Upload every other constant an op reads as a tensor (filters were uploaded in their own layout above).
  for (const o of operators) {
    o.inputs.forEach((i, k) => {
      const isFilter = (o.op === 'CONV_2D' || o.op === 'DEPTHWISE_CONV_2D') && k === 1;
      if (!isFilter && i >= 0 && values.has(i) && o.op !== 'DEQUANTIZE') constant(i);
    });
  }

  const run = (x: tf.Tensor4D): tf.Tensor => {
    const live = new Map<number, tf.Tensor>([[inputIndex, x]]);
    const get = (i: number | undefined, op: string): tf.Tensor => {
      // Never upload here: a tensor made inside predict's tidy would be freed with it.
      const t = i === undefined ? undefined : (live.get(i) ?? plain.get(i));
      if (!t) throw new Error(`TFLite ${op}: input tensor ${i ?? '?'} (${tensors[i ?? -1]?.name ?? ''}) has no value`);
      return t;
    };
    const ctx: OpContext = { get, intsOf, isConstant: (i) => values.has(i), tensorAt, convFilters, depthwiseFilters };
    for (const o of operators) {
      if (folded.has(o)) continue;
      const op = OPS[o.op];
      if (!op) throw new Error(`TFLite op ${o.op} is not supported`);
      const y = op(o, ctx);
      live.set(o.outputs[0] ?? -1, y);
      if (o.outputs[0] === outputIndex) break;
    }
    return get(outputIndex, 'output');
  };

  const [, inH, inW, inC] = inputTensor.shape;
  let disposed = false;
  return {
    inputShape: [...inputTensor.shape],
    outputShape: [...outputTensor.shape],
    predict(input: tf.Tensor4D): tf.Tensor {
      if (disposed) throw new Error('TFLite model was disposed');
      const [, h, w, ch] = input.shape;
      if (h !== inH || w !== inW || ch !== inC) {
        throw new Error(`TFLite input ${inputTensor.name} expects [N, ${inH}, ${inW}, ${inC}], got [${input.shape.join(', ')}]`);
      }
      return tf.tidy(() => run(input.dtype === 'float32' ? input : tf.cast(input, 'float32')));
    },
    dispose(): void {
      disposed = true;
      tf.dispose(uploaded);
      uploaded.length = 0;
    },
  };
}
