// Background service worker: the messages it answers (each sender checked against
// BACKGROUND_SENDERS), wired to the module that owns each concern.
import { parseModelsManifest } from '@/src/core/models';
import { BACKGROUND_SENDERS, backgroundMessenger } from '@/src/messaging/background';
import { assertSender, targetTab } from '@/src/messaging/guard';
import { offscreenMessenger, type PipelineState } from '@/src/messaging/offscreen';
import { readCalls } from '@/src/storage/calls';
import { acknowledgeFirstRun, clearNotices, readFirstRun, readNotices } from '@/src/storage/notices';
import { storageProblems } from '@/src/storage/problems';
import { getSettings, updateSettings } from '@/src/storage/settings';
import type { Calls } from './calls';
import { ensureOffscreen } from './offscreen-host';
import type { OverlayState } from './overlay-state';
import { startTabCapture } from './tab-capture';

let labels: Promise<string[]> | null = null;
/** Every label a shipped classifier can produce (models.json `labels`). */
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

/** A content script batches a second of frames (a few dozen); more in one message is not ours to trust. */
const MAX_REPORTS_PER_MESSAGE = 512;

/** backgroundMessenger.onMessage, refusing senders BACKGROUND_SENDERS does not allow for the type. */
const onMessage: typeof backgroundMessenger.onMessage = (type, onReceived) =>
  backgroundMessenger.onMessage(type, (message) => {
    assertSender(type, BACKGROUND_SENDERS[type], message.sender);
    return onReceived(message);
  });

export function registerMessages({ calls, overlay }: { calls: Calls; overlay: OverlayState }): void {
  const { liveCall, liveCalls, liveProblems, onFrames, removeCalls } = calls;
  const { analyzedFps, recentTimings, recordFrame, showBadge, tabStats, toggleOverlay } = overlay;
  onMessage('ensureOffscreen', () => ensureOffscreen());
  onMessage('setOverlay', async ({ data }) => ({ on: await toggleOverlay(data.tabId, data.on) }));
  onMessage('getOverlay', ({ data, sender }) => tabStats(targetTab(sender, data.tabId)));
  onMessage('requestTabCapture', ({ sender }) => {
    if (sender.tab?.id === undefined) return { ok: false, reason: 'not sent from a tab' };
    return startTabCapture(sender.tab.id);
  });
  onMessage('reportOverlay', async ({ data, sender }) => {
    if (sender.tab?.id !== undefined) await showBadge(sender.tab.id, data);
  });
  onMessage('framesAnalyzed', async ({ data, sender }) => {
    const tabId = sender.tab?.id;
    if (tabId === undefined || !Array.isArray(data.reports)) return;
    // A report's label set must be one the shipped models can produce (it keys the call's summary).
    const known = new Set(await productLabels());
    const sent = data.reports.slice(0, MAX_REPORTS_PER_MESSAGE);
    const reports = sent.filter((r) => Array.isArray(r.labels) && r.labels.every((l) => known.has(l)) && typeof r.models?.classifier === 'string' && typeof r.models.detector === 'string');
    if (reports.length < sent.length) console.warn(`[background] ${sent.length - reports.length} frame reports from tab ${tabId} dropped: unknown labels or no models`);
    const counted = await onFrames(tabId, reports);
    // A retried report (its first reply was lost) is counted in neither the stats nor the summary.
    reports.forEach((r, i) => counted[i] && recordFrame(tabId, r));
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
    const notices = await readNotices();
    return {
      calls: [...current, ...calls.filter((c) => !ids.has(c.id))].sort((a, b) => b.start - a.start),
      problems: [...(await liveProblems()), ...problems, ...(await storageProblems())],
      notices: notices.notices,
    };
  });
  onMessage('deleteCalls', ({ data }) => removeCalls(data.ids));
  onMessage('dismissNotices', () => clearNotices());
  onMessage('getSettings', () => getSettings());
  onMessage('updateSettings', ({ data }) => updateSettings(data));
  onMessage('getFirstRun', async () => ({ acknowledged: (await readFirstRun()).acknowledged }));
  onMessage('acknowledgeFirstRun', () => acknowledgeFirstRun());
}
