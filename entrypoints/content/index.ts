// Content script (Meet, Zoom web, YouTube): wiring only; the engine is src/content/controller.
import { OverlayController } from '@/src/content/controller';
import { RetryQueue } from '@/src/core/retry-queue';
import type { FrameReport } from '@/src/messaging/background';
import { backgroundMessenger } from '@/src/messaging/background';
import { contentMessenger } from '@/src/messaging/content';
import { offscreenMessenger } from '@/src/messaging/offscreen';
import { adapterFor } from '@/src/sites';
import { getSettings, watchSettings } from '@/src/storage/settings';
import { SITE_MATCHES } from '@/src/sites/matches';

const warn = (what: string) => (err: unknown) => console.warn(`[emotion-overlay] ${what} failed`, err);

export default defineContentScript({
  matches: SITE_MATCHES,
  runAt: 'document_idle',
  main(ctx) {
    // Frame reports feed the call summary: delivered in order, retried while the worker restarts.
    const reports = new RetryQueue<FrameReport>((r) => backgroundMessenger.sendMessage('frameAnalyzed', r), {
      maxItems: 2000,
      retryMs: 500,
      setTimer: (fn, ms) => window.setTimeout(fn, ms),
    });
    const controller = new OverlayController({
      win: window,
      doc: document,
      adapter: adapterFor(new URL(location.href)),
      analyze: (req) => offscreenMessenger.sendMessage('analyzeFrame', req),
      analyzeTabRegion: (req) => offscreenMessenger.sendMessage('analyzeTabRegion', req),
      requestTabCapture: () => backgroundMessenger.sendMessage('requestTabCapture', undefined),
      ensureOffscreen: () => backgroundMessenger.sendMessage('ensureOffscreen', undefined),
      pipelineStatus: () => offscreenMessenger.sendMessage('pipelineStatus', undefined),
      reportFrame: (r) => reports.push(r),
      reportOverlay: (r) => void backgroundMessenger.sendMessage('reportOverlay', r).catch(warn('reportOverlay')),
    });
    void getSettings().then((s) => controller.updateSettings(s), warn('settings'));
    const unwatch = watchSettings((s) => controller.updateSettings(s));
    const off = contentMessenger.onMessage('setOverlay', ({ data }) => {
      if (data.on) controller.start();
      else controller.stop();
      return { on: controller.isOn };
    });
    ctx.onInvalidated(() => {
      off();
      unwatch();
      controller.stop();
    });
    // The overlay stays on across reloads of a tab where the user turned it on.
    void backgroundMessenger
      .sendMessage('getOverlay', {})
      .then((s) => s.on && controller.start())
      .catch(warn('getOverlay'));
  },
});
