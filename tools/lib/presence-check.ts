// Node: the presence check set (tests/fixtures/presence-check.csv): frames of ../shared's talking clips
// and wild photos, whole or cut to a part (a crop of the source, shown as a 480x270 call tile), each
// marked by eye before measuring: `face` (a face a detector should find), `person` (someone there, no
// face visible: turned away, or only their body in the frame), `nobody` (background only), `unclear`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Pipeline } from '../../src/ml/pipeline';
import type { PixelData } from '../../src/ml/preprocess';
import { REPO_ROOT, sharedPath } from './paths';
import { videoFrames } from './video-frames';
import { WILD_FRAME, wildOnFrame } from './wild';

export const PRESENCE_SET = join(REPO_ROOT, 'tests', 'fixtures', 'presence-check.csv');
export const PRESENCE_MARKS = ['face', 'person', 'nobody', 'unclear'] as const;
export type PresenceMark = (typeof PRESENCE_MARKS)[number];

export interface PresenceItem {
  /** `clip:<file in fixtures/video>@<seconds>` or `wild:<path under datasets/wild>`, then `#x,y,w,h` for a part of it (source pixels). */
  item: string;
  mark: PresenceMark;
}

const ITEM = /^(clip:[\w.-]+@[\d.]+|wild:[\w/.-]+)(#\d+,\d+,\d+,\d+)?$/;

export function readPresenceSet(file = PRESENCE_SET): PresenceItem[] {
  const [header, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  if (header !== 'item,mark') throw new Error(`${file}: expected the header "item,mark"`);
  return lines.map((line, i) => {
    // The mark follows the last comma (a part's `#x,y,w,h` has commas of its own).
    const [item, mark] = [line.slice(0, line.lastIndexOf(',')), line.slice(line.lastIndexOf(',') + 1)];
    if (!ITEM.test(item) || !(PRESENCE_MARKS as readonly string[]).includes(mark)) throw new Error(`${file}:${i + 2}: bad row "${line}"`);
    return { item, mark: mark as PresenceMark };
  });
}

/** The source of an item (before `#`) and its part, if any. */
function parse(item: string): { source: string; part: { x: number; y: number; width: number; height: number } | null } {
  const [source = '', crop] = item.split('#');
  if (!crop) return { source, part: null };
  const [x = 0, y = 0, width = 0, height = 0] = crop.split(',').map(Number);
  return { source, part: { x, y, width, height } };
}

/** `part` of an RGBA picture, resized to fill a WILD_FRAME call tile. */
async function partOnFrame(pixels: PixelData, part: { x: number; y: number; width: number; height: number }): Promise<PixelData> {
  const { data, info } = await sharp(Buffer.from(pixels.data.buffer, pixels.data.byteOffset, pixels.data.byteLength), { raw: { width: pixels.width, height: pixels.height, channels: 4 } })
    .extract({ left: part.x, top: part.y, width: part.width, height: part.height })
    .resize(WILD_FRAME.width, WILD_FRAME.height, { fit: 'fill' })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

/** Each item's picture as a call tile shows it: a clip's frame (or part), a wild photo on a black tile (or its part filling it). */
export async function presencePictures(items: readonly PresenceItem[]): Promise<Map<string, PixelData>> {
  const out = new Map<string, PixelData>();
  const byClip = new Map<string, Set<number>>();
  for (const { item } of items) {
    const { source } = parse(item);
    if (source.startsWith('clip:')) {
      const [file = '', at = ''] = source.slice(5).split('@');
      byClip.set(file, (byClip.get(file) ?? new Set()).add(Number(at)));
    }
  }
  const frames = new Map<string, PixelData>();
  for (const [file, seconds] of byClip) {
    const list = [...seconds];
    const decoded = await videoFrames(sharedPath('fixtures', 'video', file), list);
    list.forEach((s, i) => frames.set(`clip:${file}@${s}`, decoded[i]!));
  }
  for (const { item } of items) {
    const { source, part } = parse(item);
    if (source.startsWith('clip:')) {
      const frame = frames.get(source)!;
      out.set(item, part ? await partOnFrame(frame, part) : frame);
    } else {
      const path = sharedPath('datasets', 'wild', source.slice(5));
      out.set(item, part ? await partOnFrame(await decodePhoto(path), part) : await wildOnFrame(path));
    }
  }
  return out;
}

async function decodePhoto(path: string): Promise<PixelData> {
  const { data, info } = await sharp(path).removeAlpha().ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

export type PresenceState = 'face' | 'person' | 'nobody';
export interface Seen extends PresenceItem {
  faces: number;
  /** The person score where no face was found. */
  score: number | null;
}

/** What the overlay says of an item at person threshold `t` (null: no person detector). */
export const stateOf = (s: Seen, t: number | null): PresenceState => (s.faces > 0 ? 'face' : t !== null && s.score !== null && s.score >= t ? 'person' : 'nobody');
/** Someone (a face or a person) or nobody: the question the person detector answers. */
const someone = (x: string) => x === 'face' || x === 'person';

/** Judged items (not unclear): how many have the right someone-or-nobody answer, and each mark's recall. */
export function agreement(seen: readonly Seen[], t: number | null): { agree: number; judged: number; someoneKept: string; nobodyKept: string; balanced: number } {
  const judged = seen.filter((s) => s.mark !== 'unclear');
  const right = (s: Seen) => someone(stateOf(s, t)) === someone(s.mark);
  const [yes, no] = [judged.filter((s) => someone(s.mark)), judged.filter((s) => s.mark === 'nobody')];
  const [yesRight, noRight] = [yes.filter(right).length, no.filter(right).length];
  return { agree: judged.filter(right).length, judged: judged.length, someoneKept: `${yesRight}/${yes.length}`, nobodyKept: `${noRight}/${no.length}`, balanced: ((yes.length ? yesRight / yes.length : 1) + (no.length ? noRight / no.length : 1)) * 50 };
}

/** Each item through `pipeline` (asking for presence), with its faces found and person score, and the person detector's ms per check. */
export async function measurePresence(pipeline: Pipeline, items: readonly PresenceItem[]): Promise<{ seen: Seen[]; ms: number[] }> {
  const pics = await presencePictures(items);
  const seen: Seen[] = [];
  const ms: number[] = [];
  for (const it of items) {
    const r = await pipeline.analyze(pics.get(it.item)!, { presence: true });
    if (r.ms.person !== undefined) ms.push(r.ms.person);
    seen.push({ ...it, faces: r.faces.length, score: r.person?.score ?? null });
  }
  return { seen, ms };
}
