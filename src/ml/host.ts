// ML host (offscreen document): the one pipeline it serves and its state for the popup. WebGPU that
// fails while loading falls back inside createPipeline; a WebGPU device lost later (driver reset,
// GPU process crash) makes the host load the pipeline again on wasm and say so. Other models (the
// background says so when the user picks them in Settings) load beside the running pipeline and swap:
// frames in flight finish on the old one, which is freed after its last. Each pipeline loaded is a new
// generation, stamped on its results: what produced a result is told by its generation alone. A
// generation names this host instance too (a random id drawn at its start): a host that replaces a
// closed one numbers its pipelines from 1 again, and must never answer for the old one's.
// The tfjs backend is global to the document: it is chosen once, by the first pipeline, and every
// later one loads on it (a model switch never probes WebGPU again after it failed, nor moves the
// backend under frames in flight); only a lost WebGPU device moves the host to wasm.
import type { BackendName, Generation } from '../core/types';
import type { ModelChoice, PipelineState, ResultModels } from '../messaging/offscreen';
import { tensorMemory } from './backend';
import type { Pipeline } from './pipeline';
import { showsPercent } from '../core/calibration';

/** Opens a pipeline on the given backend order (the default order when none is given) with the chosen models. */
export type OpenPipeline = (order: BackendName[] | undefined, models: ModelChoice) => Promise<Pipeline>;

export interface PipelineHost {
  /** What the popup shows: loading, ready (backend, models, memory, why it fell back) or the error. */
  status(): PipelineState;
  /** The current pipeline (after a lost device, the one loading on wasm). */
  ready(): Promise<Pipeline>;
  /**
   * Switch to `models` unless they are the ones wanted now (compared as given: callers pass resolved
   * ids); resolves once the switch has settled (loaded, failed or superseded).
   */
  use(models: ModelChoice): Promise<void>;
  /** Run `work` on the current pipeline, with its generation; the pipeline is not freed while `work` runs. */
  run<T>(work: (pipeline: Pipeline, generation: Generation) => Promise<T>): Promise<T>;
  /** The models of a generation (one of this host's latest few), or null. */
  modelsOf(generation: Generation): ResultModels | null;
}

/** Generations whose models stay known (results of older ones may still be in flight or in a report queue). */
const KNOWN_GENERATIONS = 16;

/** A load that a newer model choice replaced before it finished. */
class Superseded extends Error {
  constructor() {
    super('superseded by a newer model choice');
  }
}

/** The pipeline `ready` resolves to, following it when a newer choice replaces a load under way. */
async function settle(get: () => Promise<Pipeline>): Promise<Pipeline> {
  for (;;) {
    const pending = get();
    try {
      return await pending;
    } catch (err) {
      if (!(err instanceof Superseded) || pending === get()) throw err;
    }
  }
}

const DEFAULT_MODELS: ModelChoice = { detector: null, classifier: null };
const sameChoice = (a: ModelChoice, b: ModelChoice) => a.detector === b.detector && a.classifier === b.classifier;

/**
 * `changed` hears every state change (loading, ready with a new generation, error): the offscreen
 * document pushes it to the background, which tells the tabs and the popup (nobody polls).
 */
export function createPipelineHost(open: OpenPipeline, initial: ModelChoice = DEFAULT_MODELS, changed: (state: PipelineState) => void = () => undefined): PipelineHost {
  let state: PipelineState = { state: 'loading' };
  const set = (next: PipelineState) => {
    state = next;
    changed(next);
  };
  let order: BackendName[] | undefined;
  let wanted = initial;
  const inFlight = new Map<Pipeline, number>();
  const retired = new Set<Pipeline>();
  let current: Pipeline | null = null;
  const instance = crypto.randomUUID();
  let loaded = 0;
  const generations = new WeakMap<Pipeline, Generation>();
  /** The latest KNOWN_GENERATIONS generations' models, oldest first (a Map keeps insertion order). */
  const known = new Map<Generation, ResultModels>();

  const free = (p: Pipeline) => {
    try {
      p.dispose();
    } catch (err) {
      // A lost device's tensors cannot all be freed; they go with it.
      console.warn('[ml host] pipeline not fully freed', err);
    }
  };
  /** Free `p` now, or after the last frame running on it. */
  const retire = (p: Pipeline) => {
    if ((inFlight.get(p) ?? 0) === 0) free(p);
    else retired.add(p);
  };

  function load(models: ModelChoice, fallback?: string): Promise<Pipeline> {
    set({ state: 'loading' });
    const t0 = performance.now();
    const loading: Promise<Pipeline> = open(order, models).then((pipeline) => {
      if (loading !== ready) {
        // Superseded while loading (the user picked again): the newer request wins.
        retire(pipeline);
        throw new Superseded();
      }
      current = pipeline;
      order = [pipeline.backend];
      const generation: Generation = `${instance}:${++loaded}`;
      generations.set(pipeline, generation);
      known.set(generation, { detector: pipeline.detectorId ?? '', classifier: pipeline.classifierId, labels: [...pipeline.labels], cropSize: pipeline.cropSize });
      for (const g of known.keys()) if (known.size > KNOWN_GENERATIONS) known.delete(g);
      const why = fallback ?? (pipeline.fallback ? `WebGPU failed (${pipeline.fallback.reason}); running on ${pipeline.backend}` : undefined);
      set({
        state: 'ready',
        generation,
        backend: pipeline.backend,
        detector: pipeline.detectorId ?? '',
        classifier: pipeline.classifierId,
        labels: [...pipeline.labels],
        cropSize: pipeline.cropSize,
        confidence: pipeline.calibration ? { uncertainBelow: pipeline.calibration.uncertainBelow, percent: showsPercent(pipeline.calibration) } : null,
        loadMs: performance.now() - t0,
        memory: tensorMemory(),
        ...(why ? { fallback: why } : {}),
      });
      void pipeline.lost?.then((reason) => {
        if (pipeline !== current) return; // retired already: its replacement is unaffected
        console.error('[ml host] WebGPU device lost; reloading on wasm:', reason);
        free(pipeline);
        order = ['wasm', 'cpu'];
        ready = load(wanted, `${reason}; running on wasm`);
      });
      return pipeline;
    });
    loading.catch((err: unknown) => {
      if (loading !== ready) return;
      set({ state: 'error', error: err instanceof Error ? err.message : String(err) });
      console.error('[ml host] pipeline failed to load', err);
    });
    return loading;
  }

  let ready = load(wanted);

  async function switchTo(models: ModelChoice): Promise<void> {
    wanted = models;
    const previous = ready;
    ready = load(models);
    // The old pipeline is retired once the new one is in place (a failed or superseded load leaves nothing to free).
    previous.then(retire, () => undefined);
    await settle(() => ready).catch(() => undefined);
  }

  return {
    status: () => (state.state === 'ready' ? { ...state, memory: tensorMemory() } : state),
    ready: () => settle(() => ready),
    async use(models) {
      if (!sameChoice(models, wanted)) await switchTo(models);
    },
    modelsOf: (g) => known.get(g) ?? null,
    async run(work) {
      const pipeline = await settle(() => ready);
      inFlight.set(pipeline, (inFlight.get(pipeline) ?? 0) + 1);
      try {
        return await work(pipeline, generations.get(pipeline) ?? `${instance}:0`);
      } finally {
        const left = (inFlight.get(pipeline) ?? 1) - 1;
        if (left > 0) inFlight.set(pipeline, left);
        else {
          inFlight.delete(pipeline);
          if (retired.delete(pipeline)) free(pipeline);
        }
      }
    },
  };
}
