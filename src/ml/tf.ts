// Any context (offscreen document, Node tools/tests): the single tfjs import point; tensors never leave src/ml.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgpu';

export { tf };
export { loadGraphModel } from '@tensorflow/tfjs-converter';
export type { GraphModel } from '@tensorflow/tfjs-converter';
export { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
