// @vitest-environment happy-dom
// Site adapters against DOM snippets shaped as the live sites are in 2026 (see the facts and their
// sources in src/sites/*.ts). Layout is not computed here: which tiles are large and shown enough
// is the overlay's part (tests/e2e); here, which elements each adapter finds and how it names them.
import { beforeEach, describe, expect, it } from 'vitest';
import { findTiles } from '../../src/sites';
import { genericAdapter } from '../../src/sites/generic';
import { cleanMeetName, meetAdapter } from '../../src/sites/meet';
import { youtubeAdapter } from '../../src/sites/youtube';
import { zoomAdapter } from '../../src/sites/zoom';

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
    expect(ids(findTiles(youtubeAdapter, document, shown))).toEqual(['live']);
  });

  it('watch pages on www and m.youtube.com, named by the channel', () => {
    document.body.innerHTML =
      '<div id="player-container-id"><video id="m"></video></div><div id="owner"><div id="channel-name"><a>Expressions Channel</a></div></div>';
    expect(youtubeAdapter.findTiles(document).map((t) => [t.media.id, t.name])).toEqual([['m', 'Expressions Channel']]);
    expect(youtubeAdapter.matches(new URL('https://m.youtube.com/watch?v=x'))).toBe(true);
  });
});
