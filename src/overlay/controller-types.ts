// Content script: what the overlay's engine (controller.ts) is given (its deps: the page, the ML host
// and the background, as functions, so that tests pass their own) and what one run of it holds.
import type { FrameReport, OverlayReport } from '../messaging/background';
import type { FrameAnalysis, FrameRequest, PipelineState, TabRegionRequest } from '../messaging/offscreen';
import type { SiteAdapter } from '../sites';
import type { Painter } from './painter';
import type { Grabber, SampledTile } from './sampler';
import type { PageTile, TileWatcher } from './tile-watcher';

export interface ControllerDeps {
  win: Window;
  doc: Document;
  adapter: SiteAdapter;
  analyze(req: FrameRequest): Promise<FrameAnalysis>;
  analyzeTabRegion(req: TabRegionRequest): Promise<FrameAnalysis>;
  requestTabCapture(): Promise<{ ok: true } | { ok: false; reason: string }>;
  /** The background makes sure the ML host exists and answers with its state (later changes: pipelineChanged). */
  ensureOffscreen(): Promise<PipelineState>;
  /** The ML host's state now (asked when a result comes from a pipeline this script does not know yet). */
  pipelineStatus(): Promise<PipelineState>;
  reportFrame(report: FrameReport): void;
  reportOverlay(report: OverlayReport): void;
  /** The user left a participant out of this call (its key as the summary keys it): the background deletes what the summary held of them. */
  reportLeftOut(left: { callId: string | null; key: string; name: string | null }): void;
  /** This script's extension is gone (updated or reloaded): stand down for good. */
  orphaned(): void;
  /** A canvas of its own per tile (a tainted video taints the canvas it is drawn into); tests without OffscreenCanvas pass their own. */
  grabber?(): Grabber;
}

/** Everything that lives from start() to stop(). */
export interface Run {
  abort: AbortController;
  signal: AbortSignal;
  watcher: TileWatcher;
  painter: Painter;
  tiles: Map<PageTile, SampledTile>;
  byId: Map<string, SampledTile>;
  timer: number | null;
  /** One wait for the ML host at a time, whichever tile noticed it gone. */
  booting: Promise<void> | null;
  /** Pipeline states pushed in this run (a boot's answer older than a push is dropped). */
  pushes: number;
  refreshing: Promise<unknown> | null;
  /** A benchmark asked for per-frame timings in the reports (off for users). */
  telemetry: boolean;
  /** Asked once per run: a refused tab capture may be granted next time (the toolbar click turns it on). */
  tabCapture: Promise<{ ok: true } | { ok: false; reason: string }> | null;
}
