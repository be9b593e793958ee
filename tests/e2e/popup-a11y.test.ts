// Node (Playwright): the popup for every reader. axe-core (the rules Chrome's own accessibility
// checks and most audits use) over the first run, Now, the History list, a call's detail and
// Settings, in the light and the dark theme: no violation. And a Chromium whose UI is German
// shows the popup in German (public/_locales; chromium-l10n gives Chromium its languages).
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallHistory } from '../../src/messaging/background';
import { addFrame, type CallSummary, endCall, startCall } from '../../src/calls/summary';
import { REPO_ROOT } from '../../tools/lib/paths';
import { type ExtensionPage, type ExtensionSession, FAKE_CAMERA_ARGS, openFixturePage, openPopupPast, openSession, passFirstRun, waitForChipsOn, waitForVideos } from './harness';

const ARTIFACTS = join(REPO_ROOT, 'artifacts', 'e2e');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/** axe-core's violations on the page as it is now (WCAG 2.1 A and AA, and axe's best practices). */
async function violations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    return (await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })).violations;
  });
  return found.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

let session: ExtensionSession;
let ext: ExtensionPage;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  // The Meet fixture's self view is the camera: a fake one.
  ({ session, ext } = await openSession({ args: [...FAKE_CAMERA_ARGS] }));
});
afterAll(async () => session?.close());

describe('the popup for every reader', () => {
  it('a call to look back on (10 s of a fixture call, then the tab closed)', async () => {
    const { page, tabId } = await openFixturePage(session, ext, 'meet');
    await waitForVideos(page, 20_000);
    await ext.send('setOverlay', { tabId, on: true });
    await waitForChipsOn(page, 3, 20_000);
    await page.waitForTimeout(8000);
    // The first screen of a live call (README): each person's label now, the call in one line.
    const live = await openPopupPast(session, `?tabId=${tabId}`);
    await live.getByTestId('participant-now').first().waitFor();
    await live.screenshot({ path: join(ARTIFACTS, 'popup-live.png'), fullPage: true });
    await live.close();
    await page.close();
    await expect.poll(async () => (await ext.send<CallHistory>('listCalls', undefined)).calls.filter((c) => c.ended).length, { timeout: 15_000 }).toBe(1);
  });

  it.each(['light', 'dark'] as const)('axe finds no violation in the first run, Now, History, a call and Settings (%s)', async (colorScheme) => {
    await ext.page.evaluate(() => chrome.storage.local.remove('firstRunAcknowledged'));
    const popup = await session.context.newPage();
    await popup.emulateMedia({ colorScheme });
    await popup.goto(`chrome-extension://${session.extensionId}/popup.html`);
    const seen: Record<string, string[]> = {};
    await popup.getByTestId('first-run').waitFor();
    seen['first run'] = await violations(popup);
    await passFirstRun(popup);
    await popup.getByTestId('now').waitFor();
    seen.now = await violations(popup);
    await popup.getByTestId('tab-history').click();
    await popup.getByTestId('history-item').first().waitFor();
    seen.history = await violations(popup);
    await popup.getByTestId('history-item').first().click();
    await popup.locator('svg.timeline').first().waitFor();
    expect(await popup.getByTestId('call-headline').textContent()).toMatch(/^\d+ sec · \d people · mostly \w+/);
    await popup.screenshot({ path: join(ARTIFACTS, `popup-past-${colorScheme}.png`), fullPage: true });
    seen['a call'] = await violations(popup);
    await popup.getByTestId('tab-settings').click();
    await popup.locator('.settings').waitFor();
    seen.settings = await violations(popup);
    await popup.close();
    expect(seen).toEqual({ 'first run': [], now: [], history: [], 'a call': [], settings: [] });
  });
});

/** A 3-hour call of 25 people with long names, each changing label every few minutes (frames every 30 s). */
function bigCall(now: number): CallSummary {
  const start = now - 3 * 3_600_000 - 60_000;
  const labels = ['angry', 'happy', 'neutral', 'sad', 'surprise'];
  let call = startCall({ site: 'meet', callId: 'big-room-xyz', title: 'Quarterly all-hands: engineering, design, research and the whole of customer success', time: start, labels });
  for (let time = start; time <= start + 3 * 3_600_000; time += 30_000) {
    for (let i = 0; i < 25; i++) {
      const label = labels[(i + Math.floor((time - start) / (60_000 * (3 + (i % 4))))) % 5]!;
      call = addFrame(call, { time, tileId: `t${i}`, name: `Maximiliane Alexandra von Hohenzollern-Sigmaringen ${i + 1}`, faces: [{ trackId: 1, label }] });
    }
  }
  return endCall(call, start + 3 * 3_600_000, 'tab-closed');
}

describe('a large, long call', () => {
  it('25 people with long names over 3 hours: the call reads in one line, nothing overflows the popup, axe finds nothing', async () => {
    const outcome = await ext.send<{ added: number }>('importCalls', { calls: [bigCall(Date.now())] });
    expect(outcome.added).toBe(1);
    const popup = await openPopupPast(session);
    await popup.getByTestId('tab-history').click();
    await popup.getByTestId('history-item').filter({ hasText: 'Quarterly' }).click();
    await popup.locator('svg.timeline').first().waitFor();
    expect(await popup.getByTestId('call-headline').textContent()).toMatch(/^3 hr · 25 people · mostly \w+/);
    expect(await popup.getByTestId('participant-row').count()).toBe(25);
    // Nothing wider than the popup (long names and the title wrap or are cut with an ellipsis).
    expect(await popup.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    await popup.screenshot({ path: join(ARTIFACTS, 'popup-past-25.png'), fullPage: true });
    expect(await violations(popup)).toEqual([]);
    // By keyboard alone: Tab reaches the way back, the details and every export.
    const reached = new Set<string>();
    for (let i = 0; i < 80; i++) {
      await popup.keyboard.press('Tab');
      reached.add(await popup.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName.toLowerCase() ?? ''));
    }
    for (const id of ['back', 'export-csv', 'export-json', 'save-image', 'delete-call']) expect(reached, id).toContain(id);
    await popup.close();
  });
});

describe('in German', () => {
  it('a Chromium whose UI language is German shows the popup in German', async () => {
    const german = await openSession({ args: ['--lang=de'], env: { LANGUAGE: 'de', LANG: 'de_DE.UTF-8' } });
    try {
      const popup = await german.session.context.newPage();
      await popup.goto(`chrome-extension://${german.session.extensionId}/popup.html`);
      await passFirstRun(popup);
      expect(await popup.getByTestId('tab-history').textContent()).toBe('Verlauf');
      expect(await popup.getByTestId('tab-settings').textContent()).toBe('Einstellungen');
      expect(await popup.evaluate(() => chrome.i18n.getUILanguage())).toMatch(/^de/);
    } finally {
      await german.session.close();
    }
  });
});
