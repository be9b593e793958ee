// Node context: tfjs with the wasm backend (tfjs-node cannot install here), shared by every tool and test.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
// Gradients for the trainer: tfjs-core registers none; the @tensorflow/tfjs bundle registers them all.
import '@tensorflow/tfjs';

let ready: Promise<void> | undefined;

export function initNodeTf(): Promise<void> {
  ready ??= (async () => {
    if (!(await tf.setBackend('wasm'))) throw new Error('tfjs wasm backend failed to initialize');
    await tf.ready();
  })();
  return ready;
}

export { tf };
