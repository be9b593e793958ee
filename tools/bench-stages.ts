// Node CLI (`npm run bench:stages [-- --runs 40]`): the ML host's steps one at a time, in Node on
// tfjs wasm with one thread (as in the extension), median and p90 ms of `runs` calls after a warm-up:
// detection on a call tile's frame, classification from a frame's crops and from face sheets (the
// page's cells straight into the batch, and the same sheet through the generic crop path), and the
// per-channel normalization against the [C] broadcast it replaced.
import { parseArgs } from 'node:util';
import { createPipeline } from '../src/ml/pipeline';
import { normalize, type PixelData, toImageTensor } from '../src/ml/preprocess';
import { exitWithError, isMain } from './lib/cli';
import { decodeImageFile } from './lib/images';
import { type Stats, summarize } from './lib/metrics';
import { fsReader, readManifest } from './lib/node-models';
import { sharedPath } from './lib/paths';
import { initNodeTf, tf } from './lib/tf-node';

async function time(runs: number, fn: () => Promise<unknown>): Promise<Stats> {
  for (let i = 0; i < 5; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  return summarize(ms);
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { runs: { type: 'string', default: '40' } } });
  const runs = Number(values.runs);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false); // the extension's setting (no blob: workers)
  await initNodeTf();
  const manifest = readManifest();
  const pipeline = await createPipeline({ manifest, read: fsReader(), backend: { order: ['wasm'] } });
  const cell = pipeline.cropSize;
  // The four-face gallery (640x480), and its faces' boxes for the sheets.
  const frame = await decodeImageFile(sharedPath('fixtures', 'images', 'grid-4-faces.png'));
  const found = (await pipeline.analyze(frame)).faces;
  if (found.length !== 4) throw new Error(`expected 4 faces in the grid, found ${found.length}`);
  const sheetOf = (n: number): PixelData => ({ data: new Uint8ClampedArray(cell * cell * n * 4).map((_, i) => (i * 37) % 251), width: cell * n, height: cell });
  const sheetOpts = (n: number) => ({ faces: found.slice(0, n), sheet: { cell, frame: { width: frame.width, height: frame.height } } });
  const classifier = manifest.models.find((m) => m.id === pipeline.classifierId)!;
  const batch = tf.randomUniform([4, cell, cell, 3], 0, 255) as tf.Tensor4D;
  const rows: Array<[string, Stats]> = [
    [`detect + classify 4 faces, ${pipeline.detectorId} on the 640x480 gallery`, await time(runs, () => pipeline.analyze(frame))],
    ['classify 1 tracked face from the frame (crop and resize)', await time(runs, () => pipeline.analyze(frame, { faces: found.slice(0, 1) }))],
    ['classify a 1-face sheet (cells straight into the batch)', await time(runs, () => pipeline.analyze(sheetOf(1), sheetOpts(1)))],
    ['classify a 4-face sheet (cells straight into the batch)', await time(runs, () => pipeline.analyze(sheetOf(4), sheetOpts(4)))],
    [
      'classify a 4-face sheet through the generic path (int tensor, crop and resize)',
      await time(runs, async () => {
        const { image } = toImageTensor(sheetOf(4));
        try {
          await pipeline.analyze(image, sheetOpts(4));
        } finally {
          image.dispose();
        }
      }),
    ],
    [`normalize [4, ${cell}, ${cell}, 3], per-channel mean: (x - [C]) / [C] broadcast`, await time(runs, async () => tf.tidy(() => tf.div(tf.sub(batch, tf.tensor1d(classifier.input.mean)), tf.tensor1d(classifier.input.std))).data())],
    [`normalize [4, ${cell}, ${cell}, 3], per-channel mean: normalize() (one fused matMul)`, await time(runs, async () => tf.tidy(() => normalize(batch, classifier.input)).data())],
  ];
  pipeline.dispose();
  batch.dispose();
  console.log(`\n### ML host steps in Node (tfjs wasm, one thread), ${runs} runs each, ${new Date().toISOString()}\n`);
  console.log('| step | median ms | p90 ms |\n|---|---:|---:|');
  for (const [name, t] of rows) console.log(`| ${name} | ${t.median.toFixed(2)} | ${t.p90.toFixed(2)} |`);
}

if (isMain(import.meta.url)) main(process.argv.slice(2)).catch(exitWithError);
