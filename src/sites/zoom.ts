// Content script: the Zoom web client (app.zoom.us/wc/..., <sub>.zoom.us/wc/...).
//
// DOM facts relied on (Zoom Web SDK / web client markup, 2023-2025):
// - participants are drawn into <canvas> elements (WebGL), e.g. `canvas.gallery-video-container__canvas`
//   or `#speak-view-video`; newer builds use a <video-player> element per participant that holds a
//   <video>. Both are candidates; pixels of a WebGL canvas may not be readable (the caller falls back
//   to tab capture and crops each tile by its rectangle);
// - names sit in the tile's footer: `.video-avatar__avatar-name` or an element whose class contains
//   `avatar-name`, inside the tile container (`.video-avatar__avatar`, `video-player-container`, or
//   the canvas's parent);
// - the meeting id is the path segment after /wc/ (or /j/).
import { allMedia } from './generic';
import { type SiteAdapter, textOf, type Tile } from './types';

const CONTAINER_SELECTOR = '.video-avatar__avatar, video-player-container, video-player, [class*="video-container"]';
const NAME_SELECTOR = '.video-avatar__avatar-name, [class*="avatar-name"], [class*="participant-name"]';

export function zoomName(media: Element): string | null {
  const container = media.closest(CONTAINER_SELECTOR) ?? media.parentElement;
  return textOf(container?.querySelector(NAME_SELECTOR));
}

export const zoomAdapter: SiteAdapter = {
  id: 'zoom',
  matches: (url) => url.hostname === 'zoom.us' || url.hostname.endsWith('.zoom.us'),
  findTiles: (doc): Tile[] => allMedia(doc).map((t) => ({ media: t.media, name: zoomName(t.media) })),
  callId: (url) => /\/(?:wc|j)\/(?:join\/)?(\d{9,12})/.exec(url.pathname)?.[1] ?? null,
};
