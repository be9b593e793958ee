// Content script: Microsoft Teams on the web (teams.microsoft.com, teams.live.com, teams.cloud.microsoft;
// the v2 client).
//
// DOM facts relied on (public code that works against live Teams in 2025-2026; Teams serves several
// layouts at once, so each fact has a fallback and the generic video scan backs them all up):
// - a participant's tile is `[data-stream-type="Video"]`; a screen share is
//   `[data-stream-type="ScreenSharing"]` (Meeting-BaaS/meet-teams-bot @0acaebb95219ea3d2899d06f0a029e08595fdaac
//   src/meeting/teams/speakersObserver.ts: `querySelectorAll('[data-stream-type="Video"]')`, "New teams";
//   aws-samples/amazon-transcribe-live-meeting-assistant @0d55a895791eb61635d0f2c7258e02f2601f4de1
//   lma-virtual-participant-stack/backend/src/teams.ts: `'[data-stream-type="Video"][data-tid]'`,
//   `'[data-stream-type="ScreenSharing"]'`); older and some 2026 v2 builds mark tiles
//   `[data-cid="calling-participant-stream"]` (same speakersObserver.ts, "old teams"; meet-teams-bot PR #260,
//   2026-07-28: "new teams (v2): tiles are [data-cid=\"calling-participant-stream\"]"), teams.live.com
//   `[data-tid="menur1j"]` (speakersObserver.ts, "new teams live");
// - tiles of size 0×0 are phantoms (speakersObserver.ts: "Filter out 0x0 phantom elements"): the
//   overlay's size check drops them;
// - the name, in order: the text of `[data-tid="participant-info-nametag"]` in the tile, the tile's
//   `data-tid` unless it is structural (roster…, calling…, …-stream) or an email, then `aria-label` up to
//   its first comma; then "(Guest)", "(External)", "(Unverified)", "(Unfamiliar)" stripped
//   (meet-teams-bot @87ed2d7a2db1db11a63138e4b80ab350f77b6f90 src/meeting/teams/participant-name.ts:
//   `aria-label = "Alice External unfamiliar, video is on, Context menu is available"`,
//   `/\s*\((?:guest|external|unverified|unfamiliar)\)\s*$/i`, "An email in data-tid is PII on some builds");
// - meeting URLs: `/l/meetup-join/<thread>/<message>`, `/meet/<id>?p=<passcode>` (also behind
//   `/v2/?meetingjoin=true#…`), `/light-meetings/launch?coords=<base64 JSON>` (Vexa-ai/vexa
//   @4f3ee7c32f20a9750ad7048e0dc016710e3355d8 services/dashboard/src/lib/parse-meeting-input.ts;
//   meet-teams-bot @0acaebb… src/urlParser/teamsUrlParser.ts: `JSON.parse(decodeURIComponent(atob(coords)))`
//   → `conversationId`); every shape carries the meeting's thread `19:meeting_<base64>@thread.v2`,
//   also as `threadId=` in meeting recap links (`/l/meetingrecap?…&threadId=19%3Ameeting_…%40thread.v2`,
//   seen in public notes linking Teams recaps); the v2 meeting stage is in the top document (the LMA and
//   attendee bots query `document` directly). Where the URL names no meeting, the call's id is made up
//   per join (src/sites/index.ts UnnamedCalls).
// The self view is NOT marked here: no public code shows one (bots drop their own tile by display
// name: Meeting-BaaS/meet-teams-bot src/meeting/teams/speakersObserver.ts
// @0acaebb95219ea3d2899d06f0a029e08595fdaac `speaker.name !== botName`; Vexa-ai/vexa
// msteams-speakers.ts @0d0bdbdae15d262dc830e65af373c76781d2c065 `selfName`); selectors such as
// `data-tid="video-tile-self"` appear only in lists of guesses. So in "just me" mode the user picks
// their own tile once per call ("This is me", src/overlay/logic/who.ts).
// Not confirmed from public code (no public bot reads a tile's pixels; they take WebRTC tracks or
// capture the tab): that the camera is a <video> inside the tile. The tile's <video> is used, else
// its <canvas>; pixels the page cannot read get the "unreadable" state and the tab-capture path.
import { deepQueryAll } from './dom';
import { registerSite } from './registry';
import { textOf, type Tile } from './types';

const TILES = '[data-stream-type="Video"], [data-cid="calling-participant-stream"], [data-tid="menur1j"]';
const SHARE = '[data-stream-type="ScreenSharing"]';
const NAMETAG = '[data-tid="participant-info-nametag"]';
/** `data-tid` values that name a part of the page, not a person (meet-teams-bot's isStructuralTid). */
const STRUCTURAL_TID = /^(?:roster|participant|calling|video|voice|menu)[a-z0-9-]*$|-stream$|-outline$/i;
const BADGE = /\s*\((?:guest|external|unverified|unfamiliar)\)\s*$/i;
/** Badges Teams appends without brackets in aria-label ("Alice External unfamiliar, video is on, …"). */
const ARIA_BADGE = /(?:\s+(?:external|unfamiliar|guest|unverified|organizer))+$/i;

export function cleanTeamsName(raw: string | null | undefined): string | null {
  let name = raw?.replace(/\s+/g, ' ').trim() ?? '';
  for (let prev = ''; prev !== name; ) [prev, name] = [name, name.replace(BADGE, '').trim()];
  return name.length >= 2 ? name.slice(0, 80) : null;
}

export function teamsName(tile: Element): string | null {
  const tag = cleanTeamsName(textOf(tile.querySelector(NAMETAG)));
  if (tag) return tag;
  const tid = tile.getAttribute('data-tid');
  if (tid && !tid.includes('@') && !STRUCTURAL_TID.test(tid)) {
    const name = cleanTeamsName(tid);
    if (name) return name;
  }
  const aria = tile.getAttribute('aria-label')?.split(',')[0];
  return cleanTeamsName(aria?.replace(ARIA_BADGE, ''));
}

export function teamsTiles(doc: Document): Tile[] {
  const tiles: Tile[] = [];
  const seen = new Set<Element>();
  for (const tile of deepQueryAll(doc, TILES)) {
    // Nested markers (a v2 tile inside an older wrapper) stand for one participant: the innermost counts.
    if (tile.querySelector(TILES) || tile.closest(SHARE)) continue;
    const media = deepQueryAll<HTMLVideoElement | HTMLCanvasElement>(tile, 'video')[0] ?? deepQueryAll<HTMLCanvasElement>(tile, 'canvas')[0];
    if (!media || seen.has(media)) continue;
    seen.add(media);
    tiles.push({ media, name: teamsName(tile) });
  }
  return tiles;
}

/** A meeting's chat thread (`19:meeting_<base64>@thread.v2`), the id every meeting URL shape carries. */
const MEETING_THREAD = /19:meeting_[\w+/=-]+@thread\.v2/;

/** The meeting a Teams URL names (path, query or the v2 app's hash route), or null. */
export function teamsMeetingId(url: URL): string | null {
  for (const route of [url.pathname, url.hash.replace(/^#/, '')]) {
    const join = /\/l\/meetup-join\/([^/?#]+)/.exec(route)?.[1];
    if (join) return safeDecode(join);
    const meet = /\/meet\/(\d{6,20})/.exec(route)?.[1];
    if (meet) return meet;
  }
  const coords = url.pathname.includes('/light-meetings/launch') ? url.searchParams.get('coords') : null;
  if (coords) {
    try {
      const id = (JSON.parse(decodeURIComponent(atob(coords))) as { conversationId?: unknown }).conversationId;
      if (typeof id === 'string' && id) return id;
    } catch {
      // not the launcher's JSON: no id from it
    }
  }
  // Elsewhere: a `threadId` parameter (meeting recaps, the web client), the v2 app's conversation route.
  return MEETING_THREAD.exec(safeDecode(url.pathname + url.search + url.hash))?.[0] ?? null;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export const teamsAdapter = registerSite({
  id: 'teams',
  name: 'Microsoft Teams',
  hosts: ['https://teams.microsoft.com/*', 'https://teams.live.com/*', 'https://teams.cloud.microsoft/*'],
  findTiles: teamsTiles,
  // The v2 app may not keep the meeting in its URL once joined (not confirmed from public code): a
  // call there gets an id per join (UnnamedCalls), so back-to-back meetings in one tab stay apart.
  callId: teamsMeetingId,
  unnamedCalls: true,
  notFaces: (media) => media.closest(SHARE) !== null,
});
