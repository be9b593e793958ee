// Node (Playwright): a fake Meet call end to end: summaries survive a service-worker restart, the
// call is listed after the tab closes, exports are right, and the popup renders it.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallHistory } from '../../src/messaging/background';
import { attentionOf } from '../../src/calls/attention';
import { labelColor } from '../../src/core/label-set';
import { dominant, durationMs, shares } from '../../src/calls/summary-read';
import { REPO_ROOT } from '../../tools/lib/paths';
import { type ExtensionPage, type ExtensionSession, FAKE_CAMERA_ARGS, openFixturePage, openSession, stopServiceWorker, waitForChipsOn, waitForVideos, passFirstRun } from './harness';

const ARTIFACTS = join(REPO_ROOT, 'artifacts', 'e2e');
const CALL_SECONDS = 20;
/** Duration tolerance: the call starts with the first analyzed frame and ends when the tab closes. */
const DURATION_TOLERANCE_S = 4;

let session: ExtensionSession;
let ext: ExtensionPage;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  ({ session, ext } = await openSession({
    args: [...FAKE_CAMERA_ARGS],
  }));
});
afterAll(async () => session?.close());

const history = () => ext.send<CallHistory>('listCalls', undefined);

describe('a 20 s fake Meet call', () => {
  let page: Page;
  let tabId: number;
  let framesBeforeRestart = 0;
  let callId = '';

  it('runs with the overlay on and is summarized live', async () => {
    ({ page, tabId } = await openFixturePage(session, ext, 'meet'));
    await waitForVideos(page, 20_000);
    await ext.send('setOverlay', { tabId, on: true });
    await waitForChipsOn(page, 4, 15_000);
    await page.waitForTimeout((CALL_SECONDS / 2) * 1000);
    const [live] = (await history()).calls;
    expect(live?.ended).toBe(false);
    framesBeforeRestart = live!.frames;
    callId = live!.id;
    expect(framesBeforeRestart).toBeGreaterThan(20);
  });

  it('loses nothing when the service worker is stopped mid-call', async () => {
    // The worker must really stop and then start again.
    const statuses = await stopServiceWorker(session, ext.page);
    await page.waitForTimeout((CALL_SECONDS / 2) * 1000);
    expect(statuses.slice(statuses.indexOf('stopped'))).toContain('running'); // woken again by the next frame report
    const calls = (await history()).calls;
    // Same call (not a new one), still live, and it kept growing through the restart.
    expect(calls.map((c) => c.id)).toEqual([callId]);
    expect(calls[0]!.ended).toBe(false);
    expect(calls[0]!.frames).toBeGreaterThan(framesBeforeRestart + 20);
  });

  it('is listed once the tab closes, with site, duration, one participant per tile and the right dominant emotion', async () => {
    await page.close();
    await expect.poll(async () => (await history()).calls[0]?.ended, { timeout: 5000 }).toBe(true);
    const { calls, problems } = await history();
    expect(problems).toEqual([]);
    expect(calls).toHaveLength(1);
    const call = calls[0]!;
    expect(call.site).toBe('meet');
    expect(call.callId).toBe('abc-defg-hij');
    expect(call.endReason).toBe('tab-closed');
    expect(Math.abs(durationMs(call) / 1000 - CALL_SECONDS)).toBeLessThanOrEqual(DURATION_TOLERANCE_S);
    expect(call.participants.map((p) => p.name).sort()).toEqual(['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Margaret Hamilton']);
    // d18 (Ada's clip, and the fake camera's) is mostly a neutral face: its laugh and frown are short.
    const dominantOf = (name: string) => {
      const p = call.participants.find((x) => x.name === name)!;
      return dominant(shares(p, call.labels));
    };
    expect(dominantOf('Ada Lovelace')).toBe('neutral');
    expect(dominantOf('Margaret Hamilton')).toBe('neutral');
    expect(call.backend).toBe('wasm');
    expect(call.models?.classifier).toBeTruthy();
    // Attention: d18 faces the camera throughout; d12 (Alan's clip) turns his head away at times.
    const attention = (name: string) => attentionOf(call.participants.find((x) => x.name === name)!)!;
    for (const name of ['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Margaret Hamilton']) expect(attention(name).visible).toBeGreaterThan(0.9);
    expect(attention('Ada Lovelace').facing).toBeGreaterThan(0.9);
    expect(attention('Alan Turing').facing).toBeLessThan(attention('Ada Lovelace').facing! - 0.1);
  });

  it('the popup lists the call, shows its detail and exports it as CSV and JSON', async () => {
    const popup = await session.context.newPage();
    await popup.setViewportSize({ width: 360, height: 640 });
    await popup.goto(`chrome-extension://${session.extensionId}/popup.html`);
    await popup.getByTestId('first-run').waitFor();
    await popup.screenshot({ path: join(ARTIFACTS, 'popup-first-run.png') });
    await passFirstRun(popup);
    await popup.getByTestId('tab-history').click();
    await expect.poll(() => popup.getByTestId('history-item').count(), { timeout: 5000 }).toBe(1);
    await popup.getByTestId('history-item').click();
    await popup.getByTestId('call-detail').waitFor();
    expect(await popup.getByTestId('participant-row').count()).toBe(4);
    expect(await popup.getByTestId('participant-attention').allTextContents()).toEqual(Array(4).fill(expect.stringMatching(/^Face visible \d+% · facing the camera \d+%( · away from the camera [\d.]+%)?( · nobody there [\d.]+%)?$/)));
    // A 20 s call's timeline is charted in 5 s bars (it was one per-minute bar).
    expect(await popup.getByTestId('timeline-chart').locator('g > title').count()).toBeGreaterThanOrEqual(3);
    await popup.screenshot({ path: join(ARTIFACTS, 'popup-call-detail.png'), fullPage: true });

    const csvDownload = popup.waitForEvent('download');
    await popup.getByTestId('export-csv').click();
    const csv = readFileSync((await (await csvDownload).path())!, 'utf8').trimEnd().split('\n');
    expect(csv[0]).toMatch(/^\uFEFFcall_id,site,title,start,end,duration_s,frames,backend,detector,classifier,participant,participant_frames,dominant,share_angry,/);
    expect(csv).toHaveLength(5); // header + one row per tile
    expect(csv.slice(1).every((row) => row.startsWith(`${callId},meet,`))).toBe(true);
    expect(csv.slice(1).map((row) => row.split(',')[10]).sort()).toEqual(['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Margaret Hamilton']);
    expect(csv[0]).toMatch(/,time_base,face_visible,facing_camera,someone_away,nobody_there$/);
    // someone_away, nobody_there: empty where the person detector was never asked (the face was always found).
    expect(csv.slice(1).every((row) => /,wall,(0\.\d{4}|1\.0000),(0\.\d{4}|1\.0000),((0\.\d{4}|1\.0000),(0\.\d{4}|1\.0000)|,)$/.test(row))).toBe(true);

    const jsonDownload = popup.waitForEvent('download');
    await popup.getByTestId('export-json').click();
    const json = JSON.parse(readFileSync((await (await jsonDownload).path())!, 'utf8')) as CallHistory & { format: string };
    expect(json.format).toBe('emotion-overlay-calls');
    expect(json.calls.map((c) => c.id)).toEqual([callId]);
    expect(json.calls[0]!.participants).toHaveLength(4);
    // Aggregates only: no image data of any kind in what is stored or exported.
    expect(JSON.stringify(json)).not.toMatch(/data:image|base64|blob:/);

    // "Save image": a PNG the extension draws itself, the store screenshot's size, in the labels' colours.
    const pngDownload = popup.waitForEvent('download');
    await popup.getByTestId('save-image').click();
    const download = await pngDownload;
    expect(download.suggestedFilename()).toMatch(/^emotion-call-meet-\d{4}-\d{2}-\d{2}-\d{4}\.png$/);
    const png = readFileSync((await download.path())!);
    writeFileSync(join(ARTIFACTS, 'call-summary.png'), png);
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([1280, 800]);
    const pixelsOf = (hex: string) => {
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
      let n = 0;
      for (let i = 0; i < data.length; i += info.channels) if (data[i] === r && data[i + 1] === g && data[i + 2] === b) n++;
      return n;
    };
    // The timeline and the participants' bars: thousands of pixels of the call's dominant label's colour.
    const dom = dominant(Object.fromEntries(json.calls[0]!.labels.map((l) => [l, json.calls[0]!.participants.reduce((a, p) => a + (shares(p, json.calls[0]!.labels)[l] ?? 0), 0)])))!;
    expect(pixelsOf(labelColor(dom))).toBeGreaterThan(5000);
    await popup.close();
  });

  it('a starred call survives "delete all" through the export: exported whole, imported back as it was, still starred', async () => {
    const popup = await session.context.newPage();
    await popup.goto(`chrome-extension://${session.extensionId}/popup.html`);
    await popup.getByTestId('tab-history').click();
    await popup.getByTestId('star-call').click();
    await expect.poll(() => popup.getByTestId('star-call').getAttribute('aria-pressed')).toBe('true');
    const before = (await history()).calls.find((c) => c.id === callId)!;
    expect(before.starred).toBe(true);
    const jsonDownload = popup.waitForEvent('download');
    await popup.getByTestId('export-all-json').click();
    const file = (await (await jsonDownload).path())!;
    await popup.getByTestId('delete-all').click();
    await popup.getByTestId('delete-all-confirm').click();
    await expect.poll(() => popup.getByTestId('history-empty').count(), { timeout: 5000 }).toBe(1);
    await popup.getByTestId('import-json').setInputFiles(file);
    await expect.poll(() => popup.getByTestId('import-result').textContent(), { timeout: 5000 }).toBe('Import: 1 call(s) added.');
    expect(await popup.getByTestId('history-item').count()).toBe(1);
    expect((await history()).calls).toEqual([before]);
    // The same file again adds nothing.
    await popup.getByTestId('import-json').setInputFiles(file);
    await expect.poll(() => popup.getByTestId('import-result').textContent(), { timeout: 5000 }).toBe('Import: 0 call(s) added, 1 already here.');
    await popup.close();
  });
});
