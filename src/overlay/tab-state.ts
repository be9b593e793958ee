// Background service worker: which tabs have the overlay on (src/storage/tabs), live per-tab
// stats, and the action badge.
import type { AnalyzedReport, OverlayReport, TabStats, TimingSample } from '../messaging/background';
import { contentMessenger } from '../messaging/content';
import { clearOverlayTabs, readOverlayTabs, readTelemetry, writeOverlayTab } from '../storage/tabs';
import type { PipelineState } from '../messaging/offscreen';
import type { Settings } from '../core/settings';
import { t } from '../i18n';
import type { MlHost } from '../ml/offscreen-host';
import { stopTabCapture } from '../ml/tab-capture-control';

/** The overlay's per-tab state for one worker's life: built at its start (defineBackground). */
export type OverlayState = ReturnType<typeof createOverlayState>;

export function createOverlayState(host: MlHost) {
  /** Tab ids are per browser session: forget them all when the browser starts. */
  function forgetAllTabs(): Promise<void> {
    return clearOverlayTabs();
  }
  const stats = new Map<number, Omit<TabStats, 'on' | 'telemetry'>>();
  /** The latest frames' timings per tab (bounded: a long call never grows it). */
  const timings = new Map<number, TimingSample[]>();
  const MAX_TIMINGS = 2000;
  /** Arrival times of the latest frames per tab, for the analyzed-frames-per-second figure. */
  const arrivals = new Map<number, number[]>();
  const FPS_WINDOW_MS = 5000;
  /** The badge text and title each tab was given last, and for which of its documents. */
  const badges = new Map<number, string>();

  function statsFor(tabId: number): Omit<TabStats, 'on' | 'telemetry'> {
    let s = stats.get(tabId);
    if (!s) {
      s = { framesAnalyzed: 0, faces: 0, tiles: 0, lastFrameAt: null, slowdown: 1, cpu: 0, site: null };
      stats.set(tabId, s);
    }
    return s;
  }

  async function overlayTabs(): Promise<Set<number>> {
    return (await readOverlayTabs()).tabs;
  }

  /** The ML host's new state, or new Settings, to every tab with the overlay on (its content script follows them). */
  async function tellTabs(change: { pipeline: PipelineState } | { settings: Settings }): Promise<void> {
    for (const tabId of await overlayTabs()) {
      // A tab without a content script now (navigating, not a call page) asks again when it starts.
      const sent = 'pipeline' in change ? contentMessenger.sendMessage('pipelineChanged', change.pipeline, tabId) : contentMessenger.sendMessage('settingsChanged', change.settings, tabId);
      await sent.catch(() => undefined);
    }
  }

  async function isOverlayOn(tabId: number): Promise<boolean> {
    return (await readOverlayTabs()).tabs.has(tabId);
  }

  async function tabStats(tabId: number): Promise<TabStats> {
    return { on: await isOverlayOn(tabId), ...statsFor(tabId), telemetry: await readTelemetry() };
  }

  async function setOverlay(tabId: number, on: boolean): Promise<boolean> {
    await writeOverlayTab(tabId, on);
    await showBadge(tabId, { on, faces: 0, tiles: 0 });
    try {
      await contentMessenger.sendMessage('setOverlay', { on, telemetry: await readTelemetry() }, tabId);
    } catch (err) {
      // No content script in this tab (not a supported site, or still loading): it asks on load.
      console.warn('[background] setOverlay: tab has no content script', tabId, err);
    }
    return on;
  }

  /**
   * The toggles (popup, shortcut): turning off also stops the tab's capture, after the tab is marked
   * off: a frame still in flight that finds the capture gone asks for it again, and that request is
   * refused (requestTabCapture) instead of starting a capture nothing would stop.
   */
  async function toggleOverlay(tabId: number, on: boolean): Promise<boolean> {
    await setOverlay(tabId, on);
    if (!on) await stopTabCapture(host, tabId);
    return on;
  }

  function recordFrame(tabId: number, report: AnalyzedReport): void {
    const s = statsFor(tabId);
    // When the result reached the content script (reports travel in batches, up to a second later).
    const now = Math.min(Date.now(), report.frameTime + report.latencyMs);
    s.framesAnalyzed++;
    s.lastFrameAt = now;
    const times = (arrivals.get(tabId) ?? []).filter((t) => now - t <= FPS_WINDOW_MS);
    times.push(now);
    arrivals.set(tabId, times);
    if (!report.timings) return;
    const list = timings.get(tabId) ?? [];
    list.push({ ...report.timings, tileId: report.tileId, at: now });
    if (list.length > MAX_TIMINGS) list.splice(0, list.length - MAX_TIMINGS);
    timings.set(tabId, list);
  }

  function analyzedFps(tabId: number): number {
    const now = Date.now();
    return (arrivals.get(tabId) ?? []).filter((t) => now - t <= FPS_WINDOW_MS).length / (FPS_WINDOW_MS / 1000);
  }

  function recentTimings(tabId: number, last = MAX_TIMINGS): TimingSample[] {
    return (timings.get(tabId) ?? []).slice(-last);
  }

  async function forgetTab(tabId: number): Promise<void> {
    stats.delete(tabId);
    badges.delete(tabId);
    timings.delete(tabId);
    arrivals.delete(tabId);
    await writeOverlayTab(tabId, false);
  }

  /** Calls the history could not take (calls.ts keeps them pending): every badge says so until they are written. */
  let unsaved = 0;
  const UNSAVED_COLOR = '#d93025';
  const unsavedTitle = () => t('badge_unsaved', unsaved);

  async function setUnsavedCalls(count: number): Promise<void> {
    if (count === unsaved) return;
    unsaved = count;
    // The default badge (tabs without an overlay); tabs with one get it at their next report.
    badges.clear();
    await chrome.action.setBadgeText({ text: count > 0 ? '!' : '' });
    await chrome.action.setBadgeBackgroundColor({ color: UNSAVED_COLOR });
    await chrome.action.setTitle({ title: count > 0 ? t('action_title_unsaved', unsavedTitle()) : t('ext_name') });
  }

  async function showBadge(tabId: number, report: OverlayReport, documentId?: string): Promise<void> {
    const s = statsFor(tabId);
    s.faces = report.faces;
    s.tiles = report.tiles;
    s.slowdown = report.slowdown ?? 1;
    s.cpu = report.cpu ?? 0;
    s.site = report.site ?? null;
    const shown = report.on ? (report.faces > 0 ? String(report.faces) : t('badge_on')) : '';
    const text = unsaved > 0 ? `${shown}!` : shown;
    const title = `${report.on ? t('action_title_on', report.faces, report.tiles) : t('action_title_off')}${unsaved > 0 ? `; ${unsavedTitle()}` : ''}`;
    // Most reports change only what the popup shows (the CPU share, the site's health): the badge is
    // set again (three browser calls) only when it would look different, or for a new document in the
    // tab (Chrome clears a tab's badge when it navigates).
    const key = JSON.stringify([documentId, text, title]);
    if (badges.get(tabId) === key) return;
    badges.set(tabId, key);
    await chrome.action.setBadgeText({ tabId, text });
    await chrome.action.setBadgeBackgroundColor({ tabId, color: unsaved > 0 ? UNSAVED_COLOR : report.faces > 0 ? '#1a73e8' : '#5f6368' });
    await chrome.action.setTitle({ tabId, title });
  }

  return { overlayTabs, tellTabs, forgetAllTabs, isOverlayOn, tabStats, setOverlay, toggleOverlay, recordFrame, analyzedFps, recentTimings, forgetTab, showBadge, setUnsavedCalls };
}
