// Content script: which of the page's media are tiles now, where each is, and whether it is mirrored.
// Tiles may sit in a same-origin frame of the page (the Zoom Workplace app): their rectangles are
// given in the top window's viewport, where the overlay draws.
import { intersectRects, isMirrored } from '../core/geometry';
import type { SiteHealth } from '../core/site-health';
import { MAX_MEDIA_DURATION_MS } from '../calls/summary';
import type { PixelBox } from '../core/types';
import { largestTiles } from './logic/tile-limit';
import { findTiles, type SiteAdapter } from '../sites';
import { deepQueryAll } from '../sites/dom';
import { t } from '../i18n';
import { HAVE_CURRENT_DATA, isVideo, MIN_TILE_SIDE, type Tile, type TileMedia } from '../sites/types';

export interface FoundTile {
  media: TileMedia;
  region: Element | null;
  name: string | null;
  /** The site marks it as the user's own self view (Tile.self). */
  self: boolean;
}

/** The element's window (a frame's, for media inside a same-origin frame). */
export const viewOf = (el: Element): Window => el.ownerDocument.defaultView ?? window;

/**
 * Where an element's rectangle is in the top window's viewport: inside a same-origin frame, clipped to
 * the frame's viewport and moved by the frame's content box (each frame up to the top); null when the
 * frame shows none of it.
 */
export function toTopViewport(rect: PixelBox, el: Element): PixelBox | null {
  let r: PixelBox | null = rect;
  for (let w = viewOf(el); r && w.parent !== w; w = w.parent) {
    const frame = w.frameElement;
    if (!frame) break; // a cross-origin parent: nothing above is ours to read
    r = intersectRects(r, { x: 0, y: 0, width: w.innerWidth, height: w.innerHeight });
    const f = frame.getBoundingClientRect();
    const style = viewOf(frame).getComputedStyle(frame);
    if (r) r = { ...r, x: r.x + f.x + frame.clientLeft + (parseFloat(style.paddingLeft) || 0), y: r.y + f.y + frame.clientTop + (parseFloat(style.paddingTop) || 0) };
  }
  return r;
}

/** Where a tile is (CSS px, top viewport): its region's part of the media, or the whole media. */
export function tileRect(media: TileMedia, region: Element | null): PixelBox | null {
  const m = media.getBoundingClientRect();
  const r = region ? intersectRects(region.getBoundingClientRect(), m) : m;
  return r && toTopViewport(r, media);
}

/**
 * A video with its own clock (a finite duration: a recording, not a call's stream): where it is now, in
 * seconds. A duration longer than any page plays (a live stream's placeholder) is no clock: the wall clock's.
 */
export function mediaClock(media: TileMedia): { media?: { time: number; duration: number } } {
  return isVideo(media) && Number.isFinite(media.duration) && media.duration > 0 && media.duration * 1000 <= MAX_MEDIA_DURATION_MS ? { media: { time: media.currentTime, duration: media.duration } } : {};
}

/** Play the page's video (the first tile with its own clock) from `seconds`; why not, when there is none. */
export function seekVideo(adapter: SiteAdapter, doc: Document, seconds: number): { ok: true } | { ok: false; reason: string } {
  for (const { media } of discoverTiles(adapter, doc).tiles.values()) {
    if (!mediaClock(media).media || !isVideo(media)) continue;
    media.currentTime = Math.min(seconds, media.duration);
    return { ok: true };
  }
  return { ok: false, reason: t('seek_no_video') };
}

/** The media is drawn flipped left to right: by its own transform or an ancestor's (a few levels up; two flips cancel). */
export function isMirroredOnPage(media: TileMedia): boolean {
  const win = viewOf(media);
  let flips = 0;
  let el: Element | null = media;
  for (let depth = 0; el && depth < 5; depth++, el = el.parentElement) if (isMirrored(win.getComputedStyle(el).transform)) flips++;
  return flips % 2 === 1;
}

const isPlaying = (v: HTMLVideoElement) => !v.paused && !v.ended && v.readyState >= HAVE_CURRENT_DATA;

/**
 * The page's tiles now, keyed by the element that stands for each (its region, else its media):
 * shown, at least MIN_TILE_SIDE on both sides, at most the largest MAX_TILES; and how the site's
 * adapter fared.
 */
export function discoverTiles(adapter: SiteAdapter, doc: Document): { tiles: Map<Element, FoundTile>; health: SiteHealth; docs: Document[] } {
  const shown = (el: Element) => {
    const style = viewOf(el).getComputedStyle(el);
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
  const found = findTiles(adapter, doc, usable);
  const candidates = found.tiles.map((t) => ({ media: t.media, region: t.region ?? null, name: t.name, self: t.self === true, area: areas.get(t) ?? 0 }));
  const tiles = new Map(largestTiles(candidates, (c) => c.area).map(({ media, region, name, self }) => [region ?? media, { media, region, name, self }] as const));
  const siteFound = found.source === 'site' && tiles.size > 0;
  const playing = siteFound ? 0 : found.docs.flatMap((d) => deepQueryAll<HTMLVideoElement>(d, 'video')).filter(isPlaying).length;
  return { tiles, health: { site: adapter.id, source: found.source, tiles: tiles.size, playing }, docs: found.docs };
}
