// Content script: what a site adapter tells the overlay about a page.
import type { SiteId } from '../core/types';

export type TileMedia = HTMLVideoElement | HTMLCanvasElement;

/**
 * A tile's media is a video (else a canvas). Told by its tag, not by `instanceof` the content
 * script's own globals: the element may come from another window (a same-origin iframe, a test DOM).
 */
export const isVideo = (media: TileMedia): media is HTMLVideoElement => media.localName === 'video';

/** HTMLMediaElement.HAVE_CURRENT_DATA: the video has a frame to show. */
export const HAVE_CURRENT_DATA = 2;

export interface Tile {
  media: TileMedia;
  /**
   * A participant's element laid over part of `media`, when one media element shows several people
   * (Zoom's web client draws the whole gallery into one canvas): the tile is the part of the media
   * this element covers. Absent: the tile is the whole media element.
   */
  region?: Element;
  /** The participant's name where the page shows one on the tile. */
  name: string | null;
  /** The site marks this tile as the user's own self view (Settings.analyze 'me' analyzes only it). */
  self?: boolean;
}

export interface SiteAdapter {
  id: SiteId;
  /** What the popup calls the site. */
  name: string;
  /** The pages the content script runs on for this site (manifest match patterns, e.g. `https://*.example.com/*`): the only place its host names are written. */
  hosts: readonly string[];
  /** Whether a URL is one of this site's pages (built from `hosts` by registerSite). */
  matches(url: URL): boolean;
  /** Media elements that show people. Size/visibility/playing checks are applied by the caller. */
  findTiles(doc: Document): Tile[];
  /** The call (or video) this page is, for per-call summaries; null when not in one. */
  callId(url: URL): string | null;
  /**
   * Same-origin frames that hold the call (a CSS selector for their <iframe>s): the Zoom Workplace
   * app runs the meeting client in one. Only these frames are read; every other frame is left alone.
   */
  callFrames?: string;
  /**
   * The site's call pages may name no meeting in their URL (the Teams v2 app once joined): tiles there
   * are still a call, with an id made up per join (callIdOf, UnnamedCalls), never one constant id
   * that would merge back-to-back meetings.
   */
  unnamedCalls?: boolean;
  /**
   * The site shows recorded videos (YouTube; any page the generic adapter serves): a video with a
   * finite duration is summarized on its own clock. Call sites are live: always the wall clock.
   */
  recorded?: boolean;
  /** The site mirrors the self view and nothing else: a mirrored tile is the user's own. */
  mirroredIsSelf?: boolean;
  /** Media the site shows that are not people's faces (previews, screen shares): the generic scan skips them too. */
  notFaces?(media: Element): boolean;
}

/** Minimum rendered side, in CSS pixels, for a media element to count as a tile. */
export const MIN_TILE_SIDE = 64;

export function textOf(el: Element | null | undefined): string | null {
  const t = el?.textContent?.replace(/\s+/g, ' ').trim();
  return t ? t.slice(0, 80) : null;
}
