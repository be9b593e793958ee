// Node: the training data as flat uint8 arrays for the fine-tuning step (tools/train/torch): FER+
// (48x48 grey) and the wild colour photos (128x128 RGB), with labels, sources and splits in a JSON
// index. Read from ../shared through the same readers the evaluation uses; cached in .cache/train.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { FERPLUS_LABELS, type FerPlusSplit, readFerPlus } from '../lib/ferplus';
import { REPO_ROOT } from '../lib/paths';
import { readWild, type WildSplit } from '../lib/wild';

export const TRAIN_CACHE = join(REPO_ROOT, '.cache', 'train');
export const WILD_SIZE = 128;
const DATA_VERSION = 1;

export interface TensorSet {
  /** File name of the raw bytes, relative to the data folder. */
  file: string;
  /** [n, height, width, channels] uint8. */
  shape: [number, number, number, number];
  /** Index into `labels` per row. */
  y: number[];
  /** Per row: 'ferplus' or the wild source. */
  source: string[];
}

export interface TensorIndex {
  version: number;
  labels: string[];
  sets: Record<string, TensorSet>;
}

function writeSet(dir: string, name: string, rows: Uint8Array[], shape: TensorSet['shape'], y: number[], source: string[]): TensorSet {
  const file = `${name}.u8`;
  writeFileSync(join(dir, file), Buffer.concat(rows.map((r) => Buffer.from(r.buffer, r.byteOffset, r.byteLength))));
  return { file, shape, y, source };
}

async function wildSet(dir: string, split: WildSplit, labels: string[]): Promise<TensorSet> {
  const rows = readWild(split).filter((r) => labels.includes(r.label));
  const pixels = await Promise.all(
    rows.map(async (r) => new Uint8Array(await sharp(r.path).removeAlpha().resize(WILD_SIZE, WILD_SIZE, { fit: 'fill' }).raw().toBuffer())),
  );
  return writeSet(dir, `wild-${split}`, pixels, [rows.length, WILD_SIZE, WILD_SIZE, 3], rows.map((r) => labels.indexOf(r.label)), rows.map((r) => r.source));
}

function ferSet(dir: string, split: FerPlusSplit, labels: string[]): TensorSet {
  const rows = readFerPlus(split);
  writeFerVotes(dir, split, rows);
  return writeSet(dir, `ferplus-${split}`, rows.map((r) => r.pixels()), [rows.length, 48, 48, 1], rows.map((r) => labels.indexOf(r.label)), rows.map(() => 'ferplus'));
}

/** FER+'s vote distribution over the five labels per row (float32 [n, 5], rows as ferplus-<split>.u8): the soft targets of `--fer-soft`. */
function writeFerVotes(dir: string, split: FerPlusSplit, rows = readFerPlus(split)): void {
  const out = new Float32Array(rows.length * FERPLUS_LABELS.length);
  rows.forEach((r, i) => {
    const sum = r.votes.reduce((a, b) => a + b, 0) || 1;
    r.votes.forEach((v, k) => (out[i * FERPLUS_LABELS.length + k] = v / sum));
  });
  writeFileSync(join(dir, `ferplus-${split}.votes.f32`), Buffer.from(out.buffer));
}

/** Write (once) and return the data folder: FER+ train/valid/test and wild train/valid. */
export async function exportTensors(): Promise<{ dir: string; index: TensorIndex }> {
  const dir = join(TRAIN_CACHE, 'data');
  const indexPath = join(dir, 'index.json');
  if (existsSync(indexPath)) {
    const index = JSON.parse(readFileSync(indexPath, 'utf8')) as TensorIndex;
    if (index.version === DATA_VERSION) {
      // Folders written before the vote files existed get them (the images are unchanged).
      for (const split of ['train', 'valid', 'test'] as const) if (!existsSync(join(dir, `ferplus-${split}.votes.f32`))) writeFerVotes(dir, split);
      return { dir, index };
    }
  }
  mkdirSync(dir, { recursive: true });
  const labels = [...FERPLUS_LABELS];
  const sets: Record<string, TensorSet> = {};
  for (const split of ['train', 'valid', 'test'] as const) sets[`ferplus-${split}`] = ferSet(dir, split, labels);
  for (const split of ['train', 'valid'] as const) sets[`wild-${split}`] = await wildSet(dir, split, labels);
  const index: TensorIndex = { version: DATA_VERSION, labels, sets };
  writeFileSync(indexPath, JSON.stringify(index));
  return { dir, index };
}
