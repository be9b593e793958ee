// Content script: the fallback adapter. Works on any DOM: every <video>, and every <canvas> that
// renders video (WebGL canvases, as Zoom's web client uses), is a candidate tile.
import type { SiteAdapter, Tile } from './types';

export function allMedia(doc: Document | Element): Tile[] {
  return [...doc.querySelectorAll<HTMLVideoElement | HTMLCanvasElement>('video, canvas')].map((media) => ({ media, name: null }));
}

export const genericAdapter: SiteAdapter = {
  id: 'generic',
  matches: () => true,
  findTiles: (doc) => allMedia(doc),
  callId: (url) => `${url.hostname}${url.pathname}`,
};
