// Node (Playwright): what a call page's own scripts can do to the extension. They must read nothing
// the overlay draws (labels, names, boxes) and must not be able to make it stand down.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HOST_STYLE } from '../../src/overlay/overlay';
import { FAKE_CAMERA_ARGS, type ExtensionPage, extensionPage, type ExtensionSession, launchExtension, openFixturePage, OVERLAY_HOSTS, readOverlay, serveFixtures, waitForChipsOn, waitForVideos } from './harness';

const LABELS = ['angry', 'happy', 'neutral', 'sad', 'surprise'];

let session: ExtensionSession;
let ext: ExtensionPage;

beforeAll(async () => {
  session = await launchExtension({
    args: [...FAKE_CAMERA_ARGS],
  });
  await serveFixtures(session);
  // The page's own script, installed before anything else runs: records every window message.
  await session.context.addInitScript(() => {
    const seen: unknown[] = [];
    (window as unknown as { seenMessages: unknown[] }).seenMessages = seen;
    window.addEventListener('message', (e) => seen.push(e.data));
  });
  ext = await extensionPage(session);
});
afterAll(async () => session?.close());

/** Closed after each test, pass or fail, so the next test's tab lookup finds only its own page. */
let page: Page | null = null;
afterEach(async () => {
  await page?.close();
  page = null;
});

const stats = (tabId: number) => ext.send<{ on: boolean; framesAnalyzed: number }>('getOverlay', { tabId });

const open = async () => {
  const opened = await openFixturePage(session, ext, 'meet');
  page = opened.page;
  await waitForVideos(page, 20_000, true);
  return opened;
};

/** Everything a page script can reach: every node of the document and of every shadow root it can open. */
interface PageInventory {
  elements: number;
  texts: string[];
  attributes: string[];
  hosts: Array<{ name: string; hasShadowRoot: boolean; children: number; attributes: string[] }>;
  found: Record<string, boolean>;
}

function inventory(page: Page): Promise<PageInventory> {
  return page.evaluate((labels) => {
    const texts: string[] = [];
    const attributes: string[] = [];
    let elements = 0;
    const stack: Node[] = [document];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node.nodeType === Node.TEXT_NODE) texts.push(node.nodeValue ?? '');
      if (node instanceof Element) {
        elements++;
        for (const a of node.attributes) attributes.push(`${a.name}=${a.value}`);
        if (node.shadowRoot) stack.push(node.shadowRoot);
      }
      stack.push(...node.childNodes);
    }
    const hosts = [...document.documentElement.children].filter((e) => e !== document.head && e !== document.body).map((h) => ({
      name: h.localName,
      hasShadowRoot: h.shadowRoot !== null,
      children: h.childNodes.length,
      attributes: [...h.attributes].map((a) => a.name),
    }));
    // Find-in-page as a script can run it: does any label show anywhere on the rendered page?
    const found: Record<string, boolean> = {};
    for (const l of labels) {
      window.getSelection()?.removeAllRanges();
      found[l] = (window as unknown as { find: (s: string) => boolean }).find(l);
    }
    window.getSelection()?.removeAllRanges();
    return { elements, texts, attributes, hosts, found };
  }, LABELS);
}

describe('a page script walking the DOM and every shadow root', () => {
  it('finds no label, name or box the overlay draws', async () => {
    const { page, tabId } = await open();
    const before = await inventory(page);
    await ext.send('setOverlay', { tabId, on: true });
    await waitForChipsOn(page, 4, 15_000);
    const after = await inventory(page);

    const labelText = new RegExp(`\\b(${LABELS.join('|')})\\b`, 'i');
    expect(after.texts.filter((t) => labelText.test(t))).toEqual([]);
    expect(after.attributes.filter((a) => labelText.test(a))).toEqual([]);
    expect(after.found).toEqual(Object.fromEntries(LABELS.map((l) => [l, false])));
    // Names, percentages, statuses: the page's own text is all there is; the overlay adds none.
    expect(after.texts.filter((t) => t.trim() !== '').sort()).toEqual(before.texts.filter((t) => t.trim() !== '').sort());
    // Boxes: one new element in the whole page, an empty host with a fixed style and nothing else.
    expect(after.elements - before.elements).toBe(1);
    expect(after.hosts).toEqual([{ name: expect.stringMatching(/^[a-z]{4}-[a-z]{6}$/), hasShadowRoot: false, children: 0, attributes: ['style'] }]);
    // A name that says nothing of what the extension does.
    expect(after.hosts[0]!.name).not.toMatch(/emotion|overlay|affect|mood/);
    expect(after.attributes.filter((a) => !before.attributes.includes(a))).toEqual([`style=${HOST_STYLE}`]);
    await ext.send('setOverlay', { tabId, on: false });
  });
});

describe('a page hiding or removing the overlay', () => {
  const hostStyle = `(() => { const h = ${OVERLAY_HOSTS}[0]; if (!h) return 'gone'; const s = getComputedStyle(h); return [s.display, s.visibility, s.opacity].join(' '); })()`;

  it('a style sheet rule cannot hide it; a host the page removes or restyles is back within a second, labels and all', async () => {
    const { tabId } = await open();
    await ext.send('setOverlay', { tabId, on: true });
    await waitForChipsOn(page!, 4, 15_000);
    await page!.addStyleTag({ content: 'html > :not(head):not(body) { display: none !important; visibility: hidden !important; opacity: 0 !important; }' });
    expect(await page!.evaluate(hostStyle)).toBe('block visible 1');
    await page!.evaluate(`${OVERLAY_HOSTS}[0].style.display = 'none'`);
    await expect.poll(() => page!.evaluate(hostStyle), { timeout: 1000, interval: 50 }).toBe('block visible 1');
    await page!.evaluate(`${OVERLAY_HOSTS}.forEach((h) => h.remove())`);
    await expect.poll(() => page!.evaluate(hostStyle), { timeout: 1000, interval: 50 }).toBe('block visible 1');
    expect((await readOverlay(page!))?.filter((t) => t.chips.length > 0).length).toBe(4);
    await ext.send('setOverlay', { tabId, on: false });
  });
});

describe('a page script replaying what the content script posted', () => {
  it('cannot make the overlay stand down: frames keep being analyzed', async () => {
    const { page, tabId } = await open();
    await ext.send('setOverlay', { tabId, on: true });
    await waitForChipsOn(page, 4, 15_000);
    const posted = await page.evaluate(() => (window as unknown as { seenMessages: unknown[] }).seenMessages);
    // Replay every message seen, on both channels a content script could listen to (window
    // messages and same-named DOM events), as an attacker who saw them would.
    await page.evaluate((messages) => {
      for (const m of messages) {
        window.postMessage(m, '*');
        const type = (m as { type?: unknown } | null)?.type;
        if (typeof type === 'string') document.dispatchEvent(new CustomEvent(type, { detail: { ...(m as object), messageId: 'forged' } }));
      }
    }, posted);
    const atReplay = (await stats(tabId)).framesAnalyzed;
    await page.waitForTimeout(3000);
    // 4 tiles at 6 frames/s for 3 s: about 70; a stood-down script analyzes none.
    expect((await stats(tabId)).framesAnalyzed - atReplay).toBeGreaterThan(20);
    expect((await stats(tabId)).on).toBe(true);
    // Nothing the page saw names the extension (no announcement to fingerprint or forge).
    expect(JSON.stringify(posted)).not.toContain(session.extensionId);
    await ext.send('setOverlay', { tabId, on: false });
  });
});

describe('a page script changing the URL over and over (history.pushState)', () => {
  it('a new meeting code every 400 ms for 20 s adds no call to the history (it used to add 64)', async () => {
    const before = (await ext.send<{ calls: unknown[] }>('listCalls', undefined)).calls.length;
    const { tabId } = await open();
    await ext.send('setOverlay', { tabId, on: true });
    await waitForChipsOn(page!, 4, 15_000);
    await page!.evaluate(async () => {
      for (let i = 0; i < 50; i++) {
        // Meeting codes are letters only (abc-defg-hij): chn-aaaa-xyz, chn-aaab-xyz, …
        const code = [...String(i).padStart(4, '0')].map((d) => String.fromCharCode(97 + Number(d))).join('');
        history.pushState({}, '', `/chn-${code}-xyz`);
        await new Promise((r) => setTimeout(r, 400));
      }
    });
    await ext.send('setOverlay', { tabId, on: false });
    await page!.close();
    page = null;
    await new Promise((r) => setTimeout(r, 1500));
    const { calls } = await ext.send<{ calls: Array<{ callId: string }> }>('listCalls', undefined);
    // At most the meeting the page opened at (when it lasted past a blip): none of the churned codes.
    expect(calls.length - before).toBeLessThanOrEqual(1);
    expect(calls.filter((c) => c.callId.startsWith('chn-'))).toEqual([]);
  });
});
