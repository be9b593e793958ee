// Background service worker: owns the offscreen document (the ML host): its lifecycle, the models it
// runs (the background owns the choice: Settings), and which models each pipeline generation ran.
import type { ModelChoice, PipelineState, ResultModels } from '@/src/messaging/offscreen';
import { offscreenMessenger } from '@/src/messaging/offscreen';

const OFFSCREEN_PATH = '/offscreen.html';

export type MlHost = ReturnType<typeof createMlHost>;

export function createMlHost() {
  let creating: Promise<void> | null = null;
  /** Generations' models as the host told them (a generation's models never change). */
  const generations = new Map<number, ResultModels>();

  async function exists(): Promise<boolean> {
    const url = browser.runtime.getURL(OFFSCREEN_PATH);
    const contexts = await chrome.runtime.getContexts({ contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT], documentUrls: [url] });
    return contexts.length > 0;
  }

  /** Create the offscreen document unless it exists; concurrent callers share one creation. It asks for its models (modelChoice) as it starts. */
  async function ensure(): Promise<void> {
    if (await exists()) return;
    creating ??= chrome.offscreen
      .createDocument({
        url: OFFSCREEN_PATH,
        reasons: [chrome.offscreen.Reason.WORKERS, chrome.offscreen.Reason.USER_MEDIA],
        justification:
          'Runs the on-device face and emotion models (TensorFlow.js on WebAssembly or WebGPU), and reads tab-capture frames of video tiles a page cannot read itself.',
      })
      .catch((err: unknown) => {
        // A racing creation from another event is fine; anything else is a real failure.
        if (!String(err).includes('Only a single offscreen')) throw err;
      })
      .finally(() => {
        creating = null;
      });
    await creating;
  }

  return {
    exists,
    ensure,
    async status(): Promise<PipelineState> {
      try {
        await ensure();
        return await offscreenMessenger.sendMessage('pipelineStatus', undefined);
      } catch (err) {
        return { state: 'error', error: err instanceof Error ? err.message : String(err) };
      }
    },
    /** Settings picked other models: a running host switches (one that starts later asks for them). */
    async useModels(choice: ModelChoice): Promise<void> {
      if (!(await exists())) return;
      await offscreenMessenger.sendMessage('useModels', choice).catch((err: unknown) => console.warn('[background] useModels', err));
    },
    /** The models a generation ran, or null when the host does not know it (a report from a host that is gone). */
    async modelsOf(generation: number): Promise<ResultModels | null> {
      const known = generations.get(generation);
      if (known) return known;
      if (!Number.isSafeInteger(generation) || !(await exists())) return null;
      const models = await offscreenMessenger.sendMessage('modelsOf', { generation }).catch(() => null);
      if (models) generations.set(generation, models);
      return models;
    },
  };
}
