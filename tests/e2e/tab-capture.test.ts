// Node (Playwright): tiles whose pixels the page cannot read are cropped from a tab capture.
// Its own browser: Chromium's fake-camera flags replace every capture source, tab capture included.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EXTENSION_DIR,
  type ExtensionPage,
  type ExtensionSession,
  inside,
  openFixturePage,
  openSession,
  readOverlay,
  stopServiceWorker,
  unpackedExtensionId,
  waitForChipsOn,
  waitForVideos,
} from './harness';

describe('tiles whose pixels the page cannot read: Zoom\'s tainted gallery canvas, Teams\' cross-origin videos', () => {
  let session: ExtensionSession;
  let ext: ExtensionPage;
  beforeAll(async () => {
    ({ session, ext } = await openSession({
      // Stand in for the toolbar click that tab capture needs (headless has no toolbar to click).
      args: [`--allowlisted-extension-id=${unpackedExtensionId(EXTENSION_DIR)}`, '--auto-accept-this-tab-capture'],
    }));
  });
  afterAll(async () => session?.close());

  it('falls back to tab capture and crops every region of the shared gallery canvas', async () => {
    const { page, tabId } = await openFixturePage(session, ext, 'zoom', '?tainted=1');
    await page.waitForTimeout(1500);
    await ext.send('setOverlay', { tabId, on: true });
    const tiles = await waitForChipsOn(page, 4, 15_000);
    const regions = await page.evaluate(() => [...document.querySelectorAll('video-player')].map((p) => p.getBoundingClientRect().toJSON() as DOMRect));
    expect(regions).toHaveLength(4);
    for (const region of regions) {
      const tile = tiles.find((t) => inside(t.rect, region) && inside(region, t.rect));
      expect(tile?.chips).toHaveLength(1);
      const chip = tile!.chips[0]!;
      expect(inside(chip.rect, region)).toBe(true);
      // The face box stays square: the crop follows the capture's letterboxing.
      expect(Math.abs(chip.rect.width - chip.rect.height) / chip.rect.width).toBeLessThan(0.15);
    }
    await ext.send('setOverlay', { tabId, on: false });
    await expect.poll(() => readOverlay(page), { timeout: 2000 }).toBeNull();
    await page.close();
  });

  it('Teams tiles whose <video> the page cannot read (cross-origin) are cropped from the tab capture: a chip on each', async () => {
    const { page, tabId } = await openFixturePage(session, ext, 'teams', '?tainted=1');
    await waitForVideos(page, 20_000, true);
    await ext.send('setOverlay', { tabId, on: true });
    const tiles = await waitForChipsOn(page, 3, 15_000);
    const faces = await page.evaluate(() => [...document.querySelectorAll('[data-stream-type="Video"]')].map((t) => t.getBoundingClientRect().toJSON() as DOMRect));
    for (const face of faces) {
      const tile = tiles.find((t) => inside(t.rect, face) && inside(face, t.rect));
      expect(tile?.chips).toHaveLength(1);
    }
    // Labelled through the tab capture: the page's own pixels were unreadable.
    expect(await ext.page.evaluate(async (id) => (await chrome.tabCapture.getCapturedTabs()).filter((t) => t.tabId === id && t.status === 'active').length, tabId)).toBe(1);
    await ext.send('setOverlay', { tabId, on: false });
    await page.close();
  });

  it('stops the capture when the overlay goes off after a service-worker restart', async () => {
    const { page, tabId } = await openFixturePage(session, ext, 'zoom', '?tainted=1');
    await page.waitForTimeout(1500);
    await ext.send('setOverlay', { tabId, on: true });
    await waitForChipsOn(page, 1, 15_000);
    const captured = () =>
      ext.page.evaluate(async (id) => (await chrome.tabCapture.getCapturedTabs()).filter((t) => t.tabId === id && t.status === 'active').length, tabId);
    expect(await captured()).toBe(1);
    await stopServiceWorker(session, ext.page);
    await ext.send('setOverlay', { tabId, on: false });
    await expect.poll(captured, { timeout: 5000 }).toBe(0);
    // Turned on again, the tab is captured afresh and labelled.
    await ext.send('setOverlay', { tabId, on: true });
    await waitForChipsOn(page, 1, 15_000);
    expect(await captured()).toBe(1);
    await page.close();
  });
});
