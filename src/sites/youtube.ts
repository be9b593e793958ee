// Content script: YouTube (www.youtube.com and m.youtube.com: watch pages, Shorts, live).
//
// DOM facts relied on (public code that works against live YouTube in 2025-2026):
// - watch pages: the player is `#movie_player` and its video `video.html5-main-video` (SponsorBlock,
//   ajayyy/maze-utils src/video.ts watches `#movie_player` → `.html5-video-container`); on
//   m.youtube.com the player is `#player-container-id` (extensions query
//   `#player-container-id video` for m.youtube.com);
// - a hidden `#movie_player` can stay in the page after in-app navigation (maze-utils drops videos
//   that are not visible: `if (!isVisible(video)) video = null`): every candidate is returned and the
//   overlay keeps the visible ones, so a stale player never hides the real one or blocks the
//   generic fallback (src/sites/index.ts);
// - Shorts stack several `ytd-reel-video-renderer`s and mark the one on screen `[is-active]`
//   (Anarios/return-youtube-dislike, Extensions/combined/src/shortsDislike.js:
//   `document.querySelector("ytd-reel-video-renderer[is-active]")`, else the renderer whose
//   `offsetParent !== null`); only the active reel's video is a tile, the `#shorts-player video`
//   (inside it on current builds) otherwise;
// - the channel name (the tile's name) is in `#owner #channel-name` on watch pages; in a reel,
//   `#channel-name` inside the reel where present (not checked against live markup: null otherwise).
import { registerSite } from './registry';
import { textOf, type Tile } from './types';

const REEL = 'ytd-reel-video-renderer';
const WATCH_VIDEOS = '#movie_player video, #player-container-id video';

export function youtubeTiles(doc: Document): Tile[] {
  const reels = doc.querySelectorAll(REEL);
  if (reels.length > 0) {
    const active = doc.querySelector(`${REEL}[is-active]`);
    const video = active?.querySelector<HTMLVideoElement>('video') ?? doc.querySelector<HTMLVideoElement>('#shorts-player video');
    const shorts = video ? [{ media: video, name: textOf(active?.querySelector('#channel-name a, #channel-name')) }] : [];
    // A stale watch player may linger behind Shorts: listed after the reel, dropped when hidden.
    return [...shorts, ...watchTiles(doc).filter((t) => !t.media.closest(REEL))];
  }
  return watchTiles(doc);
}

function watchTiles(doc: Document): Tile[] {
  const name = textOf(doc.querySelector('#owner #channel-name a, #owner #channel-name'));
  return [...new Set(doc.querySelectorAll<HTMLVideoElement>(WATCH_VIDEOS))].map((media) => ({ media, name }));
}

export const youtubeAdapter = registerSite({
  id: 'youtube',
  name: 'YouTube',
  hosts: ['https://www.youtube.com/*', 'https://m.youtube.com/*'],
  findTiles: youtubeTiles,
  recorded: true,
  callId: (url) => url.searchParams.get('v') ?? (/^\/(?:shorts|live)\/([\w-]+)/.exec(url.pathname)?.[1] ?? null),
});
