// Pure: one tile's state between frames, and the step that folds a frame's analysis into it (tracks,
// smoothed labels, how often to detect, what to report). The content side keeps one TileState per
// tile and replaces it with each step's; nothing here touches the page or the ML host.
import { nextDetectInterval } from './detect-interval';
import { maxBlockChange } from './face-change';
import { isFacing } from '../../ml/logic/head-turn';
import { DEFAULT_TRACKING, NO_TRACKS, trackFaces, type TrackedFace, type Tracks, type TrackingOptions, withWindow } from './tracking';
import { PERFORMANCE_MODES, type Settings } from '../../core/settings';
import type { AnalyzeResult, Generation, PixelBox } from '../../core/types';

export type TileStatus =
  | { kind: 'loading' }
  | { kind: 'waiting' }
  | { kind: 'analyzing' }
  | { kind: 'no-face' }
  /** No face found, and the person detector sees someone there (turned away, or half out of frame). */
  | { kind: 'away' }
  /** No face found, and the person detector sees nobody. */
  | { kind: 'nobody' }
  | { kind: 'unreadable'; detail?: string }
  | { kind: 'paused' }
  | { kind: 'error'; message: string };

/**
 * How a frame's pixels came: a whole frame (JPEG or raw), a sheet of the tracked faces' crops only,
 * the tab capture; or 'unchanged': the faces' sheet matched their last classification, which stands.
 */
export type FrameSource = 'jpeg' | 'raw' | 'sheet' | 'tab' | 'unchanged';

/** A frame's analysis as the step needs it (the ML host's FrameAnalysis has these and more). */
export interface TileAnalysis extends AnalyzeResult {
  frameTime: number;
  /** The ML host's pipeline that produced it (another generation: other models, or a reload). */
  generation: Generation;
}

/** The last classification of a tile's tracked faces from a face sheet, with the sheet's signatures (see face-change). */
export interface Classified<A extends TileAnalysis = TileAnalysis> {
  trackIds: number[];
  signatures: Float32Array[];
  result: A;
  at: number;
}

export interface TileState<A extends TileAnalysis = TileAnalysis> {
  tracks: Tracks;
  /** The faces shown now (the last step's), with boxes in `frame`'s pixels. */
  faces: TrackedFace[];
  frame: { width: number; height: number } | null;
  lastResultAt: number;
  status: TileStatus;
  /** Frames analyzed since the last full detection, and how many the next one waits (see nextDetectInterval). */
  sinceDetect: number;
  detectEvery: number;
  classified: Classified<A> | null;
  /** The pipeline generation of the last result (the tracks hold its model's labels). */
  generation: Generation | null;
  /** Since when no face has been found (null: one was, in the last frame); the person detector's last verdict then, and when. */
  noFaceSince: number | null;
  presence: { someone: boolean; at: number } | null;
}

/** A tile without a face this long is asked whether someone is there (the person detector), */
export const PRESENCE_AFTER_MS = 3000;
/** and again this often while there is still no face (a low rate: most tiles have faces). */
export const PRESENCE_EVERY_MS = 2000;

/** Whether the tile's next frame should ask the person detector (no face for a while, none asked lately). */
export function wantsPresence(tile: Pick<TileState<TileAnalysis>, 'noFaceSince' | 'presence'>, now: number): boolean {
  return tile.noFaceSince !== null && now - tile.noFaceSince >= PRESENCE_AFTER_MS && (tile.presence === null || now - tile.presence.at >= PRESENCE_EVERY_MS);
}

/** How often to detect (the performance mode's) and how faces are tracked. */
export interface StepOptions {
  detectEvery: number;
  maxDetectEvery: number;
  tracking: TrackingOptions;
}

/** The step options for the user's settings, with the running classifier's uncertain threshold (its calibration). */
export function stepOptionsFor(settings: Pick<Settings, 'performanceMode' | 'smoothingWindow'>, uncertainBelow: number | undefined): StepOptions {
  const mode = PERFORMANCE_MODES[settings.performanceMode];
  const tracking = { ...DEFAULT_TRACKING, window: settings.smoothingWindow, ...(uncertainBelow === undefined ? {} : { uncertainBelow }) };
  return { detectEvery: mode.detectEvery, maxDetectEvery: mode.maxDetectEvery, tracking };
}

/** Faces older than this are no longer drawn or tracked from (the tile stopped producing results). */
export const STALE_MS = 2500;

/**
 * A tracked face whose every signature block moved by at most this many grey levels is not
 * classified again (its last label stands), for at most UNCHANGED_FOR_MS. docs/decisions.md
 * (eval:face-change, 2026-12-02): on the talking-head clips at 6 fps, 18 of 43 and 30 of 47 frames of the two
 * calmer speakers pass, 0-3 of 47 of the others; on a passing frame the classifier's own output
 * would have moved by at most 0.38 (its noise on a still face; 0.79 at a threshold of 10).
 */
export const UNCHANGED_LUMA = 3;
export const UNCHANGED_FOR_MS = 1000;

export function newTile<A extends TileAnalysis>(detectEvery: number, status: TileStatus): TileState<A> {
  return { tracks: NO_TRACKS, faces: [], frame: null, lastResultAt: 0, status, sinceDetect: 0, detectEvery, classified: null, generation: null, noFaceSince: null, presence: null };
}

/** The tile's faces are recent enough to draw and to track from. */
/** A tile's status once the ML host is `pipeline` (an error stops every tile; ready lets waiting tiles go). */
export function statusForPipeline(status: TileStatus, pipeline: 'loading' | 'ready' | { error: string }): TileStatus {
  if (typeof pipeline === 'object') return { kind: 'error', message: pipeline.error };
  if (status.kind === 'loading' || status.kind === 'error') return { kind: pipeline === 'ready' ? 'analyzing' : 'loading' };
  return status;
}

export const isFresh = (tile: { lastResultAt: number }, now: number): boolean => now - tile.lastResultAt < STALE_MS;

/** New options (Settings changed): the smoothing window applies to the tracks at once, the detection interval from now. */
export function withOptions<A extends TileAnalysis>(tile: TileState<A>, opts: StepOptions): TileState<A> {
  return { ...tile, tracks: withWindow(tile.tracks, opts.tracking.window), detectEvery: opts.detectEvery };
}

/**
 * Tracked boxes to classify without detecting, when the next frame (of this size) may skip
 * detection: detection runs on every detectEvery-th frame (from the performance mode's detectEvery
 * up to its maxDetectEvery while the faces stay put) and whenever the tile has no fresh face; frames
 * in between reuse the tracked boxes and only classify, a fraction of a detection's cost.
 */
export function facesToClassify(tile: TileState<TileAnalysis>, size: { width: number; height: number }, now: number): Array<{ box: PixelBox; score: number; roll?: number }> | undefined {
  const sameFrame = tile.frame?.width === size.width && tile.frame.height === size.height;
  if (!isFresh(tile, now) || !sameFrame || tile.faces.length === 0 || tile.sinceDetect + 1 >= tile.detectEvery) return undefined;
  return tile.faces.map((f) => ({ box: f.box, score: f.score, ...(f.roll === undefined ? {} : { roll: f.roll }) }));
}

/**
 * The tile's last classification again, when the same tracked faces look unchanged since (by their
 * sheet's signatures), it is recent, and the pipeline that made it (`generation`) still runs.
 */
export function unchangedResult<A extends TileAnalysis>(tile: TileState<A>, signatures: readonly Float32Array[], now: number, generation: Generation): A | null {
  const last = tile.classified;
  if (!last || last.result.generation !== generation || now - last.at > UNCHANGED_FOR_MS || last.trackIds.join() !== tile.faces.map((f) => f.trackId).join()) return null;
  if (signatures.some((s, i) => maxBlockChange(s, last.signatures[i] ?? new Float32Array()) > UNCHANGED_LUMA)) return null;
  return last.result;
}

/** What a tile's analyzed frame tells the call summary (labels only). */
export interface TileReport {
  frameTime: number;
  /** `facing`: the head faces the camera (head-turn.ts); absent where the detector has no keypoints. */
  faces: Array<{ trackId: number; label: string; confidence: number; uncertain?: true; facing?: boolean }>;
  /** Which pipeline (and so which models and label set) produced the labels. */
  generation: Generation;
  backend: string;
  /** No face in this frame: whether the person detector last saw someone there (absent: not asked yet). */
  someone?: boolean;
}

/** A frame's analysis as sampled: how its pixels came and, for a face sheet, its faces' signatures. */
export interface Sampled<A extends TileAnalysis = TileAnalysis> {
  analysis: A;
  source: FrameSource;
  signatures?: Float32Array[];
}

/** Fold one analyzed frame into the tile: the next state and the report for the call summary. */
export function stepTile<A extends TileAnalysis>(tile: TileState<A>, sampled: Sampled<A>, now: number, opts: StepOptions): { tile: TileState<A>; report: TileReport } {
  const { analysis: result, source, signatures } = sampled;
  // A result from another pipeline than the last one (Settings changed mid-call): its tracks start
  // over, so a face's smoothed label never averages two models (or two label sets).
  const switched = tile.generation !== null && tile.generation !== result.generation;
  const prior = switched ? { ...tile, tracks: { list: [], nextId: tile.tracks.nextId }, faces: [], classified: null } : tile;
  const detectEvery = result.detected
    ? nextDetectInterval(prior.detectEvery, isFresh(prior, now) ? prior.faces.map((f) => f.box) : [], result.faces.map((f) => f.box), { base: opts.detectEvery, max: opts.maxDetectEvery })
    : prior.detectEvery;
  const tracked = trackFaces(prior.tracks, result.faces, now, opts.tracking);
  const classified: Classified<A> | null =
    source === 'unchanged' ? prior.classified : source === 'sheet' && signatures ? { trackIds: prior.faces.map((f) => f.trackId), signatures, result, at: now } : null;
  const faceless = tracked.faces.length === 0;
  // A face ends the faceless stretch; the person detector's verdict holds until it is asked again.
  const presence = faceless ? (result.person ? { someone: result.person.present, at: now } : prior.presence) : null;
  const next: TileState<A> = {
    tracks: tracked.tracks,
    faces: tracked.faces,
    frame: result.input,
    lastResultAt: now,
    status: { kind: !faceless ? 'analyzing' : presence === null ? 'no-face' : presence.someone ? 'away' : 'nobody' },
    noFaceSince: faceless ? (prior.noFaceSince ?? now) : null,
    presence,
    sinceDetect: result.detected ? 0 : prior.sinceDetect + 1,
    detectEvery,
    classified,
    generation: result.generation,
  };
  const report: TileReport = {
    frameTime: result.frameTime,
    faces: tracked.faces.map((f) => ({ trackId: f.trackId, label: f.label, confidence: f.confidence, ...(f.uncertain ? { uncertain: true as const } : {}), ...(f.turn === undefined ? {} : { facing: isFacing(f.turn) }) })),
    generation: result.generation,
    backend: result.backend,
    ...(faceless && presence ? { someone: presence.someone } : {}),
  };
  return { tile: next, report };
}
