// Content script: who runs the overlay in this tab, and when to stand down. Nothing here is visible
// to the page or can be triggered by it: no window messages, no DOM events (WXT's content script
// context announces itself with window.postMessage and stands down on a same-named DOM event that
// any page script can replay). A newer copy of this script finds the older one through the isolated
// world's own global object, which page scripts cannot reach; an orphaned copy (extension updated,
// reloaded or removed) notices that its runtime id is gone.

/** Key on the isolated world's global object (page scripts have their own, separate globals). */
const CURRENT = Symbol.for('emotion-overlay.content-script');

/** How often an idle script checks whether the extension it belongs to is still there. */
export const ORPHAN_CHECK_MS = 1000;

export interface LifecycleDeps {
  /** The content script's global object (its isolated world's, never the page's). */
  global: object;
  /** browser.runtime.id: undefined once this script's extension is gone (updated, reloaded, removed). */
  runtimeId(): string | undefined;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(id: unknown): void;
}

export interface Lifecycle {
  /** Aborted when this script must stand down, with the reason. */
  readonly signal: AbortSignal;
  /** Stand down now (idempotent). */
  stop(reason: StopReason): void;
}

export type StopReason = 'replaced' | 'orphaned';

type Registry = { [CURRENT]?: Lifecycle };

/** Take over the tab: stop any older copy of this script in the same world, then watch for orphaning. */
export function claimTab(deps: LifecycleDeps): Lifecycle {
  const registry = deps.global as Registry;
  registry[CURRENT]?.stop('replaced');
  const abort = new AbortController();
  const timer = deps.setInterval(() => {
    if (deps.runtimeId() === undefined) self.stop('orphaned');
  }, ORPHAN_CHECK_MS);
  const self: Lifecycle = {
    signal: abort.signal,
    stop(reason) {
      if (abort.signal.aborted) return;
      deps.clearInterval(timer);
      if (registry[CURRENT] === self) delete registry[CURRENT];
      abort.abort(reason);
    },
  };
  registry[CURRENT] = self;
  return self;
}
