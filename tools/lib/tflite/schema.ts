// Node context (tools, tests): the TFLite model as parsed from its FlatBuffer (first subgraph):
// tensors, operators and the builtin options this reader understands.
import { FlatTable } from './flatbuffer';

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
