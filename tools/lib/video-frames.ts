// Node context: frames of the ../shared talking-head clips as RGBA pixels, decoded by Chromium
// (the same decoder the extension sees), scaled so the longer side is at most `maxSide`.
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { PixelData } from '../../src/ml/preprocess';
import { CHROMIUM } from './extension-browser';
import { decodeImageFile } from './images';
import { sharedPath } from './paths';

export const TALKING_CLIPS = ['talking-d18', 'talking-d19', 'talking-d12', 'talking-d3', 'talking-d6'] as const;

export interface VideoFrame {
  clip: string;
  time: number;
  pixels: PixelData;
}

/**
 * `perClip` frames evenly spaced over each clip, as the content script would capture them; with
 * `aspect` (width / height), centre-cropped to it first (the clips are square; call cameras are 16:9).
 */
export async function grabVideoFrames(clips: readonly string[], perClip: number, maxSide: number, aspect?: number): Promise<VideoFrame[]> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-background-networking'] });
  try {
    const page = await browser.newPage();
    await page.route('https://clips.invalid/**', (route) => {
      const name = new URL(route.request().url()).pathname.slice(1);
      if (name === 'index.html') return route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>frames</title>' });
      if (!/^talking-[\w-]+\.webm$/.test(name)) return route.fulfill({ status: 404 });
      return route.fulfill({ contentType: 'video/webm', body: readFileSync(sharedPath('fixtures', 'video', name)) });
    });
    await page.goto('https://clips.invalid/index.html');
    const frames: VideoFrame[] = [];
    for (const clip of clips) {
      const urls = await page.evaluate(
        async ({ src, n, side, aspect }) => {
          const video = document.createElement('video');
          video.muted = true;
          // From a blob: URL, which is seekable (the routed response has no byte ranges: every seek
          // there would leave the first frame showing).
          video.src = URL.createObjectURL(await (await fetch(src)).blob());
          document.body.append(video);
          await new Promise((ok, fail) => {
            video.onloadeddata = ok;
            video.onerror = () => fail(new Error(`cannot decode ${src}`));
          });
          const vw = video.videoWidth;
          const vh = video.videoHeight;
          const sw = aspect && vw / vh < aspect ? vw : aspect ? vh * aspect : vw;
          const sh = aspect && vw / vh < aspect ? vw / aspect : vh;
          const scale = Math.min(1, side / Math.max(sw, sh));
          const canvas = document.createElement('canvas');
          canvas.width = Math.round(sw * scale);
          canvas.height = Math.round(sh * scale);
          const ctx = canvas.getContext('2d')!;
          const out: Array<{ time: number; url: string }> = [];
          for (let i = 0; i < n; i++) {
            const time = ((i + 0.5) / n) * video.duration;
            // A seek is done when the frame at that time is presented, not at 'seeked' (which can
            // fire with the previous frame still shown).
            await new Promise((ok) => {
              video.onseeked = ok;
              video.currentTime = time;
            });
            ctx.drawImage(video, (vw - sw) / 2, (vh - sh) / 2, sw, sh, 0, 0, canvas.width, canvas.height);
            out.push({ time, url: canvas.toDataURL('image/png') });
          }
          video.remove();
          return out;
        },
        { src: `https://clips.invalid/${clip}.webm`, n: perClip, side: maxSide, aspect: aspect ?? 0 },
      );
      for (const { time, url } of urls) frames.push({ clip, time, pixels: await decodeImageFile(Buffer.from(url.split(',')[1] ?? '', 'base64')) });
    }
    return frames;
  } finally {
    await browser.close();
  }
}
