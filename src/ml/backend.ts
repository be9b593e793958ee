// Any context: choose the fastest tfjs backend that actually works here (webgpu, then wasm, then cpu).
import type { BackendName } from '../core/types';
import { setWasmPaths, tf } from './tf';

export interface BackendOptions {
  /** Backends to try, in order. Default: webgpu, wasm, cpu. */
  order?: BackendName[];
  /** How long a WebGPU adapter probe or backend init may take before we move on. */
  timeoutMs?: number;
  /** Base URL (ending in /) of the tfjs-backend-wasm .wasm files, for browsers. Node finds them itself. */
  wasmPath?: string;
}

export interface BackendChoice {
  backend: BackendName;
  /** Why each earlier backend was skipped, for the UI and logs. */
  skipped: Array<{ backend: BackendName; reason: string }>;
  wasmSimd?: boolean;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

interface GpuLike {
  requestAdapter(): Promise<unknown>;
}

/** Probe for a real WebGPU adapter ourselves: headless Chromium has navigator.gpu but may return null. */
async function probeWebGpu(timeoutMs: number): Promise<string | null> {
  const gpu = (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu;
  if (!gpu) return 'navigator.gpu is not available';
  const adapter = await withTimeout(gpu.requestAdapter(), timeoutMs, 'WebGPU requestAdapter');
  return adapter ? null : 'no WebGPU adapter';
}

/**
 * Select and initialize a backend. Never hangs: every step is bounded by `timeoutMs`.
 * wasm threads stay off unless the page is cross-origin isolated: tfjs' thread pool uses blob:
 * workers, which an extension's CSP blocks, and setBackend would never resolve.
 */
export async function selectBackend(opts: BackendOptions = {}): Promise<BackendChoice> {
  const order = opts.order ?? ['webgpu', 'wasm', 'cpu'];
  const timeoutMs = opts.timeoutMs ?? 4000;
  const skipped: BackendChoice['skipped'] = [];
  for (const backend of order) {
    try {
      if (backend === 'webgpu') {
        const reason = await probeWebGpu(timeoutMs);
        if (reason) {
          skipped.push({ backend, reason });
          continue;
        }
      }
      if (backend === 'wasm') {
        if (!(globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated) {
          tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
        }
        if (opts.wasmPath) setWasmPaths(opts.wasmPath);
      }
      const ok = await withTimeout(tf.setBackend(backend), timeoutMs, `tfjs setBackend('${backend}')`);
      if (!ok) {
        skipped.push({ backend, reason: 'initialization failed' });
        continue;
      }
      await tf.ready();
      const choice: BackendChoice = { backend, skipped };
      if (backend === 'wasm') choice.wasmSimd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
      return choice;
    } catch (err) {
      skipped.push({ backend, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  throw new Error(`no tfjs backend available: ${skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')}`);
}

/** Live tfjs tensors and their bytes: flat over a long call means no leak. */
export function tensorMemory(): { tensors: number; tensorBytes: number } {
  const m = tf.memory();
  return { tensors: m.numTensors, tensorBytes: m.numBytes };
}

/**
 * Resolves with the reason once the WebGPU device behind the current backend is lost (driver reset,
 * GPU process crash, another tab taking the GPU); null when the current backend has no device.
 */
export function webgpuDeviceLost(): Promise<string> | null {
  const device = (tf.backend() as { device?: { lost?: Promise<{ reason?: string; message?: string }> } }).device;
  if (!device?.lost) return null;
  return device.lost.then((info) => `WebGPU device lost${info.reason ? ` (${info.reason})` : ''}${info.message ? `: ${info.message}` : ''}`);
}
