// ML host (offscreen document): the one pipeline it serves and its state for the popup. WebGPU that
// fails while loading falls back inside createPipeline; a WebGPU device lost later (driver reset,
// GPU process crash) makes the host load the pipeline again on wasm and say so.
import type { BackendName } from '../core/types';
import type { PipelineState } from '../messaging/offscreen';
import { tensorMemory } from './backend';
import type { Pipeline } from './pipeline';

/** Opens a pipeline on the given backend order (the default order when none is given). */
export type OpenPipeline = (order?: BackendName[]) => Promise<Pipeline>;

export interface PipelineHost {
  /** What the popup shows: loading, ready (backend, models, memory, why it fell back) or the error. */
  status(): PipelineState;
  /** The current pipeline (after a lost device, the one loading on wasm). */
  ready(): Promise<Pipeline>;
}

export function createPipelineHost(open: OpenPipeline): PipelineHost {
  let state: PipelineState = { state: 'loading' };

  function load(order?: BackendName[], fallback?: string): Promise<Pipeline> {
    state = { state: 'loading' };
    const t0 = performance.now();
    const loading = open(order).then((pipeline) => {
      const why = fallback ?? (pipeline.fallback ? `WebGPU failed (${pipeline.fallback.reason}); running on ${pipeline.backend}` : undefined);
      state = {
        state: 'ready',
        backend: pipeline.backend,
        detector: pipeline.detectorId ?? '',
        classifier: pipeline.classifierId,
        labels: [...pipeline.labels],
        cropSize: pipeline.cropSize,
        loadMs: performance.now() - t0,
        memory: tensorMemory(),
        ...(why ? { fallback: why } : {}),
      };
      void pipeline.lost?.then((reason) => {
        console.error('[ml host] WebGPU device lost; reloading on wasm:', reason);
        try {
          pipeline.dispose();
        } catch {
          // The lost device's tensors cannot all be freed; they go with it.
        }
        ready = load(['wasm', 'cpu'], `${reason}; running on wasm`);
      });
      return pipeline;
    });
    loading.catch((err: unknown) => {
      state = { state: 'error', error: err instanceof Error ? err.message : String(err) };
      console.error('[ml host] pipeline failed to load', err);
    });
    return loading;
  }

  let ready = load();
  return {
    status: () => (state.state === 'ready' ? { ...state, memory: tensorMemory() } : state),
    ready: () => ready,
  };
}
