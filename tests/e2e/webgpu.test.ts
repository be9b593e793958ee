// Node (Playwright): with a WebGPU adapter (SwiftShader's software Vulkan here, a real GPU on a
// user's machine) the ML host picks the webgpu backend and the overlay works on it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineState } from '../../src/messaging/offscreen';
import { type ExtensionPage, type ExtensionSession, openFixturePage, openSession, waitForChipsOn } from './harness';

describe('WebGPU backend', () => {
  let session: ExtensionSession;
  let ext: ExtensionPage;
  beforeAll(async () => {
    ({ session, ext } = await openSession({
      args: ['--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-vulkan=swiftshader', '--use-webgpu-adapter=swiftshader'],
    }));
  });
  afterAll(async () => session?.close());

  it('is chosen when an adapter exists, and labels a face', async () => {
    await ext.send('ensureOffscreen', undefined);
    await expect.poll(async () => (await ext.send<PipelineState>('pipelineStatus', undefined)).state, { timeout: 90_000, interval: 500 }).toBe('ready');
    const status = await ext.send<PipelineState>('pipelineStatus', undefined);
    expect(status.state === 'ready' && status.backend).toBe('webgpu');
    const { page, tabId } = await openFixturePage(session, ext, 'youtube');
    await page.waitForFunction(() => (document.querySelector('video')?.readyState ?? 0) >= 2);
    await ext.send('setOverlay', { tabId, on: true });
    const tiles = await waitForChipsOn(page, 1, 90_000);
    expect(tiles[0]!.chips[0]!.text).toMatch(/^(angry|happy|neutral|sad|surprise)( \d+%|\?)$/); // "label?": uncertain
  });
});
