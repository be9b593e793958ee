// Content script: one frame of one tile, sampled and analyzed. Three ways in: the tile's whole frame
// (a JPEG), a sheet of its tracked faces' crops only (raw pixels, when detection may be skipped), or
// its rectangle of the tab capture (pixels the page cannot read). A face sheet that matches the last
// one classified is not sent at all. Every analysis has a deadline.
import { FACE_CROP_SCALE, squareCrop } from '../core/boxes';
import { cellSignature } from './logic/face-change';
import { frameToSource, regionOfFrame } from '../core/geometry';
import { facesToClassify, type Sampled, type TileState, unchangedResult, wantsPresence } from './logic/tile-step';
import { withTimeout } from './logic/timeout';
import type { FrameTimings } from '../messaging/background';
import type { FrameAnalysis, FrameRequest, TabRegionRequest } from '../messaging/offscreen';
import type { Generation, PixelBox } from '../core/types';
import type { TileMedia } from '../sites/types';
import { type CaptureResult, frameSizeOf, frameSource, sourceSize } from './capture';
import type { PageTile } from './tile-watcher';
import { tileRect } from './tiles';

/**
 * A frame's analysis that has not answered by then is given up (its late answer is ignored): a hung
 * request would otherwise hold one of the scheduler's few in-flight slots for good, and a few of
 * them would stop every tile. Normal answers take tens of milliseconds.
 */
export const ANALYZE_TIMEOUT_MS = 10_000;

/** Copies a tile's pixels (src/overlay/capture's FrameGrabber; each tile has its own canvas). */
export interface Grabber {
  capture(media: TileMedia, crop?: PixelBox): Promise<CaptureResult>;
  captureFaces(media: TileMedia, crops: readonly PixelBox[], cell: number): Promise<CaptureResult>;
}

/** A tile as the sampler reads it: where it is, what it showed last, and how its pixels are read. */
export interface SampledTile {
  id: string;
  page: PageTile;
  state: TileState<FrameAnalysis>;
  /** 'pixels': read by the content script; 'tab': cropped from the tab capture (unreadable pixels). */
  source: 'pixels' | 'tab';
  grabber: Grabber;
}

export interface SamplerDeps {
  win: Window;
  analyze(req: FrameRequest): Promise<FrameAnalysis>;
  analyzeTabRegion(req: TabRegionRequest): Promise<FrameAnalysis>;
}

export type SampleOutcome =
  | { kind: 'analyzed'; sampled: Sampled<FrameAnalysis>; captureMs: number; mainThreadMs: number }
  /** Nothing to analyze: no frame yet, or the region shows none of its media now. */
  | { kind: 'nothing' }
  | { kind: 'protected' }
  /** The page cannot read these pixels: the tab capture may. */
  | { kind: 'unreadable'; detail: string };

export class FrameSampler {
  constructor(private readonly deps: SamplerDeps) {}

  private deadline<T>(work: Promise<T>): Promise<T> {
    const { win } = this.deps;
    return withTimeout(work, ANALYZE_TIMEOUT_MS, { setTimeout: (fn, ms) => win.setTimeout(fn, ms), clearTimeout: (id) => win.clearTimeout(id as number) }, 'frame analysis');
  }

  /** Sample the tile now; `frameTime` is the wall-clock ms it stands for; `cell` and `generation` are the running pipeline's. */
  async sample(tile: SampledTile, opts: { frameTime: number; minFaceSize: number; cell: number; generation: Generation }): Promise<SampleOutcome> {
    const { win } = this.deps;
    const { frameTime, minFaceSize, cell } = opts;
    const t0 = win.performance.now();
    const { page, state } = tile;
    if (tile.source === 'tab') {
      const r = tileRect(page.media, page.region);
      if (!r) return { kind: 'nothing' };
      const rect = { x: r.x, y: r.y, width: r.width, height: r.height };
      const mainThreadMs = win.performance.now() - t0;
      const viewport = { width: win.innerWidth, height: win.innerHeight };
      const faces = state.frame ? facesToClassify(state, state.frame, t0) : undefined;
      const presence = !faces && wantsPresence(state, t0);
      const analysis = await this.deadline(this.deps.analyzeTabRegion({ tileId: tile.id, frameTime, rect, viewport, minFaceSize, faces, ...(presence ? { presence } : {}) }));
      return { kind: 'analyzed', sampled: { analysis, source: 'tab' }, captureMs: mainThreadMs, mainThreadMs };
    }
    const crop = page.region ? regionCrop(page) : undefined;
    if (crop === null) return { kind: 'nothing' };
    const source = frameSource(page.media, crop?.source);
    const frame = frameSizeOf(page.media, source);
    // A frame that may skip detection needs only its faces: the page cuts their crops from the media's
    // own pixels into a small sheet instead of sending (encoding, decoding) the whole frame.
    const faces = facesToClassify(state, frame, t0);
    const shot = faces
      ? await tile.grabber.captureFaces(page.media, faces.map((f) => frameToSource(squareCrop(f.box, FACE_CROP_SCALE), frame, source)), cell)
      : await tile.grabber.capture(page.media, crop?.source);
    if (!shot.ok) {
      if (shot.reason === 'no-frame') return { kind: 'nothing' };
      if (shot.reason === 'protected') return { kind: 'protected' };
      return { kind: 'unreadable', detail: shot.detail ?? shot.reason };
    }
    let mainThreadMs = shot.mainThreadMs;
    let signatures: Float32Array[] | undefined;
    if (faces && shot.frame.kind === 'raw') {
      const t = win.performance.now();
      const pixels = new Uint8ClampedArray(shot.frame.data);
      signatures = faces.map((_, i) => cellSignature(pixels, shot.width, cell, i));
      mainThreadMs += win.performance.now() - t;
    }
    const captureMs = win.performance.now() - t0;
    const last = signatures ? unchangedResult(state, signatures, win.performance.now(), opts.generation) : null;
    if (last) {
      const receivedAt = win.performance.timeOrigin + win.performance.now();
      const analysis: FrameAnalysis = { ...last, frameTime, ms: { detect: 0, classify: 0 }, offscreenMs: { receivedAt, decode: 0, total: 0 }, detected: false, batch: { frames: 0, faces: 0 } };
      return { kind: 'analyzed', sampled: { analysis, source: 'unchanged' }, captureMs, mainThreadMs };
    }
    const sheet = faces ? { cell, frame } : undefined;
    // A tile without a face for a while: is someone there (turned away, half out of frame) or nobody?
    const presence = !faces && wantsPresence(state, t0);
    const analysis = await this.deadline(this.deps.analyze({ tileId: tile.id, frameTime, frame: shot.frame, minFaceSize, faces, sheet, ...(presence ? { presence } : {}) }));
    return { kind: 'analyzed', sampled: { analysis, source: sheet ? 'sheet' : shot.frame.kind, ...(signatures ? { signatures } : {}) }, captureMs, mainThreadMs };
  }
}

/** Where an analyzed frame's time went (benchmarks only: see setTelemetry); `totalMs` is sample to result. */
export function frameTimings(outcome: Extract<SampleOutcome, { kind: 'analyzed' }>, totalMs: number): FrameTimings {
  const result = outcome.sampled.analysis;
  return {
    captureMs: outcome.captureMs,
    mainThreadMs: outcome.mainThreadMs,
    transitMs: result.offscreenMs.receivedAt - (result.frameTime + outcome.captureMs),
    decodeMs: result.offscreenMs.decode,
    detectMs: result.ms.detect,
    classifyMs: result.ms.classify,
    ...(result.ms.person === undefined ? {} : { personMs: result.ms.person }),
    totalMs,
    source: outcome.sampled.source,
    detected: result.detected,
    batch: result.batch,
  };
}

/** A region tile's part of its media: the media's pixels to crop and the element rectangle they cover. */
function regionCrop(page: PageTile): ReturnType<typeof regionOfFrame> {
  if (!page.region) return null;
  const m = page.media.getBoundingClientRect();
  const g = page.region.getBoundingClientRect();
  return regionOfFrame({ x: g.x - m.x, y: g.y - m.y, width: g.width, height: g.height }, { width: m.width, height: m.height }, sourceSize(page.media), page.fit);
}
