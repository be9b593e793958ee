// Node context: the in-the-wild colour faces of ../shared/datasets/wild (labels.csv: file, label,
// source, origin, split). Class and source are confounded there (every neutral is a webcam-colour
// photo), so scores are reported within a source, over the classes that source has.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedPath } from './paths';

export type WildSplit = 'train' | 'valid';

export interface WildRow {
  /** Absolute path of the 128x128 colour JPEG. */
  path: string;
  label: string;
  source: string;
  split: WildSplit;
}

/** The sources we score within, and the classes each has (FER+ carries surprise). */
export const WILD_SOURCES: Readonly<Record<string, readonly string[]>> = {
  oahega: ['angry', 'happy', 'sad'],
  'webcam-colour': ['angry', 'happy', 'neutral', 'sad'],
  'posed-unknown': ['angry', 'happy', 'sad'],
};

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

/** The label among `allowed` with the highest probability (a source's classes only). */
export function restrictedTop(probs: Readonly<Record<string, number>>, allowed: readonly string[]): string {
  let best = allowed[0] ?? '';
  for (const l of allowed) if ((probs[l] ?? 0) > (probs[best] ?? 0)) best = l;
  return best;
}
