// Node context (tools): convert a parsed TFLite float graph into a tfjs GraphModel topology and its
// weights, so the extension runs the model with tfjs-converter and ships no TFLite parser. One GraphDef
// node per operator (fused conv / matMul ops where TFLite fused the activation); constants become
// Const nodes in tfjs layout. Ops outside CONVERTIBLE_OPS are refused, naming the first one.
import { tf } from '../../../src/ml/tf';
import { constantValues } from './dequantize';
import { toConvFilter, toDepthwiseFilter } from './ops';
import type { FusedActivation, TfliteModel, TfliteOperator, TfliteTensor } from './schema';

type AttrValue =
  | { type: 'DT_FLOAT' | 'DT_INT32' }
  | { s: string }
  | { b: boolean }
  | { i: string }
  | { f: number }
  | { list: { i?: string[]; s?: string[] } }
  | { shape: { dim: Array<{ size: string }> } }
  | { tensor: { dtype: 'DT_FLOAT' | 'DT_INT32'; tensorShape: { dim: Array<{ size: string }> } } };

export interface GraphNode {
  name: string;
  op: string;
  input?: string[];
  attr: Record<string, AttrValue>;
}

export interface ConvertedGraph {
  /** GraphDef as tfjs-converter's model.json holds it. */
  modelTopology: { node: GraphNode[]; library: Record<string, never>; versions: Record<string, never> };
  /** The Const nodes' values, by node name (the caller encodes and quantizes them). */
  weights: tf.NamedTensorMap;
  /** The weights in node order (the manifest's order). */
  weightNames: string[];
  signature: { inputs: Record<string, unknown>; outputs: Record<string, unknown> };
  inputName: string;
  outputName: string;
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const shapeAttr = (shape: readonly number[]) => ({ dim: shape.map((d) => ({ size: String(d) })) });
const ints = (xs: readonly number[]) => ({ list: { i: xs.map(String) } });
const FLOAT = { type: 'DT_FLOAT' } as const;

/** The fused activation as a tfjs-converter fused op name; undefined for none. */
function fusedName(a: FusedActivation | undefined, op: string): string | undefined {
  switch (a ?? 'none') {
    case 'none':
      return undefined;
    case 'relu':
      return 'Relu';
    case 'relu6':
      return 'Relu6';
    default:
      throw new Error(`TFLite ${op}: fused activation ${a ?? ''} cannot be converted`);
  }
}

/** The TFLite ops this converter writes as GraphDef nodes. */
export const CONVERTIBLE_OPS: ReadonlySet<string> = new Set(['PAD', 'CONV_2D', 'DEPTHWISE_CONV_2D', 'MEAN', 'FULLY_CONNECTED', 'SOFTMAX', 'MUL', 'ADD', 'CONCATENATION', 'RELU', 'RELU6', 'RESHAPE']);

/**
 * Convert `model` up to the tensor named `output` (default: the graph's output); the operators after
 * it are dropped. The input keeps its shape with a free batch dimension.
 */
export function tfliteToGraph(model: TfliteModel, opts: { output?: string } = {}): ConvertedGraph {
  const { tensors, operators } = model;
  if (model.inputs.length !== 1) throw new Error(`expected one TFLite input, got ${model.inputs.length}`);
  const at = (i: number | undefined): TfliteTensor => {
    const t = i === undefined ? undefined : tensors[i];
    if (!t) throw new Error(`TFLite graph refers to missing tensor ${i ?? '?'}`);
    return t;
  };
  const input = at(model.inputs[0]);
  const outputIndex = opts.output === undefined ? model.outputs[0] : tensors.findIndex((t) => t.name === opts.output);
  if (outputIndex === undefined || outputIndex < 0) throw new Error(`TFLite model has no tensor named ${opts.output ?? ''}`);
  if (input.type !== 'float32' || input.shape.length !== 4) throw new Error(`TFLite input ${input.name} must be float32 NHWC`);

  const nodes: GraphNode[] = [];
  const weights: tf.NamedTensorMap = {};
  const weightNames: string[] = [];
  const names = new Map<number, string>();
  const used = new Set<string>();
  const nameOf = (i: number, suffix = ''): string => {
    const known = suffix ? undefined : names.get(i);
    if (known) return known;
    let name = `${at(i).name || `tensor_${i}`}${suffix}`.replace(/[^A-Za-z0-9_./-]/g, '_');
    while (used.has(name)) name = `${name}_`;
    used.add(name);
    if (!suffix) names.set(i, name);
    return name;
  };
  /** A Const node holding `value` (disposed with the weights by the caller). */
  const constNode = (name: string, value: tf.Tensor): string => {
    const dtype = value.dtype === 'int32' ? 'DT_INT32' : 'DT_FLOAT';
    nodes.push({ name, op: 'Const', attr: { value: { tensor: { dtype, tensorShape: shapeAttr(value.shape) } }, dtype: { type: dtype } } });
    weights[name] = value;
    weightNames.push(name);
    return name;
  };
  const constOf = (i: number | undefined, relayout?: (t: tf.Tensor) => tf.Tensor): string => {
    const t = at(i);
    if (!t.data) throw new Error(`TFLite tensor ${t.name} must be a constant here`);
    const { values, dtype } = constantValues(t);
    const raw = tf.tensor(values, t.shape, dtype);
    const value = relayout ? tf.tidy(() => relayout(raw)) : raw;
    if (value !== raw) raw.dispose();
    return constNode(nameOf(t.index, relayout ? '/converted' : ''), value);
  };
  /** A tensor as a node input: a live value, or a constant made into a Const node on first use. */
  const ref = (i: number | undefined): string => {
    const t = at(i);
    return names.get(t.index) ?? (t.data ? constOf(i) : (() => { throw new Error(`TFLite tensor ${t.name} has no producer`); })());
  };
  const emit = (o: TfliteOperator, op: string, inputs: string[], attr: Record<string, AttrValue>): void => {
    nodes.push({ name: nameOf(o.outputs[0] ?? -1), op, input: inputs, attr: { T: FLOAT, ...attr } });
  };

  nodes.push({ name: nameOf(input.index), op: 'Placeholder', attr: { shape: { shape: shapeAttr([-1, ...input.shape.slice(1)]) }, dtype: FLOAT } });
  for (const [k, o] of operators.entries()) {
    if (!CONVERTIBLE_OPS.has(o.op)) throw new Error(`TFLite op ${o.op} (operator ${k}) cannot be converted to a tfjs graph`);
    const opt = o.options;
    const [a, b, c] = o.inputs;
    const conv = (): Record<string, AttrValue> => ({
      strides: ints([1, opt.strideH ?? 1, opt.strideW ?? 1, 1]),
      padding: { s: b64((opt.padding ?? 'valid').toUpperCase()) },
      dilations: ints([1, opt.dilationH ?? 1, opt.dilationW ?? 1, 1]),
      data_format: { s: b64('NHWC') },
    });
    const fused = (activation: FusedActivation | undefined, hasBias: boolean): Record<string, AttrValue> => {
      const act = fusedName(activation, o.op);
      const ops = [...(hasBias ? ['BiasAdd'] : []), ...(act ? [act] : [])];
      return { fused_ops: { list: { s: ops.map(b64) } }, num_args: { i: hasBias ? '1' : '0' } };
    };
    const hasBias = c !== undefined && c >= 0;
    switch (o.op) {
      case 'CONV_2D':
        emit(o, '_FusedConv2D', [ref(a), constOf(b, toConvFilter), ...(hasBias ? [ref(c)] : [])], { ...conv(), ...fused(opt.activation, hasBias) });
        break;
      case 'DEPTHWISE_CONV_2D': {
        const channels = at(a).shape[3] ?? 1;
        emit(o, 'FusedDepthwiseConv2dNative', [ref(a), constOf(b, (t) => toDepthwiseFilter(t, channels)), ...(hasBias ? [ref(c)] : [])], { ...conv(), ...fused(opt.activation, hasBias) });
        break;
      }
      case 'FULLY_CONNECTED': {
        if (opt.weightsFormat) throw new Error(`TFLite FULLY_CONNECTED: weights format ${opt.weightsFormat} cannot be converted`);
        if ((at(a).shape.length ?? 2) !== 2) throw new Error('TFLite FULLY_CONNECTED: only 2-D inputs are converted');
        // weights [out, in] -> [in, out]
        emit(o, '_FusedMatMul', [ref(a), constOf(b, (t) => tf.transpose(t)), ...(hasBias ? [ref(c)] : [])], {
          ...fused(opt.activation, hasBias),
          transpose_a: { b: false },
          transpose_b: { b: false },
        });
        break;
      }
      case 'PAD':
        emit(o, 'Pad', [ref(a), ref(b)], { Tpaddings: { type: 'DT_INT32' } });
        break;
      case 'MEAN':
        emit(o, 'Mean', [ref(a), ref(b)], { Tidx: { type: 'DT_INT32' }, keep_dims: { b: opt.keepDims ?? false } });
        break;
      case 'SOFTMAX':
        if ((opt.beta ?? 1) !== 1) throw new Error('TFLite SOFTMAX: beta other than 1 cannot be converted');
        emit(o, 'Softmax', [ref(a)], {});
        break;
      case 'RESHAPE':
        emit(o, 'Reshape', [ref(a), ref(b)], { Tshape: { type: 'DT_INT32' } });
        break;
      case 'MUL':
      case 'ADD':
        if (fusedName(opt.activation, o.op)) throw new Error(`TFLite ${o.op}: fused activations cannot be converted`);
        emit(o, o.op === 'MUL' ? 'Mul' : 'AddV2', [ref(a), ref(b)], {});
        break;
      case 'RELU':
      case 'RELU6':
        emit(o, o.op === 'RELU' ? 'Relu' : 'Relu6', [ref(a)], {});
        break;
      case 'CONCATENATION': {
        const rank = at(a).shape.length;
        const axis = opt.axis ?? 0;
        const axisNode = constNode(nameOf(o.outputs[0] ?? -1, '/axis'), tf.scalar(axis < 0 ? axis + rank : axis, 'int32'));
        emit(o, 'ConcatV2', [...o.inputs.map(ref), axisNode], { N: { i: String(o.inputs.length) }, Tidx: { type: 'DT_INT32' } });
        break;
      }
    }
    if (o.outputs[0] === outputIndex) break;
  }
  const outputName = names.get(outputIndex);
  if (!outputName) throw new Error(`TFLite tensor ${at(outputIndex).name} is not produced by any operator`);
  const inputName = nameOf(input.index);
  const out = at(outputIndex);
  const sig = (name: string, shape: readonly number[]) => ({ [`${name}:0`]: { name: `${name}:0`, dtype: 'DT_FLOAT', tensorShape: shapeAttr([-1, ...shape.slice(1)]) } });
  return {
    modelTopology: { node: nodes, library: {}, versions: {} },
    weights,
    weightNames,
    signature: { inputs: sig(inputName, input.shape), outputs: sig(outputName, out.shape) },
    inputName,
    outputName,
  };
}
