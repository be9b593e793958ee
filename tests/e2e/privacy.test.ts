// Node (Playwright): nothing leaves the machine and nothing but aggregates is stored. Every request
// of the pages and the service worker is recorded (and any non-fixture one aborted); the extension's
// own pages (offscreen document, popup) cannot reach the network at all: their CSP says
// connect-src 'self', which this test checks is enforced.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallHistory } from '../../src/messaging/background';
import { evaluateInContentScript, type ExtensionPage, type ExtensionSession, FAKE_CAMERA_ARGS, openFixturePage, openSession, waitForChipsOn, waitForVideos, passFirstRun } from './harness';

let session: ExtensionSession;
let ext: ExtensionPage;
let blocked: string[];

beforeAll(async () => {
  ({ session, ext, blocked } = await openSession({
    args: [...FAKE_CAMERA_ARGS],
  }));
});
afterAll(async () => {
  await session?.close();
});

describe('privacy during a fixture call', () => {
  it('makes no network request of any kind, from any context', async () => {
    const { page, tabId } = await openFixturePage(session, ext, 'meet');
    await waitForVideos(page, 20_000);
    await ext.send('setOverlay', { tabId, on: true });
    await waitForChipsOn(page, 4, 15_000);
    await page.waitForTimeout(8000);
    await page.close();
    await expect.poll(async () => (await ext.send<CallHistory>('listCalls', undefined)).calls[0]?.ended, { timeout: 5000 }).toBe(true);
    const requests = session.requests.map((r) => r.url()).filter((u) => !u.startsWith('chrome-extension://') && !u.startsWith('data:') && !u.startsWith('blob:'));
    expect(requests.every((u) => /^https:\/\/(meet\.google\.com|www\.youtube\.com|app\.zoom\.us)\//.test(u))).toBe(true);
    expect(blocked).toEqual([]);
  });

  it("the extension's own pages cannot reach the network (CSP connect-src 'self' is enforced)", async () => {
    const result = await ext.page.evaluate(async () => {
      const violations: string[] = [];
      document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.effectiveDirective} ${e.blockedURI}`));
      const outcome = await fetch('https://www.youtube.com/fixtures/talking-d3.webm').then(
        () => 'fetched',
        (e: unknown) => `blocked: ${String(e)}`,
      );
      await new Promise((r) => setTimeout(r, 100));
      return { outcome, violations };
    });
    expect(result.outcome).toMatch(/^blocked/);
    expect(result.violations).toEqual(['connect-src https://www.youtube.com/fixtures/talking-d3.webm']);
  });

  it("the content script's world (what a compromised call page reaches) cannot read the call history or any stored item", async () => {
    const { page } = await openFixturePage(session, ext, 'meet');
    const read = `chrome.storage.local.get(null).then((v) => 'read ' + JSON.stringify(v).length + ' bytes', (e) => 'refused: ' + e.message)`;
    expect(await evaluateInContentScript(page, read)).toMatch(/^refused: Access to storage is not allowed from this context/);
    expect(await evaluateInContentScript(page, read.replace('local', 'session'))).toMatch(/^refused/);
    await page.close();
  });

  it("the extension's pages load nothing from elsewhere (CSP default-src 'self'): an image or a frame from the network is refused, and the popup's own views raise no violation", async () => {
    const popup = await session.context.newPage();
    await popup.goto(`chrome-extension://${session.extensionId}/popup.html`);
    const result = await popup.evaluate(async () => {
      const violations: string[] = [];
      document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.effectiveDirective} ${e.blockedURI}`));
      const img = document.createElement('img');
      img.src = 'https://www.youtube.com/fixtures/images/astronaut.png';
      const frame = document.createElement('iframe');
      frame.src = 'https://www.youtube.com/watch?v=fixture0001';
      document.body.append(img, frame);
      await new Promise((r) => setTimeout(r, 300));
      img.remove();
      frame.remove();
      return violations;
    });
    // (a frame's blocked URI is reported as its origin only)
    expect(result.sort()).toEqual(['frame-src https://www.youtube.com/', 'img-src https://www.youtube.com/fixtures/images/astronaut.png']);
    // Every view of the popup, with the listener on from the start.
    const views = await session.context.newPage();
    await views.addInitScript(() => {
      (window as unknown as { violations: string[] }).violations = [];
      document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { violations: string[] }).violations.push(`${e.effectiveDirective} ${e.blockedURI}`));
    });
    await views.goto(`chrome-extension://${session.extensionId}/popup.html`);
    await passFirstRun(views);
    for (const tab of ['tab-history', 'tab-settings']) {
      await views.getByTestId(tab).click();
      await views.waitForTimeout(300);
    }
    expect(await views.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([]);
    await Promise.all([popup.close(), views.close()]);
  });

  it('stores aggregates only: no frame, image or face crop anywhere in extension storage', async () => {
    const dump = await ext.page.evaluate(async () => ({ local: await chrome.storage.local.get(null), session: await chrome.storage.session.get(null) }));
    const keys = [...Object.keys(dump.local), ...Object.keys(dump.session)].sort();
    // Known items only (WXT keeps a `<key>$` metadata entry for versioned items; a `call:<id>` record and a `callMeta:<id>` index entry per call).
    for (const k of keys) expect(k).toMatch(/^((callIds|settings|notices|heldNotices|firstRunAcknowledged|overlayTabs|liveCalls|pendingCalls)\$?|call(Meta)?:[\w:.-]+)$/);
    const text = JSON.stringify(dump);
    expect(text).not.toMatch(/data:image|blob:|;base64,/);
    expect(text).not.toMatch(/[A-Za-z0-9+/]{500,}/); // no encoded image data
    // No long runs of numbers (pixels, crops or embeddings): the longest numeric array is a label record.
    let longest = 0;
    const walk = (v: unknown) => {
      if (Array.isArray(v)) {
        if (v.every((x) => typeof x === 'number')) longest = Math.max(longest, v.length);
        v.forEach(walk);
      } else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk(dump);
    expect(longest).toBeLessThan(50);
    const { calls } = await ext.send<CallHistory>('listCalls', undefined);
    // lastFrameByTile: tile id -> latest frame time (de-duplicates re-sent reports), numbers only; opened: how many calls the tab opened in the hour.
    expect(Object.keys(calls[0]!).sort()).toEqual(
      ['backend', 'callId', 'end', 'endReason', 'ended', 'frames', 'id', 'labels', 'lastFrameByTile', 'models', 'opened', 'participants', 'site', 'start', 'timeline', 'timelineStepMs', 'title'].sort(),
    );
    expect(Object.values(calls[0]!.lastFrameByTile ?? {}).every((t) => typeof t === 'number')).toBe(true);
  });
});
