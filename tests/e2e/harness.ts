// Node (Playwright): e2e helpers on top of tools/lib/extension-browser (which the benchmarks share).
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { type OverlaySnapshot, readOverlay } from '../../tools/lib/extension-browser';

export * from '../../tools/lib/extension-browser';

/** Wait until at least `tiles` tiles show a chip; returns the overlay then. */
export async function waitForChipsOn(page: Page, tiles: number, timeoutMs: number): Promise<OverlaySnapshot[]> {
  await expect
    .poll(async () => (await readOverlay(page))?.filter((t) => t.chips.length > 0).length ?? 0, { timeout: timeoutMs, interval: 200 })
    .toBeGreaterThanOrEqual(tiles);
  return (await readOverlay(page))!;
}

