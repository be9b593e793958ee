// Background service worker: tab capture for tiles whose pixels the content script cannot read
// (WebGL canvases without preserveDrawingBuffer, tainted canvases). Only started when a tile needs it.
import { offscreenMessenger } from '@/src/messaging/offscreen';
import { ensureOffscreen } from './offscreen-host';

const capturing = new Set<number>();

export async function startTabCapture(tabId: number): Promise<{ ok: true } | { ok: false; reason: string }> {
  if (capturing.has(tabId)) return { ok: true };
  try {
    // Needs the user to have invoked the extension on this tab (popup or shortcut): that is the
    // gesture that turned the overlay on.
    const streamId = await chrome.tabCapture.getMediaStreamId({ targetTabId: tabId });
    await ensureOffscreen();
    await offscreenMessenger.sendMessage('startTabCapture', { tabId, streamId });
    capturing.add(tabId);
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}

export async function stopTabCapture(tabId: number): Promise<void> {
  if (!capturing.delete(tabId)) return;
  await offscreenMessenger.sendMessage('stopTabCapture', { tabId }).catch((err: unknown) => console.warn('[background] stopTabCapture', err));
}
