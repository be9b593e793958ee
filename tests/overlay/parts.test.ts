// @vitest-environment happy-dom
// The content side's parts on their own, in happy-dom: TileWatcher, Painter, FrameSampler.
import { describe, expect, it } from 'vitest';
import { chipText, HOST_STYLE, neutralName, Overlay, type OverlayTile } from '../../src/overlay/overlay';
import { DRAW_TICK_MS, MIN_DRAW_GAP_MS, Painter, PERCENT_EVERY_MS } from '../../src/overlay/painter';
import { FrameSampler, type SampledTile } from '../../src/overlay/sampler';
import { isSamplable, SCAN_DELAY_MS, type PageTile, TileWatcher } from '../../src/overlay/tile-watcher';
import { newTile, stepTile } from '../../src/overlay/logic/tile-step';
import { DEFAULT_TRACKING } from '../../src/overlay/logic/tracking';
import type { FrameAnalysis, FrameRequest } from '../../src/messaging/offscreen';
import { genericAdapter } from '../../src/sites/generic';
import { mediaClock } from '../../src/overlay/tiles';
import { analysisOf, fakeGrabber, pageWindow, place, tilesPage } from './page';

describe('TileWatcher', () => {
  function watch() {
    const { win, clock } = pageWindow();
    const abort = new AbortController();
    const events = { added: [] as string[], removed: [] as string[], changed: 0 };
    const watcher = new TileWatcher({ win, doc: document, adapter: genericAdapter }, abort.signal, {
      added: (t) => events.added.push(t.key.id),
      removed: (t) => events.removed.push(t.key.id),
      changed: () => events.changed++,
    });
    return { watcher, abort, clock, events };
  }

  it('finds the tiles, then follows the page: one scan for a burst of changes', async () => {
    const [first] = tilesPage(2);
    const { watcher, clock, events, abort } = watch();
    let scans = 0;
    const scan = watcher.scan.bind(watcher);
    watcher.scan = () => (scans++, scan());
    watcher.scan();
    expect(events.added).toEqual(['c0', 'c1']);
    first!.remove();
    await clock.advance(10);
    const tiny = document.createElement('canvas');
    tiny.id = 'tiny';
    place(tiny, { x: 0, y: 300, width: 40, height: 40 }); // below MIN_TILE_SIDE: not a tile
    document.body.append(tiny);
    await clock.advance(SCAN_DELAY_MS - 11);
    expect(events.removed).toEqual([]);
    await clock.advance(1);
    expect(events.removed).toEqual(['c0']);
    await clock.advance(SCAN_DELAY_MS);
    expect(scans).toBe(2);
    expect([...watcher.all].map((t) => t.key.id)).toEqual(['c1']);
    abort.abort();
  });

  it('stops with its signal: no scan, no event, no timer', async () => {
    tilesPage(1);
    const { watcher, clock, events, abort } = watch();
    watcher.scan();
    abort.abort();
    tilesPage(3);
    await clock.advance(1000);
    expect(events.added).toEqual(['c0']);
    expect(clock.pending).toBe(0);
    expect([...watcher.all]).toEqual([]);
  });
});

describe('isSamplable', () => {
  it('samples a shown, attached, playing tile only', () => {
    const video = document.createElement('video');
    document.body.append(video);
    const tile = (over: Partial<PageTile> = {}): PageTile => ({ key: video, media: video, region: null, name: null, fit: 'contain', mirrored: false, self: false, visible: true, ...over });
    Object.defineProperty(video, 'paused', { value: false, configurable: true });
    expect(isSamplable(tile())).toBe(true);
    expect(isSamplable(tile({ visible: false }))).toBe(false);
    const region = document.createElement('div'); // a region that left the page
    expect(isSamplable(tile({ region }))).toBe(false);
    Object.defineProperty(video, 'paused', { value: true, configurable: true });
    expect(isSamplable(tile())).toBe(false);
    Object.defineProperty(video, 'paused', { value: false, configurable: true });
    Object.defineProperty(video, 'ended', { value: true, configurable: true });
    expect(isSamplable(tile())).toBe(false);
    video.remove();
    Object.defineProperty(video, 'ended', { value: false, configurable: true });
    expect(isSamplable(tile())).toBe(false);
  });
});

describe('chipText', () => {
  it('a percentage only where the model is calibrated, "label?" and no number where the label is uncertain', () => {
    expect(chipText({ label: 'happy', confidence: 0.87, uncertain: false }, 'text')).toBe('happy 87%');
    expect(chipText({ label: 'happy', confidence: null, uncertain: false }, 'text')).toBe('happy');
    expect(chipText({ label: 'sad', confidence: 0.41, uncertain: true }, 'text')).toBe('sad?');
    expect(chipText({ label: 'happy', confidence: 0.87, uncertain: false }, 'emoji')).toMatch(/^\S+ 87%$/);
  });
});

describe('Painter', () => {
  const tile = (label: string, confidence = 0.9): OverlayTile => ({ id: 't1', rect: { x: 0, y: 0, width: 320, height: 180 }, name: 'Ada', status: { kind: 'analyzing' }, faces: [{ trackId: 1, box: { x: 10, y: 10, width: 50, height: 50 }, label, confidence, uncertain: false }] });

  it('draws once for many requests close together, and rewrites nothing unchanged', async () => {
    const { win, clock } = pageWindow();
    const overlay = new Overlay(document);
    let views = 0;
    let renders = 0;
    const render = overlay.render.bind(overlay);
    overlay.render = (t) => (renders++, render(t));
    let label = 'happy';
    const abort = new AbortController();
    const painter = new Painter(win, overlay, abort.signal, () => (views++, [tile(label)]));
    for (let i = 0; i < 5; i++) painter.request();
    await clock.advance(20);
    expect([views, renders]).toEqual([1, 1]);
    expect(overlay.snapshot()).toEqual([{ tileId: 't1', status: 'analyzing', labels: ['happy'] }]);
    await clock.advance(DRAW_TICK_MS); // the slow tick: looked again, nothing rewritten
    expect(renders).toBe(1);
    label = 'sad';
    painter.request();
    await clock.advance(20);
    expect(overlay.snapshot()[0]!.labels).toEqual(['sad']);
    abort.abort();
    expect(overlay.mounted).toBe(false);
    expect(clock.pending).toBe(0);
  });

  it('a face that only jitters is not redrawn, one that moved is; each draw reports its main-thread time', async () => {
    const { win, clock } = pageWindow();
    const overlay = new Overlay(document);
    let renders = 0;
    const render = overlay.render.bind(overlay);
    overlay.render = (t) => (renders++, render(t));
    let x = 10;
    const at = (): OverlayTile => { const t = tile('happy'); return { ...t, faces: [{ ...t.faces[0]!, box: { ...t.faces[0]!.box, x } }] }; };
    const timed: number[] = [];
    const abort = new AbortController();
    const painter = new Painter(win, overlay, abort.signal, () => [at()], (ms) => timed.push(ms));
    painter.request();
    await clock.advance(20);
    for (const nx of [12, 9, 13]) {
      x = nx; // within 8% of the 50 px box
      painter.request();
      await clock.advance(MIN_DRAW_GAP_MS);
    }
    expect(renders).toBe(1);
    x = 30;
    painter.request();
    await clock.advance(MIN_DRAW_GAP_MS);
    expect(renders).toBe(2);
    expect(timed.length).toBeGreaterThanOrEqual(5); // each request and each slow tick looked
    expect(timed.every((ms) => ms >= 0)).toBe(true);
    abort.abort();
  });

  it('draws a new label within MIN_DRAW_GAP_MS, and a new percentage alone on the slow tick, PERCENT_EVERY_MS apart', async () => {
    const { win, clock } = pageWindow();
    const overlay = new Overlay(document);
    const drawn: Array<readonly OverlayTile[]> = [];
    const render = overlay.render.bind(overlay);
    overlay.render = (t) => (drawn.push(t), render(t));
    let now = tile('happy', 0.9);
    const abort = new AbortController();
    const painter = new Painter(win, overlay, abort.signal, () => [now]);
    painter.request();
    await clock.advance(20);
    for (const confidence of [0.8, 0.7]) {
      now = tile('happy', confidence);
      painter.request();
      await clock.advance(20);
    }
    expect(drawn.map((t) => t[0]!.faces[0]!.confidence)).toEqual([0.9]); // the percentages wait for the tick
    now = tile('sad', 0.6);
    painter.request();
    await clock.advance(MIN_DRAW_GAP_MS);
    expect(drawn.map((t) => t[0]!.faces[0]!.label)).toEqual(['happy', 'sad']);
    now = tile('sad', 0.5);
    painter.request();
    await clock.advance(PERCENT_EVERY_MS - 2 * DRAW_TICK_MS); // ticks within PERCENT_EVERY_MS of the last draw leave it
    expect(drawn.at(-1)![0]!.faces[0]!.confidence).toBe(0.6);
    await clock.advance(3 * DRAW_TICK_MS); // the first tick PERCENT_EVERY_MS after the last draw draws the percentage that waited
    expect(drawn.at(-1)![0]!.faces[0]!.confidence).toBe(0.5);
    expect(drawn).toHaveLength(3);
    abort.abort();
  });
});

describe('FrameSampler', () => {
  function sampled(analyze: (req: FrameRequest) => Promise<FrameAnalysis>) {
    const [canvas] = tilesPage(1);
    const { win } = pageWindow();
    const page: PageTile = { key: canvas!, media: canvas!, region: null, name: null, fit: 'fill', mirrored: false, self: false, visible: true };
    const tile: SampledTile = { id: 'tile-1', page, state: newTile(3, { kind: 'analyzing' }), source: 'pixels', grabber: fakeGrabber() };
    return { tile, sampler: new FrameSampler({ win, analyze, analyzeTabRegion: () => Promise.reject(new Error('no tab capture')) }) };
  }
  const opts = { frameTime: 1, minFaceSize: 20, cell: 96, generation: 'host:1' };
  const step = { detectEvery: 3, maxDetectEvery: 6, tracking: DEFAULT_TRACKING };

  it('a whole frame first; then only the tracked faces, as a sheet; an unchanged sheet is not sent again', async () => {
    const sent: FrameRequest[] = [];
    const { tile, sampler } = sampled(async (req) => (sent.push(req), analysisOf(req)));
    const first = await sampler.sample(tile, opts);
    expect(first.kind === 'analyzed' && first.sampled.source).toBe('jpeg');
    if (first.kind !== 'analyzed') return;
    tile.state = stepTile(tile.state, first.sampled, 0, step).tile;
    const second = await sampler.sample(tile, opts);
    expect(second.kind === 'analyzed' && second.sampled.source).toBe('sheet');
    expect(sent[1]!.sheet).toEqual({ cell: 96, frame: { width: 480, height: 270 } });
    if (second.kind !== 'analyzed') return;
    tile.state = stepTile(tile.state, second.sampled, 0, step).tile;
    const third = await sampler.sample(tile, opts);
    expect(third.kind === 'analyzed' && third.sampled.source).toBe('unchanged');
    expect(sent).toHaveLength(2);
  });

  it('says why there is nothing to analyze: no frame yet, protected video, unreadable pixels', async () => {
    const { tile, sampler } = sampled(async (req) => analysisOf(req));
    const fails = (reason: 'no-frame' | 'protected' | 'unreadable') => ({ ...fakeGrabber(), capture: async () => ({ ok: false as const, reason, detail: 'SecurityError' }) });
    tile.grabber = fails('no-frame');
    expect(await sampler.sample(tile, opts)).toEqual({ kind: 'nothing' });
    tile.grabber = fails('protected');
    expect(await sampler.sample(tile, opts)).toEqual({ kind: 'protected' });
    tile.grabber = fails('unreadable');
    expect(await sampler.sample(tile, opts)).toEqual({ kind: 'unreadable', detail: 'SecurityError' });
  });
});

describe('Overlay host: what the page can do to it', () => {
  const hosts = () => [...document.documentElement.children].filter((e) => e !== document.head && e !== document.body) as HTMLElement[];

  it('a neutral random name, an inline !important style; removed or restyled by the page, it is put back', async () => {
    const overlay = new Overlay(document);
    overlay.mount();
    const [host] = hosts();
    expect(host!.localName).toMatch(/^[a-z]{4}-[a-z]{6}$/);
    expect(host!.getAttribute('style')).toBe(HOST_STYLE);
    expect(HOST_STYLE).toContain('display: block !important;');
    host!.style.display = 'none';
    await new Promise((r) => setTimeout(r, 0));
    expect(host!.getAttribute('style')).toBe(HOST_STYLE);
    host!.remove();
    await new Promise((r) => setTimeout(r, 0));
    expect(hosts()).toEqual([host]);
    overlay.unmount();
    await new Promise((r) => setTimeout(r, 0));
    expect(hosts()).toEqual([]);
  });

  it('names from the random bytes, letters only', () => {
    expect(neutralName(() => new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 25]))).toBe('abcd-efghiz');
  });
});

describe('mediaClock', () => {
  const withDuration = (duration: number) => {
    const v = document.createElement('video');
    Object.defineProperties(v, { duration: { value: duration }, currentTime: { value: 5 } });
    return mediaClock(v);
  };

  it("a recording's own clock; a duration no page plays (a live stream's placeholder, 1e7 s) is the wall clock, never sent to be refused", () => {
    expect(withDuration(600)).toEqual({ media: { time: 5, duration: 600 } });
    expect(withDuration(1e7)).toEqual({});
    expect(withDuration(Number.POSITIVE_INFINITY)).toEqual({});
  });
});
