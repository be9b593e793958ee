// Node CLI (`npm run bench:draw`): main-thread cost of copying a video frame for analysis, in the
// page's renderer (headless Chromium, the four-tile Meet fixture). Each sample waits for a new
// video frame, so it pays the first touch of that frame (YUV -> RGB), as the content script does.
// Prints median / p90 ms per way of copying; the content script uses the cheapest (capture.ts).
import { median, percentile } from './lib/metrics';
import { exitWithError, isMain } from './lib/cli';
import { FAKE_CAMERA_ARGS, FIXTURE_PAGES, launchExtension, serveFixtures, waitForVideos } from './lib/extension-browser';

const WAYS = [
  'drawImage 480 px, smoothing on',
  'drawImage 480 px, smoothing off',
  'drawImage 480 px, smoothing off, willReadFrequently',
  'drawImage 360 px, smoothing off',
  'drawImage native size',
  'createImageBitmap 480 px',
];

// A string, not a function: tsx would wrap named helpers in __name, which the page lacks.
const SAMPLE_IN_PAGE = `(async ([ways, rounds]) => {
  const vids = [...document.querySelectorAll('video')];
  const canvas = (w, h, smooth, cpu) => { const c = new OffscreenCanvas(w, h).getContext('2d', { willReadFrequently: cpu }); c.imageSmoothingEnabled = smooth; return c; };
  const on480 = canvas(480, 270, true, false), off480 = canvas(480, 270, false, false), cpu480 = canvas(480, 270, false, true), off360 = canvas(360, 203, false, false);
  const out = Object.fromEntries(ways.map((w) => [w, []]));
  for (let i = 0; i < rounds * ways.length * vids.length; i++) {
    const v = vids[i % vids.length];
    const way = ways[Math.floor(i / vids.length) % ways.length];
    await new Promise((r) => setTimeout(r, 90)); // > one frame at 15 fps: a frame nobody has drawn yet
    const native = way === 'drawImage native size' ? canvas(v.videoWidth, v.videoHeight, true, false) : null;
    const t = performance.now();
    if (way === 'drawImage 480 px, smoothing on') on480.drawImage(v, 0, 0, 480, 270);
    if (way === 'drawImage 480 px, smoothing off') off480.drawImage(v, 0, 0, 480, 270);
    if (way === 'drawImage 480 px, smoothing off, willReadFrequently') cpu480.drawImage(v, 0, 0, 480, 270);
    if (way === 'drawImage 360 px, smoothing off') off360.drawImage(v, 0, 0, 360, 203);
    if (native) native.drawImage(v, 0, 0);
    if (way === 'createImageBitmap 480 px') createImageBitmap(v, { resizeWidth: 480, resizeHeight: 270 }).then((b) => b.close());
    out[way].push(performance.now() - t);
  }
  return out;
})`;

export async function benchDraw(rounds: number): Promise<Record<string, number[]>> {
  const session = await launchExtension({
    args: [...FAKE_CAMERA_ARGS],
  });
  try {
    await serveFixtures(session);
    const page = await session.context.newPage();
    await page.setViewportSize({ width: 1000, height: 600 });
    await page.goto(FIXTURE_PAGES.meet.url);
    await waitForVideos(page, 30_000);
    return await page.evaluate(`${SAMPLE_IN_PAGE}(${JSON.stringify([WAYS, rounds])})`);
  } finally {
    await session.close();
  }
}

async function main() {
  const rounds = Number(process.argv[2] ?? 25);
  const samples = await benchDraw(rounds);
  console.log('| copy of one new video frame (640x360 source) | main thread ms median / p90 | n |');
  console.log('|---|---|---:|');
  for (const [way, xs] of Object.entries(samples)) console.log(`| ${way} | ${median(xs).toFixed(2)} / ${percentile(xs, 90).toFixed(2)} | ${xs.length} |`);
  console.log('\n(performance.now() is coarsened to 0.1 ms in pages that are not cross-origin isolated.)');
}

if (isMain(import.meta.url)) main().catch(exitWithError);
