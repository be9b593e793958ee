// Content script: the page's tiles while the overlay is on. Watches the document (and the open shadow
// roots that hold tiles) for changes, rescans after them, and says which tiles came and went, where
// each is drawn (object-fit, mirrored) and whether it is in view. Everything stops with its signal.
import type { ObjectFit } from '../core/geometry';
import type { SiteAdapter } from '../sites';
import { isShadowRoot } from '../sites/dom';
import { isVideo, type TileMedia } from '../sites/types';
import { discoverTiles, isMirroredOnPage } from './tiles';

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

export class TileWatcher {
  private readonly tiles = new Map<Element, PageTile>();
  private readonly observedRoots = new WeakSet<Node>();
  private readonly mutations: MutationObserver;
  private readonly intersections: IntersectionObserver;
  private scanTimer: number | null = null;

  constructor(
    private readonly deps: { win: Window; doc: Document; adapter: SiteAdapter },
    private readonly signal: AbortSignal,
    private readonly events: TileEvents,
  ) {
    const { win, doc } = deps;
    // The page's window's observers (not this script's globals: testable in a DOM of its own).
    const { MutationObserver, IntersectionObserver } = win as Window & typeof globalThis;
    this.mutations = new MutationObserver(() => {
      this.scheduleScan();
      events.changed();
    });
    this.intersections = new IntersectionObserver((entries) => {
      for (const e of entries) {
        const tile = this.tiles.get(e.target);
        if (tile) tile.visible = e.isIntersecting;
      }
    });
    this.observe(doc.documentElement);
    win.addEventListener('resize', () => this.scheduleScan(), { signal });
    // Tiles move on scroll without any mutation.
    win.addEventListener('scroll', () => events.changed(), { signal, capture: true, passive: true });
    signal.addEventListener('abort', () => {
      this.mutations.disconnect();
      this.intersections.disconnect();
      if (this.scanTimer !== null) win.clearTimeout(this.scanTimer);
      this.tiles.clear();
    });
  }

  get all(): IterableIterator<PageTile> {
    return this.tiles.values();
  }

  private observe(root: Node): void {
    this.mutations.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ['style', 'class', 'hidden'] });
  }

  /** Mutations inside a shadow root do not reach the document's observer: watch each root that holds a tile. */
  private observeShadowRoots(el: Element): void {
    for (let root = el.getRootNode(); isShadowRoot(root); root = root.host.getRootNode()) {
      if (this.observedRoots.has(root)) continue;
      this.observedRoots.add(root);
      this.observe(root);
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
    const { doc, win, adapter } = this.deps;
    const found = discoverTiles(adapter, doc, win);
    for (const [key, tile] of this.tiles) {
      if (found.get(key)?.media === tile.media) continue;
      this.intersections.unobserve(key);
      this.tiles.delete(key);
      this.events.removed(tile);
    }
    for (const [key, { media, region, name }] of found) {
      const fit = (win.getComputedStyle(media).objectFit || 'fill') as ObjectFit;
      const mirrored = isMirroredOnPage(win, media);
      const known = this.tiles.get(key);
      if (known) {
        Object.assign(known, { name, fit, mirrored });
        continue;
      }
      const tile: PageTile = { key, media, region, name, fit, mirrored, visible: true };
      this.tiles.set(key, tile);
      this.intersections.observe(key);
      this.observeShadowRoots(key);
      this.events.added(tile);
    }
    this.events.changed();
  }
}
