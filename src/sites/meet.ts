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
// - the self view: its `data-self-name` equals its shown name (Vexa-ai/vexa
//   services/vexa-bot/core/src/browser/gmeet-speakers.ts @200348dcb77915e074438d2593603ec7ca85a103:
//   `if (selfAttr && name && (selfAttr === name)) return true;`), or the name shown is "You" (the
//   same file's older rule; our fixtures); older Meet put `data-self-name="You"` on every tile
//   (Cryptacular/google-meet-hide-self contentScript.js @5e0c85a7137705bc8021f6d4c203faa9635b6262:
//   `querySelectorAll("[data-self-name=You]").length > 1` means others are in the call), so the
//   attribute alone is not enough;
// - the self view, and only it, is mirrored with a CSS transform (`scaleX(-1)`; FugiTech/google-meet-grid-view
//   grid.user.js @018f6e25c68e34825ebcd89fdd850a53d33d4baa flips it back: `.__gmgv-flip-self video
//   { transform: scaleX(1) !important; }`): read from the computed style by the tile watcher
//   (src/overlay/tile-watcher.ts), which counts a mirrored tile as the self view; tiles crop their video with
//   `object-fit: cover` and are often not 16:9 (the overlay maps boxes through object-fit);
// - a meeting URL path is the meeting code, three letter groups: /abc-defg-hij.
import { registerSite } from './registry';
import type { Tile } from './types';

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

/** The tile is the user's own self view (see the header: the attribute equals the shown name, or the name shown is "You"). */
export function meetIsSelf(media: Element): boolean {
  const tile = media.closest(TILE_SELECTOR);
  const marked = tile?.querySelector('[data-self-name]');
  if (!marked) return false;
  const selfName = cleanMeetName(marked.getAttribute('data-self-name'));
  const shown = [...tile!.querySelectorAll('span.notranslate, [data-self-name]')].map((el) => el.textContent?.replace(/\s+/g, ' ').trim() ?? '');
  return shown.some((text) => text === 'You' || (selfName !== null && text === selfName));
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
    tiles.push({ media, name: meetName(media), self: meetIsSelf(media) });
  }
  return tiles;
}

export const meetAdapter = registerSite({
  id: 'meet',
  name: 'Google Meet',
  hosts: ['https://meet.google.com/*'],
  findTiles: meetTiles,
  callId: (url) => /^\/([a-z]{3,4}-[a-z]{4}-[a-z]{3,4})/.exec(url.pathname)?.[1] ?? null,
  mirroredIsSelf: true,
});
