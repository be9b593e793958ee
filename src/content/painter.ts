// Content script: when the overlay is drawn. A draw happens at the next animation frame after a
// request (several requests, one draw): on a new result, a state change, a scroll, a mutation or the
// slow tick, never on every animation frame, so an idle overlay costs the page nothing per frame.
// Nothing is rewritten when what would be drawn has not changed. Everything stops with its signal.
import { facesInTile, type FaceToDraw } from '../core/overlay-faces';
import { isFresh, type TileState, type TileStatus } from '../core/tile-step';
import { HAVE_CURRENT_DATA, isVideo } from '../sites/types';
import type { Overlay, OverlayTile } from './overlay';
import type { PageTile } from './tile-watcher';
import { tileRect } from './tiles';

/** Redraw at least this often (layout that moved without an event, paused videos, stale faces). */
export const DRAW_TICK_MS = 250;

export class Painter {
  private raf: number | null = null;
  private lastDrawn = '';

  constructor(
    private readonly win: Window,
    private readonly overlay: Overlay,
    private readonly signal: AbortSignal,
    /** What to draw now. */
    private readonly view: () => OverlayTile[],
  ) {
    overlay.mount();
    const tick = win.setInterval(() => this.request(), DRAW_TICK_MS);
    signal.addEventListener('abort', () => {
      win.clearInterval(tick);
      if (this.raf !== null) win.cancelAnimationFrame(this.raf);
      overlay.unmount();
    });
  }

  /** Draw at the next animation frame. */
  request(): void {
    if (this.signal.aborted || this.raf !== null) return;
    this.raf = this.win.requestAnimationFrame(() => {
      this.raf = null;
      if (!this.signal.aborted) this.draw();
    });
  }

  /** Draw now, unless nothing changed since the last draw. */
  draw(): void {
    const tiles = this.view();
    const key = JSON.stringify(tiles);
    if (key === this.lastDrawn) return;
    this.lastDrawn = key;
    this.overlay.render(tiles);
  }

  /** Draw the next request even if it looks the same (the overlay's options changed). */
  invalidate(): void {
    this.lastDrawn = '';
    this.request();
  }
}

/** How one tile is drawn now: over its rectangle on the page, its fresh faces mapped into it, its status. */
export function tileToDraw(
  id: string,
  page: PageTile,
  tile: TileState<never> | TileState,
  opts: { now: number; loading: boolean; tabCapture: boolean; visibleLabels: readonly string[] },
): OverlayTile | null {
  const r = tileRect(page.media, page.region);
  if (!r) return null;
  let faces: FaceToDraw[] = [];
  if (isFresh(tile, opts.now) && tile.frame) {
    // A tab-capture crop is exactly the tile's rectangle, and a region's crop exactly its part of the
    // media, so both map with 'fill'. Tab captures show the page as drawn (mirrored already).
    faces = facesInTile(tile.faces, {
      frame: tile.frame,
      tile: { width: r.width, height: r.height },
      fit: opts.tabCapture || page.region ? 'fill' : page.fit,
      mirrored: page.mirrored && !opts.tabCapture,
      visibleLabels: opts.visibleLabels,
    });
  }
  let status: TileStatus = tile.status;
  if (opts.loading) status = { kind: 'loading' };
  else if (isVideo(page.media) && page.media.readyState < HAVE_CURRENT_DATA) status = { kind: 'waiting' };
  else if (isVideo(page.media) && page.media.paused) status = { kind: 'paused' };
  return { id, rect: { x: r.x, y: r.y, width: r.width, height: r.height }, name: page.name, status, faces };
}
