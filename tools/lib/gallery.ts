// Node: the fixture call as a real gallery shows it (tests/e2e/fixtures/many-tiles.html), for the
// benchmarks that open it (bench:cpu, bench:long).
import { type ExtensionSession, extensionPage, FIXTURE_PAGES, serveFixtures, waitForVideos } from './extension-browser';

/** The window the fixture call is shown in (a laptop's full-HD screen). */
export const WINDOW = { width: 1920, height: 1080 };

/**
 * A Meet-like gallery of n tiles in WINDOW: a square-ish grid (2x2, 3x3, 4x4, 5x5), 16:9 tiles as
 * wide as the columns allow: 4 tiles ~940x530, 9 ~620x350, 16 ~460x260, 25 ~370x210.
 */
export function galleryLayout(n: number): { cols: number; width: number } {
  const cols = Math.max(1, Math.ceil(Math.sqrt(n)));
  const rows = Math.ceil(n / cols);
  const gap = 4;
  const byWidth = (WINDOW.width - gap * (cols + 1)) / cols;
  const byHeight = ((WINDOW.height - gap * (rows + 1)) / rows) * (16 / 9);
  return { cols, width: Math.floor(Math.min(byWidth, byHeight, 1280)) };
}

/**
 * The fixture call of `tiles` playing tiles in a WINDOW-sized tab (a gallery, or every tile `tileWidth`
 * wide; the first `empty` of them an empty room), with the extension page that sends its messages and the call's tab id.
 */
export async function openGallery(session: ExtensionSession, tiles: number, tileWidth?: number, empty = 0) {
  await serveFixtures(session);
  const ext = await extensionPage(session);
  const page = await session.context.newPage();
  await page.setViewportSize(WINDOW);
  const layout = tileWidth ? { cols: Math.max(1, Math.floor(WINDOW.width / (tileWidth + 4))), width: tileWidth } : galleryLayout(tiles);
  await page.goto(`${FIXTURE_PAGES.manyTiles.url}?n=${tiles}&w=${layout.width}&cols=${layout.cols}${empty ? `&empty=${empty}` : ''}`);
  const tabId = await ext.tabIdOf(`${FIXTURE_PAGES.manyTiles.url}*`);
  if (tabId === null) throw new Error('no tab for the fixture call');
  await page.bringToFront();
  await waitForVideos(page, 30_000, true);
  return { ext, page, tabId, tileSize: `${layout.width}x${Math.round((layout.width * 9) / 16)}` };
}
