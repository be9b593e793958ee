// Content script: which of the page's media are tiles now, where each is, and whether it is mirrored.
import { intersectRects, isMirrored } from '../core/geometry';
import type { PixelBox } from '../core/types';
import { largestTiles } from '../core/tiles';
import { findTiles, type SiteAdapter } from '../sites';
import { MIN_TILE_SIDE, type Tile, type TileMedia } from '../sites/types';

export interface FoundTile {
  media: TileMedia;
  region: Element | null;
  name: string | null;
}

/** Where a tile is on the page (CSS px, viewport): its region's part of the media, or the whole media. */
export function tileRect(media: TileMedia, region: Element | null): PixelBox | null {
  const m = media.getBoundingClientRect();
  return region ? intersectRects(region.getBoundingClientRect(), m) : m;
}

/** The media is drawn flipped left to right: by its own transform or an ancestor's (a few levels up; two flips cancel). */
export function isMirroredOnPage(win: Window, media: TileMedia): boolean {
  let flips = 0;
  let el: Element | null = media;
  for (let depth = 0; el && depth < 5; depth++, el = el.parentElement) if (isMirrored(win.getComputedStyle(el).transform)) flips++;
  return flips % 2 === 1;
}

/**
 * The page's tiles now, keyed by the element that stands for each (its region, else its media):
 * shown, at least MIN_TILE_SIDE on both sides, at most the largest MAX_TILES.
 */
export function discoverTiles(adapter: SiteAdapter, doc: Document, win: Window): Map<Element, FoundTile> {
  const shown = (el: Element) => {
    const style = win.getComputedStyle(el);
    return style.visibility !== 'hidden' && style.display !== 'none' && Number(style.opacity) > 0;
  };
  const areas = new Map<Tile, number>();
  // Too small, or not shown at all: not a tile (nothing to draw over, nothing to analyze).
  const usable = (t: Tile) => {
    const r = t.media.isConnected && (!t.region || t.region.isConnected) ? tileRect(t.media, t.region ?? null) : null;
    if (!r || r.width < MIN_TILE_SIDE || r.height < MIN_TILE_SIDE || !shown(t.media) || (t.region && !shown(t.region))) return false;
    areas.set(t, r.width * r.height);
    return true;
  };
  const candidates = findTiles(adapter, doc, usable).map((t) => ({ media: t.media, region: t.region ?? null, name: t.name, area: areas.get(t) ?? 0 }));
  return new Map(largestTiles(candidates, (c) => c.area).map(({ media, region, name }) => [region ?? media, { media, region, name }] as const));
}
