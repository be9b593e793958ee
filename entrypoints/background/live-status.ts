// Background service worker: the popup's live view of a tab, pushed over a port (LIVE_STATUS_PORT)
// when something it shows changed (frames analyzed, the badge, the ML host's state), at most every
// PUSH_MS per tab: the popup never polls. An open popup also counts as a user of the ML host.
import { LIVE_STATUS_PORT, type LiveStatus } from '@/src/messaging/background';
import { assertSender } from '@/src/messaging/guard';
import type { Calls } from '@/src/calls/sessions';
import type { MlHost } from '@/src/ml/offscreen-host';
import type { OverlayState } from '@/src/overlay/tab-state';

const PUSH_MS = 500;

export type LiveStatusService = ReturnType<typeof createLiveStatus>;

export function createLiveStatus({ calls, overlay, host }: { calls: Calls; overlay: OverlayState; host: MlHost }) {
  const ports = new Map<chrome.runtime.Port, number>();
  const due = new Map<number, ReturnType<typeof setTimeout>>();

  async function snapshot(tabId: number): Promise<LiveStatus> {
    return { tab: await overlay.tabStats(tabId), pipeline: await host.status(), fps: overlay.analyzedFps(tabId), call: await calls.liveCall(tabId) };
  }

  async function push(tabId: number): Promise<void> {
    const watching = [...ports].filter(([, t]) => t === tabId).map(([p]) => p);
    if (watching.length === 0) return;
    const status = await snapshot(tabId);
    for (const port of watching) {
      try {
        port.postMessage(status);
      } catch {
        ports.delete(port); // closed meanwhile
      }
    }
  }

  /** Something a tab's popup shows changed (no tab: every watched tab). */
  function changed(tabId?: number): void {
    const tabs = tabId === undefined ? new Set(ports.values()) : [tabId];
    for (const t of tabs) {
      if (due.has(t)) continue;
      due.set(
        t,
        setTimeout(() => {
          due.delete(t);
          void push(t).catch((err: unknown) => console.warn('[background] live status', err));
        }, PUSH_MS),
      );
    }
  }

  chrome.runtime.onConnect.addListener((port) => {
    if (port.name !== LIVE_STATUS_PORT) return;
    try {
      assertSender(LIVE_STATUS_PORT, 'extension-page', port.sender ?? {});
    } catch (err) {
      console.warn('[background]', err);
      port.disconnect();
      return;
    }
    port.onMessage.addListener((msg: { tabId?: unknown }) => {
      if (typeof msg?.tabId !== 'number') return;
      ports.set(port, msg.tabId);
      void push(msg.tabId).catch((err: unknown) => console.warn('[background] live status', err));
    });
    port.onDisconnect.addListener(() => {
      ports.delete(port);
      void host.closeWhenUnused();
    });
  });

  return { snapshot, changed, watching: () => ports.size > 0 };
}
