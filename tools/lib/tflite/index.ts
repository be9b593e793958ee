// Node context (tools, tests): a TFLite reader by hand (the paper authors' released classifier is a
// .tflite file). Tools and tests only: the extension ships tfjs models and no TFLite parser.
export { builtinOpName, parseTflite, type FusedActivation, type Padding, type TfliteModel, type TfliteOperator, type TfliteOptions, type TfliteQuantization, type TfliteTensor, type TfliteTensorType } from './schema';
export { constantValues, float16ToNumber } from './dequantize';
export { loadTfliteModel, SUPPORTED_OPS, type TfliteRunner } from './runner';
export { CONVERTIBLE_OPS, tfliteToGraph, type ConvertedGraph } from './graph-model';
