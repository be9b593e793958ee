// Any context (offscreen document, Node tools/tests): read a TFLite FlatBuffer by hand and run its float graph with tfjs.
import { tf } from './tf';

// ---------------------------------------------------------------------------------------------
// FlatBuffer reading (tensorflow/lite/schema/schema.fbs), with DataView only.
// A table starts with an int32 soffset back to its vtable; the vtable holds [vtable bytes, table
// bytes, field offsets...] as uint16; offsets to tables, vectors and strings are uint32 relative
// to where they are stored. A union takes two field slots: its type (ubyte), then its value.
// ---------------------------------------------------------------------------------------------

class FlatTable {
  private readonly vtable: number;
  private readonly vtableSize: number;

  constructor(
    private readonly view: DataView,
    readonly pos: number,
  ) {
    this.vtable = pos - view.getInt32(pos, true);
    this.vtableSize = view.getUint16(this.vtable, true);
  }

  /** Absolute position of field `index`, or 0 when it is absent (default value). */
  private field(index: number): number {
    const slot = 4 + 2 * index;
    if (slot >= this.vtableSize) return 0;
    const rel = this.view.getUint16(this.vtable + slot, true);
    return rel === 0 ? 0 : this.pos + rel;
  }

  has(index: number): boolean {
    return this.field(index) !== 0;
  }

  int8(index: number, fallback = 0): number {
    const p = this.field(index);
    return p ? this.view.getInt8(p) : fallback;
  }

  uint8(index: number, fallback = 0): number {
    const p = this.field(index);
    return p ? this.view.getUint8(p) : fallback;
  }

  bool(index: number, fallback = false): boolean {
    const p = this.field(index);
    return p ? this.view.getUint8(p) !== 0 : fallback;
  }

  int32(index: number, fallback = 0): number {
    const p = this.field(index);
    return p ? this.view.getInt32(p, true) : fallback;
  }

  uint32(index: number, fallback = 0): number {
    const p = this.field(index);
    return p ? this.view.getUint32(p, true) : fallback;
  }

  float32(index: number, fallback = 0): number {
    const p = this.field(index);
    return p ? this.view.getFloat32(p, true) : fallback;
  }

  /** uint64 as a JS number (exact below 2^53, plenty for file offsets). */
  uint64(index: number, fallback = 0): number {
    const p = this.field(index);
    return p ? Number(this.view.getBigUint64(p, true)) : fallback;
  }

  private deref(index: number): number {
    const p = this.field(index);
    return p ? p + this.view.getUint32(p, true) : 0;
  }

  table(index: number): FlatTable | undefined {
    const p = this.deref(index);
    return p ? new FlatTable(this.view, p) : undefined;
  }

  string(index: number): string | undefined {
    const p = this.deref(index);
    if (!p) return undefined;
    const len = this.view.getUint32(p, true);
    return new TextDecoder().decode(new Uint8Array(this.view.buffer, this.view.byteOffset + p + 4, len));
  }

  /** [start of the first element, length] of a vector field, or undefined when absent. */
  private vector(index: number): { start: number; length: number } | undefined {
    const p = this.deref(index);
    return p ? { start: p + 4, length: this.view.getUint32(p, true) } : undefined;
  }

  int32Vector(index: number): number[] {
    const v = this.vector(index);
    const out: number[] = [];
    if (v) for (let i = 0; i < v.length; i++) out.push(this.view.getInt32(v.start + 4 * i, true));
    return out;
  }

  float32Vector(index: number): number[] {
    const v = this.vector(index);
    const out: number[] = [];
    if (v) for (let i = 0; i < v.length; i++) out.push(this.view.getFloat32(v.start + 4 * i, true));
    return out;
  }

  int64Vector(index: number): number[] {
    const v = this.vector(index);
    const out: number[] = [];
    if (v) for (let i = 0; i < v.length; i++) out.push(Number(this.view.getBigInt64(v.start + 8 * i, true)));
    return out;
  }

  /** A [ubyte] vector as a view into the file (no copy). */
  bytes(index: number): Uint8Array | undefined {
    const v = this.vector(index);
    return v ? new Uint8Array(this.view.buffer, this.view.byteOffset + v.start, v.length) : undefined;
  }

  tableVector(index: number): FlatTable[] {
    const v = this.vector(index);
    const out: FlatTable[] = [];
    if (v) {
      for (let i = 0; i < v.length; i++) {
        const p = v.start + 4 * i;
        out.push(new FlatTable(this.view, p + this.view.getUint32(p, true)));
      }
    }
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// The parsed model.
// ---------------------------------------------------------------------------------------------

/** schema.fbs TensorType, by value. */
const TENSOR_TYPES = [
  'float32', 'float16', 'int32', 'uint8', 'int64', 'string', 'bool', 'int16', 'complex64', 'int8', 'float64',
  'complex128', 'uint64', 'resource', 'variant', 'uint32', 'uint16', 'int4',
] as const;
export type TfliteTensorType = (typeof TENSOR_TYPES)[number] | `unknown(${number})`;

/** schema.fbs BuiltinOperator, by value (the first 127; later ones are named by number). */
const BUILTIN_OPS = [
  'ADD', 'AVERAGE_POOL_2D', 'CONCATENATION', 'CONV_2D', 'DEPTHWISE_CONV_2D', 'DEPTH_TO_SPACE', 'DEQUANTIZE',
  'EMBEDDING_LOOKUP', 'FLOOR', 'FULLY_CONNECTED', 'HASHTABLE_LOOKUP', 'L2_NORMALIZATION', 'L2_POOL_2D',
  'LOCAL_RESPONSE_NORMALIZATION', 'LOGISTIC', 'LSH_PROJECTION', 'LSTM', 'MAX_POOL_2D', 'MUL', 'RELU', 'RELU_N1_TO_1',
  'RELU6', 'RESHAPE', 'RESIZE_BILINEAR', 'RNN', 'SOFTMAX', 'SPACE_TO_DEPTH', 'SVDF', 'TANH', 'CONCAT_EMBEDDINGS',
  'SKIP_GRAM', 'CALL', 'CUSTOM', 'EMBEDDING_LOOKUP_SPARSE', 'PAD', 'UNIDIRECTIONAL_SEQUENCE_RNN', 'GATHER',
  'BATCH_TO_SPACE_ND', 'SPACE_TO_BATCH_ND', 'TRANSPOSE', 'MEAN', 'SUB', 'DIV', 'SQUEEZE',
  'UNIDIRECTIONAL_SEQUENCE_LSTM', 'STRIDED_SLICE', 'BIDIRECTIONAL_SEQUENCE_RNN', 'EXP', 'TOPK_V2', 'SPLIT',
  'LOG_SOFTMAX', 'DELEGATE', 'BIDIRECTIONAL_SEQUENCE_LSTM', 'CAST', 'PRELU', 'MAXIMUM', 'ARG_MAX', 'MINIMUM', 'LESS',
  'NEG', 'PADV2', 'GREATER', 'GREATER_EQUAL', 'LESS_EQUAL', 'SELECT', 'SLICE', 'SIN', 'TRANSPOSE_CONV',
  'SPARSE_TO_DENSE', 'TILE', 'EXPAND_DIMS', 'EQUAL', 'NOT_EQUAL', 'LOG', 'SUM', 'SQRT', 'RSQRT', 'SHAPE', 'POW',
  'ARG_MIN', 'FAKE_QUANT', 'REDUCE_PROD', 'REDUCE_MAX', 'PACK', 'LOGICAL_OR', 'ONE_HOT', 'LOGICAL_AND',
  'LOGICAL_NOT', 'UNPACK', 'REDUCE_MIN', 'FLOOR_DIV', 'REDUCE_ANY', 'SQUARE', 'ZEROS_LIKE', 'FILL', 'FLOOR_MOD',
  'RANGE', 'RESIZE_NEAREST_NEIGHBOR', 'LEAKY_RELU', 'SQUARED_DIFFERENCE', 'MIRROR_PAD', 'ABS', 'SPLIT_V', 'UNIQUE',
  'CEIL', 'REVERSE_V2', 'ADD_N', 'GATHER_ND', 'COS', 'WHERE', 'RANK', 'ELU', 'REVERSE_SEQUENCE', 'MATRIX_DIAG',
  'QUANTIZE', 'MATRIX_SET_DIAG', 'ROUND', 'HARD_SWISH', 'IF', 'WHILE', 'NON_MAX_SUPPRESSION_V4',
  'NON_MAX_SUPPRESSION_V5', 'SCATTER_ND', 'SELECT_V2', 'DENSIFY', 'SEGMENT_SUM', 'BATCH_MATMUL',
] as const;

export function builtinOpName(code: number): string {
  return BUILTIN_OPS[code] ?? `BUILTIN_${code}`;
}

export type Padding = 'same' | 'valid';
/** schema.fbs ActivationFunctionType. */
export type FusedActivation = 'none' | 'relu' | 'relu_n1_to_1' | 'relu6' | 'tanh' | 'sign_bit';
const ACTIVATIONS: readonly FusedActivation[] = ['none', 'relu', 'relu_n1_to_1', 'relu6', 'tanh', 'sign_bit'];

export interface TfliteQuantization {
  scale: number[];
  zeroPoint: number[];
  /** The axis the per-channel scale runs along (0 for per-tensor). */
  quantizedDimension: number;
}

export interface TfliteTensor {
  index: number;
  name: string;
  shape: number[];
  type: TfliteTensorType;
  /** Index into the model's buffers; 0 is the empty sentinel. */
  buffer: number;
  /** The constant's raw little-endian bytes, or undefined for activations and inputs. */
  data: Uint8Array | undefined;
  quantization: TfliteQuantization | undefined;
}

/** The builtin options this reader understands; which fields are set depends on the op. */
export interface TfliteOptions {
  padding?: Padding;
  strideW?: number;
  strideH?: number;
  dilationW?: number;
  dilationH?: number;
  depthMultiplier?: number;
  filterW?: number;
  filterH?: number;
  activation?: FusedActivation;
  keepNumDims?: boolean;
  weightsFormat?: number;
  beta?: number;
  axis?: number;
  newShape?: number[];
  keepDims?: boolean;
  squeezeDims?: number[];
  alpha?: number;
  alignCorners?: boolean;
  halfPixelCenters?: boolean;
}

export interface TfliteOperator {
  /** Builtin code (max of deprecated_builtin_code and builtin_code). */
  code: number;
  /** e.g. 'CONV_2D'; CUSTOM ops read 'CUSTOM:<custom_code>'. */
  op: string;
  /** Tensor indices; -1 marks an omitted optional input (e.g. no bias). */
  inputs: number[];
  outputs: number[];
  options: TfliteOptions;
}

export interface TfliteModel {
  version: number;
  description: string;
  tensors: TfliteTensor[];
  inputs: number[];
  outputs: number[];
  operators: TfliteOperator[];
}

function padding(v: number): Padding {
  return v === 1 ? 'valid' : 'same';
}

function activation(v: number): FusedActivation {
  return ACTIVATIONS[v] ?? 'none';
}

/** Builtin options by op (their table layouts in schema.fbs); ops without options get {}. */
function parseOptions(op: string, t: FlatTable | undefined): TfliteOptions {
  if (!t) return {};
  switch (op) {
    case 'CONV_2D': // Conv2DOptions{padding, stride_w, stride_h, fused_activation_function, dilation_w_factor, dilation_h_factor}
      return {
        padding: padding(t.int8(0)),
        strideW: t.int32(1),
        strideH: t.int32(2),
        activation: activation(t.int8(3)),
        dilationW: t.int32(4, 1),
        dilationH: t.int32(5, 1),
      };
    case 'DEPTHWISE_CONV_2D': // {padding, stride_w, stride_h, depth_multiplier, fused_activation_function, dilation_w, dilation_h}
      return {
        padding: padding(t.int8(0)),
        strideW: t.int32(1),
        strideH: t.int32(2),
        depthMultiplier: t.int32(3),
        activation: activation(t.int8(4)),
        dilationW: t.int32(5, 1),
        dilationH: t.int32(6, 1),
      };
    case 'AVERAGE_POOL_2D':
    case 'MAX_POOL_2D':
    case 'L2_POOL_2D': // Pool2DOptions{padding, stride_w, stride_h, filter_width, filter_height, fused_activation_function}
      return {
        padding: padding(t.int8(0)),
        strideW: t.int32(1),
        strideH: t.int32(2),
        filterW: t.int32(3),
        filterH: t.int32(4),
        activation: activation(t.int8(5)),
      };
    case 'FULLY_CONNECTED': // {fused_activation_function, weights_format, keep_num_dims, asymmetric_quantize_inputs}
      return { activation: activation(t.int8(0)), weightsFormat: t.int8(1), keepNumDims: t.bool(2) };
    case 'SOFTMAX': // SoftmaxOptions{beta}
      return { beta: t.float32(0) };
    case 'CONCATENATION': // {axis, fused_activation_function}
      return { axis: t.int32(0), activation: activation(t.int8(1)) };
    case 'ADD':
    case 'SUB':
    case 'MUL':
    case 'DIV': // {fused_activation_function, ...}
      return { activation: activation(t.int8(0)) };
    case 'RESHAPE': // ReshapeOptions{new_shape}
      return t.has(0) ? { newShape: t.int32Vector(0) } : {};
    case 'MEAN':
    case 'SUM':
    case 'REDUCE_MAX':
    case 'REDUCE_MIN':
    case 'REDUCE_PROD': // ReducerOptions{keep_dims}
      return { keepDims: t.bool(0) };
    case 'SQUEEZE': // SqueezeOptions{squeeze_dims}
      return { squeezeDims: t.int32Vector(0) };
    case 'LEAKY_RELU': // LeakyReluOptions{alpha}
      return { alpha: t.float32(0) };
    case 'RESIZE_BILINEAR': // {new_height (deprecated), new_width (deprecated), align_corners, half_pixel_centers}
      return { alignCorners: t.bool(2), halfPixelCenters: t.bool(3) };
    default:
      return {};
  }
}

/** Parse a .tflite file (first subgraph only) without running anything. */
export function parseTflite(bytes: ArrayBuffer): TfliteModel {
  const view = new DataView(bytes);
  if (view.byteLength < 8) throw new Error('not a TFLite model: file too short');
  const ident = String.fromCharCode(view.getUint8(4), view.getUint8(5), view.getUint8(6), view.getUint8(7));
  if (ident !== 'TFL3') throw new Error(`not a TFLite model: file identifier "${ident}", expected "TFL3"`);
  // Model{version, operator_codes, subgraphs, description, buffers, metadata_buffer, metadata, signature_defs}
  const model = new FlatTable(view, view.getUint32(0, true));

  const opNames = model.tableVector(1).map((c) => {
    // OperatorCode{deprecated_builtin_code:byte, custom_code:string, version:int, builtin_code:int}
    const code = Math.max(c.int8(0), c.int32(3));
    return { code, op: code === 32 ? `CUSTOM:${c.string(1) ?? '?'}` : builtinOpName(code) };
  });

  const buffers = model.tableVector(4).map((b): Uint8Array | undefined => {
    // Buffer{data:[ubyte], offset:ulong, size:ulong}; offset > 1 puts the data outside the flatbuffer (>2 GB models).
    const offset = b.uint64(1);
    if (offset > 1) return new Uint8Array(bytes, offset, b.uint64(2));
    const data = b.bytes(0);
    return data && data.length > 0 ? data : undefined;
  });

  const subgraphs = model.tableVector(2);
  const graph = subgraphs[0];
  if (!graph) throw new Error('TFLite model has no subgraph');
  if (subgraphs.length > 1) throw new Error(`TFLite model has ${subgraphs.length} subgraphs; only single-graph models are supported`);

  // SubGraph{tensors, inputs, outputs, operators, name}
  const tensors = graph.tableVector(0).map((t, index): TfliteTensor => {
    // Tensor{shape, type, buffer, name, quantization, is_variable, sparsity, shape_signature}
    const typeCode = t.int8(1);
    const buffer = t.uint32(2);
    const q = t.table(4);
    // QuantizationParameters{min, max, scale, zero_point:[long], details_type, details, quantized_dimension}
    const scale = q ? q.float32Vector(2) : [];
    const quantization = q && scale.length > 0 ? { scale, zeroPoint: q.int64Vector(3), quantizedDimension: q.int32(6) } : undefined;
    if (t.has(6)) throw new Error(`tensor ${index} (${t.string(3) ?? ''}) is sparse; sparse tensors are not supported`);
    return {
      index,
      name: t.string(3) ?? `tensor_${index}`,
      shape: t.int32Vector(0),
      type: TENSOR_TYPES[typeCode] ?? `unknown(${typeCode})`,
      buffer,
      data: buffers[buffer],
      quantization,
    };
  });

  const operators = graph.tableVector(3).map((o): TfliteOperator => {
    // Operator{opcode_index, inputs, outputs, builtin_options_type, builtin_options, custom_options, ...}
    const opcodeIndex = o.uint32(0);
    const opcode = opNames[opcodeIndex];
    if (!opcode) throw new Error(`operator uses opcode index ${opcodeIndex}, but the model lists ${opNames.length} operator codes`);
    return { code: opcode.code, op: opcode.op, inputs: o.int32Vector(1), outputs: o.int32Vector(2), options: parseOptions(opcode.op, o.table(4)) };
  });

  return {
    version: model.uint32(0),
    description: model.string(3) ?? '',
    tensors,
    inputs: graph.int32Vector(1),
    outputs: graph.int32Vector(2),
    operators,
  };
}

// ---------------------------------------------------------------------------------------------
// Constants: raw bytes to JS numbers (float16 decoded, int8/uint8/int16 affine-dequantized).
// ---------------------------------------------------------------------------------------------

/** IEEE 754 half (binary16) to a JS number. */
export function float16ToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24; // zero and subnormals
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Per-element (value - zero_point) * scale, per-tensor or along quantized_dimension. */
function dequantize(raw: ArrayLike<number>, shape: readonly number[], q: TfliteQuantization): Float32Array {
  const out = new Float32Array(raw.length);
  const perChannel = q.scale.length > 1;
  const axis = q.quantizedDimension;
  const stride = perChannel ? elementCount(shape.slice(axis + 1)) : 1;
  const channels = perChannel ? (shape[axis] ?? 1) : 1;
  for (let i = 0; i < raw.length; i++) {
    const c = perChannel ? Math.floor(i / stride) % channels : 0;
    out[i] = ((raw[i] ?? 0) - (q.zeroPoint[c] ?? q.zeroPoint[0] ?? 0)) * (q.scale[c] ?? q.scale[0] ?? 1);
  }
  return out;
}

/** A constant tensor's values: float32 for float and quantized types, int32 for integer types. */
export function constantValues(t: TfliteTensor): { values: Float32Array | Int32Array; dtype: 'float32' | 'int32' } {
  const data = t.data;
  if (!data) throw new Error(`tensor ${t.index} (${t.name}) is not a constant`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const n = elementCount(t.shape);
  const need = (bytesPer: number): void => {
    if (data.byteLength < n * bytesPer) throw new Error(`constant ${t.name} has ${data.byteLength} bytes, expected ${n * bytesPer} for ${t.type}[${t.shape.join(',')}]`);
  };
  const read = (bytesPer: number, get: (offset: number) => number): number[] => {
    need(bytesPer);
    const raw: number[] = new Array<number>(n);
    for (let i = 0; i < n; i++) raw[i] = get(i * bytesPer);
    return raw;
  };
  const quantizedOrInt = (raw: number[]): { values: Float32Array | Int32Array; dtype: 'float32' | 'int32' } =>
    t.quantization ? { values: dequantize(raw, t.shape, t.quantization), dtype: 'float32' } : { values: Int32Array.from(raw), dtype: 'int32' };
  switch (t.type) {
    case 'float32':
      return { values: Float32Array.from(read(4, (o) => view.getFloat32(o, true))), dtype: 'float32' };
    case 'float16':
      return { values: Float32Array.from(read(2, (o) => float16ToNumber(view.getUint16(o, true)))), dtype: 'float32' };
    case 'float64':
      return { values: Float32Array.from(read(8, (o) => view.getFloat64(o, true))), dtype: 'float32' };
    case 'int32':
      return quantizedOrInt(read(4, (o) => view.getInt32(o, true)));
    case 'int64':
      return quantizedOrInt(read(8, (o) => Number(view.getBigInt64(o, true))));
    case 'int16':
      return quantizedOrInt(read(2, (o) => view.getInt16(o, true)));
    case 'int8':
      return quantizedOrInt(read(1, (o) => view.getInt8(o)));
    case 'uint8':
      return quantizedOrInt(read(1, (o) => view.getUint8(o)));
    case 'bool':
      return { values: Int32Array.from(read(1, (o) => view.getUint8(o))), dtype: 'int32' };
    default:
      throw new Error(`constant ${t.name} has unsupported type ${t.type}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Running the graph with tfjs.
// ---------------------------------------------------------------------------------------------

export interface TfliteRunner {
  /** The model's declared input shape, e.g. [1, 128, 128, 3]. */
  inputShape: number[];
  outputShape: number[];
  /** Runs the graph on a float NHWC batch; the caller disposes the result. */
  predict(input: tf.Tensor4D): tf.Tensor;
  /** Frees the uploaded constants. */
  dispose(): void;
}

/** The ops loadTfliteModel can run. */
export const SUPPORTED_OPS: ReadonlySet<string> = new Set([
  'ADD', 'SUB', 'MUL', 'DIV', 'AVERAGE_POOL_2D', 'MAX_POOL_2D', 'CONCATENATION', 'CONV_2D', 'DEPTHWISE_CONV_2D',
  'DEQUANTIZE', 'FULLY_CONNECTED', 'MEAN', 'PAD', 'RESHAPE', 'SQUEEZE', 'SOFTMAX', 'RELU', 'RELU6', 'LOGISTIC',
  'TANH', 'LEAKY_RELU',
]);

type TfActivation = 'linear' | 'relu' | 'relu6';

/** The activation tfjs can fuse into conv/matMul, and what must follow it otherwise. */
function splitActivation(a: FusedActivation | undefined, op: string): { fused: TfActivation; after?: (x: tf.Tensor) => tf.Tensor } {
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
  // Filters: TFLite conv [out, h, w, in] -> tfjs [h, w, in, out]; depthwise [1, h, w, in*mult] -> [h, w, in, mult].
  const convFilters = new Map<number, tf.Tensor4D>();
  const depthwiseFilters = new Map<number, tf.Tensor4D>();
  const toConvFilter = (f: tf.Tensor): tf.Tensor4D => tf.transpose(f as tf.Tensor4D, [1, 2, 3, 0]);
  const toDepthwiseFilter = (f: tf.Tensor, inChannels: number): tf.Tensor4D => {
    const [, h = 1, w = 1, total = 1] = f.shape;
    return tf.reshape(f, [h, w, inChannels, total / inChannels]);
  };
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
    /** Stride, padding, dilation and the optional bias (third input) of a CONV_2D or DEPTHWISE_CONV_2D. */
    const convArgs = (o: TfliteOperator) => {
      const { options: opt, inputs } = o;
      const bias = inputs[2];
      return {
        strides: [opt.strideH ?? 1, opt.strideW ?? 1] as [number, number],
        pad: opt.padding ?? 'valid',
        dilations: [opt.dilationH ?? 1, opt.dilationW ?? 1] as [number, number],
        bias: bias !== undefined && bias >= 0 ? get(bias, o.op) : undefined,
      };
    };
    for (const o of operators) {
      if (folded.has(o)) continue;
      const [a, b, c] = o.inputs;
      const opt = o.options;
      let y: tf.Tensor;
      switch (o.op) {
        case 'CONV_2D': {
          const { fused, after } = splitActivation(opt.activation, o.op);
          const filter = convFilters.get(b ?? -1) ?? toConvFilter(get(b, o.op));
          y = tf.fused.conv2d({ x: get(a, o.op) as tf.Tensor4D, filter, ...convArgs(o), activation: fused });
          if (after) y = after(y);
          break;
        }
        case 'DEPTHWISE_CONV_2D': {
          const { fused, after } = splitActivation(opt.activation, o.op);
          const input = get(a, o.op) as tf.Tensor4D;
          const filter = depthwiseFilters.get(b ?? -1) ?? toDepthwiseFilter(get(b, o.op), input.shape[3]);
          y = tf.fused.depthwiseConv2d({ x: input, filter, ...convArgs(o), activation: fused });
          if (after) y = after(y);
          break;
        }
        case 'FULLY_CONNECTED': {
          // weights [out, in]; the input is flattened to [-1, in] unless keep_num_dims.
          if (opt.weightsFormat) throw new Error(`TFLite FULLY_CONNECTED: shuffled weights format ${opt.weightsFormat} is not supported`);
          const { fused, after } = splitActivation(opt.activation, o.op);
          const w = get(b, o.op) as tf.Tensor2D;
          const [outDim, inDim] = w.shape;
          const input = get(a, o.op);
          y = tf.fused.matMul({
            a: tf.reshape(input, [-1, inDim]),
            b: w,
            transposeB: true,
            bias: c !== undefined && c >= 0 ? get(c, o.op) : undefined,
            activation: fused,
          });
          if (after) y = after(y);
          if (opt.keepNumDims) y = tf.reshape(y, [...input.shape.slice(0, -1), outDim]);
          break;
        }
        case 'AVERAGE_POOL_2D':
        case 'MAX_POOL_2D': {
          const pool = o.op === 'AVERAGE_POOL_2D' ? tf.avgPool : tf.maxPool;
          const pooled = pool(get(a, o.op) as tf.Tensor4D, [opt.filterH ?? 1, opt.filterW ?? 1], [opt.strideH ?? 1, opt.strideW ?? 1], opt.padding ?? 'valid');
          y = applyActivation(pooled, opt.activation, o.op);
          break;
        }
        case 'MEAN': {
          const input = get(a, o.op);
          y = tf.mean(input, intsOf(b ?? -1, o.op).map((ax) => normAxis(ax, input.rank)), opt.keepDims ?? false);
          break;
        }
        case 'PAD': {
          const p = intsOf(b ?? -1, o.op);
          const pairs: Array<[number, number]> = [];
          for (let k = 0; k + 1 < p.length; k += 2) pairs.push([p[k] ?? 0, p[k + 1] ?? 0]);
          y = tf.pad(get(a, o.op), pairs);
          break;
        }
        case 'RESHAPE': {
          const shape = b !== undefined && b >= 0 && values.has(b) ? intsOf(b, o.op) : (opt.newShape ?? tensorAt(o.outputs[0] ?? -1).shape);
          y = tf.reshape(get(a, o.op), shape);
          break;
        }
        case 'SQUEEZE': {
          const dims = opt.squeezeDims ?? [];
          y = tf.squeeze(get(a, o.op), dims.length > 0 ? dims : undefined);
          break;
        }
        case 'SOFTMAX': {
          const beta = opt.beta ?? 1;
          const input = get(a, o.op);
          y = tf.softmax(beta === 1 ? input : tf.mul(input, beta));
          break;
        }
        case 'CONCATENATION': {
          const parts = o.inputs.map((i) => get(i, o.op));
          y = applyActivation(tf.concat(parts, normAxis(opt.axis ?? 0, parts[0]?.rank ?? 1)), opt.activation, o.op);
          break;
        }
        case 'ADD':
        case 'SUB':
        case 'MUL':
        case 'DIV': {
          const f = { ADD: tf.add, SUB: tf.sub, MUL: tf.mul, DIV: tf.div }[o.op];
          y = applyActivation(f(get(a, o.op), get(b, o.op)), opt.activation, o.op);
          break;
        }
        case 'DEQUANTIZE': {
          // A runtime (non-constant) input: activations are float32 already unless affine-quantized.
          const input = get(a, o.op);
          const q = tensorAt(a ?? -1).quantization;
          if (q && q.scale.length > 1) throw new Error('TFLite DEQUANTIZE: per-channel runtime dequantization is not supported');
          y = q ? tf.mul(tf.sub(tf.cast(input, 'float32'), q.zeroPoint[0] ?? 0), q.scale[0] ?? 1) : tf.cast(input, 'float32');
          break;
        }
        case 'RELU':
          y = tf.relu(get(a, o.op));
          break;
        case 'RELU6':
          y = tf.relu6(get(a, o.op));
          break;
        case 'LOGISTIC':
          y = tf.sigmoid(get(a, o.op));
          break;
        case 'TANH':
          y = tf.tanh(get(a, o.op));
          break;
        case 'LEAKY_RELU':
          y = tf.leakyRelu(get(a, o.op), opt.alpha ?? 0.2);
          break;
        default:
          throw new Error(`TFLite op ${o.op} is not supported`);
      }
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
