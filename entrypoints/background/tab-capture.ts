// Background service worker: tab capture for tiles whose pixels the content script cannot read
// (WebGL canvases without preserveDrawingBuffer, tainted canvases). Only started when a tile needs it.
// Stateless: the offscreen document holds the streams and says which tabs it captures, so a worker
// restart (which clears this module) cannot leave a capture running that nothing would stop.
import { offscreenMessenger } from '@/src/messaging/offscreen';
import type { MlHost } from './offscreen-host';

export async function startTabCapture(host: MlHost, tabId: number): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    await host.ensure();
    if ((await offscreenMessenger.sendMessage('capturingTabs', undefined)).includes(tabId)) return { ok: true };
    // Needs the user to have invoked the extension on this tab (popup or shortcut): that is the
    // gesture that turned the overlay on.
    const streamId = await chrome.tabCapture.getMediaStreamId({ targetTabId: tabId });
    await offscreenMessenger.sendMessage('startTabCapture', { tabId, streamId });
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}

export async function stopTabCapture(host: MlHost, tabId: number): Promise<void> {
  // No ML host, no capture (its streams went with it).
  if (!(await host.exists())) return;
  await offscreenMessenger.sendMessage('stopTabCapture', { tabId }).catch((err: unknown) => console.warn('[background] stopTabCapture', err));
}
