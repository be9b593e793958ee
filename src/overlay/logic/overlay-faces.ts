// Pure: where each tracked face is drawn over its tile, from boxes in the analyzed frame's pixels.
import { frameBoxToElement, mirrorBox, type ObjectFit } from '../../core/geometry';
import type { PixelBox } from '../../core/types';

export interface FaceToDraw {
  trackId: number;
  box: PixelBox;
  label: string;
  /** The smoothed confidence (0-1), or null where it is not shown: a model without a calibration. */
  confidence: number | null;
  uncertain: boolean;
}

export interface TileView {
  /** The analyzed frame's size (the faces' boxes are in its pixels). */
  frame: { width: number; height: number };
  /** The tile's size on the page, CSS px. */
  tile: { width: number; height: number };
  /** How the frame fills the tile: the media's object-fit, or 'fill' for crops that are exactly the tile. */
  fit: ObjectFit;
  /** The page shows the media flipped left to right (a mirrored self view). */
  mirrored: boolean;
  /** Labels the user wants drawn; the others are still counted. */
  visibleLabels: readonly string[];
}

/** The faces to draw, in the tile's CSS px: hidden labels dropped, boxes mapped through object-fit, clipped, mirrored. */
export function facesInTile(faces: ReadonlyArray<Omit<FaceToDraw, 'confidence'> & { confidence: number }>, view: TileView & { percent: boolean }): FaceToDraw[] {
  const out: FaceToDraw[] = [];
  for (const f of faces) {
    if (!view.visibleLabels.includes(f.label)) continue;
    const box = frameBoxToElement(f.box, view.frame, view.tile, view.fit);
    if (box) out.push({ trackId: f.trackId, box: view.mirrored ? mirrorBox(box, view.tile.width) : box, label: f.label, confidence: view.percent ? f.confidence : null, uncertain: f.uncertain });
  }
  return out;
}

/**
 * A face's box moves on the page only when it moved (or grew or shrank) by more than this share of
 * its width since it was last drawn: a talking head's few pixels of jitter redraw nothing (each draw
 * costs the page and the GPU process a frame: `npm run bench:cpu`).
 */
export const STEADY_BOX = 0.08;

/** `box`, or `drawn` (where the face was last drawn) if it is within STEADY_BOX of it. */
export function steadyBox(box: PixelBox, drawn: PixelBox | undefined): PixelBox {
  if (!drawn) return box;
  const tol = STEADY_BOX * Math.max(1, drawn.width);
  const near = Math.abs(box.x - drawn.x) <= tol && Math.abs(box.y - drawn.y) <= tol && Math.abs(box.width - drawn.width) <= tol && Math.abs(box.height - drawn.height) <= tol;
  return near ? drawn : box;
}
