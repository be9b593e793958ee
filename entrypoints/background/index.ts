// Background service worker: wiring only (offscreen lifecycle, overlay toggles, call sessions,
// storage writes, commands).
import { parseModelsManifest } from '@/src/core/models';
import { BACKGROUND_SENDERS, backgroundMessenger } from '@/src/messaging/background';
import { assertSender, targetTab } from '@/src/messaging/guard';
import { offscreenMessenger, type PipelineState } from '@/src/messaging/offscreen';
import { firstRunItem, noticesItem, readCalls } from '@/src/storage/calls';
import { getSettings, updateSettings } from '@/src/storage/settings';
import { liveCall, liveCalls, liveProblems, onFrame, onNavigated, onTabClosed, onTick, removeCalls } from './calls';
import { ensureOffscreen } from './offscreen-host';
import { analyzedFps, forgetAllTabs, forgetTab, isOverlayOn, recentTimings, recordFrame, setOverlay, showBadge, tabStats } from './overlay-state';
import { startTabCapture, stopTabCapture } from './tab-capture';
import { CONTENT_SCRIPT_FILE, SITE_MATCHES } from '@/src/sites/matches';

const TICK_ALARM = 'calls-tick';

let labels: Promise<string[]> | null = null;
function productLabels(): Promise<string[]> {
  labels ??= fetch(chrome.runtime.getURL('models/models.json'))
    .then((r) => r.json())
    .then((j) => parseModelsManifest(j).labels);
  return labels;
}

async function pipelineState(): Promise<PipelineState> {
  try {
    await ensureOffscreen();
    return await offscreenMessenger.sendMessage('pipelineStatus', undefined);
  } catch (err) {
    return { state: 'error', error: err instanceof Error ? err.message : String(err) };
  }
}

async function toggle(tabId: number, on: boolean): Promise<boolean> {
  if (!on) await stopTabCapture(tabId);
  return setOverlay(tabId, on);
}

/** backgroundMessenger.onMessage, refusing senders BACKGROUND_SENDERS does not allow for the type. */
const onMessage: typeof backgroundMessenger.onMessage = (type, onReceived) =>
  backgroundMessenger.onMessage(type, (message) => {
    assertSender(type, BACKGROUND_SENDERS[type], message.sender);
    return onReceived(message);
  });

export default defineBackground(() => {
  onMessage('ensureOffscreen', () => ensureOffscreen());
  onMessage('setOverlay', async ({ data }) => ({ on: await toggle(data.tabId, data.on) }));
  onMessage('getOverlay', ({ data, sender }) => tabStats(targetTab(sender, data.tabId)));
  onMessage('requestTabCapture', ({ sender }) => {
    if (sender.tab?.id === undefined) return { ok: false, reason: 'not sent from a tab' };
    return startTabCapture(sender.tab.id);
  });
  onMessage('reportOverlay', async ({ data, sender }) => {
    if (sender.tab?.id !== undefined) await showBadge(sender.tab.id, data);
  });
  onMessage('frameAnalyzed', async ({ data, sender }) => {
    const tabId = sender.tab?.id;
    if (tabId === undefined) return;
    // A retried report (its first reply was lost) is counted in neither the stats nor the summary.
    if (await onFrame(tabId, data, await productLabels())) recordFrame(tabId, data);
  });
  onMessage('getTimings', ({ data }) => recentTimings(data.tabId, data.last));
  onMessage('getLiveStatus', async ({ data }) => ({
    tab: await tabStats(data.tabId),
    pipeline: await pipelineState(),
    fps: analyzedFps(data.tabId),
    call: await liveCall(data.tabId),
  }));
  onMessage('listCalls', async () => {
    const { calls, problems } = await readCalls();
    const current = await liveCalls();
    const ids = new Set(current.map((c) => c.id));
    return {
      calls: [...current, ...calls.filter((c) => !ids.has(c.id))].sort((a, b) => b.start - a.start),
      problems: [...(await liveProblems()), ...problems],
      notices: await noticesItem.getValue(),
    };
  });
  onMessage('deleteCalls', ({ data }) => removeCalls(data.ids));
  onMessage('dismissNotices', () => noticesItem.setValue([]));
  onMessage('getSettings', () => getSettings());
  onMessage('updateSettings', ({ data }) => updateSettings(data));
  onMessage('getFirstRun', async () => ({ acknowledged: await firstRunItem.getValue() }));
  onMessage('acknowledgeFirstRun', () => firstRunItem.setValue(true));

  browser.commands.onCommand.addListener(async (command, tab) => {
    if (command !== 'toggle-overlay') return;
    const tabId = tab?.id ?? (await browser.tabs.query({ active: true, currentWindow: true }))[0]?.id;
    if (tabId !== undefined) await toggle(tabId, !(await isOverlayOn(tabId)));
  });
  browser.tabs.onRemoved.addListener((tabId) => {
    void stopTabCapture(tabId);
    void forgetTab(tabId);
    void onTabClosed(tabId);
  });
  browser.tabs.onUpdated.addListener((tabId, change) => {
    if (change.url) void onNavigated(tabId, change.url);
  });
  browser.runtime.onStartup.addListener(() => void forgetAllTabs());
  // After an update or reload, tabs already open keep orphaned content scripts: inject fresh ones
  // so a call in progress goes on (each asks whether its tab's overlay is on).
  browser.runtime.onInstalled.addListener(async () => {
    for (const tab of await browser.tabs.query({ url: SITE_MATCHES })) {
      if (tab.id === undefined) continue;
      await chrome.scripting
        .executeScript({ target: { tabId: tab.id }, files: [CONTENT_SCRIPT_FILE] })
        .catch((err: unknown) => console.warn('[background] re-inject failed', tab.id, err));
    }
  });
  void chrome.alarms.create(TICK_ALARM, { periodInMinutes: 0.5 });
  chrome.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === TICK_ALARM) void onTick();
  });
});
