// Any extension context: the typed protocol a tab's content script receives.
import { defineExtensionMessaging } from '@webext-core/messaging';
import type { Settings } from '../core/settings';
import type { SeekResult } from './background';
import type { PipelineState } from './offscreen';

export interface ContentProtocol {
  /** `telemetry`: per-frame timings in the reports (benchmarks only, see setTelemetry). */
  setOverlay(req: { on: boolean; telemetry: boolean }): { on: boolean };
  /** The ML host's state changed (sent to tabs with the overlay on). */
  pipelineChanged(req: PipelineState): void;
  /** The user changed Settings (sent to tabs with the overlay on; the content script cannot read storage). */
  settingsChanged(req: Settings): void;
  /** Play the tab's video from `seconds` (a summary's moment or slot was clicked in the popup). */
  seekMedia(req: { seconds: number }): SeekResult;
  /** The popup left a participant of this tab's call out (by summary key): stop sampling their tile. */
  leaveOut(req: { key: string }): void;
}

export const contentMessenger = defineExtensionMessaging<ContentProtocol>();
