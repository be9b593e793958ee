// Node (Playwright): the built extension loads and its offscreen ML host comes up on wasm.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExtensionSession, launchExtension, passFirstRun } from './harness';

describe('extension smoke', () => {
  let session: ExtensionSession;
  beforeAll(async () => {
    session = await launchExtension();
  });
  afterAll(async () => {
    await session?.close();
  });

  it('popup shows the pipeline ready on the wasm backend', async () => {
    const page = await session.context.newPage();
    await page.goto(`chrome-extension://${session.extensionId}/popup.html`);
    await passFirstRun(page);
    await expect.poll(() => page.getByTestId('pipeline-state').textContent(), { timeout: 60_000 }).toBe('ready');
    expect(await page.getByTestId('backend').textContent()).toBe('wasm');
  });
});
