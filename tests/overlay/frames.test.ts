// @vitest-environment happy-dom
// Calls inside same-origin frames (the Zoom Workplace app): which documents are read, and where a
// tile inside a frame is in the top window's viewport. happy-dom loads no frame pages, so each
// frame's document and window are given to its <iframe> here; the real thing runs in tests/e2e/zoom-client.
import { beforeEach, describe, expect, it } from 'vitest';
import { callDocuments, callIdOf, findTiles } from '../../src/sites';
import { zoomAdapter } from '../../src/sites/zoom';
import { meetAdapter } from '../../src/sites/meet';
import { toTopViewport } from '../../src/overlay/tiles';

beforeEach(() => {
  document.body.innerHTML = '';
});

/** An <iframe> in `document` whose content is a document of its own (what a loaded same-origin frame gives). */
function frameWith(attrs: string, html: string | null): HTMLIFrameElement {
  document.body.insertAdjacentHTML('beforeend', `<iframe ${attrs} srcdoc=""></iframe>`);
  const f = document.body.lastElementChild as HTMLIFrameElement;
  const doc = html === null ? null : document.implementation.createHTMLDocument('frame');
  if (doc && html !== null) doc.body.innerHTML = html;
  Object.defineProperty(f, 'contentDocument', { value: doc });
  return f;
}

describe('documents the call is in', () => {
  const player = '<video-player-container><div class="gallery-video-container__video-frame"><video-player><video id="v"></video></video-player><div class="video-avatar__avatar"><div class="video-avatar__avatar-footer"><span>Ada Lovelace</span></div></div></div></video-player-container>';

  it('Zoom Workplace: the page and its webclient frame; an unrelated frame (a whiteboard) and a cross-origin one are never read', () => {
    const client = frameWith('id="webclient" class="pwa-webclient__iframe"', player);
    frameWith('class="whiteboard"', '<video id="board"></video>');
    frameWith('class="pwa-webclient__iframe" id="ad"', null); // cross-origin: no document for us
    expect(callDocuments(zoomAdapter, document)).toEqual([document, client.contentDocument]);
    const { tiles, source } = findTiles(zoomAdapter, document);
    expect(tiles.map((t) => [t.media.id, t.name])).toEqual([['v', 'Ada Lovelace']]);
    expect(source).toBe('site');
  });

  it('sites that name no call frame read only the page itself', () => {
    frameWith('id="webclient"', '<div data-participant-id="x"><video id="v"></video></div>');
    expect(callDocuments(meetAdapter, document)).toEqual([document]);
    expect(findTiles(meetAdapter, document).tiles).toEqual([]);
  });

  it('the meeting id comes from the frame\'s URL; the page\'s when the frame has none', () => {
    const inFrame = { URL: 'https://app.zoom.us/wc/987654321/join?fromPWA=1' } as Document;
    expect(callIdOf(zoomAdapter, inFrame, 'https://app.zoom.us/wc/home')).toBe('987654321');
    expect(callIdOf(zoomAdapter, { URL: 'about:blank' } as Document, 'https://app.zoom.us/wc/123456789/start')).toBe('123456789');
  });
});

describe('a frame\'s rectangles in the top viewport', () => {
  /** A window chain: `frame` (an <iframe> at `at` in the top window, with a border and padding) holds `inner`. */
  function framed(at: { x: number; y: number }, size: { width: number; height: number }) {
    const top = { parent: null as unknown, frameElement: null, innerWidth: 1400, innerHeight: 800 } as unknown as Window;
    (top as { parent: unknown }).parent = top;
    const iframe = {
      getBoundingClientRect: () => ({ x: at.x, y: at.y, width: size.width + 10, height: size.height + 10 }),
      clientLeft: 2,
      clientTop: 2,
      ownerDocument: { defaultView: { getComputedStyle: () => ({ paddingLeft: '3px', paddingTop: '3px' }) } },
    } as unknown as Element;
    const inner = { parent: top, frameElement: iframe, innerWidth: size.width, innerHeight: size.height } as unknown as Window;
    const el = { ownerDocument: { defaultView: inner } } as unknown as Element;
    const topEl = { ownerDocument: { defaultView: top } } as unknown as Element;
    return { el, topEl };
  }

  it('moved by the frame\'s content box (border and padding), clipped to the frame\'s viewport', () => {
    const { el, topEl } = framed({ x: 80, y: 68 }, { width: 980, height: 560 });
    expect(toTopViewport({ x: 10, y: 20, width: 100, height: 50 }, el)).toEqual({ x: 95, y: 93, width: 100, height: 50 });
    // Half of it below the frame's bottom edge: only the shown half is the tile.
    expect(toTopViewport({ x: 0, y: 535, width: 100, height: 50 }, el)).toEqual({ x: 85, y: 608, width: 100, height: 25 });
    expect(toTopViewport({ x: 0, y: 600, width: 100, height: 50 }, el)).toBeNull();
    // In the top document: unchanged.
    expect(toTopViewport({ x: 10, y: 20, width: 100, height: 50 }, topEl)).toEqual({ x: 10, y: 20, width: 100, height: 50 });
  });
});
