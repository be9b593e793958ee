// Content script: the Zoom web client (app.zoom.us/wc/..., <sub>.zoom.us/wc/...), top-level or inside
// the Zoom Workplace app's frame.
//
// DOM facts relied on (public code; ../shared/notes/zoom-web-dom.md gathers them with offsets):
// - each participant is a `<video-player node-id="…">` in the light DOM of a `<video-player-container>`
//   (attendee-labs/attendee, bots/zoom_web_bot_adapter/zoom_web_chromedriver_payload.js:
//   `document.querySelectorAll('video-player')`; Zoom's Meeting SDK "Client View", which Zoom calls
//   identical to the web client, zoom/meetingsdk-web 6.2.0 dist/lib/av/js_media.min.js @740265: the
//   player's `.container` is `this.closest('<tag>-container')`, and 3.5.2 @225323 throws "The
//   video-player must have a video-player-container as its ancestor element."). There can be several
//   containers (gallery, share, a floating speaker, the floating self view): each player's own counts;
// - in the canvas render mode the container's OPEN shadow root holds the gallery canvas before a
//   `<slot>` (6.2.0 @746220: `this.attachShadow({mode:"open"}) … e.insertBefore(i,r)`) and the player
//   covers its region of it (attendee: "we crop the region that overlaps the participant's
//   <video-player>"). The canvas is `canvas[id^="video-player-canvas-"]`; annotation and local-share
//   canvases (`-anno`, `-anno-presenter`, `-local-share`) can sit beside it, so never "the first canvas";
// - other render modes put a `<video>` in the player (6.2.0 @745121: WebRTC and "video-tag" renders,
//   `<div><video>` in light DOM; 3.5.2: in the player's own open shadow root; attendee:
//   `videoPlayer.querySelector?.('video')`);
// - `<video-player media-type="preview">` (pre-join and settings previews, class `preview-canvas`,
//   6.2.0 main-client @2029470) and `media-type="share"` (screen share, `sharee-container__canvas`)
//   are not participants' faces;
// - a player's frame is `[class*="__video-frame"]` (gallery-video-container__video-frame,
//   speaker-active-container__video-frame, speaker-bar-container__video-frame, …; live capture of
//   app.zoom.us 7.2.0, 2026-10-07); the speaker view's big player can carry `node-id="1"` (Zoom's
//   active channel, not the user): tiles are keyed by element and named from their frame, never by id;
// - names, read from the player's frame: `.video-avatar__avatar-footer > span` (Vexa-ai/vexa
//   services/vexa-bot/core/src/platforms/zoom/web/selectors.ts @2dc48f14, "verified from live DOM";
//   6.2.0 main-client @2576354), then `.video-avatar__avatar-name`, then
//   `img.video-avatar__avatar-img[alt]` (6.2.0 @2574577, the camera-off layouts);
// - opened from the Zoom Workplace app (`app.zoom.us/wc/home`) the client runs in a same-origin
//   `iframe#webclient.pwa-webclient__iframe` (screenappai/meeting-bot src/bots/ZoomBot.ts @37f89d61
//   lines 269-273: `waitForSelector('iframe#webclient')` then `contentFrame()`);
// - the meeting id is the path segment after /wc/ (or /j/), in the frame's URL inside Workplace.
// Older builds drew one canvas per tile with no `<video-player>`: every canvas and video is then a
// tile, named from its container as before.
// The self view is NOT marked here: no public code shows a DOM mark for the current user's player.
// The one bot that skips it reads Zoom's Redux store in the page's world (attendee-labs/attendee
// bots/zoom_web_bot_adapter/zoom_web_redux_interceptor.js @10ab109284377c354b79b65197b79e6bed387809:
// `state.meeting?.currentUser?.userId`, matched to `node-id >> 10 << 10` in
// zoom_web_chromedriver_payload.js), which a content script cannot read; others match the bot's own
// name (Vexa-ai/vexa zoom-speakers.ts @4e55494b3307b5ec2f8b844f483aedb76c4731f5). So in "just me"
// mode the user picks their own tile once per call ("This is me", src/overlay/logic/who.ts).
import { closestDeep, deepQueryAll } from './dom';
import { allMedia } from './generic';
import { registerSite } from './registry';
import { textOf, type Tile } from './types';

const PLAYER = 'video-player';
const CONTAINER = 'video-player-container';
/** The frame around one player and its name (every layout's frame class ends in `__video-frame`). */
const FRAME = '[class*="__video-frame"]';
/** Older layouts: the avatar box around the player or canvas and its footer. */
const TILE = '.video-avatar__avatar';
/** Names in the order Zoom's client fills them: the footer over a camera, then the camera-off layouts. */
const NAMES = ['.video-avatar__avatar-footer > span', '.video-avatar__avatar-footer', '.video-avatar__avatar-name', '[class*="avatar-name"]'];
const AVATAR_IMG = 'img.video-avatar__avatar-img[alt]';
/** Previews and screen shares: media of Zoom's that show no participant's face. */
const NOT_FACES = 'video-player[media-type="preview"], video-player[media-type="share"], .preview-canvas, [class*="sharee-container"]';
/** Canvases drawn over or beside the video canvas (annotations, the local share). */
const OVERLAY_CANVAS = /-(anno|anno-presenter|local-share)$/;

function nameIn(scope: Element | null): string | null {
  if (!scope) return null;
  for (const sel of NAMES) {
    const name = textOf(scope.querySelector(sel));
    if (name) return name;
  }
  return scope.querySelector(AVATAR_IMG)?.getAttribute('alt')?.trim().slice(0, 80) || null;
}

/** The participant's name for a `<video-player>` (or, in older builds, a media element): from its own frame. */
export function zoomName(el: Element): string | null {
  const inside = nameIn(el);
  if (inside) return inside;
  // The footer is a sibling of the player inside its frame; the player's parent counts as the frame
  // only when it holds this one player (else its footer could be another participant's).
  const parent = el.parentElement && el.parentElement.querySelectorAll(PLAYER).length <= 1 ? el.parentElement : null;
  return nameIn(closestDeep(el, FRAME) ?? closestDeep(el, TILE) ?? parent);
}

export const isNotAFace = (el: Element): boolean => closestDeep(el, NOT_FACES) !== null;

/** The video canvas of a player's own container (shadow root first, then light DOM): by its id, never an annotation canvas. */
export function videoCanvas(player: Element): HTMLCanvasElement | null {
  const container = closestDeep(player, CONTAINER);
  if (!container) return null;
  const canvases = [...(container.shadowRoot?.querySelectorAll('canvas') ?? []), ...container.querySelectorAll('canvas')];
  const usable = canvases.filter((c) => !OVERLAY_CANVAS.test(c.id));
  return usable.find((c) => c.id.startsWith('video-player-canvas')) ?? usable[0] ?? null;
}

export function zoomTiles(doc: Document): Tile[] {
  const tiles: Tile[] = [];
  for (const player of deepQueryAll(doc, PLAYER)) {
    if (isNotAFace(player)) continue;
    const name = zoomName(player);
    const video = player.querySelector('video') ?? player.shadowRoot?.querySelector('video');
    if (video) {
      tiles.push({ media: video, name });
      continue;
    }
    const canvas = videoCanvas(player);
    if (canvas) tiles.push({ media: canvas, region: player, name });
  }
  if (tiles.length > 0) return tiles;
  return allMedia(doc)
    .filter((t) => !isNotAFace(t.media))
    .map((t) => ({ media: t.media, name: zoomName(t.media) }));
}

export const zoomAdapter = registerSite({
  id: 'zoom',
  name: 'Zoom',
  hosts: ['https://*.zoom.us/*'],
  findTiles: zoomTiles,
  callId: (url) => /\/(?:wc|j)\/(?:join\/)?(\d{9,12})/.exec(url.pathname)?.[1] ?? null,
  callFrames: 'iframe#webclient, iframe.pwa-webclient__iframe',
  notFaces: isNotAFace,
});
