// Offscreen document: hosts the ML pipeline; computes, stores nothing.
import { MAX_FRAME_SIDE } from '@/src/core/geometry';
import { jpegFrameRefusal } from '@/src/ml/logic/jpeg';
import { type ModelsManifest, type ModelTask, parseModelsManifest } from '@/src/core/models';
import { fetchReader } from '@/src/ml/loader';
import { createPipeline, type Pipeline } from '@/src/ml/pipeline';
import { createPipelineHost, type PipelineHost } from '@/src/ml/host';
import { analyzeBatch } from '@/src/ml/frame-batch';
import type { BatchAnswer } from '@/src/overlay/logic/coalesce';
import { backgroundMessenger } from '@/src/messaging/background';
import { type FrameAnalysis, type FramePayload, type FrameRequest, type ModelChoice, OFFSCREEN_SENDERS, offscreenMessenger, type PipelineState } from '@/src/messaging/offscreen';
import { assertSender } from '@/src/messaging/guard';
import { parseFrameBatch, parseTabRegionRequest } from '@/src/messaging/parse';
import type { PixelData } from '@/src/ml/preprocess';
import { capturingTabs, cropTabRegion, startTabCapture, stopTabCapture } from './tab-capture';

/** offscreenMessenger.onMessage, refusing senders OFFSCREEN_SENDERS does not allow for the type. */
const onMessage: typeof offscreenMessenger.onMessage = (type, onReceived) =>
  offscreenMessenger.onMessage(type, (message) => {
    assertSender(type, OFFSCREEN_SENDERS[type], message.sender);
    return onReceived(message);
  });

const modelsUrl = chrome.runtime.getURL('models/');
const manifest: Promise<ModelsManifest> = fetch(new URL('models.json', modelsUrl))
  .then((res) => res.json())
  .then(parseModelsManifest);

/** A choice as the ids that will run: null, or an id this version does not ship (an old setting), is the default. */
function resolveChoice(m: ModelsManifest, choice: ModelChoice | undefined): ModelChoice {
  const known = (id: string | null | undefined, task: ModelTask) => (id && m.models.some((e) => e.id === id && e.task === task) ? id : null);
  return { detector: known(choice?.detector, 'face-detection') ?? m.defaults.detector, classifier: known(choice?.classifier, 'emotion') ?? m.defaults.classifier };
}

/** The models Settings picked, asked of the background (which owns the choice) when this document starts. */
async function startingChoice(): Promise<ModelChoice | undefined> {
  try {
    return await backgroundMessenger.sendMessage('modelChoice', undefined);
  } catch (err) {
    console.warn('[ml host] model choice unknown at start; the defaults load until the background says', err);
    return undefined;
  }
}

/** Every state change goes to the background (which tells the tabs and the popup); the first says this document listens. */
function announce(state: PipelineState): void {
  backgroundMessenger.sendMessage('pipelineChanged', state).catch((err: unknown) => console.warn('[ml host] pipelineChanged not delivered', err));
}

// Created once models.json is read, so that every choice it compares is resolved to ids.
const host: Promise<PipelineHost> = Promise.all([manifest, startingChoice()]).then(([m, choice]) =>
  createPipelineHost(
    (order, choice) =>
      createPipeline({
        manifest: m,
        read: fetchReader(modelsUrl),
        detector: choice.detector ?? undefined,
        classifier: choice.classifier ?? undefined,
        backend: { wasmPath: chrome.runtime.getURL('wasm/'), order },
      }),
    resolveChoice(m, choice),
    announce,
  ),
);
host.catch((err: unknown) => announce({ state: 'error', error: `models.json cannot be read: ${err instanceof Error ? err.message : String(err)}` }));

/** The pipeline's state for whoever asks (content scripts, the popup through the background). */
async function status(): Promise<PipelineState> {
  try {
    return (await host).status();
  } catch (err) {
    return { state: 'error', error: `models.json cannot be read: ${err instanceof Error ? err.message : String(err)}` };
  }
}

onMessage('useModels', async ({ data }) => {
  const [m, h] = await Promise.all([manifest, host]);
  await h.use(resolveChoice(m, data));
  return status();
});
onMessage('modelsOf', async ({ data }) => (await host).modelsOf(data.generation));

onMessage('pipelineStatus', () => status());

const now = () => performance.timeOrigin + performance.now();

/** Where a JPEG frame's header must be: the canvas encoder's is within its first 200 bytes; one behind more metadata than this is refused. */
const JPEG_HEADER_BYTES = 128 * 1024;

/** Decode a frame payload into something the pipeline takes; the returned release frees it. */
async function decodeFrame(frame: FramePayload): Promise<{ input: ImageBitmap | PixelData; release: () => void }> {
  if (frame.kind === 'jpeg') {
    // The decoder allocates what the header says: check it against the declared size and the frame limit first.
    const refusal = jpegFrameRefusal(new Uint8Array(await frame.blob.slice(0, JPEG_HEADER_BYTES).arrayBuffer()), frame, MAX_FRAME_SIDE);
    if (refusal) throw new Error(refusal);
    const bitmap = await createImageBitmap(frame.blob);
    return { input: bitmap, release: () => bitmap.close() };
  }
  if (frame.data.byteLength !== frame.width * frame.height * 4) throw new Error('raw frame: size does not match its dimensions');
  return { input: { data: new Uint8ClampedArray(frame.data), width: frame.width, height: frame.height }, release: () => undefined };
}

/**
 * A frame decoded for the pipeline, or why it could not be. Its ms are this thread's own part (a raw
 * copy; a JPEG decodes on another thread): waiting for it would also count the other messages'
 * analyses that run meanwhile, twice over in the CPU budget and the popup's share of a core.
 */
async function tryDecode(frame: FramePayload): Promise<{ input: ImageBitmap | PixelData; release: () => void; ms: number } | { error: string }> {
  const t = performance.now();
  try {
    const decoding = decodeFrame(frame);
    const ms = performance.now() - t;
    return { ...(await decoding), ms };
  } catch (err) {
    return { error: `frame cannot be decoded: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** Frames received per `<tabId>/<tileId>` (receivedFrames: counts only, for the tests of who is analyzed). */
const received = new Map<string, number>();
const countReceived = (tabId: number | undefined, tileId: string) => {
  const key = `${tabId ?? 'none'}/${tileId}`;
  received.set(key, (received.get(key) ?? 0) + 1);
};
onMessage('receivedFrames', () => Object.fromEntries(received));

onMessage('analyzeFrames', async ({ data, sender }): Promise<Array<BatchAnswer<FrameAnalysis>>> => {
  const receivedAt = now();
  const t0 = performance.now();
  // Parsed first: at most MAX_FRAMES_PER_REQUEST frames and MAX_REQUEST_BYTES, each frame checked.
  const batch = parseFrameBatch(data, receivedAt);
  if (!batch.ok) throw new Error(`analyzeFrames refused: ${batch.reason}`);
  for (const p of batch.value) if (p.ok) countReceived(sender.tab?.id, p.value.tileId);
  const frames = batch.value.map((p) => (p.ok ? p.value : null));
  const decoded = await Promise.all(batch.value.map((p) => (p.ok ? tryDecode(p.value.frame) : { error: `frame refused: ${p.reason}` })));
  try {
    return await (await host).run(async (pipeline, generation) => {
      const usable = frames
        .map((f, i) => ({ f, d: decoded[i]! }))
        .filter((x): x is { f: FrameRequest; d: Exclude<typeof x.d, { error: string }> } => x.f !== null && 'input' in x.d);
      const results = await analyzeBatch(pipeline, usable.map(({ f, d }) => ({ input: d.input, opts: { minFaceSize: f.minFaceSize, faces: f.faces, sheet: f.sheet, presence: f.presence } })));
      const total = performance.now() - t0;
      const byRequest = new Map(usable.map(({ f, d }, k) => [f, { d, r: results[k]! }]));
      return frames.map((f, i): BatchAnswer<FrameAnalysis> => {
        const done = f && byRequest.get(f);
        const failed = decoded[i]!;
        if (!done) return { ok: false, error: 'error' in failed ? failed.error : 'not analyzed' };
        if (done.r instanceof Error) return { ok: false, error: done.r.message };
        const { callFaces, ...result } = done.r;
        const offscreenMs = { receivedAt, decode: done.d.ms, total };
        return { ok: true, value: { ...result, tileId: f!.tileId, frameTime: f!.frameTime, offscreenMs, batch: { frames: frames.length, faces: callFaces }, generation } };
      });
    });
  } finally {
    for (const d of decoded) if ('release' in d) d.release();
  }
});

onMessage('analyzeTabRegion', async ({ data: raw, sender }): Promise<FrameAnalysis> => {
  const receivedAt = now();
  const t0 = performance.now();
  if (sender.tab?.id === undefined) throw new Error('analyzeTabRegion must come from a tab');
  const parsed = parseTabRegionRequest(raw, receivedAt);
  if (!parsed.ok) throw new Error(`analyzeTabRegion refused: ${parsed.reason}`);
  const data = parsed.value;
  const tabId = sender.tab.id;
  countReceived(tabId, data.tileId);
  return (await host).run(async (pipeline, generation) => {
    const crop = cropTabRegion(tabId, data.rect, data.viewport);
    const t1 = performance.now();
    const result = await pipeline.analyze(crop, { minFaceSize: data.minFaceSize, faces: data.faces, presence: data.presence });
    const offscreenMs = { receivedAt, decode: t1 - t0, total: performance.now() - t0 };
    return { ...result, tileId: data.tileId, frameTime: data.frameTime, offscreenMs, batch: { frames: 1, faces: result.faces.length }, generation };
  });
});

onMessage('startTabCapture', ({ data }) => startTabCapture(data.tabId, data.streamId, data.url));
onMessage('stopTabCapture', ({ data }) => stopTabCapture(data.tabId));
onMessage('capturingTabs', () => capturingTabs());
