// Node (Playwright): the model picker. A Meet tile whose camera is a real face photo
// (expressions/happy.jpg) runs on the default models; the user picks the OAHEGA paper's six-class
// classifier in Settings mid-call; the running overlay switches without a reload, the call goes on as
// a second part with six labels (ahegao among them), and the popup and CSV show both parts as they were.
import { worthKeeping } from '../../src/calls/call-end';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallHistory, LiveStatus } from '../../src/messaging/background';
import { parseModelsManifest } from '../../src/core/models';
import { MODELS_DIR, REPO_ROOT } from '../../tools/lib/paths';
import { type ExtensionPage, type ExtensionSession, openFixturePage, openSession, readOverlay, waitForChipsOn, waitForVideos, passFirstRun } from './harness';

const manifest = parseModelsManifest(JSON.parse(readFileSync(`${MODELS_DIR}/models.json`, 'utf8')));
const PAPER = manifest.models.find((m) => m.task === 'emotion' && m.labels.includes('ahegao'))!.id;
const FIVE = ['angry', 'happy', 'neutral', 'sad', 'surprise'];
const SIX = [...FIVE, 'ahegao'];

const ARTIFACTS = join(REPO_ROOT, 'artifacts', 'e2e');

let session: ExtensionSession;
let ext: ExtensionPage;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  ({ session, ext } = await openSession());
});
afterAll(async () => session?.close());

const history = () => ext.send<CallHistory>('listCalls', undefined);

describe('switching the classifier mid-call', () => {
  let page: Page;
  let tabId: number;
  let popup: Page;

  it('runs the default models on the photo: happy', async () => {
    ({ page, tabId } = await openFixturePage(session, ext, 'photo'));
    await waitForVideos(page, 20_000);
    // A page-world mark: a reload would lose it.
    await page.evaluate(() => Object.assign(window, { notReloaded: true }));
    await ext.send('setOverlay', { tabId, on: true });
    const [tile] = await waitForChipsOn(page, 1, 20_000);
    expect(tile!.chips[0]!.label).toBe('happy');
    // Long enough to be kept in the history (a face held for KEEP_AFTER_FACE_MS).
    await expect.poll(async () => worthKeeping((await history()).calls[0] ?? { participants: [] }), { timeout: 20_000 }).toBe(true);
    const [call] = (await history()).calls;
    expect(call).toMatchObject({ ended: false, labels: FIVE, models: { detector: manifest.defaults.detector, classifier: manifest.defaults.classifier } });
  });

  it('Settings lists every offered detector and classifier with what was measured for it', async () => {
    popup = await session.context.newPage();
    await popup.setViewportSize({ width: 360, height: 640 });
    await popup.goto(`chrome-extension://${session.extensionId}/popup.html`);
    await passFirstRun(popup);
    await popup.getByTestId('tab-settings').click();
    const offered = (task: string) => manifest.models.filter((m) => m.task === task && m.name).map((m) => m.id);
    expect(offered('emotion')).toHaveLength(4);
    expect(offered('face-detection')).toHaveLength(2);
    for (const id of offered('emotion')) await popup.getByTestId(`setting-classifier-${id}`).waitFor();
    for (const id of offered('face-detection')) await popup.getByTestId(`setting-detector-${id}`).waitFor();
    expect(await popup.getByTestId(`setting-classifier-${manifest.defaults.classifier}`).isChecked()).toBe(true);
    const measured = await popup.getByTestId('model-measured').allTextContents();
    expect(measured).toHaveLength(6);
    await popup.screenshot({ path: join(ARTIFACTS, 'popup-settings-models.png'), fullPage: true });
    for (const text of measured) expect(text).toMatch(/^wild valid macro-F1 (.+ \/ )?oahega \d+\.\d \/ webcam-colour \d+\.\d · .*ms per (face|frame) · [\d.]+ (kB|MB)$/);
    // classifiers are measured on every wild source; each model names the data it was trained on
    expect(measured.filter((t) => /nhfi \d+\.\d \/ sfew \d+\.\d \/ affectnet96 \d+\.\d/.test(t))).toHaveLength(4);
    const trainedOn = await popup.getByTestId('model-trained-on').allTextContents();
    expect(trainedOn).toHaveLength(6);
    for (const text of trainedOn) expect(text).toMatch(/^Trained on \w/);
    expect(trainedOn.filter((t) => t.includes('research use'))).not.toHaveLength(0);
  });

  it("picking the paper's model reaches the running overlay without a reload; the call goes on as a second part with six labels", async () => {
    const before = (await history()).calls[0]!;
    await popup.getByTestId(`setting-classifier-${PAPER}`).check();
    await expect.poll(() => popup.getByTestId('settings-saved').textContent()).toContain(`Emotion classifier = ${PAPER}`);
    await expect
      .poll(async () => {
        const s = await ext.send<LiveStatus>('getLiveStatus', { tabId });
        return s.pipeline.state === 'ready' ? s.pipeline.classifier : s.pipeline.state;
      }, { timeout: 30_000 })
      .toBe(PAPER);
    await expect.poll(async () => worthKeeping((await history()).calls.find((c) => c.models?.classifier === PAPER) ?? { participants: [] }), { timeout: 20_000 }).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    const tiles = (await readOverlay(page)) ?? [];
    expect(tiles[0]?.chips[0]?.label).toBe('happy');

    const { calls } = await history();
    const first = calls.find((c) => c.id === before.id)!;
    const second = calls.find((c) => c.models?.classifier === PAPER)!;
    expect(first).toMatchObject({ ended: true, endReason: 'models-changed', labels: FIVE, models: { classifier: manifest.defaults.classifier } });
    expect(second).toMatchObject({ ended: false, callId: 'pho-toxy-xyz', labels: SIX });
    // Nothing of the first part's label set leaks into the second, or back.
    for (const p of first.participants) expect(Object.keys(p.msByLabel).sort()).toEqual([...FIVE].sort());
    for (const p of second.participants) expect(Object.keys(p.msByLabel).sort()).toEqual([...SIX].sort());
  });

  it('the popup shows the second part with its six labels and model, and the CSV has share_ahegao for it only', async () => {
    await page.close();
    await expect.poll(async () => (await history()).calls.every((c) => c.ended), { timeout: 5000 }).toBe(true);
    const { calls } = await history();
    const second = calls.find((c) => c.models?.classifier === PAPER)!;
    await popup.getByTestId('tab-history').click();
    await expect.poll(() => popup.getByTestId('history-item').count(), { timeout: 5000 }).toBe(2);
    await popup.getByTestId('history-item').first().click(); // newest first: the second part
    await popup.getByTestId('call-detail').waitFor();
    expect(await popup.getByTestId('call-classifier').textContent()).toBe(PAPER);
    expect(await popup.locator('.legend').textContent()).toContain('ahegao');
    const csvDownload = popup.waitForEvent('download');
    await popup.getByTestId('export-csv').click();
    const [header, row] = readFileSync((await (await csvDownload).path())!, 'utf8').trimEnd().split('\n');
    const cols = header!.replace(/^\uFEFF/, '').split(',');
    const cells = row!.split(',');
    const share = (l: string) => Number(cells[cols.indexOf(`share_${l}`)]);
    expect(cols).toContain('share_ahegao');
    expect(cells[cols.indexOf('classifier')]).toBe(PAPER);
    expect(share('happy')).toBeGreaterThan(0.5);
    expect(SIX.reduce((a, l) => a + share(l), 0)).toBeCloseTo(1, 2);
    await popup.screenshot({ path: join(ARTIFACTS, 'popup-call-six-labels.png'), fullPage: true });
    expect(second.participants).toHaveLength(1);
  });
});
