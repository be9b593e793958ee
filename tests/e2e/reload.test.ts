// Node (Playwright): the extension is reloaded (as by an update) in the middle of a fake Meet call:
// the open tab gets a fresh content script, analysis resumes within the stated time, and the call
// goes on as the same call with its summary intact.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKPOINT_MS } from '../../src/calls/summary';
import type { CallHistory } from '../../src/messaging/background';
import { type ExtensionPage, extensionPage, type ExtensionSession, FAKE_CAMERA_ARGS, openFixturePage, openSession, OVERLAY_HOSTS, readOverlayRoots, reloadExtension, waitForChipsOn, waitForVideos } from './harness';

/** Stated bound: extension reloaded -> labels on every tile again (measured 3-4 s here). */
const RESUME_BOUND_MS = 15_000;

let session: ExtensionSession;
let ext: ExtensionPage;

beforeAll(async () => {
  ({ session, ext } = await openSession({
    args: [...FAKE_CAMERA_ARGS],
  }));
});
afterAll(async () => session?.close());

const history = () => ext.send<CallHistory>('listCalls', undefined);

/** Overlay roots in the page: the orphaned script's (tagged before the reload) and the new one's. */
const overlayRoots = async (page: Page) =>
  (await readOverlayRoots(page)).map((r) => ({
    old: r.dataset.generation === 'before-reload',
    tilesWithChips: r.tiles.filter((t) => t.chips.length > 0).length,
  }));

describe('extension reloaded mid-call', () => {
  let page: Page;
  let callId = '';
  let framesBefore = 0;

  it('runs a call with the overlay on', async () => {
    let tabId: number;
    ({ page, tabId } = await openFixturePage(session, ext, 'meet'));
    await waitForVideos(page, 20_000);
    await ext.send('setOverlay', { tabId, on: true });
    await waitForChipsOn(page, 4, 15_000);
    await page.waitForTimeout(8000);
    const [live] = (await history()).calls;
    expect(live?.ended).toBe(false);
    callId = live!.id;
    framesBefore = live!.frames;
  });

  it(`resumes analysis on every tile within ${RESUME_BOUND_MS / 1000} s, as the same call`, async () => {
    await page.waitForTimeout(CHECKPOINT_MS + 1000); // the history's checkpoint now holds at least framesBefore
    await page.evaluate(`${OVERLAY_HOSTS}.forEach((r) => (r.dataset.generation = 'before-reload'))`);
    const t0 = Date.now();
    await reloadExtension(session);
    ext = await extensionPage(session); // the old control page died with the extension
    // The orphaned script removes its overlay; the re-injected one draws labels on all four tiles.
    await expect
      .poll(async () => {
        const roots = await overlayRoots(page);
        return !roots.some((r) => r.old) && roots.some((r) => r.tilesWithChips >= 4);
      }, { timeout: RESUME_BOUND_MS, interval: 200 })
      .toBe(true);
    const resumeMs = Date.now() - t0;
    console.log(`[reload] labels on 4 tiles again ${resumeMs} ms after the reload`);
    expect(await page.evaluate(`${OVERLAY_HOSTS}.length`)).toBe(1);

    const { calls, problems } = await history();
    expect(problems).toEqual([]);
    // Same call, still live, resumed from the history's checkpoint: it holds every frame up to at
    // most CHECKPOINT_MS before the reload (the test read framesBefore earlier than that).
    expect(calls.map((c) => c.id)).toEqual([callId]);
    expect(calls[0]!.ended).toBe(false);
    expect(calls[0]!.frames).toBeGreaterThan(framesBefore);
  });

  it('is listed once the tab closes, with all four participants', async () => {
    await page.close();
    await expect.poll(async () => (await history()).calls[0]?.ended, { timeout: 5000 }).toBe(true);
    const { calls } = await history();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.endReason).toBe('tab-closed');
    expect(calls[0]!.participants.map((p) => p.name).sort()).toEqual(['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Margaret Hamilton']);
  });
});
