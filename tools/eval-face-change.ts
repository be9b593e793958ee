// Node CLI (`npm run eval:face-change -- [--frames 48]`): how often a tracked face looks unchanged
// to the content script between frames, and what skipping those frames hides. Frames of the five
// talking-head clips at about 6 fps (the default rate), the face's box from the first frame held
// (as between detections), each frame's face cut as a sheet cell the way the page cuts it; per
// threshold (largest change of any block of the 8x8 mean-luma signature, grey levels): frames that
// would skip classification, and the largest change of any class probability among them had they
// been classified.
import { parseArgs } from 'node:util';
import { cellSignature, maxBlockChange } from '../src/core/face-change';
import { createPipeline } from '../src/ml/pipeline';
import { exitWithError, isMain } from './lib/cli';
import { faceSheet } from './lib/face-sheet';
import { fsReader, readManifest } from './lib/node-models';
import { initNodeTf } from './lib/tf-node';
import { fixtureFramePixels, TALKING_CLIPS } from './bench-peers';

const THRESHOLDS = [1, 2, 3, 6, 10];

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { frames: { type: 'string', default: '48' } } });
  await initNodeTf();
  const pipeline = await createPipeline({ manifest: readManifest(), read: fsReader(), backend: { order: ['wasm'] } });
  const cell = pipeline.cropSize;
  const frames = await fixtureFramePixels(TALKING_CLIPS, Number(values.frames) / 8, 8, 'cover');
  console.log(`\n### Unchanged faces: ${values.frames} frames per clip over 8 s, cells of ${cell} px, classifier ${pipeline.classifierId}\n`);
  console.log(`| clip | ${THRESHOLDS.map((t) => `<= ${t}: frames skipped (largest hidden probability change)`).join(' | ')} |`);
  console.log(`|---|${THRESHOLDS.map(() => '---:').join('|')}|`);
  for (const clip of TALKING_CLIPS) {
    const fs = frames.filter((f) => f.clip === clip);
    const face = (await pipeline.analyze(fs[0]!.pixels)).faces[0];
    if (!face) throw new Error(`${clip}: no face in the first frame`);
    const cut = (i: number) => faceSheet([{ image: fs[i]!.pixels, box: face.box }], cell);
    const steps: Array<{ change: number; moved: number }> = [];
    let prevSheet = cut(0);
    let prev = (await pipeline.analyze(prevSheet, { faces: [face], sheet: { cell, frame: { width: fs[0]!.pixels.width, height: fs[0]!.pixels.height } } })).faces[0]!;
    for (let i = 1; i < fs.length; i++) {
      const sheet = cut(i);
      const now = (await pipeline.analyze(sheet, { faces: [face], sheet: { cell, frame: { width: fs[i]!.pixels.width, height: fs[i]!.pixels.height } } })).faces[0]!;
      const change = maxBlockChange(cellSignature(sheet.data, cell, cell, 0), cellSignature(prevSheet.data, cell, cell, 0));
      const moved = Math.max(...Object.keys(now.probabilities).map((k) => Math.abs((now.probabilities[k] ?? 0) - (prev.probabilities[k] ?? 0))));
      steps.push({ change, moved });
      prevSheet = sheet;
      prev = now;
    }
    const cells = THRESHOLDS.map((t) => {
      const skipped = steps.filter((s) => s.change <= t);
      return `${skipped.length}/${steps.length} (${Math.max(0, ...skipped.map((s) => s.moved)).toFixed(2)})`;
    });
    console.log(`| ${clip} | ${cells.join(' | ')} |`);
  }
  pipeline.dispose();
}

if (isMain(import.meta.url)) main().catch(exitWithError);
