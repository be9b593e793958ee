// Content script: Google Meet (meet.google.com/<code>).
//
// DOM facts relied on (public code that works against live Meet in 2025-2026; Meet changes often, so
// every fact has a fallback and the generic video scan still finds tiles when all of them break):
// - each participant tile is an element carrying `data-participant-id` with the WebRTC <video>
//   inside it (Vexa-ai/vexa forks, core/meetings/modules/gmeet-capture/src/gmeet-speakers.ts:
//   `PARTICIPANT_SELECTORS = ['div[data-participant-id]', '[data-participant-id]']`; older builds:
//   `data-requested-participant-id` / `data-initial-participant-id`, StanleyMango/WhoAmIGoogleMeetEdition);
// - one element per participant id counts (gmeet-speakers.ts: `if (!id || seen.has(id)) return;`).
//   The camera-effects preview also carries `data-participant-id` (seen on live Meet, issue 11; no
//   public code found that tells it apart), so a repeated id keeps its first tile and media inside a
//   dialog or modal panel (where the effects preview opens) are skipped;
// - the name is in `span.notranslate` inside the tile; the self view's `data-self-name` holds the
//   user's real name (gmeet-speakers.ts reads `span.notranslate`, then `data-self-name`);
// - names that are ids, not names, are junk: `JUNK_NAME = /^Google Participant \(|spaces\/|devices\//`
//   (gmeet-speakers.ts; Vexa's googlemeet/recording.ts builds `Google Participant (${id})` itself);
// - the self view is mirrored with a CSS transform (`scaleX(-1)`): read from the computed style by
//   the overlay (src/content/controller.ts), not here; tiles crop their video with
//   `object-fit: cover` and are often not 16:9 (the overlay maps boxes through object-fit);
// - a meeting URL path is the meeting code, three letter groups: /abc-defg-hij.
import type { SiteAdapter, Tile } from './types';

const TILE_SELECTOR = '[data-participant-id], [data-requested-participant-id], [data-initial-participant-id]';
const ID_ATTRS = ['data-participant-id', 'data-requested-participant-id', 'data-initial-participant-id'];
const NAME_SELECTOR = '[data-self-name], span.notranslate';
/** From Vexa's gmeet-speakers.ts: device and space ids shown in place of a name. */
export const JUNK_NAME = /^Google Participant \(|spaces\/|devices\//;
/** Dialogs and side panels (the effects preview): not a participant's tile. */
const DIALOG = '[role="dialog"], [aria-modal="true"]';

/** A display name, or null for none or junk. */
export function cleanMeetName(raw: string | null | undefined): string | null {
  const name = raw?.replace(/\s+/g, ' ').trim();
  return !name || name.length < 2 || JUNK_NAME.test(name) ? null : name;
}

export function meetName(media: Element): string | null {
  const tile = media.closest(TILE_SELECTOR);
  if (!tile) return null;
  for (const el of tile.querySelectorAll(NAME_SELECTOR)) {
    const name = cleanMeetName(el.getAttribute('data-self-name')) ?? cleanMeetName(el.textContent);
    if (name) return name;
  }
  return null;
}

export function meetTiles(doc: Document): Tile[] {
  const seen = new Set<string>();
  const tiles: Tile[] = [];
  for (const media of doc.querySelectorAll<HTMLVideoElement>('video')) {
    if (media.closest(DIALOG)) continue;
    const tile = media.closest(TILE_SELECTOR);
    const id = tile && ID_ATTRS.map((a) => tile.getAttribute(a)).find((v) => v);
    if (id) {
      if (seen.has(id)) continue;
      seen.add(id);
    }
    tiles.push({ media, name: meetName(media) });
  }
  return tiles;
}

export const meetAdapter: SiteAdapter = {
  id: 'meet',
  matches: (url) => url.hostname === 'meet.google.com',
  findTiles: meetTiles,
  callId: (url) => /^\/([a-z]{3,4}-[a-z]{4}-[a-z]{3,4})/.exec(url.pathname)?.[1] ?? null,
};
