// Node (tfjs wasm): backend selection probes WebGPU itself, never hangs, and falls back in order.
import { afterEach, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/ml/backend';
import { tf } from '../../src/ml/tf';

// Node 20 has no navigator; newer Node has one without gpu. Either way we install a fake gpu.
const g = globalThis as unknown as { navigator?: Record<string, unknown> };
const hadNavigator = 'navigator' in globalThis;
function setGpu(gpu: unknown): void {
  if (!g.navigator) Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true, writable: true });
  Object.defineProperty(g.navigator!, 'gpu', { value: gpu, configurable: true, writable: true });
}

afterEach(() => {
  if (g.navigator) delete g.navigator.gpu;
  if (!hadNavigator) delete g.navigator;
});

describe('selectBackend', () => {
  it('skips WebGPU where there is no navigator.gpu and chooses wasm with SIMD', async () => {
    const choice = await selectBackend({ order: ['webgpu', 'wasm', 'cpu'] });
    expect(choice.backend).toBe('wasm');
    expect(choice.wasmSimd).toBe(true);
    expect(choice.skipped).toEqual([{ backend: 'webgpu', reason: 'navigator.gpu is not available' }]);
    expect(tf.getBackend()).toBe('wasm');
  });

  it('skips WebGPU when requestAdapter returns null (headless Chromium without a GPU)', async () => {
    setGpu({ requestAdapter: () => Promise.resolve(null) });
    const choice = await selectBackend({ order: ['webgpu', 'wasm'] });
    expect(choice.backend).toBe('wasm');
    expect(choice.skipped[0]).toEqual({ backend: 'webgpu', reason: 'no WebGPU adapter' });
  });

  it('times out a requestAdapter that never answers instead of hanging', async () => {
    setGpu({ requestAdapter: () => new Promise(() => undefined) });
    const t0 = performance.now();
    const choice = await selectBackend({ order: ['webgpu', 'wasm'], timeoutMs: 200 });
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(choice.backend).toBe('wasm');
    expect(choice.skipped[0]?.reason).toMatch(/timed out after 200 ms/);
  });

  it('fails with every reason when no backend works', async () => {
    setGpu({ requestAdapter: () => Promise.reject(new Error('GPU process crashed')) });
    await expect(selectBackend({ order: ['webgpu'] })).rejects.toThrow(/no tfjs backend available: webgpu: GPU process crashed/);
  });
});
