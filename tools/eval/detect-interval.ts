// Node (`npm run eval -- detect-interval [--max 9,12,15,18] [--fps 6] [--loops 2]`, tools/eval.ts): what
// detecting less often costs the label. The talking clips are sampled as a tile is (fps frames a second,
// looped); every frame is analyzed with its own detection (the reference), then the detection schedule
// of src/overlay/logic/detect-interval.ts is replayed with each longest interval: frames between detections are
// classified at the box of the last detection, as the overlay's face sheets are. Prints, per longest
// interval, the share of frames detected, how often a frame's label differs from the reference, the
// mean change of its probabilities, and the overlap of the box used with the frame's own.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pixelIou } from '../../src/core/boxes';
import { nextDetectInterval } from '../../src/overlay/logic/detect-interval';
import type { FaceResult, PixelBox } from '../../src/core/types';
import { createPipeline, type Pipeline } from '../../src/ml/pipeline';
import { PERFORMANCE_MODES } from '../../src/core/settings';
import type { PixelData } from '../../src/ml/preprocess';
import { fsReader, readManifest } from '../lib/node-models';
import { sharedPath } from '../lib/paths';
import { percentile } from '../lib/metrics';
import { initNodeTf } from '../lib/tf-node';
import { videoFrames } from '../lib/video-frames';

/** The clips' length in seconds (../shared/README.md: five 8 s clips). */
const CLIP_SECONDS = 8;

const largest = (faces: readonly FaceResult[]) => [...faces].sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height)[0];

interface Replay {
  detected: number;
  frames: number;
  labelDiffers: number;
  probChange: number;
  boxIou: number[];
}

/** The schedule with longest interval `max` over one clip's frames, against their own detections. */
async function replay(pipeline: Pipeline, frames: readonly PixelData[], own: ReadonlyArray<FaceResult | undefined>, max: number, base: number): Promise<Replay> {
  const r: Replay = { detected: 0, frames: 0, labelDiffers: 0, probChange: 0, boxIou: [] };
  let interval = base;
  let since = Infinity;
  let tracked: PixelBox | null = null;
  for (let i = 0; i < frames.length; i++) {
    const ref = own[i];
    let face: FaceResult | undefined;
    if (tracked === null || since + 1 >= interval) {
      // A detection: the interval grows while it finds the face where tracking had it.
      face = ref;
      if (face) interval = tracked ? nextDetectInterval(interval, [tracked], [face.box], { base, max }) : base;
      tracked = face?.box ?? null;
      since = 0;
      r.detected++;
    } else {
      since++;
      [face] = (await pipeline.analyze(frames[i]!, { faces: [{ box: tracked, score: 1 }] })).faces;
    }
    if (!ref || !face) continue;
    r.frames++;
    if (face.label !== ref.label) r.labelDiffers++;
    r.probChange += Object.keys(ref.probabilities).reduce((s, k) => s + Math.abs((face.probabilities[k] ?? 0) - (ref.probabilities[k] ?? 0)), 0) / 2;
    r.boxIou.push(pixelIou(face.box, ref.box));
  }
  return r;
}

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { max: { type: 'string', default: '9,12,15,18' }, fps: { type: 'string', default: '6' }, loops: { type: 'string', default: '2' } } });
  const maxes = values.max.split(',').map(Number);
  const fps = Number(values.fps);
  const loops = Number(values.loops);
  const base = PERFORMANCE_MODES.balanced.detectEvery;
  await initNodeTf();
  const pipeline = await createPipeline({ manifest: readManifest(), read: fsReader(), backend: { order: ['wasm'] } });
  const dir = sharedPath('fixtures', 'video');
  const clips = readdirSync(dir).filter((f) => /^talking-.*\.webm$/.test(f)).sort();
  const times = Array.from({ length: Math.floor(CLIP_SECONDS * fps) }, (_, i) => i / fps);
  const totals = new Map(maxes.map((m) => [m, { detected: 0, frames: 0, labelDiffers: 0, probChange: 0, boxIou: [] as number[], all: 0 }]));
  for (const clip of clips) {
    const once = await videoFrames(join(dir, clip), times);
    const frames = Array.from({ length: loops }, () => once).flat();
    const ownOnce = await Promise.all(once.map(async (f) => largest((await pipeline.analyze(f)).faces)));
    const own = Array.from({ length: loops }, () => ownOnce).flat();
    for (const max of maxes) {
      const r = await replay(pipeline, frames, own, max, base);
      const t = totals.get(max)!;
      [t.detected, t.frames, t.labelDiffers, t.probChange, t.all] = [t.detected + r.detected, t.frames + r.frames, t.labelDiffers + r.labelDiffers, t.probChange + r.probChange, t.all + frames.length];
      t.boxIou.push(...r.boxIou);
    }
  }
  pipeline.dispose();
  const pct = (n: number, d: number) => ((n / d) * 100).toFixed(1);
  console.log(`\n### Detection interval: ${clips.length} talking clips at ${fps} frames/s, looped ${loops}x, base interval ${base} (Node, tfjs wasm)\n`);
  console.log('| longest interval (frames) | frames detected | label differs from per-frame detection | mean probability change (total variation) | box IoU with the frame\'s own: median / 10th percentile |');
  console.log('|---:|---:|---:|---:|---:|');
  for (const [max, t] of totals) {
    const q = (p: number) => percentile(t.boxIou, p).toFixed(3);
    console.log(`| ${max} | ${pct(t.detected, t.all)}% | ${pct(t.labelDiffers, t.frames)}% | ${(t.probChange / t.frames).toFixed(3)} | ${q(50)} / ${q(10)} |`);
  }
}
