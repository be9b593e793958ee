// Node CLI (`npm run eval:detector-input -- [--frames 20] [--limit n]`): does running BlazeFace at
// the frame's own aspect (256 x 192 for a 16:9 frame) instead of padded to its 256 x 256 square
// change what the user sees? Same pipeline otherwise. (a) Frames of the five talking-head clips as
// a 480x270 call tile shows them (object-fit: cover, so 16:9; the clips themselves are square):
// faces found, box IoU and label agreement with the square input, detection ms (the variants
// interleaved frame by frame). (b) The wild valid photos on a 480 x 270 frame: faces found and
// macro-F1 within each source.
import { parseArgs } from 'node:util';
import { iou } from '../src/core/boxes';
import { confusionMatrix, macroF1, median } from './lib/metrics';
import type { FaceResult, PixelBox } from '../src/core/types';
import { createPipeline, type Pipeline } from '../src/ml/pipeline';
import { exitWithError, isMain } from './lib/cli';
import { fsReader, readManifest } from './lib/node-models';
import { initNodeTf } from './lib/tf-node';
import { fixtureFramePixels, TALKING_CLIPS } from './bench-peers';
import { largestFace, readWild, restrictedTop, WILD_FRAME as FRAME, wildOnFrame as onFrame, WILD_SOURCES } from './lib/wild';

const CLIP_SECONDS = 8;

const corners = (b: PixelBox) => ({ xmin: b.x, ymin: b.y, xmax: b.x + b.width, ymax: b.y + b.height });

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { frames: { type: 'string', default: '20' }, limit: { type: 'string' } } });
  await initNodeTf();
  const manifest = readManifest();
  const base = { manifest, read: fsReader(), backend: { order: ['wasm' as const] } };
  const variants: Array<[string, Pipeline]> = [
    ['square 256 x 256 (before)', await createPipeline({ ...base, squareDetectorInput: true })],
    ['frame aspect (after)', await createPipeline(base)],
  ];

  // Each clip as a 480x270 call tile shows it (object-fit: cover), sampled as the content script sends it.
  const frames = await fixtureFramePixels(TALKING_CLIPS, Number(values.frames) / CLIP_SECONDS, CLIP_SECONDS, 'cover');
  // Variants interleaved frame by frame, so the machine's background load weighs on both alike.
  const runs = new Map<string, Array<{ faces: FaceResult[]; ms: number }>>(variants.map(([name]) => [name, []]));
  for (const [, p] of variants) for (const f of frames.slice(0, 3)) await p.analyze(f.pixels); // warm
  for (const f of frames) {
    for (const [name, p] of variants) {
      const r = await p.analyze(f.pixels);
      runs.get(name)!.push({ faces: r.faces, ms: r.ms.detect });
    }
  }
  const before = runs.get(variants[0]![0])!;
  console.log(`\n### (a) ${frames.length} frames of ${TALKING_CLIPS.length} talking-head clips at ${frames[0]?.pixels.width}x${frames[0]?.pixels.height}, detector ${manifest.defaults.detector}, classifier ${manifest.defaults.classifier}\n`);
  console.log('| detector input | frames with one face | with more | with none | IoU with square (median / min) | same label as square | detect ms (median) |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const [name] of variants) {
    const out = runs.get(name)!;
    const ious: number[] = [];
    let same = 0;
    out.forEach((r, i) => {
      const a = largestFace(r.faces);
      const b = largestFace(before[i]!.faces);
      if (a && b) {
        ious.push(iou(corners(a.box), corners(b.box)));
        if (a.label === b.label) same++;
      }
    });
    const count = (k: (n: number) => boolean) => out.filter((r) => k(r.faces.length)).length;
    console.log(
      `| ${name} | ${count((n) => n === 1)} | ${count((n) => n > 1)} | ${count((n) => n === 0)} | ${median(ious).toFixed(3)} / ${Math.min(...ious).toFixed(3)} | ${same}/${ious.length} | ${median(out.map((r) => r.ms)).toFixed(1)} |`,
    );
  }

  let rows = readWild('valid').filter((r) => WILD_SOURCES[r.source]?.includes(r.label));
  if (values.limit) rows = rows.filter((_, i) => i % Math.max(1, Math.floor(rows.length / Number(values.limit))) === 0);
  const images = await Promise.all(rows.map((r) => onFrame(r.path)));
  console.log(`\n### (b) ${rows.length} wild valid photos (128 px) centred on a ${FRAME.width}x${FRAME.height} frame; macro-F1 % within source\n`);
  console.log('| detector input | faces found | photos with more than one | oahega | webcam-colour |');
  console.log('|---|---:|---:|---:|---:|');
  for (const [name, p] of variants) {
    const bySource = new Map<string, { truths: string[]; preds: string[] }>();
    let found = 0;
    let more = 0;
    for (const [i, r] of rows.entries()) {
      const { faces } = await p.analyze(images[i]!);
      const face = largestFace(faces);
      if (face) found++;
      if (faces.length > 1) more++;
      const e = bySource.get(r.source) ?? { truths: [], preds: [] };
      e.truths.push(r.label);
      e.preds.push(face ? restrictedTop(face.probabilities, WILD_SOURCES[r.source] ?? []) : (WILD_SOURCES[r.source]?.[0] ?? ''));
      bySource.set(r.source, e);
    }
    const f1 = (s: string) => {
      const e = bySource.get(s);
      return e ? (macroF1(confusionMatrix(e.truths, e.preds, [...(WILD_SOURCES[s] ?? [])])) * 100).toFixed(1) : '-';
    };
    console.log(`| ${name} | ${found}/${rows.length} | ${more} | ${f1('oahega')} | ${f1('webcam-colour')} |`);
  }
  for (const [, p] of variants) p.dispose();
}

if (isMain(import.meta.url)) main().catch(exitWithError);
