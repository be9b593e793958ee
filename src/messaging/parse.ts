// Any context, pure (beside the protocol it checks): every message from a content script (which a compromised or hostile call page may drive) is
// parsed here at the boundary before any handler uses it: finite times near now, known sites, bounded
// counts, sizes and strings. A parser returns the value it accepted (copied, nothing extra) or the
// reason it refused, for the handler to log and drop.
import { MAX_FRAME_SIDE } from '../core/geometry';
import { parseSiteHealth } from '../core/site-health';
import { MAX_MEDIA_DURATION_MS } from '../calls/summary';
import { MAX_TILES } from '../overlay/logic/tile-limit';
import { isSiteId } from '../core/types';
import type { FrameReport, FrameTimings, OverlayReport } from './background';
import type { FramePayload, FrameRequest, TabRegionRequest } from './offscreen';

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Faces in one frame, frames in one ML request, reports in one message: far above real use, small enough to bound the work. */
export const MAX_FACES_PER_FRAME = 64;
export const MAX_FRAMES_PER_REQUEST = 64;
export const MAX_REPORTS_PER_MESSAGE = 512;
/**
 * Any side in pixels a request names (a raw face sheet is a row of cells; a whole frame is at most
 * MAX_FRAME_SIDE), and the bytes of one ML request (a 4K raw frame is 33 MB; ours are 480 px JPEGs or small sheets).
 */
export const MAX_PIXEL_SIDE = 4096;
export const MAX_REQUEST_BYTES = 64 * 1024 * 1024;
/** How far a frame's time may be from now: reports travel for up to a few seconds, retries after a worker restart for longer. */
export const FRAME_TIME_PAST_MS = 10 * 60_000;
export const FRAME_TIME_FUTURE_MS = 60_000;
const MAX_ID = 128;
const MAX_TEXT = 1024;

class Refused extends Error {}
const refuse = (why: string): never => {
  throw new Refused(why);
};

function parse<T>(fn: () => T): Parsed<T> {
  try {
    return { ok: true, value: fn() };
  } catch (err) {
    if (err instanceof Refused) return { ok: false, reason: err.message };
    throw err;
  }
}

const obj = (v: unknown, what: string): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : refuse(`${what}: not an object`));
const num = (v: unknown, what: string, min: number, max: number): number =>
  typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max ? v : refuse(`${what}: not a number in [${min}, ${max}]`);
const int = (v: unknown, what: string, min: number, max: number): number => (Number.isInteger(num(v, what, min, max)) ? (v as number) : refuse(`${what}: not an integer`));
const str = (v: unknown, what: string, max: number): string => (typeof v === 'string' && v.length <= max ? v : refuse(`${what}: not a string of at most ${max} characters`));
const bool = (v: unknown, what: string): boolean => (typeof v === 'boolean' ? v : refuse(`${what}: not a boolean`));
const list = (v: unknown, what: string, max: number): unknown[] => (Array.isArray(v) && v.length <= max ? v : refuse(`${what}: not a list of at most ${max}`));
const optional = <T>(v: unknown, read: (v: unknown) => T): T | undefined => (v === undefined ? undefined : read(v));

/** A wall-clock time (epoch ms) near `now`. */
const frameTime = (v: unknown, now: number): number => num(v, 'frameTime', now - FRAME_TIME_PAST_MS, now + FRAME_TIME_FUTURE_MS);

function box(v: unknown, what: string): { x: number; y: number; width: number; height: number } {
  const b = obj(v, what);
  const side = MAX_PIXEL_SIDE * 4;
  return { x: num(b.x, `${what}.x`, -side, side), y: num(b.y, `${what}.y`, -side, side), width: num(b.width, `${what}.width`, 0, side), height: num(b.height, `${what}.height`, 0, side) };
}

function trackedFaces(v: unknown): FrameRequest['faces'] {
  return list(v, 'faces', MAX_FACES_PER_FRAME).map((f, i) => {
    const o = obj(f, `faces[${i}]`);
    const roll = optional(o.roll, (r) => num(r, `faces[${i}].roll`, -Math.PI * 2, Math.PI * 2));
    return { box: box(o.box, `faces[${i}].box`), score: num(o.score, `faces[${i}].score`, 0, 1), ...(roll === undefined ? {} : { roll }) };
  });
}

function timings(v: unknown): FrameTimings {
  const t = obj(v, 'timings');
  const ms = (k: string) => num(t[k], `timings.${k}`, -FRAME_TIME_PAST_MS, FRAME_TIME_PAST_MS);
  const source = ['jpeg', 'raw', 'sheet', 'tab', 'unchanged'].includes(t.source as string) ? (t.source as FrameTimings['source']) : refuse('timings.source: unknown');
  const batch = optional(t.batch, (b) => {
    const o = obj(b, 'timings.batch');
    return { frames: int(o.frames, 'timings.batch.frames', 0, MAX_FRAMES_PER_REQUEST), faces: int(o.faces, 'timings.batch.faces', 0, MAX_FACES_PER_FRAME * MAX_FRAMES_PER_REQUEST) };
  });
  return {
    captureMs: ms('captureMs'),
    mainThreadMs: ms('mainThreadMs'),
    transitMs: ms('transitMs'),
    decodeMs: ms('decodeMs'),
    detectMs: ms('detectMs'),
    classifyMs: ms('classifyMs'),
    ...(t.personMs === undefined ? {} : { personMs: ms('personMs') }),
    totalMs: ms('totalMs'),
    source,
    detected: bool(t.detected, 'timings.detected'),
    ...(batch ? { batch } : {}),
  };
}

/** A content script's frame report (background: framesAnalyzed). */
export function parseFrameReport(raw: unknown, now: number): Parsed<FrameReport> {
  return parse(() => {
    const r = obj(raw, 'report');
    const call = obj(r.call, 'call');
    // The shape here; which site the sender's page is, the background checks (sender-call.ts).
    const site = isSiteId(call.site) ? call.site : refuse('call.site: not a site id');
    const faces = list(r.faces, 'faces', MAX_FACES_PER_FRAME).map((f, i) => {
      const o = obj(f, `faces[${i}]`);
      const facing = optional(o.facing, (v) => bool(v, `faces[${i}].facing`));
      const uncertain = optional(o.uncertain, (v) => bool(v, `faces[${i}].uncertain`));
      return {
        trackId: int(o.trackId, `faces[${i}].trackId`, 0, Number.MAX_SAFE_INTEGER),
        label: str(o.label, `faces[${i}].label`, 32),
        confidence: num(o.confidence, `faces[${i}].confidence`, 0, 1),
        ...(facing === undefined ? {} : { facing }),
        ...(uncertain ? { uncertain: true as const } : {}),
      };
    });
    const t = optional(r.timings, timings);
    const someone = optional(r.someone, (v) => bool(v, 'someone'));
    const media = optional(r.media, (v) => {
      const m = obj(v, 'media');
      // At most what a page plays (a timeline over 1e7 s reached ~2,800 slots); the content script sends no longer one.
      const duration = num(m.duration, 'media.duration', 0.001, MAX_MEDIA_DURATION_MS / 1000);
      return { time: num(m.time, 'media.time', 0, duration + 1), duration };
    });
    return {
      call: { site, callId: call.callId === null ? null : str(call.callId, 'call.callId', MAX_TEXT), title: str(call.title, 'call.title', MAX_TEXT) },
      tileId: str(r.tileId, 'tileId', MAX_ID),
      name: r.name === null ? null : str(r.name, 'name', MAX_TEXT),
      frameTime: frameTime(r.frameTime, now),
      faces,
      ...(someone === undefined || faces.length > 0 ? {} : { someone }),
      generation: str(r.generation, 'generation', MAX_ID),
      backend: str(r.backend, 'backend', 32),
      latencyMs: num(r.latencyMs, 'latencyMs', 0, FRAME_TIME_PAST_MS),
      ...(t ? { timings: t } : {}),
      ...(media ? { media } : {}),
      ...(r.analyze === 'me' ? { analyze: 'me' as const } : {}),
    };
  });
}

/** A content script's overlay report (background: reportOverlay, the badge); a bad site health is left out. */
export function parseOverlayReport(raw: unknown): Parsed<OverlayReport> {
  return parse(() => {
    const r = obj(raw, 'overlay report');
    const slowdown = optional(r.slowdown, (v) => num(v, 'slowdown', 1, 1000));
    const cpu = optional(r.cpu, (v) => num(v, 'cpu', 0, 64));
    const site = parseSiteHealth(r.site);
    return {
      on: bool(r.on, 'on'),
      faces: int(r.faces, 'faces', 0, MAX_FACES_PER_FRAME * MAX_TILES),
      tiles: int(r.tiles, 'tiles', 0, MAX_TILES),
      ...(slowdown === undefined ? {} : { slowdown }),
      ...(cpu === undefined ? {} : { cpu }),
      ...(site ? { site } : {}),
    };
  });
}

function payload(v: unknown): FramePayload {
  const p = obj(v, 'frame');
  if (p.kind === 'jpeg') {
    // A whole frame, as the capture sends it: its size is declared (the ML host checks the JPEG's own header against it).
    const width = int(p.width, 'frame.width', 1, MAX_FRAME_SIDE);
    const height = int(p.height, 'frame.height', 1, MAX_FRAME_SIDE);
    const blob = p.blob;
    if (typeof Blob === 'undefined' || !(blob instanceof Blob)) return refuse('frame.blob: not a Blob');
    if (blob.size > MAX_REQUEST_BYTES) return refuse('frame.blob: too large');
    return { kind: 'jpeg', blob, width, height };
  }
  if (p.kind === 'raw') {
    const width = int(p.width, 'frame.width', 1, MAX_PIXEL_SIDE);
    const height = int(p.height, 'frame.height', 1, MAX_PIXEL_SIDE);
    const data = p.data instanceof ArrayBuffer ? p.data : refuse('frame.data: not an ArrayBuffer');
    if (data.byteLength !== width * height * 4) return refuse('frame.data: not width × height RGBA pixels');
    return { kind: 'raw', data, width, height };
  }
  return refuse('frame.kind: unknown');
}

const bytesOf = (p: FramePayload) => (p.kind === 'jpeg' ? p.blob.size : p.data.byteLength);

/** One frame of a content script's analyzeFrames request (ML host). */
export function parseFrameRequest(raw: unknown, now: number): Parsed<FrameRequest> {
  return parse(() => {
    const r = obj(raw, 'frame request');
    const sheet = optional(r.sheet, (v) => {
      const s = obj(v, 'sheet');
      const f = obj(s.frame, 'sheet.frame');
      return { cell: int(s.cell, 'sheet.cell', 8, 1024), frame: { width: num(f.width, 'sheet.frame.width', 1, MAX_PIXEL_SIDE * 4), height: num(f.height, 'sheet.frame.height', 1, MAX_PIXEL_SIDE * 4) } };
    });
    const minFaceSize = optional(r.minFaceSize, (v) => num(v, 'minFaceSize', 0, MAX_PIXEL_SIDE));
    const faces = optional(r.faces, trackedFaces);
    const presence = optional(r.presence, (v) => bool(v, 'presence'));
    return {
      tileId: str(r.tileId, 'tileId', MAX_ID),
      frameTime: frameTime(r.frameTime, now),
      frame: payload(r.frame),
      ...(minFaceSize === undefined ? {} : { minFaceSize }),
      ...(faces ? { faces } : {}),
      ...(sheet ? { sheet } : {}),
      ...(presence ? { presence } : {}),
    };
  });
}

/**
 * A whole analyzeFrames request: at most MAX_FRAMES_PER_REQUEST frames and MAX_REQUEST_BYTES of
 * pixels (else refused whole); each frame parsed on its own (a bad one is answered with its reason).
 */
export function parseFrameBatch(raw: unknown, now: number): Parsed<Array<Parsed<FrameRequest>>> {
  return parse(() => {
    const frames = list(obj(raw, 'request').frames, 'frames', MAX_FRAMES_PER_REQUEST).map((f) => parseFrameRequest(f, now));
    const bytes = frames.reduce((sum, f) => sum + (f.ok ? bytesOf(f.value.frame) : 0), 0);
    if (bytes > MAX_REQUEST_BYTES) refuse(`frames: ${bytes} bytes, more than ${MAX_REQUEST_BYTES}`);
    return frames;
  });
}

/** A content script's analyzeTabRegion request (ML host): a rectangle inside a real viewport. */
export function parseTabRegionRequest(raw: unknown, now: number): Parsed<TabRegionRequest> {
  return parse(() => {
    const r = obj(raw, 'tab region request');
    const v = obj(r.viewport, 'viewport');
    const viewport = { width: num(v.width, 'viewport.width', 1, MAX_PIXEL_SIDE * 4), height: num(v.height, 'viewport.height', 1, MAX_PIXEL_SIDE * 4) };
    const minFaceSize = optional(r.minFaceSize, (x) => num(x, 'minFaceSize', 0, MAX_PIXEL_SIDE));
    const faces = optional(r.faces, trackedFaces);
    const presence = optional(r.presence, (x) => bool(x, 'presence'));
    return {
      tileId: str(r.tileId, 'tileId', MAX_ID),
      frameTime: frameTime(r.frameTime, now),
      rect: box(r.rect, 'rect'),
      viewport,
      ...(minFaceSize === undefined ? {} : { minFaceSize }),
      ...(faces ? { faces } : {}),
      ...(presence ? { presence } : {}),
    };
  });
}
