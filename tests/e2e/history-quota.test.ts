// Node (Playwright): the call history at its limit in the real chrome.storage.local. A real call is
// made and ended; its stored record and index entry are copied under new ids (dated inside the
// retention period) past the 10 MB chrome.storage.local held before unlimitedStorage, up to the
// user's size limit; then a second real call ends: it is kept, the oldest copies go, the popup says so.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallHistory } from '../../src/messaging/background';
import { type ExtensionPage, type ExtensionSession, FAKE_CAMERA_ARGS, openFixturePage, openPopupPast, openSession, waitForChipsOn, waitForVideos } from './harness';

const MB = 1024 * 1024;
/** The user's size limit: past the 10 MB the area held without unlimitedStorage. */
const LIMIT_MB = 12;

let session: ExtensionSession;
let ext: ExtensionPage;

beforeAll(async () => {
  ({ session, ext } = await openSession({ args: [...FAKE_CAMERA_ARGS] }));
});
afterAll(async () => session?.close());

const history = () => ext.send<CallHistory>('listCalls', undefined);
const usage = () => ext.send<{ bytes: number; calls: number; pending: number }>('historyUsage', undefined);

/** A call on the Meet fixture with the overlay on, long enough to be kept, ended by closing its tab. */
async function makeCall(query: string): Promise<string> {
  const { page, tabId } = await openFixturePage(session, ext, 'meet', query);
  await waitForVideos(page, 20_000);
  await ext.send('setOverlay', { tabId, on: true });
  await waitForChipsOn(page, 4, 15_000);
  await expect.poll(async () => (await history()).calls.find((c) => !c.ended)?.participants.some((p) => Object.values(p.msByLabel).reduce((a, b) => a + b, 0) > 6000), { timeout: 20_000 }).toBe(true);
  const id = (await history()).calls.find((c) => !c.ended)!.id;
  await (page as Page).close();
  await expect.poll(async () => (await history()).calls.find((c) => c.id === id)?.ended, { timeout: 10_000 }).toBe(true);
  return id;
}

describe(`the call history at its ${LIMIT_MB} MB limit`, () => {
  it('holds more than the old 10 MB quota, and a call that ends there is kept while the oldest go, and the user is told', async () => {
    expect(await ext.page.evaluate(() => chrome.runtime.getManifest().permissions)).toContain('unlimitedStorage');
    await ext.send('updateSettings', { historyBudgetMB: LIMIT_MB });
    const first = await makeCall('');
    // Copies of the real record and index entry, one a minute back from a day ago, until the limit is reached.
    const seeded = await ext.page.evaluate(
      async ({ id, limit }) => {
        const got = await chrome.storage.local.get([`call:${id}`, `callMeta:${id}`, 'callIds']);
        const rec = got[`call:${id}`] as { start: number; end: number; id: string };
        const meta = got[`callMeta:${id}`] as { bytes: number; start: number; end: number; id: string };
        const ids = [...(got.callIds as string[])];
        const items: Record<string, unknown> = {};
        let bytes = await chrome.storage.local.getBytesInUse(null);
        for (let i = 0; bytes + meta.bytes < limit; i++) {
          const start = Date.now() - 86_400_000 - i * 60_000;
          const copy = `meet:seed-${i}:${start}`;
          const shift = start - rec.start;
          items[`call:${copy}`] = { ...rec, id: copy, start, end: rec.end + shift };
          items[`callMeta:${copy}`] = { ...meta, id: copy, start, end: meta.end + shift };
          ids.push(copy);
          bytes += meta.bytes;
        }
        await chrome.storage.local.set({ ...items, callIds: ids });
        return { calls: ids.length, bytes: await chrome.storage.local.getBytesInUse(null) };
      },
      { id: first, limit: LIMIT_MB * MB },
    );
    expect(seeded.bytes).toBeGreaterThan(10 * MB);
    const before = await usage();
    expect(before.bytes).toBeGreaterThan(LIMIT_MB * MB - 10_000);
    const oldestSeed = `meet:seed-${seeded.calls - 2}:`;

    const second = await makeCall('?second');
    const { calls, notices, problems } = await history();
    expect(problems).toEqual([]);
    expect(calls.map((c) => c.id)).toContain(second);
    expect(calls.map((c) => c.id)).toContain(first); // the newest are kept
    expect(calls.some((c) => c.id.startsWith(oldestSeed))).toBe(false); // the oldest went
    expect(notices.join(' ')).toMatch(/size limit \(12 MB, Settings\): the (oldest call was|\d+ oldest calls were) deleted/);
    const after = await usage();
    expect(after.bytes).toBeLessThanOrEqual(LIMIT_MB * MB);
    expect(after.pending).toBe(0);
    // The popup tells the user, and Settings shows what is used.
    const popup = await openPopupPast(session);
    await popup.getByTestId('tab-history').click();
    await expect.poll(() => popup.getByTestId('history-notes').textContent(), { timeout: 10_000 }).toMatch(/size limit/);
    await popup.getByTestId('tab-settings').click();
    await expect.poll(() => popup.getByTestId('history-usage').textContent(), { timeout: 10_000 }).toMatch(/of its 12 MB limit/);
    await popup.close();
  });
});
