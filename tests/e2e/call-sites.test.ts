// Node (Playwright + Debian Chromium + the built extension): every way people open a call that the
// issue names. Zoom's client as its own code lays it out (each case on one page), the Zoom Workplace
// app with the client in a same-origin frame beside an unrelated one, Microsoft Teams (v2) with three
// named participants and a screen share, and the popup's site health line when a site's layout is
// not recognised. Fixture pages are built from the public code cited in src/sites/*.ts.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveStatus, TabStats } from '../../src/messaging/background';
import {
  type ExtensionPage,
  type ExtensionSession,
  FAKE_CAMERA_ARGS,
  inside,
  liveNames,
  openFixturePage,
  openPopupPast,
  openSession,
  readOverlay,
  type Rect,
  rectOf,
  tileOver,
  waitForChipsOn,
  waitForVideos,
} from './harness';

let session: ExtensionSession;
let ext: ExtensionPage;

beforeAll(async () => {
  ({ session, ext } = await openSession({ args: [...FAKE_CAMERA_ARGS] }));
});
afterAll(async () => session?.close());

const setOverlay = (tabId: number, on: boolean) => ext.send('setOverlay', { tabId, on });
const live = (tabId: number) => ext.send<LiveStatus>('getLiveStatus', { tabId });

/** Each expected tile has one chip inside it; `none` rectangles have no overlay tile at all. */
function expectTiles(tiles: Awaited<ReturnType<typeof waitForChipsOn>>, faces: Rect[], none: Rect[]): void {
  for (const r of faces) {
    const tile = tileOver(tiles, r);
    expect(tile, `a tile over ${JSON.stringify(r)}`).toBeDefined();
    expect(tile!.chips).toHaveLength(1);
    expect(inside(tile!.chips[0]!.rect, r)).toBe(true);
  }
  for (const r of none) expect(tiles.filter((t) => inside(t.rect, r, 8)), `no tile over ${JSON.stringify(r)}`).toEqual([]);
}

describe('Zoom web client: each case its code shows', () => {
  let page: Page;
  let tabId: number;
  afterAll(async () => {
    await setOverlay(tabId, false);
    await page.close();
  });

  it('gallery canvas by id (an annotation canvas first), the speaker view\'s node-id="1" <div><video>, a shadow-root <video>; the share and the preview get nothing', async () => {
    ({ page, tabId } = await openFixturePage(session, ext, 'zoomCases'));
    await waitForVideos(page, 20_000, true);
    await setOverlay(tabId, true);
    const tiles = await waitForChipsOn(page, 4, 20_000);
    const faces = await Promise.all(['#ada-player', '#grace-player', '#speaker-player', '#legacy-player'].map((s) => rectOf(page, s)));
    const none = await Promise.all(['#share', '#preview'].map((s) => rectOf(page, s)));
    expectTiles(tiles, faces, none);
    await page.waitForTimeout(1000);
    expect((await readOverlay(page))!).toHaveLength(4);
  });

  it('names from each player\'s frame: footer span, avatar name, avatar picture alt', async () => {
    await expect.poll(async () => (await liveNames(ext, tabId)).sort(), { timeout: 5000 }).toEqual(['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Katherine Johnson']);
    expect((await live(tabId)).call?.callId).toBe('555000111');
  });
});

describe('Zoom Workplace app: the meeting client in a same-origin frame', () => {
  it('labels the faces inside iframe#webclient where they are drawn, one call with the frame\'s meeting id, nothing in the unrelated frame', async () => {
    const { page, tabId } = await openFixturePage(session, ext, 'zoomWorkplace');
    await page.setViewportSize({ width: 1400, height: 720 });
    const client = page.frameLocator('#webclient');
    await expect.poll(() => client.locator('video-player').count(), { timeout: 10_000 }).toBe(4);
    await page.waitForTimeout(1500);
    await setOverlay(tabId, true);
    const tiles = await waitForChipsOn(page, 4, 20_000);
    // The players' rectangles in the top viewport: the frame's content box (border 2 + padding 3) plus their place in it.
    const frameBox = await rectOf(page, '#webclient');
    const players = (await client.locator('video-player').evaluateAll((ps) => ps.map((p) => p.getBoundingClientRect().toJSON() as Rect))).map((r) => ({
      ...r,
      x: r.x + frameBox.x + 5,
      y: r.y + frameBox.y + 5,
    }));
    expectTiles(tiles, players, [await rectOf(page, '.whiteboard')]);
    await page.waitForTimeout(1000);
    expect((await readOverlay(page))!).toHaveLength(4);
    await expect.poll(async () => (await liveNames(ext, tabId)).sort(), { timeout: 5000 }).toEqual(['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Katherine Johnson']);
    const status = await live(tabId);
    expect(status.call?.site).toBe('zoom');
    expect(status.call?.callId).toBe('123456789');
    // The toggle and the badge act on the tab as before.
    await expect.poll(async () => (await ext.send<TabStats>('getOverlay', { tabId })).faces, { timeout: 5000 }).toBe(4);
    await setOverlay(tabId, false);
    await expect.poll(() => readOverlay(page), { timeout: 2000 }).toBeNull();
    const calls = (await ext.send<{ calls: Array<{ site: string; callId: string }> }>('listCalls', {})).calls.filter((c) => c.site === 'zoom' && c.callId === '123456789');
    expect(calls.length).toBeLessThanOrEqual(1);
    await page.close();
  });
});

describe('Microsoft Teams (v2)', () => {
  it('a gallery of 3 named participants: a chip on each face; the screen share gets none', async () => {
    const { page, tabId } = await openFixturePage(session, ext, 'teams', '?p=fixture');
    await waitForVideos(page, 20_000, true);
    await setOverlay(tabId, true);
    const tiles = await waitForChipsOn(page, 3, 20_000);
    const faces = await page.evaluate(() => [...document.querySelectorAll('[data-stream-type="Video"]')].map((t) => t.getBoundingClientRect().toJSON() as Rect));
    const share = await rectOf(page, '[data-stream-type="ScreenSharing"]');
    expect(faces).toHaveLength(3);
    expectTiles(tiles, faces, [share]);
    await expect.poll(async () => (await liveNames(ext, tabId)).sort(), { timeout: 5000 }).toEqual(['Ada Lovelace', 'Grace Hopper', 'Katherine Johnson']);
    const status = await live(tabId);
    expect(status.call?.site).toBe('teams');
    expect(status.call?.callId).toBe('2384756109');
    expect(status.tab.site).toMatchObject({ site: 'teams', source: 'site', tiles: 3 });
    await setOverlay(tabId, false);
    await page.close();
  });

  it('a layout the adapter does not know: the generic scan labels the videos and the popup says which site and what it found', async () => {
    const { page, tabId } = await openFixturePage(session, ext, 'teams', '?changed=1');
    await waitForVideos(page, 20_000, true);
    await setOverlay(tabId, true);
    await waitForChipsOn(page, 3, 20_000);
    await expect.poll(async () => (await ext.send<TabStats>('getOverlay', { tabId })).site, { timeout: 5000 }).toMatchObject({ site: 'teams', source: 'generic', tiles: 4 });
    const popup = await openPopupPast(session, `?tabId=${tabId}`);
    const line = popup.getByTestId('site-health');
    await line.waitFor();
    const text = await line.textContent();
    expect(text).toContain('Microsoft Teams');
    expect(text).toMatch(/\d+ playing videos/);
    expect(text).toContain('uses the 4 videos');
    // The live view says what the models cost this tab: a share of one core, above zero while labelling.
    await expect.poll(() => popup.getByTestId('cpu-share').textContent(), { timeout: 10_000 }).toMatch(/^[1-9]\d*% of one CPU core$/);
    await popup.close();
    await setOverlay(tabId, false);
    await page.close();
  });
});
