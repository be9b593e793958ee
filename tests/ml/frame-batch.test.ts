// Node (tfjs wasm): a batch of frame requests as the ML host gets them from one scheduler tick.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalyzeResult } from '../../src/core/types';
import { analyzeBatch, joinSheets } from '../../src/ml/frame-batch';
import { createPipeline, type Pipeline } from '../../src/ml/pipeline';
import type { PixelData } from '../../src/ml/preprocess';
import { decodeImageFile } from '../../tools/lib/images';
import { fsReader, readManifest } from '../../tools/lib/node-models';
import { sharedPath } from '../../tools/lib/paths';
import { faceSheet } from '../helpers/face-sheet';

let pipeline: Pipeline;
let images: PixelData[];
let alone: AnalyzeResult[];

beforeAll(async () => {
  pipeline = await createPipeline({ manifest: readManifest(), read: fsReader(), backend: { order: ['wasm'] } });
  images = await Promise.all(['expressions/happy.jpg', 'expressions/sad.jpg', 'astronaut.png'].map((f) => decodeImageFile(sharedPath('fixtures', 'images', f))));
  alone = await Promise.all(images.map((i) => pipeline.analyze(i)));
});
afterAll(() => pipeline?.dispose());

describe('joinSheets', () => {
  it('puts sheets side by side, row by row', () => {
    const a = { data: new Uint8ClampedArray([1, 1, 1, 1, 2, 2, 2, 2]), width: 1, height: 2 };
    const b = { data: new Uint8ClampedArray([3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 6, 6, 6, 6]), width: 2, height: 2 };
    expect([...joinSheets([a, b]).data]).toEqual([1, 1, 1, 1, 3, 3, 3, 3, 4, 4, 4, 4, 2, 2, 2, 2, 5, 5, 5, 5, 6, 6, 6, 6]);
    expect(() => joinSheets([a, { ...b, height: 1, data: b.data.slice(0, 8) }])).toThrow('different heights');
  });
});

describe('analyzeBatch', () => {
  it("classifies two tiles' sheets in one call, each with its own faces and frame, next to a whole frame", async () => {
    const cell = pipeline.cropSize;
    const tile = (k: number, frame: { width: number; height: number }) => ({
      input: faceSheet([{ image: images[k]!, box: alone[k]!.faces[0]!.box }], cell),
      opts: { faces: alone[k]!.faces, sheet: { cell, frame } },
    });
    const out = await analyzeBatch(pipeline, [tile(0, { width: 480, height: 270 }), { input: images[2]!, opts: {} }, tile(1, { width: 320, height: 180 })]);
    const [happy, astronaut, sad] = out as AnalyzeResult[];
    expect(happy!.faces.map((f) => f.label)).toEqual([alone[0]!.faces[0]!.label]);
    expect(sad!.faces.map((f) => f.label)).toEqual([alone[1]!.faces[0]!.label]);
    expect(happy!.faces[0]!.box).toEqual(alone[0]!.faces[0]!.box);
    expect([happy!.input, sad!.input]).toEqual([{ width: 480, height: 270 }, { width: 320, height: 180 }]);
    expect(happy!.detected || sad!.detected).toBe(false);
    // The whole frame went alone, detected.
    expect(astronaut!.detected).toBe(true);
    expect(astronaut!.faces.map((f) => f.label)).toEqual(alone[2]!.faces.map((f) => f.label));
  });

  it('fails only the request that cannot be analyzed', async () => {
    const empty = { data: new Uint8ClampedArray(0), width: 0, height: 0 };
    const out = await analyzeBatch(pipeline, [{ input: empty, opts: {} }, { input: images[0]!, opts: {} }]);
    expect(out[0]).toBeInstanceOf(Error);
    expect((out[1] as AnalyzeResult).faces[0]!.label).toBe(alone[0]!.faces[0]!.label);
  });
});
