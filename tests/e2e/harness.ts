// Node (Playwright): e2e helpers on top of tools/lib/extension-browser (which the benchmarks share).
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { LiveStatus } from '../../src/messaging/background';
import { type ExtensionPage, extensionPage, type ExtensionSession, inside, launchExtension, type LaunchOptions, type OverlaySnapshot, readOverlay, serveFixtures } from '../../tools/lib/extension-browser';

export * from '../../tools/lib/extension-browser';

/**
 * A suite's browser: the built extension launched with `opts`, the fixture sites served, and the
 * extension page that sends its messages (`blocked`: requests the fixture route refused).
 */
export async function openSession(opts: LaunchOptions = {}): Promise<{ session: ExtensionSession; ext: ExtensionPage; blocked: string[] }> {
  const session = await launchExtension(opts);
  try {
    const { blocked } = await serveFixtures(session);
    return { session, ext: await extensionPage(session), blocked };
  } catch (err) {
    await session.close();
    throw err;
  }
}

/** Wait until at least `tiles` tiles show a chip; returns the overlay then. */
export async function waitForChipsOn(page: Page, tiles: number, timeoutMs: number): Promise<OverlaySnapshot[]> {
  await expect
    .poll(async () => (await readOverlay(page))?.filter((t) => t.chips.length > 0).length ?? 0, { timeout: timeoutMs, interval: 200 })
    .toBeGreaterThanOrEqual(tiles);
  return (await readOverlay(page))!;
}


export type Rect = { x: number; y: number; width: number; height: number };

/** The overlay tile drawn over `rect` (its rectangle within 2 px). */
export const tileOver = (tiles: OverlaySnapshot[], rect: Rect) => tiles.find((t) => inside(t.rect, rect) && inside(rect, t.rect));

/** An element's rectangle in the page's viewport. */
export const rectOf = (page: Page, selector: string) => page.evaluate((s) => document.querySelector(s)!.getBoundingClientRect().toJSON() as Rect, selector);

/** The names of the live call's participants in a tab, as the popup shows them. */
export const liveNames = async (ext: ExtensionPage, tabId: number) => ((await ext.send<LiveStatus>('getLiveStatus', { tabId })).call?.participants ?? []).map((p) => p.name);

/**
 * Past the first-run notice if the popup shows it, choosing how the extension is used (the suites
 * that do not test "just me" analyze everyone, as the fixtures' calls are made to be).
 */
export async function passFirstRun(popup: Page, analyze: 'everyone' | 'me' = 'everyone'): Promise<void> {
  await popup.locator('[data-testid="first-run-ok"], [data-testid="now"]').first().waitFor();
  if (!(await popup.getByTestId('first-run-ok').isVisible())) return;
  await popup.getByTestId(`first-run-${analyze}`).check();
  await popup.getByTestId('first-run-ok').click();
}

/** The popup (aimed at a tab with `?tabId=`), past the first-run notice if a fresh profile shows it. */
export async function openPopupPast(session: ExtensionSession, query = ''): Promise<Page> {
  const popup = await session.context.newPage();
  await popup.goto(`chrome-extension://${session.extensionId}/popup.html${query}`);
  await passFirstRun(popup);
  return popup;
}
