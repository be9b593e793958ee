// Node (tfjs wasm): WebGPU that passes selection and then fails on real work (here a backend
// registered as 'webgpu' whose every upload fails, as a lost or broken device does: there is no
// WebGPU in Node) makes the pipeline load again on wasm, and say so; so does a device lost later.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BackendName } from '../../src/core/types';
import { createPipelineHost } from '../../src/ml/host';
import { createPipeline, type Pipeline } from '../../src/ml/pipeline';
import { tf } from '../../src/ml/tf';
import { decodeImageFile } from '../../tools/lib/images';
import { fsReader, readManifest } from '../../tools/lib/node-models';
import { sharedPath } from '../../tools/lib/paths';

class LostDevice extends tf.KernelBackend {
  override write(): never {
    throw new Error('GPUDevice was lost: buffer upload failed');
  }
  override numDataIds(): number {
    return 0;
  }
  override dispose(): void {}
}

const g = globalThis as unknown as { navigator?: Record<string, unknown> };
const hadNavigator = 'navigator' in globalThis;
let realWebGpu: ReturnType<typeof tf.findBackendFactory> | null = null;

beforeEach(() => {
  if (!g.navigator) Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true, writable: true });
  Object.defineProperty(g.navigator!, 'gpu', { value: { requestAdapter: () => Promise.resolve({}) }, configurable: true, writable: true });
  // (tfjs-backend-webgpu registers itself only where WebGPU exists: not in Node.)
  realWebGpu = (tf.findBackendFactory('webgpu') as ReturnType<typeof tf.findBackendFactory> | null) ?? null;
  if (realWebGpu) tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', () => new LostDevice());
});
afterEach(() => {
  tf.removeBackend('webgpu');
  if (realWebGpu) tf.registerBackend('webgpu', realWebGpu, 3);
  if (g.navigator) delete g.navigator.gpu;
  if (!hadNavigator) delete g.navigator;
});

describe('WebGPU failing after selection', () => {
  it('loads the models on wasm instead, reports why, and analyzes', async () => {
    const pipeline = await createPipeline({ manifest: readManifest(), read: fsReader(), backend: { order: ['webgpu', 'wasm'] } });
    try {
      expect(pipeline.backend).toBe('wasm');
      expect(pipeline.fallback).toEqual({ from: 'webgpu', reason: expect.stringMatching(/GPUDevice was lost/) });
      expect(pipeline.lost).toBeNull();
      const r = await pipeline.analyze(await decodeImageFile(sharedPath('fixtures', 'images', 'astronaut.png')));
      expect(r.backend).toBe('wasm');
      expect(r.faces).toHaveLength(1);
    } finally {
      pipeline.dispose();
    }
  });

  it('with nothing to fall back to, the WebGPU error is the error', async () => {
    await expect(createPipeline({ manifest: readManifest(), read: fsReader(), backend: { order: ['webgpu'] } })).rejects.toThrow(/GPUDevice was lost/);
  });
});

describe('a WebGPU device lost after loading', () => {
  it('the ML host disposes the lost pipeline, loads again on wasm, says why, and analyzes', async () => {
    // The first pipeline stands in for one loaded on WebGPU (a real pipeline on wasm under the
    // WebGPU name, its device's lost promise in the test's hands): Node has no WebGPU device to lose.
    let loseDevice!: (reason: string) => void;
    const dispose = vi.fn();
    const opened: Array<BackendName[] | undefined> = [];
    const host = createPipelineHost(async (order) => {
      opened.push(order);
      const real = await createPipeline({ manifest: readManifest(), read: fsReader(), backend: { order: ['wasm'] } });
      if (order) return real;
      const onGpu: Pipeline = {
        backend: 'webgpu',
        fallback: null,
        lost: new Promise<string>((resolve) => (loseDevice = resolve)),
        detectorId: real.detectorId,
        classifierId: real.classifierId,
        labels: real.labels,
        cropSize: real.cropSize,
        calibration: real.calibration,
        analyze: (input, opts) => real.analyze(input, opts),
        dispose: () => {
          dispose();
          real.dispose();
          throw new Error('a lost device cannot free everything');
        },
      };
      return onGpu;
    });
    await host.ready();
    expect(host.status()).toMatchObject({ state: 'ready', backend: 'webgpu' });
    expect(host.status()).not.toHaveProperty('fallback');

    loseDevice('WebGPU device lost (unknown): GPU process crashed');
    await vi.waitFor(() => expect(host.status()).toMatchObject({ state: 'ready', backend: 'wasm' }), { timeout: 30_000 });
    expect(host.status()).toMatchObject({ fallback: 'WebGPU device lost (unknown): GPU process crashed; running on wasm' });
    expect(opened).toEqual([undefined, ['wasm', 'cpu']]);
    expect(dispose).toHaveBeenCalledTimes(1);
    const pipeline = await host.ready();
    try {
      const r = await pipeline.analyze(await decodeImageFile(sharedPath('fixtures', 'images', 'astronaut.png')));
      expect(r.backend).toBe('wasm');
      expect(r.faces).toHaveLength(1);
    } finally {
      pipeline.dispose();
    }
  });
});
