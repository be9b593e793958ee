// Any extension context: the typed protocol the offscreen document (the ML host) receives.
import { defineExtensionMessaging } from '@webext-core/messaging';
import type { BatchAnswer } from '../overlay/logic/coalesce';
import type { SenderPolicy } from './senders';
import type { AnalyzeOptions, AnalyzeResult, BackendName, Generation } from '../core/types';

export type PipelineState =
  | { state: 'loading' }
  | {
      state: 'ready';
      /** The pipeline's generation: every result it produces carries it (FrameAnalysis.generation). */
      generation: Generation;
      backend: BackendName;
      detector: string;
      classifier: string;
      labels: string[];
      /** The classifier's input side in pixels: the cell size of the face sheets the page sends. */
      cropSize: number;
      /** How far the classifier's confidence can be shown (models.json `calibration`); null: not calibrated, labels only. */
      confidence: { uncertainBelow: number; percent: boolean } | null;
      loadMs: number;
      /** For the popup and benchmarks: live tfjs tensors and this document's JS heap. */
      memory: { tensors: number; tensorBytes: number };
      /** Set when WebGPU was chosen and then failed (at load, warm-up, or a lost device): why, for the popup. */
      fallback?: string;
    }
  | { state: 'error'; error: string };

/** The models Settings picked (models.json ids; null: models.json's default). */
export interface ModelChoice {
  detector: string | null;
  classifier: string | null;
}

/** A generation's models, with the classifier's label set and input side. */
export interface ResultModels {
  detector: string;
  classifier: string;
  labels: string[];
  cropSize: number;
}

/**
 * A frame as it travels: a JPEG Blob with its size (at most MAX_FRAME_SIDE; the ML host checks the
 * JPEG's header against it before decoding), or raw RGBA pixels (both by structured clone, see wxt.config.ts).
 */
export type FramePayload = { kind: 'jpeg'; blob: Blob; width: number; height: number } | { kind: 'raw'; data: ArrayBuffer; width: number; height: number };

export interface FrameRequest extends AnalyzeOptions {
  tileId: string;
  /** Wall-clock ms (performance.timeOrigin + now) when the frame was sampled. */
  frameTime: number;
  frame: FramePayload;
}

/** A tile read from the captured tab instead (pixels the page itself cannot read, e.g. tainted canvases). The tab is the sender's. */
export interface TabRegionRequest {
  tileId: string;
  frameTime: number;
  /** The tile's rectangle and the viewport, in CSS pixels of the tab. */
  rect: { x: number; y: number; width: number; height: number };
  viewport: { width: number; height: number };
  minFaceSize?: AnalyzeOptions['minFaceSize'];
  faces?: AnalyzeOptions['faces'];
  presence?: AnalyzeOptions['presence'];
}

export interface FrameAnalysis extends AnalyzeResult {
  tileId: string;
  frameTime: number;
  /** Offscreen-side cost: when the request arrived (wall-clock ms), decode, and the whole handler. */
  offscreenMs: { receivedAt: number; decode: number; total: number };
  /** Frames in the message this one came in, and faces classified in the same model call as its own. */
  batch: { frames: number; faces: number };
  /** The pipeline that produced it (PipelineState.generation; its models: modelsOf). */
  generation: Generation;
}

export interface OffscreenProtocol {
  /** The frames one scheduler tick sampled (see coalesce): one answer each, in order. */
  analyzeFrames(req: { frames: FrameRequest[] }): Array<BatchAnswer<FrameAnalysis>>;
  analyzeTabRegion(req: TabRegionRequest): FrameAnalysis;
  /** Background: start reading a tab from a tabCapture stream id (getUserMedia here); `url`: the tab's page then (its call). */
  startTabCapture(req: { tabId: number; streamId: string; url: string }): { width: number; height: number };
  stopTabCapture(req: { tabId: number }): void;
  /** Background: the tabs being captured, with the page each was started on (this document owns that state; the worker may have restarted). */
  capturingTabs(): Array<{ tabId: number; url: string }>;
  pipelineStatus(): PipelineState;
  /**
   * Tests and benchmarks: how many frames this host received per tab and tile (`<tabId>/<tileId>`),
   * counts only: what "just me" and "don't analyze" promise (no other tile's frame arrives) is checked here.
   */
  receivedFrames(): Record<string, number>;
  /** Background: the models Settings picked (the host switches to them); answers once settled. */
  useModels(req: ModelChoice): PipelineState;
  /** Background: which models a generation ran (reports name only the generation), or null when unknown. */
  modelsOf(req: { generation: Generation }): ResultModels | null;
}

/** An unused ML host is closed this long after it was last needed (a quick toggle does not reload the models). */
export const IDLE_CLOSE_MS = 30_000;

/** The ML host's answer to a tile read from a tab it does not capture (any more): the content script asks for the capture again. */
export const TAB_CAPTURE_STOPPED = 'tab capture is not running for this tab';

/** Who may send each message to the ML host (see BACKGROUND_SENDERS). */
export const OFFSCREEN_SENDERS: { readonly [K in keyof OffscreenProtocol]: SenderPolicy } = {
  analyzeFrames: 'content-script',
  analyzeTabRegion: 'content-script',
  startTabCapture: 'extension-page',
  stopTabCapture: 'extension-page',
  capturingTabs: 'extension-page',
  pipelineStatus: 'any',
  receivedFrames: 'extension-page',
  useModels: 'extension-page',
  modelsOf: 'extension-page',
};

export const offscreenMessenger = defineExtensionMessaging<OffscreenProtocol>();
