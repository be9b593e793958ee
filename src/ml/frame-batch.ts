// Any context: one batch of frame requests through the pipeline. Whole frames go one at a time;
// the face sheets of all the batch's tiles are joined side by side into one sheet, so all their
// faces are classified in one model call (one call per face costs more: `npm run bench:cpu`).
import type { AnalyzeOptions, AnalyzeResult } from '../core/types';
import type { Pipeline } from './pipeline';
import { type ImageInput, isPixelData, type PixelData } from './preprocess';

export interface BatchItem {
  input: ImageInput;
  opts: AnalyzeOptions;
}

/** RGBA sheets of one height side by side, in order. */
export function joinSheets(sheets: readonly PixelData[]): PixelData {
  const height = sheets[0]?.height ?? 0;
  const width = sheets.reduce((w, s) => w + s.width, 0);
  const data = new Uint8ClampedArray(width * height * 4);
  let x0 = 0;
  for (const s of sheets) {
    if (s.height !== height) throw new Error(`sheets of different heights (${s.height}, ${height}) cannot be joined`);
    for (let y = 0; y < height; y++) data.set(s.data.subarray(y * s.width * 4, (y + 1) * s.width * 4), (y * width + x0) * 4);
    x0 += s.width;
  }
  return { data, width, height };
}

/** A result, and how many faces its model call classified (its own and those it was joined with). */
export type BatchResult = AnalyzeResult & { callFaces: number };

/** Every item's result (or its error), in order. */
export async function analyzeBatch(pipeline: Pipeline, items: readonly BatchItem[]): Promise<Array<BatchResult | Error>> {
  const out: Array<BatchResult | Error> = new Array(items.length);
  const asError = (err: unknown) => (err instanceof Error ? err : new Error(String(err)));
  // Sheets that can join: raw pixels one cell high, grouped by cell size.
  const groups = new Map<number, number[]>();
  items.forEach((it, i) => {
    const { sheet, faces } = it.opts;
    if (sheet && faces && isPixelData(it.input) && it.input.height === sheet.cell && it.input.width === sheet.cell * faces.length) {
      groups.set(sheet.cell, [...(groups.get(sheet.cell) ?? []), i]);
    }
  });
  const joined = new Set([...groups.values()].filter((g) => g.length > 1).flat());
  for (const [cell, group] of groups) {
    if (group.length < 2) continue;
    const members = group.map((i) => items[i]!);
    try {
      const faces = members.flatMap((m) => m.opts.faces ?? []);
      const frame = members[0]!.opts.sheet!.frame;
      const r = await pipeline.analyze(joinSheets(members.map((m) => m.input as PixelData)), { faces, sheet: { cell, frame } });
      let at = 0;
      group.forEach((i, k) => {
        const n = members[k]!.opts.faces?.length ?? 0;
        // The shared model call's time, split by faces: the CPU budget sums it per frame.
        out[i] = { ...r, faces: r.faces.slice(at, at + n), input: members[k]!.opts.sheet!.frame, ms: { detect: 0, classify: (r.ms.classify * n) / faces.length }, callFaces: faces.length };
        at += n;
      });
    } catch (err) {
      for (const i of group) out[i] = asError(err);
    }
  }
  for (const [i, it] of items.entries()) {
    if (joined.has(i)) continue;
    try {
      const r = await pipeline.analyze(it.input, it.opts);
      out[i] = { ...r, callFaces: r.faces.length };
    } catch (err) {
      out[i] = asError(err);
    }
  }
  return out;
}
