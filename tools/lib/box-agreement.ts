// Pure (any context): how far two face detectors agree on the same images: boxes matched one to one
// by IoU, for every pair of variants of one base model (bench:pipeline's detector agreement).
import { pixelIou } from '../../src/core/boxes';
import type { PixelBox } from '../../src/core/types';

export interface DetectedFace {
  box: PixelBox;
  score: number;
}

/** image -> detector id -> faces found. */
export type FacesByImage = Record<string, Record<string, DetectedFace[]>>;

export interface AgreementPair {
  a: string;
  b: string;
  facesA: number;
  facesB: number;
  matched: number;
  meanIoU: number;
  minIoU: number;
  meanScoreDiff: number;
}

/** Greedy one-to-one matching by IoU (highest first); any overlap counts as a match. */
export function matchBoxes(a: readonly DetectedFace[], b: readonly DetectedFace[]): Array<{ iou: number; scoreDiff: number }> {
  const pairs = a.flatMap((fa, i) => b.map((fb, j) => ({ i, j, iou: pixelIou(fa.box, fb.box), scoreDiff: Math.abs(fa.score - fb.score) })));
  pairs.sort((x, y) => y.iou - x.iou);
  const usedA = new Set<number>();
  const usedB = new Set<number>();
  const matches: Array<{ iou: number; scoreDiff: number }> = [];
  for (const p of pairs) {
    if (p.iou <= 0 || usedA.has(p.i) || usedB.has(p.j)) continue;
    usedA.add(p.i);
    usedB.add(p.j);
    matches.push({ iou: p.iou, scoreDiff: p.scoreDiff });
  }
  return matches;
}

/** Variants of one base model share an id up to the quantization suffix (tools/models.ts names them so). */
const baseId = (id: string): string => id.replace(/-(f32|f16|u8)$/, '');

/** Every pair of `detectorIds` that are variants of one base model (ids in manifest order), over all images. */
export function agreementPairs(faces: FacesByImage, detectorIds: readonly string[]): AgreementPair[] {
  const pairs: AgreementPair[] = [];
  detectorIds.forEach((a, i) => {
    for (const b of detectorIds.slice(i + 1)) {
      if (baseId(a) !== baseId(b)) continue;
      const perImage = Object.values(faces).map((byDetector) => ({ fa: byDetector[a] ?? [], fb: byDetector[b] ?? [] }));
      const matches = perImage.flatMap(({ fa, fb }) => matchBoxes(fa, fb));
      const ious = matches.map((m) => m.iou);
      pairs.push({
        a,
        b,
        facesA: perImage.reduce((n, x) => n + x.fa.length, 0),
        facesB: perImage.reduce((n, x) => n + x.fb.length, 0),
        matched: matches.length,
        meanIoU: ious.length ? ious.reduce((s, v) => s + v, 0) / ious.length : NaN,
        minIoU: ious.length ? Math.min(...ious) : NaN,
        meanScoreDiff: matches.length ? matches.reduce((s, m) => s + m.scoreDiff, 0) / matches.length : NaN,
      });
    }
  });
  return pairs;
}
