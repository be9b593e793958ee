// Any extension context: the typed protocol the offscreen document (the ML host) receives.
import { defineExtensionMessaging } from '@webext-core/messaging';
import type { AnalyzeResult, BackendName } from '../core/types';

export type PipelineState =
  | { state: 'loading' }
  | { state: 'ready'; backend: BackendName; detector: string; classifier: string; labels: string[]; loadMs: number }
  | { state: 'error'; error: string };

export interface FrameRequest {
  tileId: string;
  /** Content-script clock (performance.timeOrigin + now) when the frame was sampled. */
  frameTime: number;
  /** The frame, JPEG-encoded (Blob travels by structured clone, see wxt.config.ts). */
  image: Blob;
}

export interface FrameAnalysis extends AnalyzeResult {
  tileId: string;
  frameTime: number;
  /** Offscreen-side cost: blob decode, and the whole handler. */
  offscreenMs: { decode: number; total: number };
}

export interface OffscreenProtocol {
  analyzeFrame(req: FrameRequest): FrameAnalysis;
  pipelineStatus(): PipelineState;
}

export const offscreenMessenger = defineExtensionMessaging<OffscreenProtocol>();
