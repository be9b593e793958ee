// Background service worker: which tabs have the overlay on (storage.session survives worker restarts) and the badge.
import type { OverlayReport } from '@/src/messaging/background';
import { contentMessenger } from '@/src/messaging/content';

const tabsOn = storage.defineItem<Record<string, boolean>>('session:overlayTabs', { fallback: {} });

export async function isOverlayOn(tabId: number): Promise<boolean> {
  return (await tabsOn.getValue())[String(tabId)] ?? false;
}

export async function setOverlay(tabId: number, on: boolean): Promise<boolean> {
  const all = await tabsOn.getValue();
  if (on) all[String(tabId)] = true;
  else delete all[String(tabId)];
  await tabsOn.setValue(all);
  await showBadge(tabId, { on, faces: 0, tiles: 0 });
  try {
    await contentMessenger.sendMessage('setOverlay', { on }, tabId);
  } catch (err) {
    // No content script in this tab (not a supported site, or the page is still loading).
    console.warn('[background] setOverlay: tab has no content script', tabId, err);
  }
  return on;
}

export async function forgetTab(tabId: number): Promise<void> {
  const all = await tabsOn.getValue();
  if (String(tabId) in all) {
    delete all[String(tabId)];
    await tabsOn.setValue(all);
  }
}

export async function showBadge(tabId: number, report: OverlayReport): Promise<void> {
  const text = report.on ? (report.faces > 0 ? String(report.faces) : 'ON') : '';
  await chrome.action.setBadgeText({ tabId, text });
  await chrome.action.setBadgeBackgroundColor({ tabId, color: report.faces > 0 ? '#1a73e8' : '#5f6368' });
  await chrome.action.setTitle({
    tabId,
    title: report.on ? `Emotion Overlay: on, ${report.faces} face(s) in ${report.tiles} tile(s)` : 'Emotion Overlay: off',
  });
}
