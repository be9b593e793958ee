// Node (Playwright): frames of a video file at given times, decoded by Chromium (no ffmpeg here).
import { basename, dirname } from 'node:path';
import type { PixelData } from '../../src/ml/preprocess';
import { launchBrowser } from './browser';
import { decodeImageFile } from './images';
import { newServeLog, serveMounts } from './static-server';

const ORIGIN = 'http://frames.test';

/** The frames of `file` at each of `seconds` (in order), as RGBA at the video's own size. */
export async function videoFrames(file: string, seconds: readonly number[]): Promise<PixelData[]> {
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext();
    await serveMounts(context, ORIGIN, [['/v/', dirname(file)]], newServeLog());
    const page = await context.newPage();
    // A video URL opens Chromium's media document; its <video> then plays the file from a blob, which
    // seeks anywhere (the route serves whole files, without the byte ranges a seek needs).
    await page.goto(`${ORIGIN}/v/${encodeURIComponent(basename(file))}`);
    await page.evaluate(async () => {
      const video = document.querySelector('video');
      if (!video) throw new Error('no video element');
      video.src = URL.createObjectURL(await (await fetch(location.href)).blob());
      await new Promise((resolve, reject) => {
        video.addEventListener('loadeddata', resolve, { once: true });
        video.addEventListener('error', () => reject(new Error('the video does not decode')), { once: true });
      });
    });
    const frames: PixelData[] = [];
    for (const t of seconds) {
      const png = await page.evaluate(async (time) => {
        const video = document.querySelector('video')!;
        video.pause();
        video.currentTime = time;
        await new Promise((r) => video.addEventListener('seeked', r, { once: true }));
        const canvas = document.createElement('canvas');
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        canvas.getContext('2d')!.drawImage(video, 0, 0);
        return canvas.toDataURL('image/png').slice('data:image/png;base64,'.length);
      }, t);
      frames.push(await decodeImageFile(Buffer.from(png, 'base64')));
    }
    return frames;
  } finally {
    await browser.close();
  }
}
