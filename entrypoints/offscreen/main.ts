// Offscreen document: hosts the ML pipeline; computes, stores nothing.
import { parseModelsManifest } from '@/src/core/models';
import { fetchReader } from '@/src/ml/loader';
import { createPipeline, type Pipeline } from '@/src/ml/pipeline';
import type { BackendName } from '@/src/core/types';
import { type FrameAnalysis, type FramePayload, OFFSCREEN_SENDERS, offscreenMessenger, type PipelineState } from '@/src/messaging/offscreen';
import { assertSender } from '@/src/messaging/guard';
import type { PixelData } from '@/src/ml/preprocess';
import { tensorMemory } from '@/src/ml/backend';
import { capturingTabs, cropTabRegion, startTabCapture, stopTabCapture } from './tab-capture';

/** offscreenMessenger.onMessage, refusing senders OFFSCREEN_SENDERS does not allow for the type. */
const onMessage: typeof offscreenMessenger.onMessage = (type, onReceived) =>
  offscreenMessenger.onMessage(type, (message) => {
    assertSender(type, OFFSCREEN_SENDERS[type], message.sender);
    return onReceived(message);
  });

let state: PipelineState = { state: 'loading' };

/** Load the pipeline (on `order` when given); WebGPU failing then, or later losing its device, falls back to wasm. */
function load(order?: BackendName[], fallback?: string): Promise<Pipeline> {
  const loading = (async () => {
    const t0 = performance.now();
    const modelsUrl = chrome.runtime.getURL('models/');
    const res = await fetch(new URL('models.json', modelsUrl));
    const manifest = parseModelsManifest(await res.json());
    const pipeline = await createPipeline({
      manifest,
      read: fetchReader(modelsUrl),
      backend: { wasmPath: chrome.runtime.getURL('wasm/'), order },
    });
    const why = fallback ?? (pipeline.fallback ? `WebGPU failed (${pipeline.fallback.reason}); running on ${pipeline.backend}` : undefined);
    state = {
      state: 'ready',
      backend: pipeline.backend,
      detector: pipeline.detectorId ?? '',
      classifier: pipeline.classifierId,
      labels: [...pipeline.labels],
      loadMs: performance.now() - t0,
      memory: tensorMemory(),
      ...(why ? { fallback: why } : {}),
    };
    void pipeline.lost?.then((reason) => {
      console.error('[offscreen] WebGPU device lost; reloading on wasm:', reason);
      try {
        pipeline.dispose();
      } catch {
        // The lost device's tensors cannot all be freed; they go with it.
      }
      state = { state: 'loading' };
      ready = load(['wasm', 'cpu'], `${reason}; running on wasm`);
    });
    return pipeline;
  })();
  loading.catch((err: unknown) => {
    state = { state: 'error', error: err instanceof Error ? err.message : String(err) };
    console.error('[offscreen] pipeline failed to load', err);
  });
  return loading;
}

let ready: Promise<Pipeline> = load();

onMessage('pipelineStatus', () => (state.state === 'ready' ? { ...state, memory: tensorMemory() } : state));

const now = () => performance.timeOrigin + performance.now();

/** Decode a frame payload into something the pipeline takes; the returned release frees it. */
async function decodeFrame(frame: FramePayload): Promise<{ input: ImageBitmap | PixelData; release: () => void }> {
  if (frame.kind === 'jpeg') {
    const bitmap = await createImageBitmap(frame.blob);
    return { input: bitmap, release: () => bitmap.close() };
  }
  if (frame.data.byteLength !== frame.width * frame.height * 4) throw new Error('raw frame: size does not match its dimensions');
  return { input: { data: new Uint8ClampedArray(frame.data), width: frame.width, height: frame.height }, release: () => undefined };
}

onMessage('analyzeFrame', async ({ data }): Promise<FrameAnalysis> => {
  const receivedAt = now();
  const t0 = performance.now();
  const pipeline = await ready;
  const { input, release } = await decodeFrame(data.frame);
  const t1 = performance.now();
  try {
    const result = await pipeline.analyze(input, { minFaceSize: data.minFaceSize, faces: data.faces });
    return { ...result, tileId: data.tileId, frameTime: data.frameTime, offscreenMs: { receivedAt, decode: t1 - t0, total: performance.now() - t0 } };
  } finally {
    release();
  }
});

onMessage('analyzeTabRegion', async ({ data, sender }): Promise<FrameAnalysis> => {
  const receivedAt = now();
  const t0 = performance.now();
  const pipeline = await ready;
  if (sender.tab?.id === undefined) throw new Error('analyzeTabRegion must come from a tab');
  const crop = cropTabRegion(sender.tab.id, data.rect, data.viewport);
  const t1 = performance.now();
  const result = await pipeline.analyze(crop, { minFaceSize: data.minFaceSize, faces: data.faces });
  return { ...result, tileId: data.tileId, frameTime: data.frameTime, offscreenMs: { receivedAt, decode: t1 - t0, total: performance.now() - t0 } };
});

onMessage('startTabCapture', ({ data }) => startTabCapture(data.tabId, data.streamId));
onMessage('stopTabCapture', ({ data }) => stopTabCapture(data.tabId));
onMessage('capturingTabs', () => capturingTabs());
