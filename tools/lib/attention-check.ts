// Node: the attention check set (tests/fixtures/attention-check.csv: frames of ../shared's talking
// clips and wild photos, each marked by eye as facing the camera, turned away, or unclear) and each
// item's head turn as the detector sees it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pipeline } from '../../src/ml/pipeline';
import type { PixelData } from '../../src/ml/preprocess';
import { REPO_ROOT, sharedPath } from './paths';
import { videoFrames } from './video-frames';
import { largestFace, wildOnFrame } from './wild';

export const CHECK_SET = join(REPO_ROOT, 'tests', 'fixtures', 'attention-check.csv');
export type Mark = 'facing' | 'turned' | 'unclear';

export interface CheckItem {
  /** `clip:<file in fixtures/video>@<seconds>` or `wild:<path under datasets/wild>`. */
  item: string;
  mark: Mark;
}

export function readCheckSet(file = CHECK_SET): CheckItem[] {
  const [header, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  if (header !== 'item,mark') throw new Error(`${file}: expected the header "item,mark"`);
  return lines.map((line, i) => {
    const [item = '', mark = ''] = line.split(',');
    if (!/^(clip:[\w.-]+@[\d.]+|wild:[\w/.-]+)$/.test(item) || !['facing', 'turned', 'unclear'].includes(mark)) throw new Error(`${file}:${i + 2}: bad row "${line}"`);
    return { item, mark: mark as Mark };
  });
}

/** Each item's picture: a clip's frame as the clip shows it, a wild photo on a call-tile frame. */
async function pictures(items: readonly CheckItem[]): Promise<Map<string, PixelData>> {
  const out = new Map<string, PixelData>();
  const byClip = new Map<string, number[]>();
  for (const { item } of items) {
    if (item.startsWith('wild:')) out.set(item, await wildOnFrame(sharedPath('datasets', 'wild', item.slice(5))));
    else {
      const [file = '', at = ''] = item.slice(5).split('@');
      byClip.set(file, [...(byClip.get(file) ?? []), Number(at)]);
    }
  }
  for (const [file, seconds] of byClip) {
    const frames = await videoFrames(sharedPath('fixtures', 'video', file), seconds);
    seconds.forEach((s, i) => out.set(`clip:${file}@${s}`, frames[i]!));
  }
  return out;
}

export interface Measured extends CheckItem {
  /** The largest face's turn; null when no face was found, undefined when the detector has no keypoints. */
  turn: number | null | undefined;
}

export async function measureCheckSet(pipeline: Pipeline, items: readonly CheckItem[]): Promise<Measured[]> {
  const pics = await pictures(items);
  const out: Measured[] = [];
  for (const it of items) {
    const face = largestFace((await pipeline.analyze(pics.get(it.item)!)).faces);
    out.push({ ...it, turn: face ? face.turn : null });
  }
  return out;
}

export interface Agreement {
  /** Items marked facing or turned whose face was found (unclear ones are left out). */
  judged: number;
  agree: number;
  turned: number;
  turnedCaught: number;
  facing: number;
  facingKept: number;
  /** Items (of any mark) where no face was found. */
  noFace: number;
}

/** How often the measured turn agrees with the marks, at `maxTurn` (isFacing's threshold by default). */
export function agreement(measured: readonly Measured[], maxTurn: number): Agreement {
  const a: Agreement = { judged: 0, agree: 0, turned: 0, turnedCaught: 0, facing: 0, facingKept: 0, noFace: 0 };
  for (const m of measured) {
    if (m.turn === null) a.noFace++;
    if (m.turn === null || m.turn === undefined || m.mark === 'unclear') continue;
    const facing = Math.abs(m.turn) < maxTurn;
    a.judged++;
    if (m.mark === 'turned') {
      a.turned++;
      if (!facing) a.turnedCaught++;
    } else {
      a.facing++;
      if (facing) a.facingKept++;
    }
    if (facing === (m.mark === 'facing')) a.agree++;
  }
  return a;
}

/** Which part of the check set an item belongs to: the clips, or a wild photo's source. */
export function partOf(item: string, sources: ReadonlyMap<string, string>): string {
  return item.startsWith('clip:') ? 'talking clips' : `wild ${sources.get(item.slice(5)) ?? '?'}`;
}
