// @vitest-environment happy-dom
// Site adapters against DOM snippets shaped as the live sites are in 2026 (see the facts and their
// sources in src/sites/*.ts). Layout is not computed here: which tiles are large and shown enough
// is the overlay's part (tests/e2e); here, which elements each adapter finds and how it names them.
import { beforeEach, describe, expect, it } from 'vitest';
import { callIdOf, findTiles, isUnnamedCallId, UNNAMED_CALL_GAP_MS, UnnamedCalls } from '../../src/sites';
import { genericAdapter } from '../../src/sites/generic';
import { cleanMeetName, meetAdapter } from '../../src/sites/meet';
import { youtubeAdapter } from '../../src/sites/youtube';
import { cleanTeamsName, teamsAdapter } from '../../src/sites/teams';
import { isNotAFace, videoCanvas, zoomAdapter } from '../../src/sites/zoom';

const ids = (tiles: Array<{ media: Element; region?: Element }>) => tiles.map((t) => (t.region ?? t.media).id);

beforeEach(() => {
  document.body.innerHTML = '';
});

describe('Zoom web client', () => {
  /** The gallery: <video-player>s in the light DOM over one canvas in the container's open shadow root. */
  function gallery(names: string[], videoMode = false): void {
    const container = document.createElement('video-player-container');
    container.attachShadow({ mode: 'open' }).innerHTML = '<canvas id="gallery" width="1280" height="720"></canvas><slot></slot>';
    container.innerHTML = names
      .map(
        (n, i) =>
          `<div class="video-avatar__avatar"><video-player id="p${i}" node-id="${(i + 1) << 10}">${videoMode ? `<video id="v${i}"></video>` : ''}</video-player>` +
          `<div class="video-avatar__avatar-footer"><span>${n}</span></div></div>`,
      )
      .join('');
    document.body.append(container);
  }

  it('one shared canvas, N players: N region tiles on that canvas, each named from its footer', () => {
    gallery(['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Katherine Johnson']);
    const tiles = zoomAdapter.findTiles(document);
    expect(ids(tiles)).toEqual(['p0', 'p1', 'p2', 'p3']);
    expect(tiles.every((t) => t.media.id === 'gallery')).toBe(true);
    expect(tiles.map((t) => t.name)).toEqual(['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Katherine Johnson']);
  });

  it('players holding their own <video>: one tile per video, named', () => {
    gallery(['Ada Lovelace', 'Grace Hopper'], true);
    const tiles = zoomAdapter.findTiles(document);
    expect(tiles.map((t) => [t.media.id, t.region, t.name])).toEqual([
      ['v0', undefined, 'Ada Lovelace'],
      ['v1', undefined, 'Grace Hopper'],
    ]);
  });

  it('finds players and canvases inside nested open shadow roots', () => {
    const app = document.createElement('div');
    document.body.append(app);
    const root = app.attachShadow({ mode: 'open' });
    const container = document.createElement('video-player-container');
    container.attachShadow({ mode: 'open' }).innerHTML = '<canvas id="gallery"></canvas><slot></slot>';
    container.innerHTML = '<div class="video-avatar__avatar"><video-player id="p0"></video-player><div class="video-avatar__avatar-footer"><span>Ada</span></div></div>';
    root.append(container);
    const tiles = zoomAdapter.findTiles(document);
    expect(tiles.map((t) => [t.media.id, t.region?.id, t.name])).toEqual([['gallery', 'p0', 'Ada']]);
    // The generic scan sees into open shadow roots too.
    expect(genericAdapter.findTiles(document).map((t) => t.media.id)).toEqual(['gallery']);
  });

  it('older builds (a canvas per tile, no <video-player>): every canvas, named from its tile', () => {
    document.body.innerHTML = '<div class="video-avatar__avatar"><canvas id="c"></canvas><div class="video-avatar__avatar-name">Katherine Johnson</div></div>';
    expect(zoomAdapter.findTiles(document).map((t) => [t.media.id, t.name])).toEqual([['c', 'Katherine Johnson']]);
  });
});

describe('Zoom web client as its own code lays it out (../shared/notes/zoom-web-dom.md)', () => {
  /** A 2026 gallery frame: the player and, beside it, its avatar box with the name. */
  const frame = (player: string, avatar: string, cls = 'gallery-video-container__video-frame') => `<div class="${cls}">${player}<div class="video-avatar__avatar">${avatar}</div></div>`;
  const footer = (name: string) => `<div class="video-avatar__avatar-footer"><span>${name}</span></div>`;
  function container(id: string, canvases: string, inner: string, attrs = ''): HTMLElement {
    const c = document.createElement('video-player-container');
    c.id = id;
    if (attrs) c.className = attrs;
    c.attachShadow({ mode: 'open' }).innerHTML = `${canvases}<slot></slot>`;
    c.innerHTML = inner;
    document.body.append(c);
    return c;
  }

  it('each player uses its own container\'s canvas, never the first container\'s', () => {
    container('gallery', '<canvas id="video-player-canvas-1"></canvas>', frame('<video-player id="p0"></video-player>', footer('Ada Lovelace')));
    container('floating', '<canvas id="video-player-canvas-2"></canvas>', frame('<video-player id="p1"></video-player>', footer('Grace Hopper'), 'speaker-active-container__video-frame'));
    expect(zoomAdapter.findTiles(document).map((t) => [t.region?.id, t.media.id, t.name])).toEqual([
      ['p0', 'video-player-canvas-1', 'Ada Lovelace'],
      ['p1', 'video-player-canvas-2', 'Grace Hopper'],
    ]);
  });

  it('the video canvas by its id: annotation and local-share canvases before it are passed over', () => {
    container('g', '<canvas id="video-player-canvas-anno"></canvas><canvas id="video-player-canvas-anno-presenter"></canvas><canvas id="video-player-canvas-local-share"></canvas><canvas id="video-player-canvas-16778240"></canvas>', frame('<video-player id="p0"></video-player>', footer('Ada')));
    expect(videoCanvas(document.getElementById('p0')!)!.id).toBe('video-player-canvas-16778240');
  });

  it('<video> render modes: <div><video> in light DOM, and a video in the player\'s own shadow root', () => {
    container('g', '<canvas id="video-player-canvas-1"></canvas>', frame('<video-player id="p0"><div><video id="v0"></video></div></video-player>', footer('Ada')) + frame('<video-player id="p1"></video-player>', footer('Grace')));
    document.getElementById('p1')!.attachShadow({ mode: 'open' }).innerHTML = '<video id="v1"></video>';
    expect(zoomAdapter.findTiles(document).map((t) => [t.media.id, t.region, t.name])).toEqual([
      ['v0', undefined, 'Ada'],
      ['v1', undefined, 'Grace'],
    ]);
  });

  it('previews (media-type="preview") and screen shares (media-type="share") are not faces, in the adapter and in the generic fallback', () => {
    document.body.innerHTML = '<video-player media-type="preview" class="preview-canvas"><video id="preview"></video></video-player>';
    const share = container('share', '<canvas id="share-canvas"></canvas>', '<video-player media-type="share" id="sp"></video-player>', 'sharee-container__canvas');
    expect(zoomAdapter.findTiles(document)).toEqual([]);
    // The generic scan sees the preview's video and the share's canvas, and leaves both.
    expect(genericAdapter.findTiles(document).map((t) => t.media.id)).toEqual(['preview', 'share-canvas']);
    expect(findTiles(zoomAdapter, document).tiles).toEqual([]);
    expect(isNotAFace(share.shadowRoot!.getElementById('share-canvas')!)).toBe(true);
  });

  it('the speaker view\'s node-id="1" player is named from its frame', () => {
    container('s', '<canvas id="video-player-canvas-1"></canvas>', `<div class="speaker-active-container__wrap">${frame('<video-player node-id="1" id="big"></video-player>', footer('Alan Turing'), 'speaker-active-container__video-frame')}</div>`);
    expect(zoomAdapter.findTiles(document).map((t) => [t.region?.id, t.name])).toEqual([['big', 'Alan Turing']]);
  });

  it('names from the frame: footer span, then .video-avatar__avatar-name, then the avatar picture\'s alt', () => {
    container(
      'g',
      '<canvas id="video-player-canvas-1"></canvas>',
      frame('<video-player id="a"></video-player>', footer('Ada Lovelace (she/her)')) +
        frame('<video-player id="b"></video-player>', '<div class="video-avatar__avatar-name">Grace Hopper</div>') +
        frame('<video-player id="c"></video-player>', '<img class="video-avatar__avatar-img" alt="Katherine Johnson">') +
        frame('<video-player id="d"></video-player>', ''),
    );
    expect(zoomAdapter.findTiles(document).map((t) => t.name)).toEqual(['Ada Lovelace (she/her)', 'Grace Hopper', 'Katherine Johnson', null]);
  });
});

describe('Microsoft Teams (v2)', () => {
  const tile = (attrs: string, inner = '<video></video>') => `<div ${attrs}>${inner}</div>`;

  it('tiles are [data-stream-type="Video"] with their <video>, named by nametag, then data-tid, then aria-label', () => {
    document.body.innerHTML =
      tile('data-stream-type="Video" data-tid="Ada Lovelace"', '<video id="a"></video><span data-tid="participant-info-nametag">Ada Lovelace (Guest)</span>') +
      tile('data-stream-type="Video" data-tid="Grace Hopper"', '<video id="g"></video>') +
      tile('data-stream-type="Video" data-tid="alan@example.com" aria-label="Alan Turing External unfamiliar, video is on, Context menu is available"', '<video id="t"></video>') +
      tile('data-stream-type="Video" data-tid="video-stream"', '<video id="x"></video>');
    expect(teamsAdapter.findTiles(document).map((t) => [t.media.id, t.name])).toEqual([
      ['a', 'Ada Lovelace'],
      ['g', 'Grace Hopper'],
      ['t', 'Alan Turing'],
      ['x', null],
    ]);
  });

  it('older and teams.live markers; a screen share is not a face; a tile without video (camera off) is not a tile', () => {
    document.body.innerHTML =
      tile('data-cid="calling-participant-stream" aria-label="Katherine Johnson, muted, video is on"', '<video id="k"></video>') +
      tile('data-tid="menur1j" aria-label="Dorothy Vaughan (Unverified)"', '<video id="d"></video>') +
      tile('data-stream-type="ScreenSharing"', '<video id="share"></video>') +
      tile('data-stream-type="Video" data-tid="Mary Jackson"', '<img alt="">');
    expect(teamsAdapter.findTiles(document).map((t) => [t.media.id, t.name])).toEqual([
      ['k', 'Katherine Johnson'],
      ['d', 'Dorothy Vaughan'],
    ]);
    expect(findTiles(teamsAdapter, document, (t) => t.media.id === 'share').tiles).toEqual([]);
  });

  it('meeting ids from join links, short links, the v2 hash route and the light-meetings launcher', () => {
    const id = (u: string) => teamsAdapter.callId(new URL(u));
    expect(id('https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0?context=%7b%7d')).toBe('19:meeting_abc@thread.v2');
    expect(id('https://teams.live.com/meet/9387167464734?p=qxJanYOcdjN4d6UlGa')).toBe('9387167464734');
    expect(id('https://teams.microsoft.com/v2/?meetingjoin=true#/meet/1234567?p=abc&anon=true')).toBe('1234567');
    const coords = btoa(encodeURIComponent(JSON.stringify({ conversationId: '19:meeting_xyz@thread.v2' })));
    expect(id(`https://teams.microsoft.com/light-meetings/launch?coords=${coords}`)).toBe('19:meeting_xyz@thread.v2');
    expect(id('https://teams.microsoft.com/light-meetings/launch?coords=%%%')).toBeNull();
    expect(id('https://teams.microsoft.com/v2/')).toBeNull();
    expect(cleanTeamsName('Ada (External) (Unverified)')).toBe('Ada');
  });

  it('the meeting thread wherever the URL carries one: a threadId parameter, the v2 conversation route', () => {
    const id = (u: string) => teamsAdapter.callId(new URL(u));
    expect(id('https://teams.microsoft.com/l/meetingrecap?driveId=x&threadId=19%3Ameeting_YzgyOW%40thread.v2&iCalUid=1')).toBe('19:meeting_YzgyOW@thread.v2');
    expect(id('https://teams.microsoft.com/v2/#/conversations/19:meeting_YzgyOW@thread.v2?ctx=chat')).toBe('19:meeting_YzgyOW@thread.v2');
    expect(id('https://teams.microsoft.com/v2/?meetingjoin=true#/l/meetup-join/19:meeting_YzgyOW%40thread.v2/0?context=%7b%7d&anon=true')).toBe('19:meeting_YzgyOW@thread.v2');
    expect(id('https://teams.microsoft.com/v2/?threadId=19:abc@thread.tacv2')).toBeNull(); // a channel, not a meeting
  });

  it('a page that names no meeting: one call id per join (another page, URL, or a pause between meetings), never the constant `call`', () => {
    const T0 = 1_780_000_000_000;
    const v2 = 'https://teams.microsoft.com/v2/';
    const joins = new UnnamedCalls();
    const at = (url: string, t: number) => callIdOf(teamsAdapter, { URL: url } as Document, url, () => joins.idAt(url, t));
    const first = at(v2, T0);
    expect(first).not.toBe('call');
    expect(first && isUnnamedCallId(first)).toBe(true);
    expect(at(v2, T0 + 20_000)).toBe(first); // the same meeting, sampled on
    // Left, then joined the next meeting at the same URL: a new id, so the two do not merge.
    const second = at(v2, T0 + 20_000 + UNNAMED_CALL_GAP_MS + 1);
    expect(second).not.toBe(first);
    expect(at(`${v2}#/calendarv2`, T0 + 20_000 + UNNAMED_CALL_GAP_MS + 2)).not.toBe(second);
    expect(new UnnamedCalls().idAt(v2, T0 + 1)).not.toBe(first); // another page load
    // A URL that names the meeting always wins; a site whose calls are always named makes none up.
    expect(at('https://teams.microsoft.com/meet/2384756109?p=x', T0)).toBe('2384756109');
    expect(callIdOf(meetAdapter, { URL: 'https://meet.google.com/landing' } as Document, 'https://meet.google.com/landing', () => joins.idAt(v2, T0))).toBeNull();
  });
});

describe('Google Meet', () => {
  const tile = (id: string, video: string, name: string, extra = '') =>
    `<div data-participant-id="${id}"><video id="${video}"></video><div><span class="notranslate"${extra}>${name}</span></div></div>`;

  it('one tile per participant, named; the self view by its real name (data-self-name)', () => {
    document.body.innerHTML =
      tile('spaces/x/devices/1', 'a', 'Ada Lovelace') +
      `<div data-participant-id="spaces/x/devices/self"><video id="self"></video><div data-self-name="Grace Hopper">You</div></div>`;
    expect(meetAdapter.findTiles(document).map((t) => [t.media.id, t.name])).toEqual([
      ['a', 'Ada Lovelace'],
      ['self', 'Grace Hopper'],
    ]);
  });

  it('marks the self view: data-self-name equal to the shown name, or the name shown is "You"; not the attribute alone (older Meet put it on every tile)', () => {
    document.body.innerHTML =
      tile('spaces/x/devices/1', 'a', 'Ada Lovelace', ' data-self-name="You"') +
      tile('spaces/x/devices/2', 'b', 'Alan Turing') +
      `<div data-participant-id="spaces/x/devices/self"><video id="self"></video><div data-self-name="Grace Hopper">You</div></div>`;
    expect(meetAdapter.findTiles(document).map((t) => [t.media.id, t.self])).toEqual([
      ['a', false],
      ['b', false],
      ['self', true],
    ]);
    document.body.innerHTML = tile('spaces/x/devices/9', 'g', 'Grace Hopper', ' data-self-name="Grace Hopper"');
    expect(meetAdapter.findTiles(document)[0]!.self).toBe(true);
    // And the one view Meet mirrors is the self view (the tile watcher reads the computed transform).
    expect(meetAdapter.mirroredIsSelf).toBe(true);
  });

  it('skips the effects preview: a dialog, and a repeated participant id', () => {
    document.body.innerHTML =
      tile('spaces/x/devices/self', 'self', 'You') +
      `<div role="dialog" aria-label="Effects"><div data-participant-id="spaces/x/devices/self"><video id="preview"></video></div></div>` +
      `<div data-participant-id="spaces/x/devices/self"><video id="again"></video></div>`;
    expect(ids(meetAdapter.findTiles(document))).toEqual(['self']);
  });

  it('drops junk names (device and space ids), keeps real ones', () => {
    document.body.innerHTML = tile('spaces/x/devices/145', 'g', 'Google Participant (spaces/vwKMOQeV5YsB/devices/145)');
    expect(meetAdapter.findTiles(document)[0]!.name).toBeNull();
    expect(cleanMeetName('spaces/abc/devices/1')).toBeNull();
    expect(cleanMeetName('  Ada   Lovelace ')).toBe('Ada Lovelace');
    expect(cleanMeetName('A')).toBeNull();
  });
});

describe('YouTube', () => {
  it('Shorts: only the active reel of several stacked ones', () => {
    document.body.innerHTML =
      '<ytd-reel-video-renderer id="r1"><div id="shorts-player"><video id="v1"></video></div></ytd-reel-video-renderer>' +
      '<ytd-reel-video-renderer id="r2" is-active><div id="shorts-player"><video id="v2"></video></div><div id="channel-name"><a>Reel Channel</a></div></ytd-reel-video-renderer>';
    const tiles = youtubeAdapter.findTiles(document);
    expect(tiles.map((t) => [t.media.id, t.name])).toEqual([['v2', 'Reel Channel']]);
  });

  it('a stale watch player left behind Shorts is listed after the reel (the overlay drops it when hidden)', () => {
    document.body.innerHTML =
      '<div id="movie_player" hidden><video id="stale" class="html5-main-video"></video></div>' +
      '<ytd-reel-video-renderer is-active><div id="shorts-player"><video id="short"></video></div></ytd-reel-video-renderer>';
    expect(ids(youtubeAdapter.findTiles(document))).toEqual(['short', 'stale']);
  });

  it('a hidden stale player does not block the generic fallback', () => {
    document.body.innerHTML = '<div id="movie_player" hidden><video id="stale"></video></div><div class="new-player"><video id="live"></video></div>';
    const shown = (t: { media: Element }) => !t.media.closest('[hidden]');
    expect(ids(findTiles(youtubeAdapter, document, shown).tiles)).toEqual(['live']);
  });

  it('watch pages on www and m.youtube.com, named by the channel', () => {
    document.body.innerHTML =
      '<div id="player-container-id"><video id="m"></video></div><div id="owner"><div id="channel-name"><a>Expressions Channel</a></div></div>';
    expect(youtubeAdapter.findTiles(document).map((t) => [t.media.id, t.name])).toEqual([['m', 'Expressions Channel']]);
    expect(youtubeAdapter.matches(new URL('https://m.youtube.com/watch?v=x'))).toBe(true);
  });
});

describe('self view marks (Settings.analyze "me")', () => {
  it('Zoom and Teams mark none (no public code shows one): the user picks their tile; only Meet mirrors the self view alone', async () => {
    const { zoomAdapter } = await import('../../src/sites/zoom');
    const { teamsAdapter } = await import('../../src/sites/teams');
    document.body.innerHTML =
      '<video-player-container><div class="gallery-video-container__video-frame"><video-player node-id="16778240"><video id="z"></video></video-player><div class="video-avatar__avatar"><div class="video-avatar__avatar-footer"><span>Ada Lovelace</span></div></div></div></video-player-container>' +
      '<div data-stream-type="Video" data-tid="Grace Hopper"><video id="t"></video></div>';
    for (const adapter of [zoomAdapter, teamsAdapter]) {
      const tiles = adapter.findTiles(document);
      expect(tiles.length).toBeGreaterThan(0);
      expect(tiles.every((t) => !t.self)).toBe(true);
      expect(adapter.mirroredIsSelf).toBeUndefined();
    }
  });
});
