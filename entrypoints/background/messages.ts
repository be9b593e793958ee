// Background service worker: the messages it answers (each sender checked against
// BACKGROUND_SENDERS), wired to the module that owns each concern.
import { type AnalyzedReport, BACKGROUND_SENDERS, backgroundMessenger, type FrameReport, type SeekResult } from '@/src/messaging/background';
import { contentMessenger } from '@/src/messaging/content';
import { assertSender, fromExtensionPage, targetTab } from '@/src/messaging/guard';
import { MAX_REPORTS_PER_MESSAGE, parseFrameReport, parseOverlayReport } from '@/src/messaging/parse';
import { callFromSender } from '@/src/messaging/sender-call';
import { listingOf } from '@/src/calls/summary-read';
import { historyUsage, listCallIndex, readCall, readCalls } from '@/src/calls/store';
import { acknowledgeFirstRun, clearNotices, readFirstRun, readNotices } from '@/src/storage/notices';
import { storageProblems } from '@/src/storage/problems';
import { t } from '@/src/i18n';
import { getSettings, updateSettings } from '@/src/storage/settings';
import { excludedName } from '@/src/core/settings';
import { telemetryItem } from '@/src/storage/tabs';
import type { Calls } from '@/src/calls/sessions';
import type { LiveStatusService } from './live-status';
import type { MlHost } from '@/src/ml/offscreen-host';
import type { OverlayState } from '@/src/overlay/tab-state';
import { startTabCapture } from '@/src/ml/tab-capture-control';

/** backgroundMessenger.onMessage, refusing senders BACKGROUND_SENDERS does not allow for the type. */
const onMessage: typeof backgroundMessenger.onMessage = (type, onReceived) =>
  backgroundMessenger.onMessage(type, (message) => {
    assertSender(type, BACKGROUND_SENDERS[type], message.sender);
    return onReceived(message);
  });

/** A report with its generation's models, or null when the ML host does not know the generation (not trusted: dropped). */
async function resolve(host: MlHost, r: FrameReport): Promise<AnalyzedReport | null> {
  const models = typeof r.generation === 'string' ? await host.modelsOf(r.generation) : null;
  if (!models) return null;
  // Labels are the generation's own, never the page's words.
  if (r.faces.some((f) => !models.labels.includes(f.label))) return null;
  const { generation: _, ...rest } = r;
  return { ...rest, models: { detector: models.detector, classifier: models.classifier }, labels: models.labels };
}

export function registerMessages({ calls, overlay, host, live }: { calls: Calls; overlay: OverlayState; host: MlHost; live: LiveStatusService }): void {
  const { liveCalls, liveProblems, onFrames, pendingCalls, removeCalls } = calls;
  const { isOverlayOn, recentTimings, recordFrame, showBadge, tabStats, toggleOverlay } = overlay;
  onMessage('ensureOffscreen', () => host.status());
  onMessage('pipelineChanged', ({ data }) => host.announced(data));
  onMessage('setOverlay', async ({ data }) => {
    const on = await toggleOverlay(data.tabId, data.on);
    live.changed(data.tabId);
    if (!on) void host.closeWhenUnused();
    return { on };
  });
  onMessage('getOverlay', ({ data, sender }) => tabStats(targetTab(sender, data.tabId)));
  onMessage('requestTabCapture', async ({ sender }) => {
    if (sender.tab?.id === undefined) return { ok: false, reason: 'not sent from a tab' };
    // Turned off meanwhile (a frame in flight found the capture stopped): no new capture.
    if (!(await isOverlayOn(sender.tab.id))) return { ok: false, reason: 'the overlay is off in this tab' };
    return startTabCapture(host, sender.tab.id, sender.tab.url ?? '');
  });
  onMessage('reportOverlay', async ({ data, sender }) => {
    if (sender.tab?.id === undefined) return;
    const report = parseOverlayReport(data);
    if (!report.ok) throw new Error(`reportOverlay refused: ${report.reason}`);
    await showBadge(sender.tab.id, report.value, sender.documentId);
    live.changed(sender.tab.id);
  });
  onMessage('framesAnalyzed', async ({ data, sender }) => {
    const tabId = sender.tab?.id;
    if (tabId === undefined || !Array.isArray(data.reports)) return;
    // Which models produced a report's labels is the ML host's word (by generation), never the page's.
    // Parsed at the boundary (a content script is driven by its page): finite times near now, bounded everything;
    // the site and meeting id the ones the sender's URL names (the browser's word, not the page's).
    const parsed = data.reports.slice(0, MAX_REPORTS_PER_MESSAGE).map((r) => parseFrameReport(r, Date.now())).map((p) => (p.ok ? callFromSender(p.value, sender) : p));
    const refused = parsed.flatMap((p) => (p.ok ? [] : [p.reason]));
    if (refused.length > 0) console.warn(`[background] ${refused.length} frame reports from tab ${tabId} refused: ${refused[0]}`);
    const sent = parsed.flatMap((p) => (p.ok ? [p.value] : []));
    const reports = (await Promise.all(sent.map((r) => resolve(host, r)))).filter((r): r is AnalyzedReport => r !== null);
    if (reports.length < sent.length) console.warn(`[background] ${sent.length - reports.length} frame reports from tab ${tabId} dropped: unknown pipeline generation, or labels not its own`);
    const counted = await onFrames(tabId, reports);
    // A retried report (its first reply was lost) is counted in neither the stats nor the summary.
    reports.forEach((r, i) => counted[i] && recordFrame(tabId, r));
    live.changed(tabId);
  });
  onMessage('setTelemetry', ({ data }) => telemetryItem.setValue(data.on === true));
  onMessage('getTimings', ({ data }) => recentTimings(data.tabId, data.last));
  onMessage('getLiveStatus', ({ data }) => live.snapshot(data.tabId));
  /** Live and pending calls (fresher than their stored copies) and stored ones, newest first, with what the list tells the user. */
  async function history<T extends { id: string; start: number }>(current: T[], stored: { calls: T[]; problems: string[] }) {
    const ids = new Set(current.map((c) => c.id));
    return {
      calls: [...current, ...stored.calls.filter((c) => !ids.has(c.id))].sort((a, b) => b.start - a.start),
      problems: [...(await liveProblems()), ...stored.problems, ...(await storageProblems())],
      notices: (await readNotices()).notices,
    };
  }
  // Each history read waits for the worker's restore (liveCalls), which moves a legacy history first.
  // A history that cannot be read (storage failing) still shows the live and pending calls, and why.
  const unreadable = (err: unknown) => ({ calls: [], problems: [`the call history could not be read: ${err instanceof Error ? err.message : String(err)}`] });
  const current = async () => [...(await liveCalls()), ...(await pendingCalls())];
  onMessage('listCalls', async () => history(await current(), await readCalls().catch(unreadable)));
  onMessage('listCallIndex', async () => history((await current()).map(listingOf), await listCallIndex().catch(unreadable)));
  onMessage('getCall', async ({ data }) => (await current()).find((c) => c.id === data.id) ?? (await readCall(String(data.id))));
  onMessage('seekMedia', async ({ data }): Promise<SeekResult> => {
    const tabId = await calls.tabOfCall(String(data.id));
    if (tabId === null) return { ok: false, reason: t('seek_not_playing') };
    const seconds = Number(data.seconds);
    if (!Number.isFinite(seconds) || seconds < 0) return { ok: false, reason: t('seek_bad_time') };
    return contentMessenger.sendMessage('seekMedia', { seconds }, tabId).catch((err: unknown) => ({ ok: false as const, reason: t('seek_no_answer', err instanceof Error ? err.message : String(err)) }));
  });
  onMessage('deleteCalls', async ({ data }) => {
    await removeCalls(data.ids);
    live.changed();
  });
  onMessage('starCall', async ({ data }) => {
    const found = await calls.setStarred(String(data.id), data.starred === true);
    live.changed();
    return found;
  });
  onMessage('importCalls', async ({ data }) => {
    if (!Array.isArray(data.calls)) throw new Error('not an exported history: no list of calls');
    const outcome = await calls.importHistory(data.calls);
    live.changed();
    return outcome;
  });
  onMessage('historyUsage', async () => ({ ...(await historyUsage()), pending: (await pendingCalls()).length }));
  onMessage('leaveOut', async ({ data, sender }) => {
    const key = String(data.key).slice(0, 300);
    // A content script leaves someone out of its own tab's call; the popup names the tab, may make it permanent, and tells the tab.
    const tabId = targetTab(sender, typeof data.tabId === 'number' ? data.tabId : undefined);
    const fromPopup = fromExtensionPage(sender);
    const call = await calls.liveCall(tabId);
    await calls.leaveOut(tabId, key);
    if (fromPopup) {
      await contentMessenger.sendMessage('leaveOut', { key }, tabId).catch((err: unknown) => console.warn('[background] leaveOut: the tab did not answer', err));
      const name = typeof data.name === 'string' ? data.name.slice(0, 200) : null;
      if (data.always === true && name && call) {
        const { excludedNames } = await getSettings();
        const entry = excludedName(call.site, name);
        if (!excludedNames.includes(entry)) await updateSettings({ excludedNames: [...excludedNames, entry] });
      }
    }
    live.changed(tabId);
  });
  onMessage('dismissNotices', () => clearNotices());
  onMessage('getSettings', () => getSettings());
  onMessage('modelChoice', async () => {
    const { detector, classifier } = await getSettings();
    return { detector, classifier };
  });
  onMessage('updateSettings', ({ data }) => updateSettings(data));
  onMessage('getFirstRun', async () => ({ acknowledged: (await readFirstRun()).acknowledged }));
  onMessage('acknowledgeFirstRun', () => acknowledgeFirstRun());
}
