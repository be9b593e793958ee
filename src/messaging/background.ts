// Any extension context: the typed protocol the background service worker receives.
import type { ImportOutcome } from '../calls/retention';
import { defineExtensionMessaging } from '@webext-core/messaging';
import type { SenderPolicy } from './senders';
import type { Settings } from '../core/settings';
import type { CallSummary } from '../calls/summary';
import type { CallListing } from '../calls/summary-read';
import type { FrameSource } from '../overlay/logic/tile-step';
import type { SiteHealth } from '../core/site-health';
import type { Generation, SiteId } from '../core/types';
import type { ModelChoice, PipelineState } from './offscreen';

export interface OverlayReport {
  on: boolean;
  faces: number;
  tiles: number;
  /** Sampling stretched by this factor to stay within the performance mode's CPU budget (1: not slowed). */
  slowdown?: number;
  /** The ML host's share of one core spent on this tab's frames over the last 5 s (CpuBudget.usage), to 0.05. */
  cpu?: number;
  /** How the site's adapter fares on the page (the popup's site health line). */
  site?: SiteHealth;
}

/** One analyzed frame of one tile, as the content script saw it (labels only, never pixels). */
export interface FrameReport {
  /** The call this frame belongs to (callId null: the page is not a call, nothing is summarized). */
  call: { site: SiteId; callId: string | null; title: string };
  tileId: string;
  name: string | null;
  frameTime: number;
  faces: Array<{ trackId: number; label: string; confidence: number; uncertain?: true; facing?: boolean }>;
  /** No face in the frame: whether the person detector last saw someone in the tile (absent: not asked yet). */
  someone?: boolean;
  /** The ML host's pipeline that produced the labels: the background asks the host which models it ran. */
  generation: Generation;
  backend: string;
  /** Sample-to-result latency in the content script. */
  latencyMs: number;
  /** A video with its own clock (finite duration): where it was when the frame was sampled, and its length (seconds). */
  media?: { time: number; duration: number };
  /** Only while a benchmark asked for them (setTelemetry). */
  timings?: FrameTimings;
  /** Sent in 'me' mode (Settings.analyze): the frame is of the user's own tile; such a call is the user's self-coaching summary. */
  analyze?: 'me';
}

/**
 * A frame report with its generation resolved by the background (ML host's modelsOf): the models that
 * produced its labels and their label set. A call never mixes two (see calls.ts).
 */
export type AnalyzedReport = Omit<FrameReport, 'generation'> & { models: { detector: string; classifier: string }; labels: string[] };

/** Where a frame's time went, for benchmarks and the popup's live status. */
export interface FrameTimings {
  /** Content script: sampling the frame (copy + encode) and its synchronous, main-thread part. */
  captureMs: number;
  mainThreadMs: number;
  /** Content send -> offscreen receive. */
  transitMs: number;
  decodeMs: number;
  detectMs: number;
  classifyMs: number;
  /** The person detector, on the frames that asked it (AnalyzeOptions.presence). */
  personMs?: number;
  /** Whole round trip, sample to result back in the content script. */
  totalMs: number;
  source: FrameSource;
  /** False when detection was skipped and tracked boxes were classified. */
  detected: boolean;
  /** Frames in its message to the ML host, and faces classified in its model call (FrameAnalysis.batch). */
  batch?: { frames: number; faces: number };
}

export interface TabStats {
  on: boolean;
  framesAnalyzed: number;
  faces: number;
  tiles: number;
  lastFrameAt: number | null;
  /** See OverlayReport.slowdown. */
  slowdown: number;
  /** See OverlayReport.cpu (0 until reported). */
  cpu: number;
  /** See OverlayReport.site; null until the overlay scanned the page. */
  site: SiteHealth | null;
  /** A benchmark asked for per-frame timings (setTelemetry): the content script sends them. */
  telemetry: boolean;
}

/** One frame's timings as the background keeps them: which tile, when it arrived (epoch ms), whether it was detected. */
export type TimingSample = FrameTimings & { tileId: string; at: number; detected: boolean };

export type SeekResult = { ok: true } | { ok: false; reason: string };

/** The history as the list shows it (the index: no call record read). */
export interface CallList {
  calls: CallListing[];
  /** Stored records that could not be read (skipped, never shown half-broken). */
  problems: string[];
  /** Things the user should know, e.g. that old calls were pruned near the storage quota. */
  notices: string[];
}

export interface CallHistory {
  calls: CallSummary[];
  /** Stored records that could not be read (skipped, never shown half-broken). */
  problems: string[];
  /** Things the user should know, e.g. that old calls were pruned near the storage quota. */
  notices: string[];
}

/** The port the popup opens for a tab's live status (it posts `{ tabId }`; the background pushes LiveStatus). */
export const LIVE_STATUS_PORT = 'live-status';

export interface LiveStatus {
  tab: TabStats;
  pipeline: PipelineState;
  /** Analyzed frames per second in this tab over the last few seconds. */
  fps: number;
  call: CallSummary | null;
}

export interface BackgroundProtocol {
  /** Make sure the offscreen ML host exists (created on demand, recreated if it went away); its state now (changes are pushed: ContentProtocol.pipelineChanged). */
  ensureOffscreen(): PipelineState;
  /** Popup: turn the overlay on or off in a tab. */
  setOverlay(req: { tabId: number; on: boolean }): { on: boolean };
  /** Popup passes a tabId; a content script gets its own tab's state (any tabId it passes is ignored). */
  getOverlay(req: { tabId?: number }): TabStats;
  /** Content script: its tab's pixels must be read by tab capture (unreadable canvases). */
  requestTabCapture(): { ok: true } | { ok: false; reason: string };
  /** Content script: the frames analyzed since its last report, in order (feed live stats and call summaries). */
  framesAnalyzed(req: { reports: FrameReport[] }): void;
  /** Popup: everything the "now" view shows for a tab. */
  getLiveStatus(req: { tabId: number }): LiveStatus;
  /** Popup (exports): every stored call in full, newest first (live ones included, marked ended: false). */
  listCalls(): CallHistory;
  /** Popup (the history list): each call as listed, newest first, live ones included; reads only the index. */
  listCallIndex(): CallList;
  /** Popup (a call's detail): one call in full, live or stored; null when it is gone. */
  getCall(req: { id: string }): CallSummary | null;
  /** Popup: play a video's summary from a time (seconds): the tab where that video runs now seeks its player. */
  seekMedia(req: { id: string; seconds: number }): SeekResult;
  deleteCalls(req: { ids: string[] | 'all' }): void;
  /**
   * "Don't analyze <name>": a content script (its chip's button: its own tab) or the popup (a tab's
   * live call) leaves a participant out of the call: not sampled again, and what the summary held of
   * them is deleted. `always` (popup only): by name on this site from now on (Settings.excludedNames).
   */
  leaveOut(req: { tabId?: number; key: string; name: string | null; always?: boolean }): void;
  /** Popup: star (keep through retention and the size limit) or unstar a call; false when it is gone. */
  starCall(req: { id: string; starred: boolean }): boolean;
  /** Popup: merge an exported history (a JSON file's `calls`, each validated here). */
  importCalls(req: { calls: unknown[] }): ImportOutcome;
  /** Popup (Settings): what the history takes and holds, and how many calls wait for room. */
  historyUsage(): { bytes: number; calls: number; pending: number };
  dismissNotices(): void;
  getSettings(): Settings;
  /** ML host: its state changed (the first one: it is up and listening). The background tells the tabs and the popup. */
  pipelineChanged(req: PipelineState): void;
  /** ML host, when it starts: the models Settings picked (afterwards the background tells it of changes). */
  modelChoice(): ModelChoice;
  updateSettings(req: Partial<Settings>): Settings;
  /** First-run notice: whether the user has read it, and recording that they have. */
  getFirstRun(): { acknowledged: boolean };
  acknowledgeFirstRun(): void;
  /** Benchmarks: per-frame timings from tabs whose overlay is turned on from now (off for users). */
  setTelemetry(req: { on: boolean }): void;
  /** Benchmarks: the latest frames' timings for a tab (newest last; none without setTelemetry). */
  getTimings(req: { tabId: number; last?: number }): TimingSample[];
  /** Content script: what the overlay shows now, for the action badge. */
  reportOverlay(req: OverlayReport): void;
}

/**
 * Who may send each message (checked by the background on every message, src/messaging/senders): what
 * reads or changes other tabs, the call history or the settings comes only from extension pages.
 */
export const BACKGROUND_SENDERS: { readonly [K in keyof BackgroundProtocol]: SenderPolicy } = {
  ensureOffscreen: 'any',
  setOverlay: 'extension-page',
  getOverlay: 'any',
  requestTabCapture: 'content-script',
  framesAnalyzed: 'content-script',
  getLiveStatus: 'extension-page',
  listCalls: 'extension-page',
  deleteCalls: 'extension-page',
  leaveOut: 'any',
  starCall: 'extension-page',
  importCalls: 'extension-page',
  historyUsage: 'extension-page',
  listCallIndex: 'extension-page',
  getCall: 'extension-page',
  seekMedia: 'extension-page',
  dismissNotices: 'extension-page',
  // The content script draws with them (it cannot read storage); preferences only, no history.
  getSettings: 'any',
  modelChoice: 'extension-page',
  pipelineChanged: 'extension-page',
  updateSettings: 'extension-page',
  getFirstRun: 'extension-page',
  acknowledgeFirstRun: 'extension-page',
  setTelemetry: 'extension-page',
  getTimings: 'extension-page',
  reportOverlay: 'content-script',
};

export const backgroundMessenger = defineExtensionMessaging<BackgroundProtocol>();
