// Node (Playwright + Debian Chromium + the built extension): the Chrome Web Store screenshots
// (1280x800 PNG) listed in store/listing.md, taken from the real extension on the e2e fixture pages.
// Needs `npm run build` first. Writes store/screenshots/{1-overlay-meet,2-popup-live,
// 3-popup-history,4-overlay-youtube,5-call-summary}.png.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { FAKE_CAMERA_ARGS, extensionPage, type ExtensionSession, launchExtension, openFixturePage, readOverlay, serveFixtures, waitForVideos, waitUntil } from './lib/extension-browser';
import { REPO_ROOT } from './lib/paths';

const OUT_DIR = join(REPO_ROOT, 'store', 'screenshots');
/** The store's screenshot size. */
const STORE = { width: 1280, height: 800 };
/** Chrome's largest popup height; the popup's own width is 360 px (style.css). */
const POPUP = { width: 360, height: 600 };
const BACKGROUND = '#e8eaed';
/** How long the Meet call runs before its tab closes: long enough for a readable summary. */
const CALL_MS = 25_000;
const FIRST_LABEL_MS = 20_000;

/**
 * Presentation only: the fixture pages are bare mock-ups of the sites' DOM, laid out for the tests'
 * 1000x600 window. For the store's 1280x800 frame, centre the Meet grid and give the YouTube player
 * a watch-page layout. The overlay follows its tiles wherever they are (tests/e2e/overlay.test.ts).
 */
const MEET_CSS = `body { min-height: 100vh; display: flex; align-items: center; justify-content: center; }`;
const YOUTUBE_CSS = `
  body { font-family: Roboto, Arial, sans-serif; }
  #movie_player { width: 1088px; height: 612px; margin: 24px auto 0; }
  .html5-video-container { width: 100%; height: 100%; }
  video.html5-main-video { object-fit: contain; background: #000; }
  #owner { width: 1088px; margin: 14px auto 0; color: #f1f1f1; font-size: 16px; font-weight: 500; }`;

/** Until at least `tiles` tiles show a chip (the e2e harness's waitForChipsOn, without vitest). */
async function waitForChips(page: Page, tiles: number): Promise<void> {
  await waitUntil(async () => ((await readOverlay(page))?.filter((t) => t.chips.length > 0).length ?? 0) >= tiles, FIRST_LABEL_MS, `chips on ${tiles} tile(s)`);
}

/** The popup screenshot centred on a 1280x800 neutral canvas, with a soft shadow like Chrome's. */
async function composePopup(popupPng: Buffer, file: string): Promise<void> {
  const { width, height } = await sharp(popupPng).metadata();
  const w = width ?? POPUP.width;
  const h = height ?? POPUP.height;
  const left = Math.round((STORE.width - w) / 2);
  const top = Math.round((STORE.height - h) / 2);
  const pad = 40;
  const shadow = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w + 2 * pad}" height="${h + 2 * pad}">
       <defs><filter id="s" x="-50%" y="-50%" width="200%" height="200%"><feGaussianBlur stdDeviation="12"/></filter></defs>
       <rect x="${pad}" y="${pad + 6}" width="${w}" height="${h}" rx="8" fill="#000" fill-opacity="0.28" filter="url(#s)"/>
     </svg>`,
  );
  const mask = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect width="${w}" height="${h}" rx="8" fill="#fff"/></svg>`);
  const rounded = await sharp(popupPng).ensureAlpha().composite([{ input: mask, blend: 'dest-in' }]).png().toBuffer();
  await sharp({ create: { width: STORE.width, height: STORE.height, channels: 4, background: BACKGROUND } })
    .composite([
      { input: shadow, left: left - pad, top: top - pad },
      { input: rounded, left, top },
    ])
    .flatten({ background: BACKGROUND })
    .removeAlpha() // the store takes 24-bit PNG without alpha
    .png()
    .toFile(file);
}

async function openPopup(session: ExtensionSession, query = ''): Promise<Page> {
  const popup = await session.context.newPage();
  await popup.setViewportSize(POPUP);
  await popup.emulateMedia({ colorScheme: 'light' });
  await popup.goto(`chrome-extension://${session.extensionId}/popup.html${query}`);
  return popup;
}

async function main(): Promise<void> {
  mkdirSync(OUT_DIR, { recursive: true });
  const session = await launchExtension({
    args: [...FAKE_CAMERA_ARGS],
  });
  try {
    const { blocked } = await serveFixtures(session);
    const ext = await extensionPage(session);

    // 1: the overlay on the Meet-like gallery.
    const meet = await openFixturePage(session, ext, 'meet');
    await meet.page.setViewportSize(STORE);
    await meet.page.addStyleTag({ content: MEET_CSS });
    await waitForVideos(meet.page, 20_000, true);
    const callStart = Date.now();
    await ext.send('setOverlay', { tabId: meet.tabId, on: true });
    await waitForChips(meet.page, 4);
    await meet.page.waitForTimeout(2000); // past the first frames' smoothing
    await meet.page.screenshot({ path: join(OUT_DIR, '1-overlay-meet.png') });
    console.log('wrote 1-overlay-meet.png');

    // 2: the popup aimed at the Meet tab: live status and the call so far.
    const live = await openPopup(session, `?tabId=${meet.tabId}`);
    await live.getByTestId('first-run-everyone').check();
    await live.getByTestId('first-run-ok').click();
    await live.getByTestId('tab-now').click();
    await live.getByTestId('live-call').waitFor({ timeout: 15_000 });
    await waitUntil(async () => (await live.getByTestId('pipeline-state').textContent())?.toLowerCase().includes('ready') ?? false, 15_000, 'the pipeline to be ready');
    await live.waitForTimeout(Math.max(3000, CALL_MS - (Date.now() - callStart))); // let the summary grow
    await meet.page.bringToFront();
    await composePopup(await live.screenshot(), join(OUT_DIR, '2-popup-live.png'));
    console.log('wrote 2-popup-live.png');
    await live.close();

    // 3: the call in History once its tab has closed.
    await meet.page.close();
    await waitUntil(async () => (await ext.send<{ calls: Array<{ ended: boolean }> }>('listCalls', undefined)).calls[0]?.ended ?? false, 10_000, 'the call to end');
    const history = await openPopup(session);
    await history.getByTestId('tab-history').click();
    await history.getByTestId('history-item').first().click();
    await history.getByTestId('call-detail').waitFor();
    await composePopup(await history.screenshot(), join(OUT_DIR, '3-popup-history.png'));
    console.log('wrote 3-popup-history.png');
    // 5: the same call's "Save image" PNG, as the extension draws it (flattened: the store takes 24-bit PNGs).
    const saved = history.waitForEvent('download');
    await history.getByTestId('save-image').click();
    await sharp(readFileSync((await (await saved).path())!)).flatten({ background: '#ffffff' }).png().toFile(join(OUT_DIR, '5-call-summary.png'));
    console.log('wrote 5-call-summary.png');
    await history.close();

    // 4: the overlay on a YouTube watch page (last, so its call is not the newest in History above).
    const yt = await openFixturePage(session, ext, 'youtube');
    await yt.page.setViewportSize(STORE);
    await yt.page.addStyleTag({ content: YOUTUBE_CSS });
    await yt.page.waitForFunction(() => (document.querySelector('video')?.readyState ?? 0) >= 2, null, { timeout: 20_000 });
    await ext.send('setOverlay', { tabId: yt.tabId, on: true });
    await waitForChips(yt.page, 1);
    await yt.page.waitForTimeout(2000);
    await yt.page.screenshot({ path: join(OUT_DIR, '4-overlay-youtube.png') });
    console.log('wrote 4-overlay-youtube.png');
    await ext.send('setOverlay', { tabId: yt.tabId, on: false });

    if (blocked.length > 0) throw new Error(`requests left the browser: ${blocked.join(', ')}`);
  } finally {
    await session.close();
  }
}

await main();
