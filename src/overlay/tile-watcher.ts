// Content script: the page's tiles while the overlay is on. Watches the document, the same-origin
// frames that hold the call (the site adapter names them) and the open shadow roots that hold tiles
// for changes, rescans after them, and says which tiles came and went, where each is drawn
// (object-fit, mirrored) and whether it is in view. Everything stops with its signal.
import type { ObjectFit } from '../core/geometry';
import type { SiteAdapter } from '../sites';
import { isShadowRoot } from '../sites/dom';
import { isVideo, type TileMedia } from '../sites/types';
import type { SiteHealth } from '../core/site-health';
import { discoverTiles, isMirroredOnPage, viewOf } from './tiles';

export interface PageTile {
  /** The element that stands for the tile: its region when it has one, else its media. */
  readonly key: Element;
  readonly media: TileMedia;
  /** The participant's element over part of a shared media element (see Tile.region), or null. */
  readonly region: Element | null;
  name: string | null;
  fit: ObjectFit;
  /** The media is shown flipped left to right (a mirrored self view): its boxes are drawn mirrored. */
  mirrored: boolean;
  /** The user's own self view, as the site marks it (Tile.self, or mirrored where the site mirrors only that). */
  self: boolean;
  /** In the viewport (IntersectionObserver). */
  visible: boolean;
}

export interface TileEvents {
  added(tile: PageTile): void;
  removed(tile: PageTile): void;
  /** After every scan, and on changes that may move tiles without adding or removing any. */
  changed(): void;
}

/** Worth sampling now: shown, still in the page, and (a video) playing. */
export function isSamplable(page: PageTile): boolean {
  if (!page.visible || !page.media.isConnected || (page.region && !page.region.isConnected)) return false;
  return !(isVideo(page.media) && (page.media.paused || page.media.ended));
}

/** Mutations arriving together are answered by one scan this long after the first. */
export const SCAN_DELAY_MS = 150;

/** One watched document (the page's, or a call frame's): its observers, with its own window's constructors. */
interface WatchedDoc {
  mutations: MutationObserver;
  intersections: IntersectionObserver;
  stop: AbortController;
}

export class TileWatcher {
  private readonly tiles = new Map<Element, PageTile>();
  private readonly docs = new Map<Document, WatchedDoc>();
  private readonly observedRoots = new WeakSet<Node>();
  private scanTimer: number | null = null;
  /** How the site's adapter fared at the last scan. */
  health: SiteHealth | null = null;

  constructor(
    private readonly deps: { win: Window; doc: Document; adapter: SiteAdapter },
    private readonly signal: AbortSignal,
    private readonly events: TileEvents,
  ) {
    const { win, doc } = deps;
    this.watch(doc, win);
    // A call frame that navigates (the Workplace app opening a meeting) loads a new document; the
    // load event does not bubble, but its capture phase passes the page's document.
    doc.addEventListener('load', (e) => (e.target as Element | null)?.localName === 'iframe' && this.scheduleScan(), { signal, capture: true });
    signal.addEventListener('abort', () => {
      for (const d of this.docs.keys()) this.unwatch(d);
      if (this.scanTimer !== null) win.clearTimeout(this.scanTimer);
      this.tiles.clear();
    });
  }

  get all(): IterableIterator<PageTile> {
    return this.tiles.values();
  }

  /** Observe a document with its own window's observers (not this script's globals: testable in a DOM of its own, and right for a frame). */
  private watch(doc: Document, win: Window): void {
    const { MutationObserver, IntersectionObserver } = win as Window & typeof globalThis;
    const stop = new AbortController();
    const mutations = new MutationObserver(() => {
      this.scheduleScan();
      this.events.changed();
    });
    const intersections = new IntersectionObserver((entries) => {
      for (const e of entries) {
        const tile = this.tiles.get(e.target);
        if (tile) tile.visible = e.isIntersecting;
      }
    });
    this.docs.set(doc, { mutations, intersections, stop });
    this.observe(mutations, doc.documentElement);
    win.addEventListener('resize', () => this.scheduleScan(), { signal: stop.signal });
    // Tiles move on scroll without any mutation.
    win.addEventListener('scroll', () => this.events.changed(), { signal: stop.signal, capture: true, passive: true });
  }

  private unwatch(doc: Document): void {
    const w = this.docs.get(doc);
    if (!w) return;
    w.mutations.disconnect();
    w.intersections.disconnect();
    w.stop.abort();
    this.docs.delete(doc);
  }

  private observe(mutations: MutationObserver, root: Node): void {
    mutations.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ['style', 'class', 'hidden'] });
  }

  /** Mutations inside a shadow root do not reach the document's observer: watch each root that holds a tile. */
  private observeShadowRoots(el: Element): void {
    const watched = this.docs.get(el.ownerDocument);
    if (!watched) return;
    for (let root = el.getRootNode(); isShadowRoot(root); root = root.host.getRootNode()) {
      if (this.observedRoots.has(root)) continue;
      this.observedRoots.add(root);
      this.observe(watched.mutations, root);
    }
  }

  private scheduleScan(): void {
    if (this.scanTimer !== null || this.signal.aborted) return;
    this.scanTimer = this.deps.win.setTimeout(() => {
      this.scanTimer = null;
      this.scan();
    }, SCAN_DELAY_MS);
  }

  /** Reconcile the tile set with the page now: new media are added, gone or tiny ones removed. */
  scan(): void {
    if (this.signal.aborted) return;
    const { doc, adapter } = this.deps;
    const { tiles: found, health, docs } = discoverTiles(adapter, doc);
    this.health = health;
    // Call frames that came (or loaded a new document) are watched; those gone are let go.
    for (const d of this.docs.keys()) if (!docs.includes(d)) this.unwatch(d);
    for (const d of docs) if (!this.docs.has(d) && d.defaultView) this.watch(d, d.defaultView);
    for (const [key, tile] of this.tiles) {
      if (found.get(key)?.media === tile.media) continue;
      this.docs.get(key.ownerDocument)?.intersections.unobserve(key);
      this.tiles.delete(key);
      this.events.removed(tile);
    }
    for (const [key, { media, region, name, self: marked }] of found) {
      const fit = (viewOf(media).getComputedStyle(media).objectFit || 'fill') as ObjectFit;
      const mirrored = isMirroredOnPage(media);
      const self = marked === true || (adapter.mirroredIsSelf === true && mirrored);
      const known = this.tiles.get(key);
      if (known) {
        Object.assign(known, { name, fit, mirrored, self });
        continue;
      }
      const tile: PageTile = { key, media, region, name, fit, mirrored, self, visible: true };
      this.tiles.set(key, tile);
      this.docs.get(key.ownerDocument)?.intersections.observe(key);
      this.observeShadowRoots(key);
      this.events.added(tile);
    }
    this.events.changed();
  }
}
