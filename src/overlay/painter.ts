// Content script: when the overlay is drawn. A draw happens DRAW_DELAY_MS after a request, and at
// least MIN_DRAW_GAP_MS after the last draw (several requests, one draw): on a new result, a state
// change, a scroll, a mutation or the slow tick. A face box that only jitters stays put (steadyBox). A
// timer, not requestAnimationFrame: an animation frame request makes the page's main thread run a
// whole frame (style, layout, paint, commit) even when nothing changes, which a playing video alone
// never does; a DOM write schedules its own frame. Nothing is rewritten when what would be drawn has
// not changed, and a change of the faces' percentages alone is drawn at most every PERCENT_EVERY_MS,
// on the slow tick (labels, boxes and statuses at the next draw): each draw costs the page and the GPU
// process a frame, and a number that moved on every result redrew the page on every result (at 1
// tile, 12 ms of CPU a second: docs/benchmarks.md). Everything stops with its signal.
import { facesInTile, type FaceToDraw, steadyBox } from './logic/overlay-faces';
import type { PixelBox } from '../core/types';
import { isFresh, type TileState, type TileStatus } from './logic/tile-step';
import { HAVE_CURRENT_DATA, isVideo } from '../sites/types';
import type { Overlay, OverlayTile } from './overlay';
import type { PageTile } from './tile-watcher';
import { tileRect } from './tiles';

/** Redraw at least this often (layout that moved without an event, paused videos, stale faces). */
export const DRAW_TICK_MS = 250;
/** Percentages alone are redrawn at most this often. */
export const PERCENT_EVERY_MS = 1000;
/** A request is drawn this much later (about a display frame): the results of one message, or of a few close ones, draw once. */
export const DRAW_DELAY_MS = 16;
/**
 * Draws are at least this far apart: with many tiles the results of several messages draw once (a
 * label shows at most this much later; the GPU process's share of a draw is most of its cost).
 */
export const MIN_DRAW_GAP_MS = 200;

export class Painter {
  private timer: number | null = null;
  private lastDrawn = '';
  /** lastDrawn without the percentages, and when it was drawn. */
  private lastShape = '';
  private lastDrawAt = -Infinity;
  /** The next draw comes from the slow tick (percentages alone are drawn then). */
  private tick = false;
  /** Where each face was last drawn (`<tile id>/<track id>`): boxes that barely moved stay there (steadyBox). */
  private drawnBoxes = new Map<string, PixelBox>();

  constructor(
    private readonly win: Window,
    private readonly overlay: Overlay,
    private readonly signal: AbortSignal,
    /** What to draw now. */
    private readonly view: () => OverlayTile[],
    /** A draw took `ms` of the page's main thread (the CPU budget counts it). */
    private readonly drew: (ms: number) => void = () => {},
  ) {
    overlay.mount();
    const tick = win.setInterval(() => this.request(true), DRAW_TICK_MS);
    signal.addEventListener('abort', () => {
      win.clearInterval(tick);
      if (this.timer !== null) win.clearTimeout(this.timer);
      overlay.unmount();
    });
  }

  /** Draw in DRAW_DELAY_MS (`tick`: the slow tick asks, see draw). */
  request(tick = false): void {
    this.tick ||= tick;
    if (this.signal.aborted || this.timer !== null) return;
    this.timer = this.win.setTimeout(() => {
      this.timer = null;
      if (!this.signal.aborted) this.draw();
    }, Math.max(DRAW_DELAY_MS, this.lastDrawAt + MIN_DRAW_GAP_MS - this.win.performance.now()));
  }

  /** Draw now, unless nothing changed since the last draw, or only percentages did (drawn on the tick, PERCENT_EVERY_MS apart). */
  draw(): void {
    const t0 = this.win.performance.now();
    this.drawIfChanged();
    this.drew(this.win.performance.now() - t0);
  }

  private drawIfChanged(): void {
    const tick = this.tick;
    this.tick = false;
    const tiles = this.steady(this.view());
    const key = JSON.stringify(tiles);
    if (key === this.lastDrawn) return;
    const shape = JSON.stringify(tiles, (k, v: unknown) => (k === 'confidence' ? undefined : v));
    const now = this.win.performance.now();
    if (shape === this.lastShape && !(tick && now - this.lastDrawAt >= PERCENT_EVERY_MS)) return;
    [this.lastDrawn, this.lastShape, this.lastDrawAt] = [key, shape, now];
    this.overlay.render(tiles);
  }

  /** The tiles with each face's box kept where it was drawn while it barely moved. */
  private steady(tiles: OverlayTile[]): OverlayTile[] {
    const drawn = new Map<string, PixelBox>();
    const out = tiles.map((t) => ({
      ...t,
      faces: t.faces.map((f) => {
        const key = `${t.id}/${f.trackId}`;
        const box = steadyBox(f.box, this.drawnBoxes.get(key));
        drawn.set(key, box);
        return box === f.box ? f : { ...f, box };
      }),
    }));
    this.drawnBoxes = drawn;
    return out;
  }

  /** Draw the next request even if it looks the same (the overlay's options changed). */
  invalidate(): void {
    this.lastDrawn = this.lastShape = '';
    this.request();
  }
}

/** How one tile is drawn now: over its rectangle on the page, its fresh faces mapped into it, its status. */
export function tileToDraw(
  id: string,
  page: PageTile,
  tile: TileState<never> | TileState,
  opts: { now: number; loading: boolean; tabCapture: boolean; visibleLabels: readonly string[]; percent: boolean },
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
      percent: opts.percent,
    });
  }
  let status: TileStatus = tile.status;
  if (opts.loading) status = { kind: 'loading' };
  else if (isVideo(page.media) && page.media.readyState < HAVE_CURRENT_DATA) status = { kind: 'waiting' };
  else if (isVideo(page.media) && page.media.paused) status = { kind: 'paused' };
  return { id, rect: { x: r.x, y: r.y, width: r.width, height: r.height }, name: page.name, status, faces };
}
