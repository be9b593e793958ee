// Content script: the Zoom web client (app.zoom.us/wc/..., <sub>.zoom.us/wc/...).
//
// DOM facts relied on (public code that works against the live client in 2025-2026):
// - each participant is a `<video-player node-id="…">` element in the light DOM, laid over its region
//   of ONE canvas that the whole gallery is drawn into (attendee-labs/attendee,
//   bots/zoom_web_bot_adapter/zoom_web_chromedriver_payload.js: `document.querySelectorAll('video-player')`,
//   `videoPlayer.getAttribute('node-id')`; its commit "Zoom renders the gallery into a shared <canvas> …
//   we crop the region that overlaps the participant's <video-player>");
// - that canvas sits in the open shadow root of the `<video-player-container>` around the players
//   (attendee, same file: `videoPlayer.container?.shadowRoot?.querySelector('canvas')`; Zoom's Video
//   SDK docs: the container "serves as the parent for all VideoPlayerComponent instances", and
//   sizes "apply to the container HTML Canvas element that the videos are rendered in");
// - sometimes a `<video-player>` holds a `<video>` of its own instead (attendee, same file:
//   `videoPlayer.querySelector?.('video')`);
// - the name is the text of `.video-avatar__avatar-footer > span` inside the tile `.video-avatar__avatar`
//   (Vexa-ai/vexa, services/vexa-bot/core/src/platforms/zoom/web/selectors.ts, "verified from live
//   DOM": `.video-avatar__avatar-name` does not exist); in zoom/videosdk-web-sample
//   (src/feature/video/video-attach.tsx) the name sits beside `<video-player>`, not inside it;
// - the meeting id is the path segment after /wc/ (or /j/).
// Older builds drew one canvas per tile with no `<video-player>`: every canvas and video is then a
// tile, named from its container as before.
import { closestDeep, deepQueryAll } from './dom';
import { allMedia } from './generic';
import { type SiteAdapter, textOf, type Tile } from './types';

const PLAYER = 'video-player';
const CONTAINER = 'video-player-container';
/** A participant's tile around its player and footer (Vexa: `zoomVideoAvatarSelector`). */
const TILE = '.video-avatar__avatar';
const NAME = '.video-avatar__avatar-footer > span, .video-avatar__avatar-footer, .video-avatar__avatar-name, [class*="avatar-name"]';

/** The participant's name for a `<video-player>` (or, in older builds, a media element). */
export function zoomName(el: Element): string | null {
  const inside = el.querySelector(NAME);
  if (inside) return textOf(inside);
  // The footer is a sibling of the player inside its tile; the player's parent counts as the tile
  // only when it holds this one player (else its footer could be another participant's).
  const tile = closestDeep(el, TILE) ?? (el.parentElement && el.parentElement.querySelectorAll(PLAYER).length <= 1 ? el.parentElement : null);
  return textOf(tile?.querySelector(NAME));
}

/** The shared gallery canvas a `<video-player>` is laid over: in its container's shadow root (or light DOM). */
function galleryCanvas(player: Element): HTMLCanvasElement | null {
  const container = closestDeep(player, CONTAINER);
  return container?.shadowRoot?.querySelector('canvas') ?? container?.querySelector('canvas') ?? null;
}

export function zoomTiles(doc: Document): Tile[] {
  const tiles: Tile[] = [];
  for (const player of deepQueryAll(doc, PLAYER)) {
    const name = zoomName(player);
    const video = player.querySelector('video') ?? player.shadowRoot?.querySelector('video');
    if (video) {
      tiles.push({ media: video, name });
      continue;
    }
    const canvas = galleryCanvas(player);
    if (canvas) tiles.push({ media: canvas, region: player, name });
  }
  if (tiles.length > 0) return tiles;
  return allMedia(doc).map((t) => ({ media: t.media, name: zoomName(t.media) }));
}

export const zoomAdapter: SiteAdapter = {
  id: 'zoom',
  matches: (url) => url.hostname === 'zoom.us' || url.hostname.endsWith('.zoom.us'),
  findTiles: zoomTiles,
  callId: (url) => /\/(?:wc|j)\/(?:join\/)?(\d{9,12})/.exec(url.pathname)?.[1] ?? null,
};
