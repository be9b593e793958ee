// Background service worker: wiring only (offscreen lifecycle, overlay toggles, commands).
import { backgroundMessenger } from '@/src/messaging/background';
import { ensureOffscreen } from './offscreen-host';
import { startTabCapture, stopTabCapture } from './tab-capture';
import { forgetTab, isOverlayOn, recentTimings, recordFrame, setOverlay, showBadge, tabStats } from './overlay-state';

export default defineBackground(() => {
  backgroundMessenger.onMessage('ensureOffscreen', () => ensureOffscreen());
  backgroundMessenger.onMessage('setOverlay', async ({ data }) => {
    if (!data.on) await stopTabCapture(data.tabId);
    return { on: await setOverlay(data.tabId, data.on) };
  });
  backgroundMessenger.onMessage('requestTabCapture', ({ sender }) => {
    if (sender.tab?.id === undefined) return { ok: false, reason: 'not sent from a tab' };
    return startTabCapture(sender.tab.id);
  });
  backgroundMessenger.onMessage('getOverlay', async ({ data, sender }) => {
    const tabId = data.tabId ?? sender.tab?.id;
    if (tabId === undefined) throw new Error('getOverlay: no tab');
    return tabStats(tabId);
  });
  backgroundMessenger.onMessage('getTimings', ({ data }) => recentTimings(data.tabId, data.last));
  backgroundMessenger.onMessage('frameAnalyzed', ({ data, sender }) => {
    if (sender.tab?.id !== undefined) recordFrame(sender.tab.id, data);
  });
  backgroundMessenger.onMessage('reportOverlay', async ({ data, sender }) => {
    if (sender.tab?.id !== undefined) await showBadge(sender.tab.id, data);
  });

  browser.commands.onCommand.addListener(async (command, tab) => {
    if (command !== 'toggle-overlay') return;
    const tabId = tab?.id ?? (await browser.tabs.query({ active: true, currentWindow: true }))[0]?.id;
    if (tabId === undefined) return;
    const on = !(await isOverlayOn(tabId));
    if (!on) await stopTabCapture(tabId);
    await setOverlay(tabId, on);
  });
  browser.tabs.onRemoved.addListener((tabId) => {
    void stopTabCapture(tabId);
    void forgetTab(tabId);
  });
});
