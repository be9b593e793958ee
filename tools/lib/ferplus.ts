// Node context: FER+ faces from ../shared/datasets/ferplus, labelled with the product's five labels,
// and the one FER+ scorer every evaluation uses.
import { BASIC_LABELS } from '../../src/core/label-set';
import { readFileSync } from 'node:fs';
import type { PixelData } from '../../src/ml/preprocess';
import { greyToPixels } from './images';
import { accuracy, type ConfusionMatrix, confusionMatrix, macroF1 } from './metrics';
import { sharedPath } from './paths';

export type FerPlusSplit = 'train' | 'valid' | 'test';
export const FER_SIZE = 48;
const IMAGE_BYTES = FER_SIZE * FER_SIZE;

/** The ten vote columns of labels.csv, in file order. */
const VOTE_COLUMNS = ['neutral', 'happiness', 'surprise', 'sadness', 'anger', 'disgust', 'fear', 'contempt', 'unknown', 'not_face'] as const;
type VoteColumn = (typeof VOTE_COLUMNS)[number];

/** FER+ class -> product label; classes not named here (disgust, fear, contempt, unknown, not_face) drop the row. */
const PRODUCT_LABEL: Partial<Record<VoteColumn, string>> = {
  neutral: 'neutral',
  happiness: 'happy',
  surprise: 'surprise',
  sadness: 'sad',
  anger: 'angry',
};
/** The FER+ classes scored: the product's five (contempt, disgust, fear and the rest are dropped). */
export const FERPLUS_LABELS = BASIC_LABELS;

export interface FerPlusRow {
  /** Row index in labels.csv = image index in images-48x48-gray.u8. */
  index: number;
  split: FerPlusSplit;
  label: string;
  /** The annotators' votes for each of FERPLUS_LABELS (in its order; the other classes' votes left out). */
  votes: number[];
  /** The 48x48 grey face, row-major: a view into the shared buffer, not a copy. */
  pixels(): Uint8Array;
}

export interface FerPlusOptions {
  /** Keep at most this many rows: a deterministic subset stratified by label (for quick runs). */
  limit?: number;
}

/**
 * The product label of one row's votes by plurality, or null to drop it: a tie for the top vote
 * (annotators disagree, so no single truth exists) or a plurality class the product does not show.
 */
export function pluralityLabel(votes: readonly number[]): string | null {
  let best = -1;
  let bestCount = 0;
  let tied = false;
  votes.forEach((v, i) => {
    if (v > bestCount) {
      best = i;
      bestCount = v;
      tied = false;
    } else if (v === bestCount && v > 0) {
      tied = true;
    }
  });
  const column = VOTE_COLUMNS[best];
  if (tied || !column) return null;
  return PRODUCT_LABEL[column] ?? null;
}

let images: Buffer | undefined;
/** The whole image file (82 MB), read once: rows hand out views into it. */
function imageBuffer(): Buffer {
  images ??= readFileSync(sharedPath('datasets', 'ferplus', 'images-48x48-gray.u8'));
  return images;
}

function parseLabels(): Array<{ index: number; split: FerPlusSplit; votes: number[] }> {
  const path = sharedPath('datasets', 'ferplus', 'labels.csv');
  const [header, ...lines] = readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l.length > 0);
  const expected = ['index', 'split', 'file', ...VOTE_COLUMNS].join(',');
  if (header !== expected) throw new Error(`${path}: unexpected header "${header}" (expected "${expected}")`);
  return lines.map((line, n) => {
    const cells = line.split(',');
    const index = Number(cells[0]);
    const split = cells[1];
    const votes = cells.slice(3).map(Number);
    if (!Number.isInteger(index) || (split !== 'train' && split !== 'valid' && split !== 'test') || votes.length !== VOTE_COLUMNS.length || votes.some((v) => !Number.isInteger(v))) {
      throw new Error(`${path}:${n + 2}: malformed row "${line}"`);
    }
    return { index, split, votes };
  });
}

/**
 * Pick `limit` of `rows` spread evenly over them after ordering by (label, index): systematic
 * sampling within each label, so class proportions match the full split up to rounding.
 */
function stratifiedSubset(rows: FerPlusRow[], limit: number): FerPlusRow[] {
  if (limit >= rows.length) return rows;
  const order = (l: string): number => FERPLUS_LABELS.indexOf(l as (typeof FERPLUS_LABELS)[number]);
  const sorted = [...rows].sort((a, b) => order(a.label) - order(b.label) || a.index - b.index);
  const step = sorted.length / limit;
  const picked: FerPlusRow[] = [];
  for (let i = 0; i < limit; i++) {
    const row = sorted[Math.floor(i * step)];
    if (row) picked.push(row);
  }
  return picked.sort((a, b) => a.index - b.index);
}

/** The rows of one FER+ split with a product label (see pluralityLabel for which are dropped). */
export function readFerPlus(split: FerPlusSplit, options: FerPlusOptions = {}): FerPlusRow[] {
  const buffer = imageBuffer();
  const rows: FerPlusRow[] = [];
  for (const r of parseLabels()) {
    if (r.split !== split) continue;
    const label = pluralityLabel(r.votes);
    if (!label) continue;
    const start = r.index * IMAGE_BYTES;
    if (start + IMAGE_BYTES > buffer.byteLength) throw new Error(`FER+ image ${r.index} lies past the end of the image file`);
    const votes = FERPLUS_LABELS.map((l) => r.votes[VOTE_COLUMNS.findIndex((c) => PRODUCT_LABEL[c] === l)] ?? 0);
    rows.push({ index: r.index, split, label, votes, pixels: () => buffer.subarray(start, start + IMAGE_BYTES) });
  }
  if (options.limit !== undefined) {
    if (!(Number.isInteger(options.limit) && options.limit > 0)) throw new Error(`FER+ limit must be a positive integer, got ${options.limit}`);
    return stratifiedSubset(rows, options.limit);
  }
  return rows;
}

/** A face and its true label, as a classifier is scored on it. */
export interface LabelledFace {
  image: PixelData;
  truth: string;
}

/** One FER+ split as RGBA faces: decode once, so every classifier sees the same buffers. */
export function ferPlusFaces(split: FerPlusSplit, options: FerPlusOptions = {}): LabelledFace[] {
  return readFerPlus(split, options).map((r) => ({ image: greyToPixels(r.pixels(), FER_SIZE, FER_SIZE), truth: r.label }));
}

export interface FerPlusScore {
  cm: ConfusionMatrix;
  accuracy: number;
  macroF1: number;
  predictions: string[];
  /** Wall ms of each predict call. */
  msPerFace: number[];
  /** Wall seconds of the whole pass. */
  seconds: number;
}

/**
 * Score a classifier on FER+ faces (ferPlusFaces; other labelled faces are scored the same way):
 * `predict` gives each face one label, faces in turn, and the predictions are counted over `labels`
 * (a prediction outside them throws, see confusionMatrix).
 */
export async function scoreFerPlus(
  faces: readonly LabelledFace[],
  predict: (image: PixelData) => Promise<string>,
  labels: readonly string[] = FERPLUS_LABELS,
): Promise<FerPlusScore> {
  const predictions: string[] = [];
  const msPerFace: number[] = [];
  const start = performance.now();
  for (const face of faces) {
    const t0 = performance.now();
    predictions.push(await predict(face.image));
    msPerFace.push(performance.now() - t0);
  }
  const seconds = (performance.now() - start) / 1000;
  const cm = confusionMatrix(faces.map((f) => f.truth), predictions, labels);
  return { cm, accuracy: accuracy(cm), macroF1: macroF1(cm), predictions, msPerFace, seconds };
}
