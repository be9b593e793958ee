// Background service worker: wiring only. Messages (messages.ts), call sessions (calls.ts), overlay
// state and badge (overlay-state.ts), tab capture (tab-capture.ts), the ML host (offscreen-host.ts),
// the popup's live status (live-status.ts); here, the browser's events.
import { createCalls } from '@/src/calls/sessions';
import { createLiveStatus } from './live-status';
import { registerMessages } from './messages';
import { createMlHost } from '@/src/ml/offscreen-host';
import { createOverlayState } from '@/src/overlay/tab-state';
import { stopTabCapture, stopTabCaptureOnNavigation } from '@/src/ml/tab-capture-control';
import { createTick } from './tick';
import { CONTENT_SCRIPT_FILE, SITE_MATCHES } from '@/src/sites/matches';
import { lockStorage } from '@/src/storage/access';
import { getSettings, updateSettings, watchSettings } from '@/src/storage/settings';

export default defineBackground(() => {
  // The call history and settings are for the extension's own pages and worker: a content script
  // (what a compromised call page reaches) cannot read chrome.storage.local at all.
  void lockStorage();
  // Every service is built here, at the worker's start: nothing holds state from import.
  // The ML host is needed while a tab has the overlay on or a popup watches; else it is closed.
  const host = createMlHost(async () => (await overlay.overlayTabs()).size > 0 || live.watching());
  const calls = createCalls();
  const overlay = createOverlayState(host);
  const live = createLiveStatus({ calls, overlay, host });
  const { onTabClosed, onNavigated, onTick } = calls;
  const { forgetAllTabs, forgetTab, isOverlayOn, toggleOverlay } = overlay;
  registerMessages({ calls, overlay, host, live });
  // The tick's alarm wakes the worker only while a call is live or resumable or the ML host is open.
  const tick = createTick({
    alarms: chrome.alarms,
    fire: async () => {
      await onTick();
      await host.closeWhenUnused();
    },
    needed: async () => (await calls.hasWork()) || (await host.exists()),
  });
  // A tick at every worker start: the retention period applies even when no call ever runs again.
  void tick.run();
  calls.onActive(() => void tick.ensure());
  // Calls the history could not take: the badge warns until they are written (the tick retries them).
  calls.onPending((count) => {
    void overlay.setUnsavedCalls(count).catch((err: unknown) => console.warn('[background] badge', err));
    if (count > 0) void tick.ensure();
    live.changed();
  });
  // The host's state goes to the tabs that use it and to the popups that show it (nobody polls).
  host.onChange((state) => {
    void overlay.tellTabs({ pipeline: state });
    live.changed();
    void tick.ensure(); // an open host is closed by the tick once unused
  });
  // The background owns the model choice: a running ML host switches when Settings change it.
  watchSettings((s, old) => {
    // Content scripts cannot read storage (lockStorage): the tabs that draw get Settings by message.
    void overlay.tellTabs({ settings: s });
    if (s.detector !== old?.detector || s.classifier !== old.classifier) void host.useModels({ detector: s.detector, classifier: s.classifier });
    if (old && (s.historyBudgetMB < old.historyBudgetMB || s.retentionDays !== old.retentionDays)) void calls.applyRules().catch((err: unknown) => console.error('[background] history rules', err));
  });
  browser.commands.onCommand.addListener(async (command, tab) => {
    if (command === 'toggle-analyze') {
      // Just me <-> everyone, mid-call too: the tabs hear of it as of any Settings change.
      const { analyze } = await getSettings();
      await updateSettings({ analyze: analyze === 'me' ? 'everyone' : 'me' });
      live.changed();
      return;
    }
    if (command !== 'toggle-overlay') return;
    const tabId = tab?.id ?? (await browser.tabs.query({ active: true, currentWindow: true }))[0]?.id;
    if (tabId === undefined) return;
    await toggleOverlay(tabId, !(await isOverlayOn(tabId)));
    live.changed(tabId);
  });
  browser.tabs.onRemoved.addListener((tabId) => {
    void stopTabCapture(host, tabId);
    void forgetTab(tabId);
    void onTabClosed(tabId);
    void host.closeWhenUnused();
  });
  browser.tabs.onUpdated.addListener((tabId, change) => {
    if (!change.url) return;
    void onNavigated(tabId, change.url);
    // A capture is for its call only: leaving it (another call, another page) stops it.
    void stopTabCaptureOnNavigation(host, tabId, change.url);
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
});
