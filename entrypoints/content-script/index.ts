// Content script (Meet, Zoom web, Teams, YouTube): wiring only; the engine is src/overlay/controller.
// An unlisted script registered in wxt.config.ts rather than defineContentScript: WXT's content script
// context announces itself to the page (window.postMessage with the extension id) and stands down on
// a DOM event any page script can replay, so this script owns its lifecycle (src/overlay/lifecycle).
import { OverlayController } from '@/src/overlay/controller';
import { seekVideo } from '@/src/overlay/tiles';
import { linkError } from '@/src/overlay/pipeline-link';
import { claimTab } from '@/src/overlay/lifecycle';
import { Batcher } from '@/src/overlay/logic/batcher';
import { afterTask, coalesce } from '@/src/overlay/logic/coalesce';
import { encodesInFlight } from '@/src/overlay/capture';
import { RetryQueue } from '@/src/overlay/logic/retry-queue';
import type { FrameReport } from '@/src/messaging/background';
import { backgroundMessenger } from '@/src/messaging/background';
import { contentMessenger } from '@/src/messaging/content';
import { offscreenMessenger } from '@/src/messaging/offscreen';
import { adapterFor } from '@/src/sites';
import { validateSettings } from '@/src/core/settings';

/** How long an analyzed frame's report may wait to travel with the next ones. */
const REPORT_EVERY_MS = 1000;

const warn = (what: string) => (err: unknown) => console.warn(`[emotion-overlay] ${what} failed`, err);

export default defineUnlistedScript(() => {
  const life = claimTab({
    global: globalThis,
    runtimeId: () => browser.runtime?.id,
    setInterval: (fn, ms) => window.setInterval(fn, ms),
    clearInterval: (id) => window.clearInterval(id as number),
  });
  // Frame reports feed the call summary: a second of them per message (not one message, one worker
  // wake-up and one storage write per frame), delivered in order, retried while the worker restarts.
  const reports = new RetryQueue<FrameReport[]>((batch) => backgroundMessenger.sendMessage('framesAnalyzed', { reports: batch }), {
    maxItems: 120,
    retryMs: 500,
    setTimer: (fn, ms) => window.setTimeout(fn, ms),
    // Only a message nobody received yet (the worker starting) can succeed later.
    retryable: (err) => linkError(err) === 'no-host',
    onRefused: warn('a batch of frame reports (dropped)'),
  });
  const batches = new Batcher<FrameReport>((batch) => reports.push(batch), {
    ms: REPORT_EVERY_MS,
    max: 256,
    setTimer: (fn, ms) => window.setTimeout(fn, ms),
    clearTimer: (id) => window.clearTimeout(id as number),
  });
  const adapter = adapterFor(new URL(location.href));
  const controller = new OverlayController({
    win: window,
    doc: document,
    adapter,
    // A tick's frames travel as one message, a JPEG still encoding included (up to 30 ms).
    analyze: coalesce((frames) => offscreenMessenger.sendMessage('analyzeFrames', { frames }), afterTask({ setTimeout: (fn, ms) => window.setTimeout(fn, ms), now: () => performance.now() }, () => encodesInFlight() > 0, 30)),
    analyzeTabRegion: (req) => offscreenMessenger.sendMessage('analyzeTabRegion', req),
    requestTabCapture: () => backgroundMessenger.sendMessage('requestTabCapture', undefined),
    ensureOffscreen: () => backgroundMessenger.sendMessage('ensureOffscreen', undefined),
    pipelineStatus: () => offscreenMessenger.sendMessage('pipelineStatus', undefined),
    reportFrame: (r) => batches.add(r),
    reportOverlay: (r) => void backgroundMessenger.sendMessage('reportOverlay', r).catch(warn('reportOverlay')),
    // The frames batched so far go first: the background then deletes the person from the summary.
    reportLeftOut: ({ key, name }) => {
      batches.flush();
      void backgroundMessenger.sendMessage('leaveOut', { key, name }).catch(warn('leaveOut'));
    },
    orphaned: () => life.stop('orphaned'),
  });
  // Settings come by message: this script cannot read the extension's storage (src/storage/access).
  const refreshSettings = () =>
    void backgroundMessenger.sendMessage('getSettings', undefined).then((s) => controller.updateSettings(validateSettings(s)), warn('settings'));
  refreshSettings();
  const unwatch = contentMessenger.onMessage('settingsChanged', ({ data }) => controller.updateSettings(validateSettings(data)));
  const offPipeline = contentMessenger.onMessage('pipelineChanged', ({ data }) => controller.pipelineChanged(data));
  const offSeek = contentMessenger.onMessage('seekMedia', ({ data }) => seekVideo(adapter, document, data.seconds));
  const offLeave = contentMessenger.onMessage('leaveOut', ({ data }) => controller.leaveOut(String(data.key)));
  // The tab closing or navigating away: the last second of frame reports goes now, before the
  // worker hears that the tab is gone and ends its call (else that second, or a call resumed after an
  // extension reload whose first batch had not gone yet, would be lost).
  window.addEventListener('pagehide', () => batches.flush(), { signal: life.signal });
  const off = contentMessenger.onMessage('setOverlay', ({ data }) => {
    if (data.on) {
      refreshSettings();
      controller.start(data.telemetry === true);
    }
    else {
      controller.stop();
      batches.flush();
    }
    return { on: controller.isOn };
  });
  life.signal.addEventListener('abort', () => {
    // The overlay first: in an orphaned script the extension APIs below may throw.
    controller.stop();
    batches.flush();
    for (const release of [off, offPipeline, offSeek, offLeave, unwatch]) {
      try {
        release();
      } catch (err) {
        warn('releasing a listener')(err);
      }
    }
  });
  // The overlay stays on across reloads of a tab where the user turned it on.
  void backgroundMessenger
    .sendMessage('getOverlay', {})
    .then((s) => s.on && !life.signal.aborted && controller.start(s.telemetry === true))
    .catch(warn('getOverlay'));
});
