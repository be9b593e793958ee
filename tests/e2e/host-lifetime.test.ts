// Node (Playwright): the ML host (offscreen document) lives only while something needs it: a tab with
// the overlay on or an open popup. Unused for IDLE_CLOSE_MS, it is closed (its models' memory goes
// with it); turned on again, the overlay brings it back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDLE_CLOSE_MS } from '../../src/messaging/offscreen';
import { type ExtensionPage, extensionPage, type ExtensionSession, openFixturePage, openSession, waitForChipsOn } from './harness';

let session: ExtensionSession;
let ext: ExtensionPage;
beforeAll(async () => {
  ({ session, ext } = await openSession());
});
afterAll(async () => session?.close());

/** Offscreen documents of the extension now, as its service worker sees them. */
async function hosts(): Promise<number> {
  const worker = session.context.serviceWorkers().find((w) => w.url().includes(session.extensionId));
  if (!worker) throw new Error('no service worker');
  return worker.evaluate(async () => (await chrome.runtime.getContexts({ contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT] })).length);
}

describe('the ML host lifetime', () => {
  it('is closed when no tab has the overlay on and no popup is open, and comes back when the overlay is turned on', async () => {
    const { page, tabId } = await openFixturePage(session, ext, 'youtube');
    await page.waitForFunction(() => (document.querySelector('video')?.readyState ?? 0) >= 2);
    await ext.send('setOverlay', { tabId, on: true });
    await waitForChipsOn(page, 1, 15_000);
    expect(await hosts()).toBe(1);

    await ext.send('setOverlay', { tabId, on: false });
    await ext.page.close(); // the control page is a popup: while it is open, it watches the host
    const off = Date.now();
    await expect.poll(hosts, { timeout: IDLE_CLOSE_MS + 45_000, interval: 1000 }).toBe(0);
    expect(Date.now() - off).toBeGreaterThanOrEqual(IDLE_CLOSE_MS - 1000);

    ext = await extensionPage(session);
    await ext.send('setOverlay', { tabId, on: true });
    await waitForChipsOn(page, 1, 20_000);
    expect(await hosts()).toBe(1);
  });
});
