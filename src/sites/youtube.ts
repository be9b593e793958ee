// Content script: YouTube watch pages (www.youtube.com/watch?v=<id>).
//
// DOM facts relied on (stable for years): the player is `#movie_player` and its video element is
// `video.html5-main-video`; the channel name is in `#owner #channel-name` (used as the tile's name).
import { type SiteAdapter, textOf, type Tile } from './types';

export const youtubeAdapter: SiteAdapter = {
  id: 'youtube',
  matches: (url) => url.hostname === 'www.youtube.com' || url.hostname === 'm.youtube.com',
  findTiles: (doc): Tile[] =>
    [...doc.querySelectorAll<HTMLVideoElement>('#movie_player video.html5-main-video, #movie_player video')]
      .slice(0, 1)
      .map((media) => ({ media, name: textOf(doc.querySelector('#owner #channel-name a, #owner #channel-name')) })),
  callId: (url) => url.searchParams.get('v') ?? (/^\/(?:shorts|live)\/([\w-]+)/.exec(url.pathname)?.[1] ?? null),
};
