// Content script: the fallback adapter. Works on any DOM: every <video>, and every <canvas> that
// renders video (WebGL canvases, as Zoom's web client uses), is a candidate tile, open shadow roots
// included.
import { deepQueryAll } from './dom';
import type { SiteAdapter, Tile } from './types';

export function allMedia(root: Document | Element): Tile[] {
  return deepQueryAll<HTMLVideoElement | HTMLCanvasElement>(root, 'video, canvas').map((media) => ({ media, name: null }));
}

/** Any other page (not registered: it is what a page no site matches gets). */
export const genericAdapter: SiteAdapter = {
  id: 'generic',
  name: 'Other page',
  hosts: [],
  matches: () => true,
  findTiles: (doc) => allMedia(doc),
  recorded: true,
  callId: (url) => `${url.hostname}${url.pathname}`,
};
