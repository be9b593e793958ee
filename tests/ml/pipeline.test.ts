// Node (tfjs wasm): the real pipeline with the shipped default models on real images from ../shared.
import { BASIC_LABELS } from '../../src/core/label-set';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalyzeResult } from '../../src/core/types';
import { createPipeline, type Pipeline } from '../../src/ml/pipeline';
import type { ModelInput } from '../../src/core/models';
import { normalize, sheetBatch, toGrey } from '../../src/ml/preprocess';
import { tf } from '../../src/ml/tf';
import { decodeImageFile } from '../../tools/lib/images';
import { fsReader, readManifest } from '../../tools/lib/node-models';
import { MODELS_DIR, sharedPath } from '../../tools/lib/paths';
import { faceSheet } from '../helpers/face-sheet';

const manifest = readManifest();
let pipeline: Pipeline;

async function analyzeFixture(...parts: string[]): Promise<AnalyzeResult> {
  return pipeline.analyze(await decodeImageFile(sharedPath('fixtures', 'images', ...parts)));
}

beforeAll(async () => {
  pipeline = await createPipeline({ manifest, read: fsReader(), backend: { order: ['wasm'] } });
});
afterAll(() => pipeline?.dispose());

/** A copy of the shipped models to damage, removed after the file's tests. */
const copies: string[] = [];
function modelsCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'models-'));
  copies.push(dir);
  cpSync(MODELS_DIR, dir, { recursive: true });
  return dir;
}
afterAll(() => copies.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('pipeline on real images (default models)', () => {
  it('runs on the wasm backend', () => {
    expect(pipeline.backend).toBe('wasm');
    expect(pipeline.detectorId).toBe(manifest.defaults.detector);
    expect(pipeline.classifierId).toBe(manifest.defaults.classifier);
  });

  it('astronaut.png: exactly one face, its box on the face, labelled happy', async () => {
    const r = await analyzeFixture('astronaut.png');
    expect(r.faces).toHaveLength(1);
    const { box, label, probabilities, score } = r.faces[0]!;
    // The face spans roughly x 180-265, y 75-175 in this 512x512 image.
    expect(box.x + box.width / 2).toBeGreaterThan(195);
    expect(box.x + box.width / 2).toBeLessThan(250);
    expect(box.y + box.height / 2).toBeGreaterThan(100);
    expect(box.y + box.height / 2).toBeLessThan(150);
    expect(box.width).toBeGreaterThan(60);
    expect(box.width).toBeLessThan(160);
    expect(score).toBeGreaterThan(0.5);
    expect(label).toBe('happy');
    expect(Object.keys(probabilities).sort()).toEqual([...BASIC_LABELS].sort());
    expect(Object.values(probabilities).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
  });

  it('a face sheet (the tracked faces\' crops only, as the page cuts them) gives the frame\'s labels and keeps the boxes', async () => {
    const files = ['astronaut.png', 'expressions/happy.jpg', 'expressions/sad.jpg'];
    const frames = await Promise.all(files.map((f) => decodeImageFile(sharedPath('fixtures', 'images', f))));
    const full = await Promise.all(frames.map((f) => pipeline.analyze(f)));
    const faces = full.map((r) => r.faces[0]!);
    // One sheet of all three faces, each cut from its own image at the classifier's size (bilinear, as drawImage does).
    const cell = pipeline.cropSize;
    const sheet = faceSheet(frames.map((image, i) => ({ image, box: faces[i]!.box })), cell);
    const frame = { width: 640, height: 360 };
    const r = await pipeline.analyze(sheet, { faces, sheet: { cell, frame } });
    expect(r.detected).toBe(false);
    expect(r.input).toEqual(frame);
    expect(r.faces.map((f) => f.box)).toEqual(faces.map((f) => f.box));
    expect(r.faces.map((f) => f.label)).toEqual(faces.map((f) => f.label));
    // Two resamplings (page crop, then the classifier's) instead of one move probabilities a little, not the label.
    r.faces.forEach((f, i) => expect(Math.abs(f.probabilities[f.label]! - faces[i]!.probabilities[f.label]!)).toBeLessThan(0.15));
  });

  it('astronaut.png turned 20° clockwise: the face reports that roll', async () => {
    const sharp = (await import('sharp')).default;
    const path = sharedPath('fixtures', 'images', 'astronaut.png');
    const decode = async (img: import('sharp').Sharp) => {
      const { data, info } = await img.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      return { data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
    };
    const upright = (await pipeline.analyze(await decode(sharp(path)))).faces[0]!;
    expect(Math.abs(upright.roll!)).toBeLessThan(0.1);
    const turned = (await pipeline.analyze(await decode(sharp(path).rotate(20, { background: '#000' })))).faces[0]!;
    expect(turned.roll!).toBeGreaterThan((20 - 6) * (Math.PI / 180));
    expect(turned.roll!).toBeLessThan((20 + 6) * (Math.PI / 180));
  });

  it('grid-4-faces.png: four faces, one per quadrant', async () => {
    const r = await analyzeFixture('grid-4-faces.png');
    expect(r.faces).toHaveLength(4);
    const quadrants = r.faces.map(({ box }) => {
      const cx = box.x + box.width / 2;
      const cy = box.y + box.height / 2;
      return `${cy < 240 ? 'top' : 'bottom'}-${cx < 320 ? 'left' : 'right'}`;
    });
    expect(quadrants.sort()).toEqual(['bottom-left', 'bottom-right', 'top-left', 'top-right']);
  });

  // Each expression photo has one face. The default models get all five right; if a model change
  // gets one wrong, record it here rather than loosening the assertion.
  const expected: Record<string, string> = { angry: 'angry', happy: 'happy', neutral: 'neutral', sad: 'sad', surprised: 'surprise' };
  for (const [file, label] of Object.entries(expected)) {
    it(`expressions/${file}.jpg: one face labelled ${label}`, async () => {
      const r = await analyzeFixture('expressions', `${file}.jpg`);
      expect(r.faces).toHaveLength(1);
      expect(r.faces[0]!.label).toBe(label);
    });
  }

  it('leaks no tensors across analyze calls', async () => {
    const img = await decodeImageFile(sharedPath('fixtures', 'images', 'grid-4-faces.png'));
    await pipeline.analyze(img);
    const before = tf.memory().numTensors;
    await pipeline.analyze(img);
    await pipeline.analyze(img);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('classifies tracked boxes without detecting when the caller passes them', async () => {
    const img = await decodeImageFile(sharedPath('fixtures', 'images', 'astronaut.png'));
    const detected = await pipeline.analyze(img);
    expect(detected.detected).toBe(true);
    const tracked = await pipeline.analyze(img, { faces: detected.faces.map((f) => ({ box: f.box, score: f.score })) });
    expect(tracked.detected).toBe(false);
    expect(tracked.ms.detect).toBeLessThan(1);
    expect(tracked.faces.map((f) => f.box)).toEqual(detected.faces.map((f) => f.box));
    expect(tracked.faces[0]!.label).toBe('happy');
  });

  it('reports per-stage timings and the input size', async () => {
    const r = await analyzeFixture('astronaut.png');
    expect(r.ms.detect).toBeGreaterThan(0);
    expect(r.ms.classify).toBeGreaterThan(0);
    expect(r.input).toEqual({ width: 512, height: 512 });
  });
});

describe('pipeline on bad input', () => {
  it('rejects an empty image with a clear error and leaks nothing', async () => {
    const before = tf.memory().numTensors;
    await expect(pipeline.analyze({ data: new Uint8ClampedArray(0), width: 0, height: 0 })).rejects.toThrow(/empty image \(0x0\)/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('finds no face in a 1x1 image', async () => {
    const r = await pipeline.analyze({ data: new Uint8ClampedArray([200, 150, 100, 255]), width: 1, height: 1 });
    expect(r.faces).toEqual([]);
  });

  it('finds no face in an image without one (uniform grey and smooth gradient)', async () => {
    const w = 320;
    const h = 240;
    const grey = new Uint8ClampedArray(w * h * 4).fill(128);
    expect((await pipeline.analyze({ data: grey, width: w, height: h })).faces).toEqual([]);
    const gradient = new Uint8ClampedArray(w * h * 4);
    for (let i = 0; i < w * h; i++) gradient.set([i % w, (i / w) | 0, 90, 255], i * 4);
    expect((await pipeline.analyze({ data: gradient, width: w, height: h })).faces).toEqual([]);
  });

  it('rejects a pixel buffer whose size does not match its dimensions', async () => {
    await expect(pipeline.analyze({ data: new Uint8ClampedArray(10), width: 4, height: 4 })).rejects.toThrow(/expected 64 \(RGBA\)/);
  });

  it('fails to load a corrupt model file with an error naming the file', async () => {
    const dir = modelsCopy();
    const id = manifest.defaults.classifier;
    const file = join(dir, id, 'weights.bin');
    const bytes = readFileSync(file);
    bytes[100] = (bytes[100] ?? 0) ^ 0xff;
    writeFileSync(file, bytes);
    await expect(createPipeline({ manifest, read: fsReader(dir), backend: { order: ['wasm'] } })).rejects.toThrow(
      new RegExp(`model file ${id}/weights\\.bin: is corrupt`),
    );
  });

  it('fails to load a truncated or missing model file with an error naming the file', async () => {
    const dir = modelsCopy();
    const id = manifest.defaults.detector;
    writeFileSync(join(dir, id, 'model.json'), '{"format": ');
    await expect(createPipeline({ manifest, read: fsReader(dir), backend: { order: ['wasm'] } })).rejects.toThrow(
      new RegExp(`model file ${id}/model\\.json: is corrupt: \\d+ bytes`),
    );
    const reader = fsReader();
    await expect(
      createPipeline({ manifest, read: (p) => (p.endsWith('weights.bin') ? Promise.reject(new Error('ENOENT')) : reader(p)), backend: { order: ['wasm'] } }),
    ).rejects.toThrow(/weights\.bin: cannot be read \(ENOENT\)/);
  });

  it('names the unknown model id and lists the known ones', async () => {
    await expect(createPipeline({ manifest, read: fsReader(), classifier: 'nope', backend: { order: ['wasm'] } })).rejects.toThrow(
      /unknown model id "nope" \(known emotion models: /,
    );
  });
});

describe('the person detector (a tile without a face: someone there, or nobody)', () => {
  it('sees someone in astronaut.png below the face (the body only), nobody in a gradient, and is asked only where no face was found', async () => {
    const img = await decodeImageFile(sharedPath('fixtures', 'images', 'astronaut.png'));
    const top = 200; // the face ends at about y 175
    const body = { data: img.data.slice(top * img.width * 4), width: img.width, height: img.height - top };
    const seen = await pipeline.analyze(body, { presence: true });
    expect(seen.faces).toEqual([]);
    expect(seen.person?.present).toBe(true);
    expect(seen.ms.person).toBeGreaterThan(0);
    const [w, h] = [320, 240];
    const gradient = new Uint8ClampedArray(w * h * 4);
    for (let i = 0; i < w * h; i++) gradient.set([i % w, (i / w) | 0, 90, 255], i * 4);
    expect((await pipeline.analyze({ data: gradient, width: w, height: h }, { presence: true })).person?.present).toBe(false);
    // A face was found: the person detector is not asked; nor when the frame did not ask.
    expect((await analyzeFixture('astronaut.png')).person).toBeUndefined();
    expect((await pipeline.analyze(await decodeImageFile(sharedPath('fixtures', 'images', 'astronaut.png')), { presence: true })).person).toBeUndefined();
    expect((await pipeline.analyze(body)).person).toBeUndefined();
  });
});

describe('calibration (models.json `calibration`)', () => {
  it('tempers the default classifier\'s probabilities: the same label, a less extreme confidence', async () => {
    const raw = await createPipeline({ manifest, read: fsReader(), backend: { order: ['wasm'] }, calibrate: false });
    try {
      const img = await decodeImageFile(sharedPath('fixtures', 'images', 'expressions', 'neutral.jpg'));
      const [a, b] = [(await pipeline.analyze(img)).faces[0]!, (await raw.analyze(img)).faces[0]!];
      expect(pipeline.calibration?.temperature).toBeGreaterThan(1);
      expect(raw.calibration).toBeNull();
      expect(a.label).toBe(b.label);
      expect(a.probabilities[a.label]!).toBeLessThan(b.probabilities[b.label]!);
    } finally {
      raw.dispose();
    }
  });
});

describe('every shipped model', () => {
  for (const entry of manifest.models.filter((m) => m.task !== 'person-detection')) {
    it(`${entry.id} loads and finds the astronaut's face or classifies it`, async () => {
      const opts = entry.task === 'face-detection' ? { detector: entry.id } : { classifier: entry.id };
      const p = await createPipeline({ manifest, read: fsReader(), backend: { order: ['wasm'] }, warmup: false, ...opts });
      try {
        const r = await p.analyze(await decodeImageFile(sharedPath('fixtures', 'images', 'astronaut.png')));
        expect(r.faces).toHaveLength(1);
        expect(r.faces[0]!.label).toBe('happy');
      } finally {
        p.dispose();
      }
    });
  }
});

describe("the paper's six-class model", () => {
  it('calls the face in expressions/happy.jpg happy, with six probabilities (ahegao among them) over its own label set', async () => {
    const id = manifest.models.find((m) => m.task === 'emotion' && m.labels.includes('ahegao'))!.id;
    const p = await createPipeline({ manifest, read: fsReader(), backend: { order: ['wasm'] }, warmup: false, classifier: id });
    try {
      expect(p.labels).toEqual(['angry', 'happy', 'neutral', 'sad', 'surprise', 'ahegao']);
      const r = await p.analyze(await decodeImageFile(sharedPath('fixtures', 'images', 'expressions', 'happy.jpg')));
      expect(r.faces).toHaveLength(1);
      const { label, probabilities } = r.faces[0]!;
      expect(label).toBe('happy');
      expect(Object.keys(probabilities)).toEqual([...p.labels]);
      expect(probabilities.ahegao).toBeGreaterThanOrEqual(0);
      expect(Object.values(probabilities).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    } finally {
      p.dispose();
    }
    // The default classifier keeps the five basic labels: no "ahegao" key, not even at 0.
    expect(pipeline.labels).toEqual([...BASIC_LABELS]);
  });
});

describe('toGrey', () => {
  it('is ITU-R 601 luma, in one channel or three identical ones', async () => {
    const rgb = tf.tensor4d([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30], [1, 2, 2, 3]);
    const luma = [0.2989 * 255, 0.587 * 255, 0.114 * 255, 0.2989 * 10 + 0.587 * 20 + 0.114 * 30];
    const one = toGrey(rgb);
    const three = toGrey(rgb, 3);
    expect(one.shape).toEqual([1, 2, 2, 1]);
    expect(three.shape).toEqual([1, 2, 2, 3]);
    const [g1, g3] = [await one.data(), await three.data()];
    luma.forEach((v, i) => {
      expect(g1[i]).toBeCloseTo(v, 3);
      for (let c = 0; c < 3; c++) expect(g3[i * 3 + c]).toBeCloseTo(v, 3);
    });
    tf.dispose([rgb, one, three]);
  });
});

describe('normalize and sheetBatch', () => {
  const rgb = [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30];
  const expected = (mean: number[], std: number[]) => rgb.map((v, i) => (v - mean[i % 3]!) / std[i % 3]!);
  const input = (mean: number[], std: number[], extra: Partial<ModelInput> = {}): ModelInput => ({ width: 2, height: 1, channels: 3, mean, std, ...extra });

  it('is (x - mean) / std per channel, with one or several means', async () => {
    for (const [mean, std] of [[[127.5, 127.5, 127.5], [127.5, 127.5, 127.5]], [[122.782, 117.001, 104.298], [255, 255, 255]], [[1, 2, 3], [2, 4, 8]]] as const) {
      const out = normalize(tf.tensor4d(rgb, [1, 2, 2, 3]), input([...mean], [...std]));
      expect(Array.from(await out.data()).map((v) => v.toFixed(4))).toEqual(expected([...mean], [...std]).map((v) => v.toFixed(4)));
      out.dispose();
    }
  });

  it('turns an RGBA sheet of two 2x1 cells into the normalized batch, in colour or grey', async () => {
    // Cells side by side: row 0 holds cell 0's two pixels, then cell 1's.
    const sheet = { data: new Uint8ClampedArray([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 10, 20, 30, 255]), width: 4, height: 1 };
    const colour = sheetBatch(sheet, 2, input([1, 2, 3], [2, 4, 8]));
    expect(colour.shape).toEqual([2, 1, 2, 3]);
    expect(Array.from(await colour.data()).map((v) => v.toFixed(4))).toEqual(expected([1, 2, 3], [2, 4, 8]).map((v) => v.toFixed(4)));
    const grey = sheetBatch(sheet, 2, input([127.5], [127.5], { channels: 1 }));
    const luma = [0.2989 * 255, 0.587 * 255, 0.114 * 255, 0.2989 * 10 + 0.587 * 20 + 0.114 * 30];
    expect(Array.from(await grey.data()).map((v) => v.toFixed(3))).toEqual(luma.map((v) => ((v - 127.5) / 127.5).toFixed(3)));
    tf.dispose([colour, grey]);
  });
});

describe('tensors over a pipeline\'s life', () => {
  const detectors = manifest.models.filter((m) => m.task === 'face-detection').map((m) => m.id);
  const classifiers = manifest.models.filter((m) => m.task === 'emotion').map((m) => m.id);
  it.each([...detectors.map((d) => [d, manifest.defaults.classifier]), ...classifiers.map((c) => [manifest.defaults.detector, c])])(
    '%s + %s: create, warm up, detect, classify tracked boxes, dispose: no tensor left',
    async (detector, classifier) => {
      const img = await decodeImageFile(sharedPath('fixtures', 'images', 'astronaut.png'));
      const before = tf.memory().numTensors;
      const p = await createPipeline({ manifest, read: fsReader(), backend: { order: ['wasm'] }, detector, classifier });
      const r = await p.analyze(img);
      await p.analyze(img, { faces: r.faces.map((f) => ({ box: f.box, score: f.score })) });
      p.dispose();
      expect(tf.memory().numTensors).toBe(before);
    },
  );
});
