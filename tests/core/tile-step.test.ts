import { describe, expect, it } from 'vitest';
import { facesToClassify, newTile, PRESENCE_AFTER_MS, PRESENCE_EVERY_MS, STALE_MS, wantsPresence, type StepOptions, statusForPipeline, stepTile, type TileAnalysis, type TileState, UNCHANGED_FOR_MS, UNCHANGED_LUMA, unchangedResult, withOptions } from '../../src/overlay/logic/tile-step';
import { DEFAULT_TRACKING } from '../../src/overlay/logic/tracking';
import type { PixelBox } from '../../src/core/types';

const LABELS = ['angry', 'happy', 'neutral', 'sad', 'surprise'];
const OPTS: StepOptions = { detectEvery: 3, maxDetectEvery: 6, tracking: DEFAULT_TRACKING };
const box = (x: number): PixelBox => ({ x, y: 40, width: 80, height: 80 });

function analysis(boxes: PixelBox[], opts: { label?: string; detected?: boolean; generation?: string; size?: number } = {}): TileAnalysis {
  const label = opts.label ?? 'happy';
  const probabilities = Object.fromEntries(LABELS.map((l) => [l, l === label ? 0.8 : 0.05]));
  return {
    frameTime: 1000,
    faces: boxes.map((b) => ({ box: b, score: 0.9, label, probabilities })),
    backend: 'wasm',
    ms: { detect: 5, classify: 3 },
    input: { width: opts.size ?? 480, height: 270 },
    detected: opts.detected ?? true,
    generation: opts.generation ?? 'host:1',
  };
}
const start = (): TileState => newTile(OPTS.detectEvery, { kind: 'analyzing' });

describe('presence: someone there without a face, or nobody', () => {
  const step = (tile: TileState, a: TileAnalysis, now: number) => stepTile(tile, { analysis: a, source: 'jpeg' }, now, OPTS);
  const withPerson = (present: boolean): TileAnalysis => ({ ...analysis([]), person: { score: present ? 0.6 : 0.05, present } });
  it('is asked after PRESENCE_AFTER_MS without a face, then every PRESENCE_EVERY_MS; a face ends it', () => {
    let tile = step(start(), analysis([]), 0).tile;
    expect(tile.noFaceSince).toBe(0);
    expect(wantsPresence(tile, PRESENCE_AFTER_MS - 1)).toBe(false);
    expect(wantsPresence(tile, PRESENCE_AFTER_MS)).toBe(true);
    tile = step(tile, withPerson(true), PRESENCE_AFTER_MS).tile;
    expect(tile.status).toEqual({ kind: 'away' });
    expect(wantsPresence(tile, PRESENCE_AFTER_MS + PRESENCE_EVERY_MS - 1)).toBe(false);
    expect(wantsPresence(tile, PRESENCE_AFTER_MS + PRESENCE_EVERY_MS)).toBe(true);
    // A frame that did not ask keeps the verdict; the report says it while there is no face.
    const kept = step(tile, analysis([]), PRESENCE_AFTER_MS + 500);
    expect(kept.tile.status).toEqual({ kind: 'away' });
    expect(kept.report.someone).toBe(true);
    tile = step(kept.tile, withPerson(false), PRESENCE_AFTER_MS + PRESENCE_EVERY_MS).tile;
    expect(tile.status).toEqual({ kind: 'nobody' });
    const back = step(tile, analysis([box(100)]), PRESENCE_AFTER_MS + PRESENCE_EVERY_MS + 200);
    expect(back.tile).toMatchObject({ noFaceSince: null, presence: null, status: { kind: 'analyzing' } });
    expect(back.report.someone).toBeUndefined();
  });
  it('before the person detector was asked, no verdict is reported', () => {
    const { tile, report } = step(start(), analysis([]), 0);
    expect(tile.status).toEqual({ kind: 'no-face' });
    expect(report.someone).toBeUndefined();
  });
});

describe('stepTile', () => {
  it('a detected face becomes a tracked face with its label, reported for the summary', () => {
    const { tile, report } = stepTile(start(), { analysis: analysis([box(100)]), source: 'jpeg' }, 50, OPTS);
    expect(tile.faces).toHaveLength(1);
    expect(tile.status).toEqual({ kind: 'analyzing' });
    expect(tile.frame).toEqual({ width: 480, height: 270 });
    expect(tile.lastResultAt).toBe(50);
    expect(tile.sinceDetect).toBe(0);
    expect(report).toEqual({ frameTime: 1000, faces: [{ trackId: 1, label: 'happy', confidence: 0.8 }], generation: 'host:1', backend: 'wasm' });
  });

  it('no face: the no-face status, an empty report', () => {
    const { tile, report } = stepTile(start(), { analysis: analysis([]), source: 'jpeg' }, 50, OPTS);
    expect(tile.status).toEqual({ kind: 'no-face' });
    expect(report.faces).toEqual([]);
  });

  it('never changes the state it is given', () => {
    const first = stepTile(start(), { analysis: analysis([box(100)]), source: 'jpeg' }, 50, OPTS).tile;
    const before = JSON.stringify(first);
    stepTile(first, { analysis: analysis([box(102)], { detected: false }), source: 'sheet', signatures: [new Float32Array(64)] }, 100, OPTS);
    expect(JSON.stringify(first)).toBe(before);
  });

  it('keeps a face its track across frames; counts frames since the last detection', () => {
    let t = stepTile(start(), { analysis: analysis([box(100)]), source: 'jpeg' }, 0, OPTS).tile;
    t = stepTile(t, { analysis: analysis([box(104)], { detected: false }), source: 'sheet' }, 100, OPTS).tile;
    expect(t.faces[0]!.trackId).toBe(1);
    expect(t.sinceDetect).toBe(1);
  });

  it('another pipeline generation (Settings changed mid-call): the tracks start over, no label averages two models', () => {
    let t = stepTile(start(), { analysis: analysis([box(100)], { label: 'sad' }), source: 'jpeg' }, 0, OPTS).tile;
    t = stepTile(t, { analysis: analysis([box(100)], { label: 'happy', generation: 'host:2' }), source: 'jpeg' }, 100, OPTS).tile;
    expect(t.faces[0]!.trackId).toBe(2);
    expect(t.faces[0]!.label).toBe('happy');
    expect(t.faces[0]!.confidence).toBeCloseTo(0.8, 9);
    expect(t.generation).toBe('host:2');
  });

  it('the face still where it was: detection spaced out up to maxDetectEvery', () => {
    let t = stepTile(start(), { analysis: analysis([box(100)]), source: 'jpeg' }, 0, OPTS).tile;
    for (let i = 1; i < 10; i++) t = stepTile(t, { analysis: analysis([box(100)]), source: 'jpeg' }, i * 100, OPTS).tile;
    expect(t.detectEvery).toBe(OPTS.maxDetectEvery);
  });

  it('withOptions: a new detection interval and smoothing window apply at once', () => {
    const t = withOptions(start(), { ...OPTS, detectEvery: 1 });
    expect(t.detectEvery).toBe(1);
  });
});

describe('facesToClassify', () => {
  const tracked = stepTile(start(), { analysis: analysis([box(100)]), source: 'jpeg' }, 0, OPTS).tile;
  const frame = { width: 480, height: 270 };

  it('between detections: the tracked boxes, to classify without detecting', () => {
    expect(facesToClassify(tracked, frame, 100)).toEqual([{ box: box(100), score: 0.9 }]);
  });
  it('detects again every detectEvery-th frame, when the faces are stale, or when the frame size changed', () => {
    expect(facesToClassify({ ...tracked, sinceDetect: OPTS.detectEvery - 1 }, frame, 100)).toBeUndefined();
    expect(facesToClassify(tracked, frame, STALE_MS + 1)).toBeUndefined();
    expect(facesToClassify(tracked, { width: 640, height: 360 }, 100)).toBeUndefined();
    expect(facesToClassify(start(), frame, 100)).toBeUndefined();
  });
});

describe('unchangedResult', () => {
  const grey = (v: number) => new Float32Array(64).fill(v);
  const first = stepTile(start(), { analysis: analysis([box(100)]), source: 'jpeg' }, 0, OPTS).tile;
  const sheet = analysis([box(100)], { detected: false });
  const classified = stepTile(first, { analysis: sheet, source: 'sheet', signatures: [grey(100)] }, 100, OPTS).tile;

  it('the same faces, unchanged within UNCHANGED_LUMA and UNCHANGED_FOR_MS: the last classification stands', () => {
    expect(unchangedResult(classified, [grey(100 + UNCHANGED_LUMA)], 100 + UNCHANGED_FOR_MS, 'host:1')).toBe(sheet);
  });
  it('a face that changed, a stale classification, other faces or another pipeline: classified again', () => {
    expect(unchangedResult(classified, [grey(100 + UNCHANGED_LUMA + 1)], 200, 'host:1')).toBeNull();
    expect(unchangedResult(classified, [grey(100)], 101 + UNCHANGED_FOR_MS, 'host:1')).toBeNull();
    expect(unchangedResult({ ...classified, faces: [] }, [grey(100)], 200, 'host:1')).toBeNull();
    expect(unchangedResult(classified, [grey(100)], 200, 'host:2')).toBeNull();
  });
  it('an unchanged frame keeps the classification it reused; a full frame drops it', () => {
    const again = stepTile(classified, { analysis: sheet, source: 'unchanged' }, 200, OPTS).tile;
    expect(again.classified).toBe(classified.classified);
    expect(stepTile(classified, { analysis: analysis([box(100)]), source: 'jpeg' }, 200, OPTS).tile.classified).toBeNull();
  });
});

describe('statusForPipeline', () => {
  it('an error stops every tile; ready lets loading and failed tiles go; other states stand', () => {
    expect(statusForPipeline({ kind: 'analyzing' }, { error: 'model file x: is corrupt' })).toEqual({ kind: 'error', message: 'model file x: is corrupt' });
    expect(statusForPipeline({ kind: 'loading' }, 'ready')).toEqual({ kind: 'analyzing' });
    expect(statusForPipeline({ kind: 'error', message: 'x' }, 'ready')).toEqual({ kind: 'analyzing' });
    expect(statusForPipeline({ kind: 'error', message: 'x' }, 'loading')).toEqual({ kind: 'loading' });
    expect(statusForPipeline({ kind: 'no-face' }, 'ready')).toEqual({ kind: 'no-face' });
    expect(statusForPipeline({ kind: 'unreadable' }, 'loading')).toEqual({ kind: 'unreadable' });
  });
});
