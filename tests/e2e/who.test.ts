// Node (Playwright + Debian Chromium + the built extension): who the overlay analyzes, on the Meet,
// Zoom and Teams fixtures. "Just me": only the user's own tile gets a chip and the ML host receives
// frames of that tile only (counted there, per tile); where the site marks no self view the user
// picks their tile with a real click. "Don't analyze": a participant's chip goes within a second and
// they leave the live summary and the stored call. The first-run choice sets the mode; the notice for
// the chat is copied.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveStatus } from '../../src/messaging/background';
import type { Settings } from '../../src/core/settings';
import { CHAT_NOTICE } from '../../src/core/consent';
import { worthKeeping } from '../../src/calls/call-end';
import { type ExtensionPage, type ExtensionSession, FAKE_CAMERA_ARGS, inside, openFixturePage, openSession, type OverlaySnapshot, openPopupPast, passFirstRun, readOverlay, type Rect, rectOf, waitForVideos } from './harness';

let session: ExtensionSession;
let ext: ExtensionPage;

beforeAll(async () => {
  ({ session, ext } = await openSession({ args: [...FAKE_CAMERA_ARGS] }));
});
afterAll(async () => session?.close());

const live = (tabId: number) => ext.send<LiveStatus>('getLiveStatus', { tabId });
const settings = () => ext.send<Settings>('getSettings', undefined);
/** The tile ids whose frames the ML host received from a tab, with their counts. */
async function received(tabId: number): Promise<Map<string, number>> {
  const all = await ext.send<Record<string, number>>('receivedFrames', undefined);
  return new Map(Object.entries(all).flatMap(([k, n]) => (k.startsWith(`${tabId}/`) ? [[k.slice(`${tabId}/`.length), n] as const] : [])));
}
const withChips = (tiles: OverlaySnapshot[] | null) => (tiles ?? []).filter((t) => t.chips.length > 0);
/** A real click (trusted, as the user's) in the middle of a rectangle. */
const clickIn = (page: Page, r: Rect) => page.mouse.click(r.x + r.width / 2, r.y + r.height / 2);

describe('first run and the notice', () => {
  it('the first-run choice "just me" sets the mode; the popup copies the notice for the chat', async () => {
    const popup = await session.context.newPage();
    await popup.goto(`chrome-extension://${session.extensionId}/popup.html`);
    await passFirstRun(popup, 'me');
    expect((await settings()).analyze).toBe('me');
    await expect.poll(() => popup.getByTestId('analyze-mode').textContent()).toContain('Just me');
    await popup.getByTestId('copy-notice').click();
    await expect.poll(() => popup.getByTestId('copy-notice-status').textContent()).toContain('Copied');
    // Pasted by the user (a real Ctrl+V) into a chat box: the notice as written.
    const chat = await session.context.newPage();
    await chat.setContent('<textarea id="chat"></textarea>');
    await chat.focus('#chat');
    await chat.keyboard.press('Control+V');
    expect(await chat.inputValue('#chat')).toBe(CHAT_NOTICE);
    await chat.close();
    await popup.close();
  });
});

describe('just me', () => {
  it('Meet: only the self view (marked by the site) gets a chip, and only its frames reach the ML host', async () => {
    await ext.send('updateSettings', { analyze: 'me' });
    const { page, tabId } = await openFixturePage(session, ext, 'meet');
    await waitForVideos(page, 20_000);
    await ext.send('setOverlay', { tabId, on: true });
    await expect.poll(async () => withChips(await readOverlay(page)).length, { timeout: 20_000 }).toBe(1);
    await page.waitForTimeout(3000);
    const [mine] = withChips(await readOverlay(page));
    expect(inside(mine!.rect, await rectOf(page, '#self'), 4)).toBe(true);
    expect(withChips(await readOverlay(page))).toHaveLength(1);
    expect([...(await received(tabId)).keys()]).toEqual([mine!.tileId]);
    const call = (await live(tabId)).call!;
    expect(call.analyze).toBe('me');
    expect(call.participants.map((p) => p.name)).toEqual(['Margaret Hamilton']);
    // Held long enough to be kept: the self-coaching summary below reads it from the history.
    await expect.poll(async () => worthKeeping((await live(tabId)).call ?? { participants: [] }), { timeout: 15_000 }).toBe(true);
    await ext.send('setOverlay', { tabId, on: false });
    await page.close();
  });

  for (const [fixture, query, expected] of [
    ['zoomCases', '', 4],
    ['teams', '?p=fixture', 3],
  ] as const) {
    it(`${fixture === 'teams' ? 'Teams' : 'Zoom'}: no self view is marked, so every tile offers "This is me" and nothing is analyzed; after the user picks one, only that tile`, async () => {
      await ext.send('updateSettings', { analyze: 'me' });
      const { page, tabId } = await openFixturePage(session, ext, fixture, query);
      await waitForVideos(page, 20_000, true);
      await ext.send('setOverlay', { tabId, on: true });
      await expect.poll(async () => ((await readOverlay(page)) ?? []).filter((t) => t.buttons.some((b) => b.kind === 'pick')).length, { timeout: 20_000 }).toBe(expected);
      await page.waitForTimeout(1500);
      expect(withChips(await readOverlay(page))).toEqual([]);
      expect((await received(tabId)).size).toBe(0);
      const tiles = (await readOverlay(page))!;
      const picked = tiles[0]!;
      await clickIn(page, picked.buttons.find((b) => b.kind === 'pick')!.rect);
      await expect.poll(async () => withChips(await readOverlay(page)).map((t) => t.tileId), { timeout: 15_000 }).toEqual([picked.tileId]);
      await page.waitForTimeout(2000);
      expect(withChips(await readOverlay(page)).map((t) => t.tileId)).toEqual([picked.tileId]);
      expect([...(await received(tabId)).keys()]).toEqual([picked.tileId]);
      // The others show nothing now (no button, no chip): they are not analyzed.
      expect((await readOverlay(page))!.map((t) => t.tileId)).toEqual([picked.tileId]);
      await ext.send('setOverlay', { tabId, on: false });
      await page.close();
    });
  }
});

describe("don't analyze", () => {
  it("a participant's chip goes within a second; they leave the live summary and the stored call, and no more of their frames reach the ML host", async () => {
    await ext.send('updateSettings', { analyze: 'everyone' });
    const { page, tabId } = await openFixturePage(session, ext, 'meet');
    await waitForVideos(page, 20_000);
    await ext.send('setOverlay', { tabId, on: true });
    await expect.poll(async () => withChips(await readOverlay(page)).length, { timeout: 20_000 }).toBe(4);
    // Stored in the history (a face held for a while), with Ada in it.
    const stored = async (id: string) => (await ext.page.evaluate((k) => chrome.storage.local.get(k), `call:${id}`))[`call:${id}`] as { participants: Array<{ name: string | null }> } | undefined;
    await expect.poll(async () => (await live(tabId)).call?.id && (await stored((await live(tabId)).call!.id))?.participants.some((p) => p.name === 'Ada Lovelace'), { timeout: 20_000 }).toBe(true);
    const callId = (await live(tabId)).call!.id;
    const ada = (await readOverlay(page))!.find((t) => t.buttons.some((b) => b.label === "Don't analyze Ada Lovelace"))!;
    const t0 = Date.now();
    await clickIn(page, ada.buttons.find((b) => b.kind === 'leave')!.rect);
    await expect.poll(async () => (await readOverlay(page))!.some((t) => t.tileId === ada.tileId), { timeout: 1000, interval: 50 }).toBe(false);
    console.log(`[who] the chip went ${Date.now() - t0} ms after the click`);
    await expect.poll(async () => (await live(tabId)).call!.participants.map((p) => p.name).includes('Ada Lovelace'), { timeout: 2000 }).toBe(false);
    await expect.poll(async () => (await stored(callId))!.participants.some((p) => p.name === 'Ada Lovelace'), { timeout: 2000 }).toBe(false);
    const before = (await received(tabId)).get(ada.tileId) ?? 0;
    await page.waitForTimeout(2000);
    expect((await received(tabId)).get(ada.tileId) ?? 0).toBeLessThanOrEqual(before + 1); // at most the one in flight
    expect(withChips(await readOverlay(page))).toHaveLength(3);
    expect((await live(tabId)).call!.participants.map((p) => p.name)).not.toContain('Ada Lovelace');

    // From the popup, for good: "Never analyze Grace Hopper on Google Meet".
    const popup = await openPopupPast(session, `?tabId=${tabId}`);
    const grace = popup.getByTestId('participant-row').filter({ hasText: 'Grace Hopper' });
    await grace.getByTestId('leave-out-always').click();
    await expect.poll(async () => withChips(await readOverlay(page)).length, { timeout: 2000 }).toBe(2);
    await expect.poll(async () => (await live(tabId)).call!.participants.map((p) => p.name).includes('Grace Hopper'), { timeout: 2000 }).toBe(false);
    expect((await settings()).excludedNames).toEqual(['meet:Grace Hopper']);
    // Settings lists her, and removing her there analyzes her again.
    await popup.getByTestId('tab-settings').click();
    await expect.poll(() => popup.getByTestId('excluded-name').allTextContents()).toEqual(['Google Meet: Grace Hopper']);
    await popup.getByTestId('excluded-remove').click();
    await expect.poll(async () => (await settings()).excludedNames).toEqual([]);
    await popup.close();

    // Mid-call, from the popup's Now view: "Just me". Only the self view keeps a chip, and the call goes on as the user's own part.
    const now = await openPopupPast(session, `?tabId=${tabId}`);
    await expect.poll(() => now.getByTestId('analyze-mode').textContent()).toContain('Everyone');
    await now.getByTestId('analyze-toggle').click();
    await expect.poll(async () => (await settings()).analyze).toBe('me');
    const selfRect = await rectOf(page, '#self');
    await expect.poll(async () => withChips(await readOverlay(page)).map((t) => inside(t.rect, selfRect, 4)), { timeout: 3000 }).toEqual([true]);
    await expect.poll(async () => (await live(tabId)).call?.analyze, { timeout: 5000 }).toBe('me');
    await now.close();
    await ext.send('setOverlay', { tabId, on: false });
    await page.close();
  });
});

describe('a self-coaching summary', () => {
  it('the call made in "just me" reads as the user\'s own in the popup', async () => {
    const { calls } = await ext.send<{ calls: Array<{ id: string; analyze?: string }> }>('listCallIndex', undefined);
    expect(calls.some((c) => c.analyze === 'me')).toBe(true);
    const popup = await openPopupPast(session);
    await popup.getByTestId('tab-history').click();
    const mine = popup.getByTestId('history-item').filter({ has: popup.getByTestId('history-self') }).first();
    await mine.click();
    await expect.poll(() => popup.getByTestId('self-coaching-title').textContent()).toContain('Your self-coaching summary');
    await popup.close();
  });
});
