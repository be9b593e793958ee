// Pure: how the site's adapter fares on a page, as the content script reports it and the popup tells it.
import { isSiteId, type SiteId } from './types';

export interface SiteHealth {
  site: SiteId;
  /** Whose scan gave the tiles: the site adapter's, or the generic fallback's. */
  source: 'site' | 'generic';
  tiles: number;
  /** Playing videos in the page and its call frames (counted only when the site adapter found no tile). */
  playing: number;
}

const count = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 1000 ? v : null);

/** A report's health as sent by a page's content script: kept only when every field is sane. */
export function parseSiteHealth(raw: unknown): SiteHealth | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  const site = isSiteId(r.site) ? r.site : null;
  const source = r.source === 'site' || r.source === 'generic' ? r.source : null;
  const tiles = count(r.tiles);
  const playing = count(r.playing);
  return site && source && tiles !== null && playing !== null ? { site, source, tiles, playing } : null;
}

/**
 * What the user should know when video plays but the site's adapter found no tile: the generic scan
 * took over (whole videos, no names), or nothing usable was found. Null when the adapter is fine.
 */
export function siteHealthProblem(h: SiteHealth): 'fallback' | 'nothing-usable' | null {
  if (h.playing === 0 || (h.source === 'site' && h.tiles > 0)) return null;
  return h.source === 'generic' && h.tiles > 0 ? 'fallback' : 'nothing-usable';
}
