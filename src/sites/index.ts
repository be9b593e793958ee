// Content script: pick the adapter for a page. The generic adapter backs up every site adapter:
// if a site's DOM changed and its adapter finds nothing usable, the generic scan still finds the videos.
import type { SiteHealth } from '../core/site-health';
import { genericAdapter } from './generic';
import { registeredSites } from './all';
import type { SiteAdapter, Tile } from './types';

export function adapterFor(url: URL): SiteAdapter {
  return registeredSites().find((a) => a.matches(url)) ?? genericAdapter;
}

/** A site's name for people ("Google Meet"); an id no site has any more is shown as it is. */
export function siteNameOf(id: string): string {
  return registeredSites().find((a) => a.id === id)?.name ?? (id === genericAdapter.id ? genericAdapter.name : id);
}

/**
 * The documents the call is in: the page's own, then each loaded same-origin frame the adapter names
 * as holding the call (a cross-origin frame's document is null to us and is skipped).
 */
export function callDocuments(adapter: SiteAdapter, doc: Document): Document[] {
  if (!adapter.callFrames) return [doc];
  const frames = [...doc.querySelectorAll<HTMLIFrameElement>(adapter.callFrames)].filter((f) => f.localName === 'iframe');
  return [doc, ...frames.flatMap((f) => (f.contentDocument?.documentElement ? [f.contentDocument] : []))];
}

/**
 * The site adapter's tiles that the overlay can use (`usable`: shown, large enough), in the page and
 * its call frames; the generic scan's when it has none, so a stale or hidden element the adapter
 * still matches never blocks the fallback.
 */
export function findTiles(adapter: SiteAdapter, doc: Document, usable: (t: Tile) => boolean = () => true): { tiles: Tile[]; source: SiteHealth['source']; docs: Document[] } {
  const docs = callDocuments(adapter, doc);
  const tiles = docs.flatMap((d) => adapter.findTiles(d)).filter(usable);
  if (tiles.length > 0 || adapter === genericAdapter) return { tiles, source: adapter === genericAdapter ? 'generic' : 'site', docs };
  const generic = docs.flatMap((d) => genericAdapter.findTiles(d)).filter((t) => !adapter.notFaces?.(t.media) && usable(t));
  return { tiles: generic, source: 'generic', docs };
}

/**
 * The call a tile belongs to: the id in its own document's URL (a call frame's), else the page's,
 * else (a site whose URLs may name no call) the one `unnamed` makes up for the current join.
 */
export function callIdOf(adapter: SiteAdapter, tileDoc: Document, pageUrl: string, unnamed?: () => string): string | null {
  return adapter.callId(new URL(tileDoc.URL)) ?? adapter.callId(new URL(pageUrl)) ?? (adapter.unnamedCalls && unnamed ? unnamed() : null);
}

/** A made-up call id (`joined-<epoch ms>`): the only one the background accepts from a page whose URL names no call. */
const UNNAMED_CALL_ID = /^joined-\d{1,16}$/;
export const isUnnamedCallId = (id: string): boolean => UNNAMED_CALL_ID.test(id);

/** This long without a frame, the page left its call (a call's tiles are sampled several times a second). */
export const UNNAMED_CALL_GAP_MS = 30_000;

/**
 * The ids of a page's calls when its URL names none (SiteAdapter.unnamedCalls): one per join. A join
 * starts at the page's first frame (a page load), when its URL changes, and after UNNAMED_CALL_GAP_MS
 * without a frame (the user left one meeting and joined the next at the same URL).
 */
export class UnnamedCalls {
  private join: { url: string; at: number; last: number } | null = null;

  /** The call id for a frame of the page at `pageUrl` sampled at `now` (epoch ms). */
  idAt(pageUrl: string, now: number): string {
    const j = this.join;
    // Frames of several tiles arrive slightly out of order: an earlier one is still the same join.
    this.join = j && j.url === pageUrl && now - j.last <= UNNAMED_CALL_GAP_MS ? { ...j, last: Math.max(j.last, now) } : { url: pageUrl, at: now, last: now };
    return `joined-${Math.round(this.join.at)}`;
  }
}

export type { SiteAdapter, Tile } from './types';
