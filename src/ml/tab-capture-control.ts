// Background service worker: tab capture for tiles whose pixels the content script cannot read
// (WebGL canvases without preserveDrawingBuffer, tainted canvases). Only started when a tile needs it.
// Stateless: the offscreen document holds the streams and says which tabs it captures, so a worker
// restart (which clears this module) cannot leave a capture running that nothing would stop.
import { offscreenMessenger } from '../messaging/offscreen';
import { leavesCall } from '../sites/same-call';
import type { MlHost } from './offscreen-host';

/** `url`: the tab's page, kept with the capture so that leaving its call stops it (stopTabCaptureOnNavigation). */
export async function startTabCapture(host: MlHost, tabId: number, url: string): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    await host.ensure();
    if ((await offscreenMessenger.sendMessage('capturingTabs', undefined)).some((c) => c.tabId === tabId)) return { ok: true };
    // Needs the user to have invoked the extension on this tab (popup or shortcut): that is the
    // gesture that turned the overlay on.
    const streamId = await chrome.tabCapture.getMediaStreamId({ targetTabId: tabId });
    await offscreenMessenger.sendMessage('startTabCapture', { tabId, streamId, url });
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}

export async function stopTabCapture(host: Pick<MlHost, 'exists'>, tabId: number): Promise<void> {
  // No ML host, no capture (its streams went with it).
  if (!(await host.exists())) return;
  await offscreenMessenger.sendMessage('stopTabCapture', { tabId }).catch((err: unknown) => console.warn('[background] stopTabCapture', err));
}

/** The tab navigated to `url`: its capture (if any) stops unless the tab is still in the call it was started for. */
export async function stopTabCaptureOnNavigation(host: Pick<MlHost, 'exists'>, tabId: number, url: string): Promise<void> {
  if (!(await host.exists())) return;
  const captures = await offscreenMessenger.sendMessage('capturingTabs', undefined).catch((err: unknown) => {
    console.warn('[background] capturingTabs', err);
    return [];
  });
  const capture = captures.find((c) => c.tabId === tabId);
  if (capture && leavesCall(capture.url, url)) await stopTabCapture(host, tabId);
}
