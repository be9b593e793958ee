// One-off study (docs/decisions.md): BlazeFace at smaller input sides: faces found on 400 wild valid
// photos on a 480x270 frame and on 20 talking-clip frames as 320x180 tiles, and ms per detection.
// `npx tsx tools/study/detector-size.ts`.
import { createDetector } from '../../src/ml/detectors';
import { toImageTensor } from '../../src/ml/preprocess';
import { fsReader, readManifest } from '../lib/node-models';
import { initNodeTf, tf } from '../lib/tf-node';
import { readWild, spreadSubset, wildOnFrame } from '../lib/wild';
import { videoFrames } from '../lib/video-frames';
import sharp from 'sharp';
import { sharedPath } from '../lib/paths';
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
await initNodeTf();
const base = readManifest().models.find((x) => x.id === 'blazeface-f16')!;
const rows = spreadSubset(readWild('valid').filter((r) => ['nhfi', 'affectnet96', 'sfew', 'webcam-colour', 'oahega'].includes(r.source)), 400);
const imgs = await Promise.all(rows.map((r) => wildOnFrame(r.path)));
// call-tile-like: clip frames scaled to 320x180 tiles (face centred, letterboxed into 16:9)
const clipFrames = (await Promise.all(['d12', 'd18', 'd19', 'd3', 'd6'].map((c) => videoFrames(sharedPath('fixtures', 'video', `talking-${c}.webm`), [1, 3, 5, 7])))).flat();
const tiles = await Promise.all(clipFrames.map(async (f) => {
  const face = await sharp(Buffer.from(f.data.buffer), { raw: { width: f.width, height: f.height, channels: 4 } }).resize(180, 180).png().toBuffer();
  const { data, info } = await sharp({ create: { width: 320, height: 180, channels: 3, background: '#333' } }).composite([{ input: face, left: 70, top: 0 }]).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8ClampedArray(data), width: info.width, height: info.height };
}));
for (const side of [256, 192, 160, 128]) {
  const d = await createDetector({ ...base, input: { ...base.input, width: side, height: side } }, fsReader());
  let found = 0, tfound = 0; const ts: number[] = [];
  for (const im of imgs) { const { image } = toImageTensor(im); const t = performance.now(); const c = await d.detect(image, 0.5); ts.push(performance.now() - t); image.dispose(); if (c.length) found++; }
  for (const im of tiles) { const { image } = toImageTensor(im); const c = await d.detect(image, 0.5); image.dispose(); if (c.length) tfound++; }
  ts.sort((a, b) => a - b);
  console.log(side, 'wild found', found, '/', imgs.length, 'clip tiles found', tfound, '/', tiles.length, 'median ms', ts[Math.floor(ts.length / 2)]!.toFixed(2));
  d.dispose();
}
