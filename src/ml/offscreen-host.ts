// Background service worker: owns the offscreen document (the ML host): its lifecycle, the models it
// runs (the background owns the choice: Settings), and which models each pipeline generation ran.
import type { Generation } from '../core/types';
import type { ModelChoice, PipelineState, ResultModels } from '../messaging/offscreen';
import { IDLE_CLOSE_MS, offscreenMessenger } from '../messaging/offscreen';

const OFFSCREEN_PATH = '/offscreen.html';
/** How long a new host may take to say it listens (its first pipelineChanged) before callers go on anyway. */
const HOST_UP_MS = 10_000;

export type MlHost = ReturnType<typeof createMlHost>;

/** `inUse`: whether any tab or popup needs the host now (it is closed when none has for IDLE_CLOSE_MS). */
export function createMlHost(inUse: () => Promise<boolean>) {
  let creating: Promise<void> | null = null;
  /** Resolved by the next host's first pipelineChanged (it listens from then on). */
  let up: { resolve: () => void } | null = null;
  const listeners = new Set<(state: PipelineState) => void>();
  let idle: ReturnType<typeof setTimeout> | null = null;
  /** Since when nothing has needed the host (null: something does, or not checked since). */
  let unusedSince: number | null = null;
  /**
   * Generations' models as the host told them (a generation's models never change). Kept across
   * host restarts: a generation names its host instance, so a new host's never meets an old one's.
   */
  const generations = new Map<Generation, ResultModels>();

  async function exists(): Promise<boolean> {
    const url = browser.runtime.getURL(OFFSCREEN_PATH);
    const contexts = await chrome.runtime.getContexts({ contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT], documentUrls: [url] });
    return contexts.length > 0;
  }

  /** Create the offscreen document unless it exists; concurrent callers share one creation. It asks for its models (modelChoice) as it starts. */
  async function ensure(): Promise<void> {
    unusedSince = null;
    if (await exists()) return;
    if (!creating) {
      const listening = new Promise<void>((resolve) => (up = { resolve }));
      creating = chrome.offscreen
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
        .then(() => Promise.race([listening, new Promise((r) => setTimeout(r, HOST_UP_MS))]))
        .then(() => undefined)
        .finally(() => {
          creating = null;
        });
    }
    await creating;
  }

  /**
   * Close the host once nothing has needed it for IDLE_CLOSE_MS: checked after every release (a tab
   * off or closed, a popup closed) and on the worker's tick (a timer does not outlive the worker).
   */
  async function closeWhenUnused(): Promise<void> {
    if (await inUse()) {
      unusedSince = null;
      return;
    }
    const now = Date.now();
    unusedSince ??= now;
    if (now - unusedSince < IDLE_CLOSE_MS) {
      if (idle) clearTimeout(idle);
      idle = setTimeout(() => void closeWhenUnused(), unusedSince + IDLE_CLOSE_MS - now);
      return;
    }
    unusedSince = null;
    if (await exists()) await chrome.offscreen.closeDocument().catch((err: unknown) => console.warn('[background] closing the ML host', err));
  }

  return {
    exists,
    ensure,
    closeWhenUnused,
    /** The host's pipelineChanged: it listens (if it just started), and everyone subscribed hears the state. */
    announced(state: PipelineState): void {
      up?.resolve();
      up = null;
      for (const listener of listeners) listener(state);
    },
    /** Hear every state the host announces; returns the unsubscribe. */
    onChange(listener: (state: PipelineState) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
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
    async modelsOf(generation: Generation): Promise<ResultModels | null> {
      const known = generations.get(generation);
      if (known) return known;
      if (!(await exists())) return null;
      const models = await offscreenMessenger.sendMessage('modelsOf', { generation }).catch(() => null);
      if (models) generations.set(generation, models);
      return models;
    },
  };
}
