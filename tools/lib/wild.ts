// Node context: the in-the-wild colour faces of ../shared/datasets/wild (labels.csv: file, label,
// source, origin, split). Class and source are confounded there (every neutral is a webcam-colour
// photo), so scores are reported within a source, over the classes that source has.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ConfusionMatrix, confusionMatrix, macroF1, perClassMetrics } from './metrics';
import sharp from 'sharp';
import type { PixelData } from '../../src/ml/preprocess';
import { sharedPath } from './paths';

export type WildSplit = 'train' | 'valid';

export interface WildRow {
  /** Absolute path of the 128x128 colour JPEG. */
  path: string;
  label: string;
  source: string;
  split: WildSplit;
}

/**
 * The sources we score within, and the classes each has. nhfi, sfew and affectnet96 hold several
 * classes from one population each, so a score there cannot come from telling sources apart; in
 * oahega and webcam-colour class and source are confounded.
 */
export const WILD_SOURCES: Readonly<Record<string, readonly string[]>> = {
  nhfi: ['angry', 'happy', 'neutral', 'sad', 'surprise'],
  sfew: ['angry', 'happy', 'neutral', 'sad', 'surprise'],
  affectnet96: ['angry', 'happy', 'neutral'],
  oahega: ['angry', 'happy', 'sad'],
  'webcam-colour': ['angry', 'happy', 'neutral', 'sad'],
};

/**
 * The sources classifiers are selected on, with FER+: those of one population each, and the webcam
 * look users show. oahega is reported but not selected on (the source the last model fitted most).
 * tools/train/torch/finetune.py's SELECT is the same list.
 */
export const SELECTION_SOURCES = ['nhfi', 'sfew', 'affectnet96', 'webcam-colour'] as const;

export function readWild(split: WildSplit): WildRow[] {
  const csv = sharedPath('datasets', 'wild', 'labels.csv');
  const dir = join(csv, '..');
  const [header, ...lines] = readFileSync(csv, 'utf8').split(/\r?\n/).filter((l) => l.length > 0);
  if (header !== 'file,label,source,origin,split') throw new Error(`${csv}: unexpected header "${header}"`);
  const rows: WildRow[] = [];
  lines.forEach((line, n) => {
    const cells = line.split(',');
    const [file, label, source] = cells;
    const rowSplit = cells[cells.length - 1];
    if (!file || !label || !source || (rowSplit !== 'train' && rowSplit !== 'valid')) throw new Error(`${csv}:${n + 2}: malformed row "${line}"`);
    if (rowSplit === split) rows.push({ path: join(dir, file), label, source, split: rowSplit });
  });
  return rows;
}

/** Every n-th of `rows` so that about `limit` remain, spread over them (all rows without a limit): for quick runs. */
export function spreadSubset<T>(rows: readonly T[], limit?: number): T[] {
  return limit === undefined ? [...rows] : rows.filter((_, i) => i % Math.max(1, Math.floor(rows.length / limit)) === 0);
}

/** The label among `allowed` with the highest probability (a source's classes only). */
export function restrictedTop(probs: Readonly<Record<string, number>>, allowed: readonly string[]): string {
  let best = allowed[0] ?? '';
  for (const l of allowed) if ((probs[l] ?? 0) > (probs[best] ?? 0)) best = l;
  return best;
}

export interface SourceScore {
  n: number;
  macroF1: number;
  recall: Record<string, number>;
  cm: ConfusionMatrix;
}

/**
 * Macro-F1 within each source, each prediction restricted to its source's classes (`classesOf`;
 * WILD_SOURCES by default; return undefined to skip a source).
 */
export function scoreWithinSources(
  rows: ReadonlyArray<{ source: string; truth: string; probs: Readonly<Record<string, number>> }>,
  classesOf: (source: string) => readonly string[] | undefined = (s) => WILD_SOURCES[s],
): Record<string, SourceScore> {
  const bySource = new Map<string, { truths: string[]; preds: string[]; classes: readonly string[] }>();
  for (const r of rows) {
    const classes = classesOf(r.source);
    if (!classes) continue;
    const e = bySource.get(r.source) ?? { truths: [], preds: [], classes };
    e.truths.push(r.truth);
    e.preds.push(restrictedTop(r.probs, classes));
    bySource.set(r.source, e);
  }
  const out: Record<string, SourceScore> = {};
  for (const [source, { truths, preds, classes }] of bySource) {
    const cm = confusionMatrix(truths, preds, [...classes]);
    out[source] = { n: truths.length, macroF1: macroF1(cm), recall: Object.fromEntries(perClassMetrics(cm).map((m) => [m.label, m.recall])), cm };
  }
  return out;
}

/** The score classifiers are selected and the default is picked by: FER+ and SELECTION_SOURCES, equally weighted. */
export function combinedScore(ferMacroF1: number, wild: Readonly<Record<string, { macroF1: number }>>): number {
  return (ferMacroF1 + SELECTION_SOURCES.reduce((a, s) => a + (wild[s]?.macroF1 ?? 0), 0)) / (1 + SELECTION_SOURCES.length);
}

/** The largest face found (each wild photo holds one face: the others are false detections). */
export function largestFace<T extends { box: { width: number; height: number } }>(faces: readonly T[]): T | undefined {
  return [...faces].sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height)[0];
}

/** The frame a wild photo is shown on to judge a detector: a 480 x 270 call tile. */
export const WILD_FRAME = { width: 480, height: 270 } as const;

/** A 128 px wild photo centred on a black WILD_FRAME (so a detector has to find it). */
export async function wildOnFrame(path: string): Promise<PixelData> {
  const face = await sharp(path).removeAlpha().png().toBuffer();
  const { width = 0, height = 0 } = await sharp(face).metadata();
  const { data, info } = await sharp({ create: { ...WILD_FRAME, channels: 3, background: '#000' } })
    .composite([{ input: face, left: Math.round((WILD_FRAME.width - width) / 2), top: Math.round((WILD_FRAME.height - height) / 2) }])
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}
