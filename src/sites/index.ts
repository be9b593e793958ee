// Content script: pick the adapter for a page. The generic adapter backs up every site adapter:
// if a site's DOM changed and its adapter finds nothing usable, the generic scan still finds the videos.
import { genericAdapter } from './generic';
import { meetAdapter } from './meet';
import type { SiteAdapter, Tile } from './types';
import { youtubeAdapter } from './youtube';
import { zoomAdapter } from './zoom';

export const SITE_ADAPTERS: readonly SiteAdapter[] = [meetAdapter, zoomAdapter, youtubeAdapter];

export function adapterFor(url: URL): SiteAdapter {
  return SITE_ADAPTERS.find((a) => a.matches(url)) ?? genericAdapter;
}

/**
 * The site adapter's tiles that the overlay can use (`usable`: shown, large enough); the generic
 * scan's when it has none, so a stale or hidden element the adapter still matches never blocks
 * the fallback.
 */
export function findTiles(adapter: SiteAdapter, doc: Document, usable: (t: Tile) => boolean = () => true): Tile[] {
  const tiles = adapter.findTiles(doc).filter(usable);
  return tiles.length > 0 || adapter === genericAdapter ? tiles : genericAdapter.findTiles(doc).filter(usable);
}

export type { SiteAdapter, Tile } from './types';
