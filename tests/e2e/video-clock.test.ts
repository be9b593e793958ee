// Node (Playwright + Debian Chromium + the built extension): a recorded video is summarized on its
// own clock. A YouTube watch page (fixture) played, then sought back: the live summary's timeline
// spans the video, counts the stretch watched again in the same slots and says so; clicking a bar of
// its timeline in the popup plays the video from there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallSummary } from '../../src/calls/summary';
import type { LiveStatus } from '../../src/messaging/background';
import { type ExtensionPage, type ExtensionSession, FAKE_CAMERA_ARGS, openFixturePage, openPopupPast, openSession, waitForChipsOn, waitForVideos } from './harness';

let session: ExtensionSession;
let ext: ExtensionPage;

beforeAll(async () => {
  ({ session, ext } = await openSession({ args: [...FAKE_CAMERA_ARGS] }));
});
afterAll(async () => session?.close());

describe('a YouTube video on its own clock', () => {
  it('watched with a seek back: a summary over the video\'s duration whose timeline seeks the player when clicked', async () => {
    const { page, tabId } = await openFixturePage(session, ext, 'youtube');
    await waitForVideos(page, 20_000, true);
    const video = (expr: string) => page.evaluate(`(() => { const v = document.querySelector('video'); return ${expr}; })()`) as Promise<number>;
    const duration = await video('v.duration');
    await ext.send('setOverlay', { tabId, on: true });
    await waitForChipsOn(page, 1, 15_000);
    // Watch from the start for a while, then go back to the start and watch again.
    await video('(v.currentTime = 0, 0)');
    await page.waitForTimeout(Math.min(11_000, duration * 1000 - 500));
    await video('(v.currentTime = 0.2, 0)');
    await page.waitForTimeout(3000);
    const live = async () => (await ext.send<LiveStatus>('getLiveStatus', { tabId })).call as CallSummary;
    await expect.poll(async () => (await live())?.rewatched, { timeout: 5000 }).toBe(true);
    const call = await live();
    expect(call.clock).toBe('media');
    expect(Math.abs(call.mediaDurationMs! - duration * 1000)).toBeLessThan(50);
    // Every slot lies within the video; the first one was counted in both viewings.
    expect(Math.max(...call.timeline.map((m) => (m.slot + 1) * call.timelineStepMs))).toBeLessThanOrEqual(Math.ceil((duration * 1000) / call.timelineStepMs) * call.timelineStepMs);

    const popup = await openPopupPast(session, `?tabId=${tabId}`);
    await popup.getByTestId('live-call').waitFor();
    expect(await popup.getByTestId('rewatched').isVisible()).toBe(true);
    expect(await popup.getByTestId('video-length').textContent()).toMatch(/long; summarized on its own clock/);
    const bars = popup.getByTestId('timeline-bar');
    expect(await bars.count()).toBeGreaterThanOrEqual(2);
    // The second bar: the video plays from its start (the player runs on, so a little after it).
    const target = call.timelineStepMs / 1000;
    await video('(v.currentTime = 0, 0)');
    await bars.nth(1).click();
    await expect.poll(() => video('v.currentTime'), { timeout: 3000 }).toBeGreaterThanOrEqual(target);
    expect(await video('v.currentTime')).toBeLessThan(target + 2);
    // A moment, if the clip held a label long enough to make one, plays from its own time.
    const moment = popup.getByTestId('moment').first();
    if ((await moment.count()) > 0) {
      await moment.click();
      await expect.poll(() => video('v.currentTime'), { timeout: 3000 }).toBeLessThan(target);
    }
    // The video gone from its tab, a click says so instead of doing nothing.
    await page.evaluate(() => document.querySelector('video')!.remove());
    await bars.nth(0).click();
    await expect.poll(() => popup.getByRole('alert').first().textContent(), { timeout: 5000 }).toMatch(/no video with a timeline/);
    await popup.close();
    await ext.send('setOverlay', { tabId, on: false });
    await page.close();
  });
});
