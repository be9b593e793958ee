// Any extension context: the typed protocol the background service worker receives.
import { defineExtensionMessaging } from '@webext-core/messaging';

export interface OverlayReport {
  on: boolean;
  faces: number;
  tiles: number;
}

export interface BackgroundProtocol {
  /** Make sure the offscreen ML host exists (created on demand, recreated if it went away). */
  ensureOffscreen(): void;
  /** Popup: turn the overlay on or off in a tab. */
  setOverlay(req: { tabId: number; on: boolean }): { on: boolean };
  getOverlay(req: { tabId: number }): { on: boolean };
  /** Content script: what the overlay shows now, for the action badge. */
  reportOverlay(req: OverlayReport): void;
}

export const backgroundMessenger = defineExtensionMessaging<BackgroundProtocol>();
