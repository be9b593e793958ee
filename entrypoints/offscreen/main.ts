// Offscreen document: hosts the ML pipeline; computes, stores nothing.
import { parseModelsManifest } from '@/src/core/models';
import { fetchReader } from '@/src/ml/loader';
import { createPipeline } from '@/src/ml/pipeline';
import { createPipelineHost } from '@/src/ml/host';
import { type FrameAnalysis, type FramePayload, OFFSCREEN_SENDERS, offscreenMessenger } from '@/src/messaging/offscreen';
import { assertSender } from '@/src/messaging/guard';
import type { PixelData } from '@/src/ml/preprocess';
import { capturingTabs, cropTabRegion, startTabCapture, stopTabCapture } from './tab-capture';

/** offscreenMessenger.onMessage, refusing senders OFFSCREEN_SENDERS does not allow for the type. */
const onMessage: typeof offscreenMessenger.onMessage = (type, onReceived) =>
  offscreenMessenger.onMessage(type, (message) => {
    assertSender(type, OFFSCREEN_SENDERS[type], message.sender);
    return onReceived(message);
  });

const host = createPipelineHost(async (order) => {
  const modelsUrl = chrome.runtime.getURL('models/');
  const res = await fetch(new URL('models.json', modelsUrl));
  return createPipeline({
    manifest: parseModelsManifest(await res.json()),
    read: fetchReader(modelsUrl),
    backend: { wasmPath: chrome.runtime.getURL('wasm/'), order },
  });
});

onMessage('pipelineStatus', () => host.status());

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
  const pipeline = await host.ready();
  const { input, release } = await decodeFrame(data.frame);
  const t1 = performance.now();
  try {
    const result = await pipeline.analyze(input, { minFaceSize: data.minFaceSize, faces: data.faces, sheet: data.sheet });
    return { ...result, tileId: data.tileId, frameTime: data.frameTime, offscreenMs: { receivedAt, decode: t1 - t0, total: performance.now() - t0 } };
  } finally {
    release();
  }
});

onMessage('analyzeTabRegion', async ({ data, sender }): Promise<FrameAnalysis> => {
  const receivedAt = now();
  const t0 = performance.now();
  const pipeline = await host.ready();
  if (sender.tab?.id === undefined) throw new Error('analyzeTabRegion must come from a tab');
  const crop = cropTabRegion(sender.tab.id, data.rect, data.viewport);
  const t1 = performance.now();
  const result = await pipeline.analyze(crop, { minFaceSize: data.minFaceSize, faces: data.faces });
  return { ...result, tileId: data.tileId, frameTime: data.frameTime, offscreenMs: { receivedAt, decode: t1 - t0, total: performance.now() - t0 } };
});

onMessage('startTabCapture', ({ data }) => startTabCapture(data.tabId, data.streamId));
onMessage('stopTabCapture', ({ data }) => stopTabCapture(data.tabId));
onMessage('capturingTabs', () => capturingTabs());
