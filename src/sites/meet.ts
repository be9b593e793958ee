// Content script: Google Meet (meet.google.com/<code>).
//
// DOM facts relied on (from public Meet extensions' selectors, 2023-2025; Meet changes often, so
// every fact has a fallback and the generic video scan still finds tiles when all of them break):
// - each participant tile is an element carrying `data-participant-id` (older builds:
//   `data-requested-participant-id` / `data-initial-participant-id`) with the <video> inside it;
// - the display name is text inside the tile, in an element with `data-self-name` (self view) or in
//   a `span.notranslate` (Meet marks names so the page translator leaves them alone);
// - a meeting URL path is the meeting code, three letter groups: /abc-defg-hij.
import { allMedia } from './generic';
import { type SiteAdapter, textOf, type Tile } from './types';

const TILE_SELECTOR = '[data-participant-id], [data-requested-participant-id], [data-initial-participant-id]';
const NAME_SELECTOR = '[data-self-name], span.notranslate';

export function meetName(media: Element): string | null {
  const tile = media.closest(TILE_SELECTOR);
  if (!tile) return null;
  const el = tile.querySelector(NAME_SELECTOR);
  return (el?.getAttribute('data-self-name') || textOf(el)) ?? null;
}

export const meetAdapter: SiteAdapter = {
  id: 'meet',
  matches: (url) => url.hostname === 'meet.google.com',
  findTiles: (doc): Tile[] =>
    allMedia(doc)
      .filter((t) => t.media instanceof HTMLVideoElement)
      .map((t) => ({ media: t.media, name: meetName(t.media) })),
  callId: (url) => /^\/([a-z]{3,4}-[a-z]{4}-[a-z]{3,4})/.exec(url.pathname)?.[1] ?? null,
};
