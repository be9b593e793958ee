// Hostile payloads at every boundary a content script (driven by its page) reaches: each parser
// accepts what the extension itself sends and refuses, with a reason, what would corrupt a call,
// wake nothing forever, divide by zero or flood the ML host.
import { describe, expect, it } from 'vitest';
import {
  FRAME_TIME_FUTURE_MS,
  FRAME_TIME_PAST_MS,
  MAX_FACES_PER_FRAME,
  MAX_FRAMES_PER_REQUEST,
  MAX_REQUEST_BYTES,
  parseFrameBatch,
  parseFrameReport,
  parseFrameRequest,
  parseOverlayReport,
  parseTabRegionRequest,
} from '../../src/messaging/parse';

const NOW = 1_780_000_000_000;

const report = (patch: Record<string, unknown> = {}) => ({
  call: { site: 'meet', callId: 'abc-defg-hij', title: 'Standup' },
  tileId: 'tile-1',
  name: 'Ada',
  frameTime: NOW - 500,
  faces: [{ trackId: 1, label: 'happy', confidence: 0.9 }],
  generation: 'host:1',
  backend: 'wasm',
  latencyMs: 40,
  ...patch,
});

const reason = (p: { ok: boolean; reason?: string }) => (p.ok ? 'accepted' : p.reason);

describe('frame reports (background: framesAnalyzed)', () => {
  it('accepts what the content script sends, copying only known fields', () => {
    const p = parseFrameReport({ ...report(), extra: 'x' }, NOW);
    expect(p).toEqual({ ok: true, value: report() });
  });

  it.each([
    ['frameTime NaN (it corrupted its call, kept forever outside retention)', { frameTime: Number.NaN }, /frameTime/],
    ['frameTime 1e15 (the call never went idle)', { frameTime: 1e15 }, /frameTime/],
    ['frameTime an hour old', { frameTime: NOW - FRAME_TIME_PAST_MS - 1 }, /frameTime/],
    ['frameTime in the future', { frameTime: NOW + FRAME_TIME_FUTURE_MS + 1 }, /frameTime/],
    ['frameTime a string', { frameTime: String(NOW) }, /frameTime/],
    // (a well-formed id of a site this page is not: refused by the background against the sender's URL, sender-call.test.ts)
    ['a site that is not an id', { call: { site: 'Evil <b>', callId: 'x', title: '' } }, /call\.site/],
    ['no call', { call: null }, /call/],
    ['a megabyte title', { call: { site: 'meet', callId: 'x', title: 'x'.repeat(1 << 20) } }, /call\.title/],
    ['too many faces', { faces: Array.from({ length: MAX_FACES_PER_FRAME + 1 }, (_, i) => ({ trackId: i, label: 'happy', confidence: 0.5 })) }, /faces/],
    ['a confidence of 7', { faces: [{ trackId: 1, label: 'happy', confidence: 7 }] }, /confidence/],
    ['a label that is an object', { faces: [{ trackId: 1, label: { toString: 'x' }, confidence: 0.5 }] }, /label/],
    ['a facing flag that is a string', { faces: [{ trackId: 1, label: 'happy', confidence: 0.5, facing: 'yes' }] }, /facing/],
    ['a negative latency', { latencyMs: -1 }, /latencyMs/],
    ['a generation that is not a string', { generation: 1 }, /generation/],
    ['an endless generation', { generation: 'x'.repeat(10_000) }, /generation/],
    ['a name that is a number', { name: 42 }, /name/],
    ['a video of 1e7 s (no page plays that long; its timeline reached ~2,800 slots)', { media: { time: 1, duration: 1e7 } }, /media\.duration/],
  ])('refuses %s', (_, patch, why) => {
    expect(reason(parseFrameReport(report(patch), NOW))).toMatch(why);
  });

  it('refuses what is not a report at all', () => {
    for (const bad of [null, undefined, 'report', 42, [], { call: {} }]) expect(parseFrameReport(bad, NOW).ok).toBe(false);
  });
});

describe('overlay reports (background: reportOverlay, the badge)', () => {
  it('accepts the content script\'s report; leaves out a bad site health', () => {
    expect(parseOverlayReport({ on: true, faces: 3, tiles: 2, slowdown: 1.5, cpu: 0.35, site: { site: 'zoom', source: 'site', tiles: 2, playing: 0 } })).toEqual({
      ok: true,
      value: { on: true, faces: 3, tiles: 2, slowdown: 1.5, cpu: 0.35, site: { site: 'zoom', source: 'site', tiles: 2, playing: 0 } },
    });
    expect(parseOverlayReport({ on: true, faces: 0, tiles: 0, site: { site: 'evil' } })).toEqual({ ok: true, value: { on: true, faces: 0, tiles: 0 } });
  });

  it.each([
    [{ on: 'yes', faces: 0, tiles: 0 }, /on/],
    [{ on: true, faces: 1e9, tiles: 0 }, /faces/],
    [{ on: true, faces: 0, tiles: -1 }, /tiles/],
    [{ on: true, faces: 0, tiles: 0, slowdown: Number.POSITIVE_INFINITY }, /slowdown/],
    [{ on: true, faces: 0, tiles: 0, cpu: -0.5 }, /cpu/],
  ])('refuses %j', (raw, why) => {
    expect(reason(parseOverlayReport(raw))).toMatch(why);
  });
});

describe('frame requests (ML host: analyzeFrames)', () => {
  const raw = (width = 4, height = 2) => ({ kind: 'raw', data: new ArrayBuffer(width * height * 4), width, height });
  const request = (patch: Record<string, unknown> = {}) => ({ tileId: 'tile-1', frameTime: NOW, frame: raw(), ...patch });

  it('accepts raw pixels, a JPEG Blob, tracked faces and a sheet', () => {
    expect(parseFrameRequest(request(), NOW).ok).toBe(true);
    expect(parseFrameRequest(request({ frame: { kind: 'jpeg', blob: new Blob([new Uint8Array(10)]), width: 480, height: 270 } }), NOW).ok).toBe(true);
    const faces = [{ box: { x: 1, y: 2, width: 30, height: 30 }, score: 0.9, roll: 0.1 }];
    const p = parseFrameRequest(request({ faces, sheet: { cell: 64, frame: { width: 640, height: 360 } }, minFaceSize: 20 }), NOW);
    expect(p.ok && p.value.faces).toEqual(faces);
  });

  it.each([
    ['pixels that do not match the size', { frame: { kind: 'raw', data: new ArrayBuffer(7), width: 4, height: 2 } }, /frame\.data/],
    ['a 100000 px wide frame', { frame: raw(100_000, 1) }, /frame\.width/],
    ['a JPEG that is not a Blob', { frame: { kind: 'jpeg', blob: 'data:image/jpeg;base64,', width: 480, height: 270 } }, /frame\.blob/],
    // A whole frame is at most MAX_FRAME_SIDE (what the capture sends); its size is declared before it is decoded.
    ['a JPEG without its size', { frame: { kind: 'jpeg', blob: new Blob([new Uint8Array(10)]) } }, /frame\.width/],
    ['a JPEG larger than the frame limit', { frame: { kind: 'jpeg', blob: new Blob([new Uint8Array(10)]), width: 481, height: 270 } }, /frame\.width: not a number in \[1, 480\]/],
    ['a JPEG of 0 px', { frame: { kind: 'jpeg', blob: new Blob([new Uint8Array(10)]), width: 480, height: 0 } }, /frame\.height/],
    ['an unknown frame kind', { frame: { kind: 'png' } }, /frame\.kind/],
    ['a NaN face box', { faces: [{ box: { x: Number.NaN, y: 0, width: 1, height: 1 }, score: 1 }] }, /faces\[0\]\.box\.x/],
    ['too many tracked faces', { faces: Array.from({ length: MAX_FACES_PER_FRAME + 1 }, () => ({ box: { x: 0, y: 0, width: 1, height: 1 }, score: 1 })) }, /faces/],
    ['a sheet cell of 0', { sheet: { cell: 0, frame: { width: 1, height: 1 } } }, /sheet\.cell/],
    ['frameTime NaN', { frameTime: Number.NaN }, /frameTime/],
  ])('refuses %s', (_, patch, why) => {
    expect(reason(parseFrameRequest(request(patch), NOW))).toMatch(why);
  });

  it('a request of more frames or bytes than the bound is refused whole; a bad frame among good ones only itself', () => {
    const many = { frames: Array.from({ length: MAX_FRAMES_PER_REQUEST + 1 }, () => request()) };
    expect(reason(parseFrameBatch(many, NOW))).toMatch(/frames/);
    const side = 4096;
    const huge = { frames: Array.from({ length: Math.ceil(MAX_REQUEST_BYTES / (side * side * 4)) + 1 }, () => request({ frame: raw(side, side) })) };
    expect(reason(parseFrameBatch(huge, NOW))).toMatch(/bytes/);
    const mixed = parseFrameBatch({ frames: [request(), request({ frameTime: 'now' })] }, NOW);
    expect(mixed.ok && mixed.value.map((f) => f.ok)).toEqual([true, false]);
  });
});

describe('tab region requests (ML host: analyzeTabRegion)', () => {
  const region = (patch: Record<string, unknown> = {}) => ({ tileId: 't', frameTime: NOW, rect: { x: 0, y: 0, width: 100, height: 80 }, viewport: { width: 1000, height: 600 }, ...patch });

  it('accepts a rectangle in a real viewport', () => {
    expect(parseTabRegionRequest(region(), NOW).ok).toBe(true);
  });

  it.each([
    ['a zero-width viewport (cropTabRegion divided by it)', { viewport: { width: 0, height: 600 } }, /viewport\.width/],
    ['an infinite rectangle', { rect: { x: 0, y: 0, width: Number.POSITIVE_INFINITY, height: 1 } }, /rect\.width/],
    ['no viewport', { viewport: undefined }, /viewport/],
  ])('refuses %s', (_, patch, why) => {
    expect(reason(parseTabRegionRequest(region(patch), NOW))).toMatch(why);
  });
});
