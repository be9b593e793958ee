// Content script: draws the overlay in its own closed shadow root that never changes the page's layout
// and takes pointer events only on its two small buttons: "Don't analyze" on an analyzed tile and
// "This is me" where the user must pick their own tile. One positioned layer per tile, one box +
// label chip per face. The page
// sees only an empty host element with a random, meaningless name and a fixed inline style: labels,
// names and boxes live behind the closed root, whose reference only this object holds. Its style is
// inline and !important (no page style sheet rule can hide or move it), and a page script that
// removes it or edits its style sees it put back at once.
import { labelEmoji } from '../core/label-set';
import { labelName, type MessageKey, t } from '../i18n';
import type { TileStatus } from './logic/tile-step';
import type { PixelBox } from '../core/types';

export interface OverlayFace {
  trackId: number;
  /** In the tile element's CSS pixels. */
  box: PixelBox;
  label: string;
  /** Shown as a percentage unless null (a model without a calibration: its confidence means nothing checked). */
  confidence: number | null;
  /** Under the model's uncertain threshold: drawn as "label?", faded and dashed, without a percentage. */
  uncertain: boolean;
}

export interface OverlayTile {
  id: string;
  /** The tile's rectangle in viewport CSS pixels. */
  rect: { x: number; y: number; width: number; height: number };
  name: string | null;
  status: TileStatus;
  faces: OverlayFace[];
  /** 'me' mode and the site marks no self view: the tile offers "This is me" (and shows nothing else). */
  pick?: boolean;
}

/** What the overlay's buttons ask for (only for trusted clicks: a page script's synthetic click does nothing). */
export interface OverlayActions {
  leaveOut(tileId: string): void;
  pickSelf(tileId: string): void;
}

export interface OverlayOptions {
  showBoxes: boolean;
  chipStyle: 'text' | 'emoji';
}


const STATUS_TEXT: Record<TileStatus['kind'], MessageKey> = {
  loading: 'status_loading',
  waiting: 'status_waiting',
  analyzing: 'status_analyzing',
  'no-face': 'status_no_face',
  away: 'status_away',
  nobody: 'status_nobody',
  unreadable: 'status_unreadable',
  paused: 'status_paused',
  error: 'status_error',
};

const CSS = `
:host { all: initial; }
.layer { position: fixed; inset: 0; pointer-events: none; overflow: hidden; z-index: 2147483647; font: 600 12px/1.2 system-ui, sans-serif; }
.tile { position: absolute; }
.face { position: absolute; left: 0; top: 0; border: 2px solid rgba(26,115,232,.95); border-radius: 6px; box-sizing: border-box; }
.face.nobox { border-color: transparent; }
.chip { position: absolute; left: -2px; bottom: 100%; margin-bottom: 3px; white-space: nowrap; padding: 2px 7px; border-radius: 10px; background: rgba(26,115,232,.95); color: #fff; }
.status { position: absolute; left: 8px; top: 8px; padding: 3px 8px; border-radius: 10px; background: rgba(32,33,36,.8); color: #fff; font-weight: 500; }
.face.uncertain { border-style: dashed; border-color: rgba(95,99,104,.9); }
.face.uncertain.nobox { border-color: transparent; }
.face.uncertain .chip { background: rgba(95,99,104,.92); font-weight: 500; font-style: italic; }
.chip::after, .status::after, .pick::after { content: attr(data-text); }
button { all: initial; position: absolute; pointer-events: auto; cursor: pointer; font: 600 12px/1 system-ui, sans-serif; color: #fff; background: rgba(32,33,36,.85); border-radius: 12px; box-sizing: border-box; }
.leave { right: 6px; top: 6px; width: 22px; height: 22px; text-align: center; opacity: .45; }
.leave::after { content: '\\00d7'; font-size: 16px; line-height: 22px; }
.leave:hover, .leave:focus-visible { opacity: 1; }
.pick { left: 50%; bottom: 10px; transform: translateX(-50%); padding: 7px 12px; background: rgba(26,115,232,.95); }
button:focus-visible { outline: 2px solid #fff; outline-offset: 1px; }
`;

/** A chip's words: the label (or its emoji), its percentage where it means something, "?" where the label is uncertain. */
export function chipText(face: Pick<OverlayFace, 'label' | 'confidence' | 'uncertain'>, style: OverlayOptions['chipStyle']): string {
  const label = style === 'emoji' ? (labelEmoji(face.label) ?? labelName(face.label)) : labelName(face.label);
  if (face.uncertain) return `${label}?`;
  return face.confidence === null ? label : `${label} ${Math.round(face.confidence * 100)}%`;
}

/** Render runs on every result: an unchanged attribute or style is not written again (no restyle, no layout). */
function setData(el: HTMLElement, key: string, value: string): void {
  if (el.dataset[key] !== value) el.dataset[key] = value;
}

function setStyle(el: HTMLElement, prop: 'transform' | 'width' | 'height', value: string): void {
  if (el.style[prop] !== value) el.style[prop] = value;
}

/**
 * The host's whole style: inline and !important, so no page style sheet can hide, move or clip it
 * (an inline !important declaration wins over every author rule, !important or not).
 */
export const HOST_STYLE = [
  'all: initial',
  'position: fixed',
  'inset: 0px',
  'width: 0px',
  'height: 0px',
  'display: block',
  'visibility: visible',
  'opacity: 1',
  'pointer-events: none',
  'z-index: 2147483647',
  'transform: none',
  'filter: none',
  'clip-path: none',
]
  .map((d) => `${d} !important;`)
  .join(' ');

/** A custom-element name that says nothing (two random letter runs): a page cannot find the host by name. */
export function neutralName(random: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n))): string {
  const letters = [...random(10)].map((b) => String.fromCharCode(97 + (b % 26))).join('');
  return `${letters.slice(0, 4)}-${letters.slice(4)}`;
}

/** Whole CSS pixels: sub-pixel moves of a tracked box are invisible but would lay the box out again. */
const px = (v: number) => `${Math.round(v)}px`;

export class Overlay {
  private host: HTMLElement | null = null;
  /** Puts the host back when the page removes it or edits its style. */
  private guard: MutationObserver | null = null;
  /** Inside the closed root (host.shadowRoot is null for every script): the only way in. */
  private layer: HTMLElement | null = null;
  private readonly tiles = new Map<string, { el: HTMLElement; status: HTMLElement; leave: HTMLButtonElement; pick: HTMLButtonElement; faces: Map<number, HTMLElement> }>();

  constructor(
    private readonly doc: Document,
    private options: OverlayOptions = { showBoxes: true, chipStyle: 'text' },
    private readonly actions: OverlayActions = { leaveOut: () => undefined, pickSelf: () => undefined },
  ) {}

  /** A button of a tile: acts on trusted clicks only (the user's, not a page script's). */
  private button(kind: 'leave' | 'pick', tileId: string): HTMLButtonElement {
    const b = this.doc.createElement('button');
    b.type = 'button';
    b.className = kind;
    b.hidden = true;
    b.addEventListener('click', (e) => {
      e.stopPropagation();
      e.preventDefault();
      if (!e.isTrusted) return;
      if (kind === 'leave') this.actions.leaveOut(tileId);
      else this.actions.pickSelf(tileId);
    });
    return b;
  }

  setOptions(options: OverlayOptions): void {
    this.options = options;
  }

  mount(): void {
    if (this.host) return;
    const host = this.doc.createElement(neutralName());
    host.setAttribute('style', HOST_STYLE);
    // Closed: an open root would let any page script read every label, name and box drawn here.
    const root = host.attachShadow({ mode: 'closed' });
    const style = this.doc.createElement('style');
    style.textContent = CSS;
    const layer = this.doc.createElement('div');
    layer.className = 'layer';
    root.append(style, layer);
    this.doc.documentElement.append(host);
    this.host = host;
    this.layer = layer;
    // The page's window's observer (not this script's globals: testable in a DOM of its own).
    const { MutationObserver } = this.doc.defaultView as Window & typeof globalThis;
    this.guard = new MutationObserver(() => this.restore());
    this.guard.observe(this.doc.documentElement, { childList: true });
    this.guard.observe(host, { attributes: true });
  }

  /** The page removed the host or changed its style: put it back as it was (its closed root and tiles kept). */
  private restore(): void {
    const host = this.host;
    if (!host) return;
    if (host.getAttribute('style') !== HOST_STYLE) host.setAttribute('style', HOST_STYLE);
    if (host.parentNode !== this.doc.documentElement) this.doc.documentElement.append(host);
    this.guard?.takeRecords(); // its own changes are not the page's
  }

  unmount(): void {
    this.guard?.disconnect();
    this.guard = null;
    this.host?.remove();
    this.host = null;
    this.layer = null;
    this.tiles.clear();
  }

  get mounted(): boolean {
    return this.host !== null;
  }

  /** Reconcile the drawn overlay with the given tiles (keyed, so elements are reused). */
  render(tiles: readonly OverlayTile[]): void {
    const layer = this.layer;
    if (!layer) return;
    const seen = new Set<string>();
    for (const tile of tiles) {
      seen.add(tile.id);
      let view = this.tiles.get(tile.id);
      if (!view) {
        const el = this.doc.createElement('div');
        el.className = 'tile';
        el.dataset.tileId = tile.id;
        const status = this.doc.createElement('div');
        status.className = 'status';
        // Labels are not read out (no live flood); the buttons are (they carry their own names).
        status.setAttribute('aria-hidden', 'true');
        const leave = this.button('leave', tile.id);
        const pick = this.button('pick', tile.id);
        pick.setAttribute('aria-label', t('pick_self_aria'));
        pick.dataset.text = t('pick_self');
        el.append(status, leave, pick);
        layer.append(el);
        view = { el, status, leave, pick, faces: new Map() };
        this.tiles.set(tile.id, view);
      }
      const { el, status, leave, pick } = view;
      pick.hidden = tile.pick !== true;
      leave.hidden = tile.pick === true;
      const who = tile.name ?? t('this_person');
      const leaveLabel = t('leave_out', who);
      if (leave.getAttribute('aria-label') !== leaveLabel) leave.setAttribute('aria-label', leaveLabel);
      leave.title = t('leave_out_title', who);
      setStyle(el, 'transform', `translate(${px(tile.rect.x)}, ${px(tile.rect.y)})`);
      setStyle(el, 'width', px(tile.rect.width));
      setStyle(el, 'height', px(tile.rect.height));
      const statusText = tile.pick || (tile.status.kind === 'analyzing' && tile.faces.length > 0) ? '' : t(STATUS_TEXT[tile.status.kind]);
      const detail =
        tile.status.kind === 'error' ? `: ${tile.status.message}` : tile.status.kind === 'unreadable' && tile.status.detail ? ` (${tile.status.detail})` : '';
      // Drawn as generated content, not text nodes: find-in-page (window.find, which a page script
      // can call) searches text nodes even inside closed shadow roots, and would answer "is anyone
      // shown as sad?".
      setData(status, 'text', statusText ? statusText + detail : '');
      status.hidden = !statusText;
      setData(status, 'status', tile.status.kind);
      this.renderFaces(view, tile.faces);
    }
    for (const [id, view] of this.tiles) {
      if (!seen.has(id)) {
        view.el.remove();
        this.tiles.delete(id);
      }
    }
  }

  private renderFaces(view: { el: HTMLElement; faces: Map<number, HTMLElement> }, faces: readonly OverlayFace[]): void {
    const seen = new Set<number>();
    for (const face of faces) {
      seen.add(face.trackId);
      let box = view.faces.get(face.trackId);
      if (!box) {
        box = this.doc.createElement('div');
        box.className = 'face';
        box.setAttribute('aria-hidden', 'true');
        const chip = this.doc.createElement('div');
        chip.className = 'chip';
        box.append(chip);
        view.el.append(box);
        view.faces.set(face.trackId, box);
      }
      box.classList.toggle('nobox', !this.options.showBoxes);
      // Moved by transform (composited), sized by width and height (only when the size changes).
      setStyle(box, 'transform', `translate(${px(face.box.x)}, ${px(face.box.y)})`);
      setStyle(box, 'width', px(face.box.width));
      setStyle(box, 'height', px(face.box.height));
      const chip = box.firstElementChild as HTMLElement;
      setData(chip, 'text', chipText(face, this.options.chipStyle));
      box.classList.toggle('uncertain', face.uncertain);
      setData(chip, 'label', face.label);
    }
    for (const [id, el] of view.faces) {
      if (!seen.has(id)) {
        el.remove();
        view.faces.delete(id);
      }
    }
  }

  /** For tests and the popup's live view: what is drawn now. */
  snapshot(): Array<{ tileId: string; status: string; labels: string[] }> {
    return [...this.tiles.entries()].map(([tileId, v]) => ({
      tileId,
      status: v.status.hidden ? 'analyzing' : (v.status.dataset.status ?? ''),
      labels: [...v.faces.values()].map((f) => (f.firstElementChild as HTMLElement).dataset.label ?? ''),
    }));
  }
}
