// Content script: the overlay's engine. Finds tiles, samples frames on a schedule, sends them to the
// offscreen ML host, tracks and smooths faces, and draws the result. Everything is torn down by stop().
import { FACE_CROP_SCALE, squareCrop } from '../core/boxes';
import { frameToSource, type ObjectFit, regionOfFrame } from '../core/geometry';
import { type FaceToDraw, facesInTile } from '../core/overlay-faces';
import { DEFAULT_TRACKING, FaceTracker, type TrackedFace } from '../core/tracking';
import { DEFAULT_SETTINGS, PERFORMANCE_MODES, type Settings } from '../core/settings';
import type { FrameReport, FrameTimings, OverlayReport } from '../messaging/background';
import type { PixelBox } from '../core/types';
import type { FrameAnalysis, FrameRequest, ModelChoice, PipelineState, ResultModels, TabRegionRequest } from '../messaging/offscreen';
import type { SiteAdapter } from '../sites';
import { HAVE_CURRENT_DATA, isVideo, type TileMedia } from '../sites/types';
import { isShadowRoot } from '../sites/dom';
import { FrameScheduler } from '../core/scheduler';
import { CpuBudget } from '../core/budget';
import { nextDetectInterval } from '../core/detect-interval';
import { cellSignature, maxBlockChange } from '../core/face-change';
import { withTimeout } from '../core/timeout';
import { FrameGrabber, frameSizeOf, frameSource, sourceSize } from './capture';
import { Overlay, type OverlayTile, type TileStatus } from './overlay';
import { isNoHost, waitForPipeline } from './pipeline-link';
import { discoverTiles, isMirroredOnPage, tileRect } from './tiles';

export interface ControllerDeps {
  win: Window;
  doc: Document;
  adapter: SiteAdapter;
  analyze(req: FrameRequest): Promise<FrameAnalysis>;
  analyzeTabRegion(req: TabRegionRequest): Promise<FrameAnalysis>;
  requestTabCapture(): Promise<{ ok: true } | { ok: false; reason: string }>;
  ensureOffscreen(): Promise<void>;
  pipelineStatus(): Promise<PipelineState>;
  reportFrame(report: FrameReport): void;
  reportOverlay(report: OverlayReport): void;
  /** This script's extension is gone (updated or reloaded): stand down for good. */
  orphaned(): void;
}

interface TileRecord {
  id: string;
  media: TileMedia;
  /** The participant's element over part of a shared media element (see Tile.region), or null. */
  region: Element | null;
  /** The media is shown flipped left to right (a mirrored self view): its boxes are drawn mirrored. */
  mirrored: boolean;
  name: string | null;
  visible: boolean;
  tracker: FaceTracker;
  faces: TrackedFace[];
  status: TileStatus;
  /** Size of the frame the faces' boxes refer to. */
  frame: { width: number; height: number } | null;
  fit: ObjectFit;
  lastResultAt: number;
  /** 'pixels': read by the content script; 'tab': cropped from a tab capture (unreadable pixels). */
  source: 'pixels' | 'tab';
  /** Frames analyzed since the last full detection, and how many the next one waits (see nextDetectInterval). */
  sinceDetect: number;
  detectEvery: number;
  /** Its own canvas: a tainted video taints the canvas it is drawn into, so none is shared. */
  grabber: FrameGrabber;
  /** The last classification of its tracked faces from a sheet, with the sheet's signatures (see face-change). */
  classified: { trackIds: number[]; signatures: Float32Array[]; result: FrameAnalysis; at: number } | null;
  /** The classifier of the tile's last result (its tracks hold that model's labels). */
  classifier: string | null;
}

/**
 * A tracked face whose every signature block moved by at most this many grey levels is not
 * classified again (its last label stands), for at most UNCHANGED_FOR_MS. docs/decisions.md
 * (eval:face-change, 2026-12-02): on the talking-head clips at 6 fps, 18 of 43 and 30 of 47 frames of the two
 * calmer speakers pass, 0-3 of 47 of the others; on a passing frame the classifier's own output
 * would have moved by at most 0.38 (its noise on a still face; 0.79 at a threshold of 10).
 */
const UNCHANGED_LUMA = 3;
const UNCHANGED_FOR_MS = 1000;

/** Faces older than this are no longer drawn (the tile stopped producing results). */
const STALE_MS = 2500;
/** Redraw at least this often (layout that moved without an event, paused videos, stale faces). */
const DRAW_TICK_MS = 250;
/**
 * A frame's analysis that has not answered by then is given up (its late answer is ignored): a
 * hung request would otherwise hold one of the scheduler's few in-flight slots for good, and a
 * few of them would stop every tile. Normal answers take tens of milliseconds.
 */
export const ANALYZE_TIMEOUT_MS = 10_000;

let tileSeq = 0;

/** The tile's faces are recent enough to draw and to track from. */
const fresh = (rec: TileRecord, now: number) => now - rec.lastResultAt < STALE_MS;

export class OverlayController {
  private on = false;
  /** By the element that stands for the tile: its region when it has one, else its media. */
  private readonly tiles = new Map<Element, TileRecord>();
  private readonly byId = new Map<string, TileRecord>();
  private scheduler: FrameScheduler;
  private readonly overlay: Overlay;
  private abort: AbortController | null = null;
  private timer: number | null = null;
  private raf: number | null = null;
  /** The slow redraw tick (layout that moved without an event, faces going stale). */
  private drawTick: number | null = null;
  /** What the overlay shows now, as drawn last (nothing is rewritten when nothing changed). */
  private lastDrawn = '';
  private pipeline: PipelineState = { state: 'loading' };
  private tabCapture: Promise<{ ok: true } | { ok: false; reason: string }> | null = null;
  private lastReport = '';
  /** The ML host's CPU budget for this tab (the performance mode's) and its current stretch of sampling. */
  private readonly budget: CpuBudget;
  private slowdown = 1;

  constructor(
    private readonly deps: ControllerDeps,
    private settings: Settings = DEFAULT_SETTINGS,
  ) {
    this.scheduler = new FrameScheduler({ fps: settings.fps });
    this.budget = new CpuBudget({ share: PERFORMANCE_MODES[settings.performanceMode].cpuShare });
    this.overlay = new Overlay(deps.doc, settings);
  }

  get isOn(): boolean {
    return this.on;
  }

  updateSettings(settings: Settings): void {
    this.settings = settings;
    this.scheduler.setFps(settings.fps);
    this.budget.setShare(PERFORMANCE_MODES[settings.performanceMode].cpuShare);
    this.overlay.setOptions(settings);
    // Tiles already tracked smooth over the new window too, not only tiles found from now on.
    for (const rec of this.tiles.values()) {
      rec.tracker.setWindow(settings.smoothingWindow);
      rec.detectEvery = PERFORMANCE_MODES[settings.performanceMode].detectEvery;
    }
    this.lastDrawn = '';
    this.requestDraw();
  }

  start(): void {
    if (this.on) return;
    this.on = true;
    const { win, doc } = this.deps;
    this.abort = new AbortController();
    const signal = this.abort.signal;
    this.overlay.mount();
    // The page's window's observers (the deps' window, not this script's globals: testable in a DOM of its own).
    const { MutationObserver, IntersectionObserver } = win as Window & typeof globalThis;
    const mutations = new MutationObserver(() => {
      this.scheduleScan();
      this.requestDraw();
    });
    this.observeTree = (root) => mutations.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ['style', 'class', 'hidden'] });
    this.observeTree(doc.documentElement);
    this.observedRoots = new WeakSet();
    signal.addEventListener('abort', () => mutations.disconnect());
    this.intersections = new IntersectionObserver((entries) => {
      for (const e of entries) {
        const rec = this.tiles.get(e.target);
        if (rec) rec.visible = e.isIntersecting;
      }
    });
    signal.addEventListener('abort', () => this.intersections?.disconnect());
    doc.addEventListener('visibilitychange', () => this.kick(), { signal });
    win.addEventListener('resize', () => this.scheduleScan(), { signal });
    // Tiles move on scroll without any mutation: redraw then (a frame later, coalesced).
    win.addEventListener('scroll', () => this.requestDraw(), { signal, capture: true, passive: true });
    this.lastDrawn = '';
    this.drawTick = win.setInterval(() => this.requestDraw(), DRAW_TICK_MS);
    this.scan();
    void this.bootPipeline(signal);
    this.kick();
    this.requestDraw();
  }

  stop(): void {
    if (!this.on) return;
    this.on = false;
    this.abort?.abort();
    this.abort = null;
    if (this.timer !== null) this.deps.win.clearTimeout(this.timer);
    if (this.raf !== null) this.deps.win.cancelAnimationFrame(this.raf);
    if (this.drawTick !== null) this.deps.win.clearInterval(this.drawTick);
    this.timer = this.raf = this.drawTick = null;
    for (const rec of this.tiles.values()) this.scheduler.remove(rec.id);
    this.tiles.clear();
    this.byId.clear();
    // A refused tab capture may be granted next time (the user's toolbar click turns it on).
    this.tabCapture = null;
    this.overlay.unmount();
    this.report();
  }

  private intersections: IntersectionObserver | null = null;
  /** Watch a subtree for changes that may add or remove tiles (the document, and open shadow roots holding tiles). */
  private observeTree: (root: Node) => void = () => undefined;
  private observedRoots = new WeakSet<Node>();
  private scanQueued = false;

  /** Mutations inside a shadow root do not reach the document's observer: watch each root that holds a tile. */
  private observeShadowRoots(el: Element): void {
    for (let root = el.getRootNode(); isShadowRoot(root); root = root.host.getRootNode()) {
      if (this.observedRoots.has(root)) continue;
      this.observedRoots.add(root);
      this.observeTree(root);
    }
  }

  private scheduleScan(): void {
    if (this.scanQueued || !this.on) return;
    this.scanQueued = true;
    this.deps.win.setTimeout(() => {
      this.scanQueued = false;
      if (this.on) this.scan();
      this.requestDraw();
    }, 150);
  }

  /** Reconcile the tile set with the page: new media get a record, gone or tiny ones lose theirs. */
  private scan(): void {
    const { doc, win, adapter } = this.deps;
    const found = discoverTiles(adapter, doc, win);
    const now = win.performance.now();
    for (const [key, rec] of this.tiles) {
      if (found.get(key)?.media !== rec.media) this.dropTile(rec);
    }
    for (const [key, { media, region, name }] of found) {
      const style = win.getComputedStyle(media);
      const existing = this.tiles.get(key);
      if (existing) {
        existing.name = name;
        existing.fit = (style.objectFit || 'fill') as ObjectFit;
        existing.mirrored = isMirroredOnPage(win, media);
        continue;
      }
      const rec: TileRecord = {
        id: `tile-${++tileSeq}`,
        media,
        region,
        mirrored: isMirroredOnPage(win, media),
        name,
        visible: true,
        tracker: new FaceTracker({ ...DEFAULT_TRACKING, window: this.settings.smoothingWindow }),
        faces: [],
        status: { kind: this.pipeline.state === 'ready' ? 'analyzing' : 'loading' },
        frame: null,
        fit: (style.objectFit || 'fill') as ObjectFit,
        lastResultAt: 0,
        source: 'pixels',
        sinceDetect: 0,
        detectEvery: PERFORMANCE_MODES[this.settings.performanceMode].detectEvery,
        grabber: new FrameGrabber(),
        classified: null,
        classifier: null,
      };
      this.tiles.set(key, rec);
      this.byId.set(rec.id, rec);
      this.scheduler.add(rec.id, now);
      this.intersections?.observe(key);
      this.observeShadowRoots(key);
    }
    this.kick();
  }

  private dropTile(rec: TileRecord): void {
    this.intersections?.unobserve(rec.region ?? rec.media);
    this.scheduler.remove(rec.id);
    this.tiles.delete(rec.region ?? rec.media);
    this.byId.delete(rec.id);
  }

  private async bootPipeline(signal: AbortSignal): Promise<void> {
    const { win } = this.deps;
    this.pipeline = await waitForPipeline(
      { ensureOffscreen: this.deps.ensureOffscreen, pipelineStatus: this.deps.pipelineStatus, now: () => win.performance.now(), sleep: (ms) => new Promise((r) => win.setTimeout(r, ms)) },
      signal,
    );
    if (signal.aborted) return;
    for (const rec of this.tiles.values()) {
      if (this.pipeline.state === 'error') rec.status = { kind: 'error', message: this.pipeline.error };
      else if (rec.status.kind === 'loading') rec.status = { kind: 'analyzing' };
    }
    this.kick();
    this.requestDraw();
  }

  private eligible(rec: TileRecord): boolean {
    if (!rec.visible || !rec.media.isConnected || (rec.region && !rec.region.isConnected)) return false;
    if (isVideo(rec.media) && (rec.media.paused || rec.media.ended)) return false;
    return true;
  }

  /** Run the scheduler now and set the timer for the next due tile. */
  private kick(): void {
    if (!this.on) return;
    const { win, doc } = this.deps;
    if (this.timer !== null) win.clearTimeout(this.timer);
    this.timer = null;
    if (doc.visibilityState === 'hidden') return; // resumes on visibilitychange
    if (this.pipeline.state === 'ready') {
      const now = win.performance.now();
      for (const id of this.scheduler.due(now, (tid) => {
        const rec = this.byId.get(tid);
        return rec ? this.eligible(rec) : false;
      })) {
        const rec = this.byId.get(id);
        if (rec) void this.sample(rec);
      }
    }
    const wait = this.scheduler.msUntilNext(win.performance.now());
    this.timer = win.setTimeout(() => this.kick(), Math.max(16, Math.min(wait ?? 250, 250)));
  }

  /** Pixels this page cannot read: switch the tile to tab capture if the user's gesture allows it. */
  private async fallBackToTabCapture(rec: TileRecord, reason: string): Promise<void> {
    this.tabCapture ??= this.deps.requestTabCapture();
    const res = await this.tabCapture;
    if (res.ok) rec.source = 'tab';
    else {
      if (rec.status.kind !== 'unreadable') console.warn('[emotion-overlay] tile pixels unreadable and tab capture refused:', reason, res.reason);
      rec.status = { kind: 'unreadable', detail: 'turn the overlay on from the toolbar button to let it read this tile' };
    }
  }

  /**
   * Tracked boxes to classify without detecting, when this frame may skip detection: detection runs
   * on every rec.detectEvery-th frame of a tile (from the performance mode's detectEvery up to its
   * maxDetectEvery while the faces stay put) and whenever it has no fresh face; frames in between
   * reuse the tracked boxes and only classify, a fraction of a detection's cost.
   */
  private trackedFaces(rec: TileRecord, width: number, height: number): Array<{ box: PixelBox; score: number }> | undefined {
    const sameFrame = rec.frame?.width === width && rec.frame.height === height;
    if (!fresh(rec, this.deps.win.performance.now()) || !sameFrame || rec.faces.length === 0 || rec.sinceDetect + 1 >= rec.detectEvery) return undefined;
    return rec.faces.map((f) => ({ box: f.box, score: f.score, ...(f.roll === undefined ? {} : { roll: f.roll }) }));
  }

  private deadline<T>(work: Promise<T>): Promise<T> {
    const { win } = this.deps;
    return withTimeout(work, ANALYZE_TIMEOUT_MS, { setTimeout: (fn, ms) => win.setTimeout(fn, ms), clearTimeout: (id) => win.clearTimeout(id as number) }, 'frame analysis');
  }

  /** Sample one frame of a tile and have it analyzed; null when there was nothing to sample. */
  private async request(
    rec: TileRecord,
    frameTime: number,
  ): Promise<{ result: FrameAnalysis; captureMs: number; mainThreadMs: number; source: FrameTimings['source'] } | null> {
    const { win } = this.deps;
    const { minFaceSize } = this.settings;
    const t0 = win.performance.now();
    if (rec.source === 'tab') {
      const r = tileRect(rec.media, rec.region);
      if (!r) return null;
      const rect = { x: r.x, y: r.y, width: r.width, height: r.height };
      const mainThreadMs = win.performance.now() - t0;
      const viewport = { width: win.innerWidth, height: win.innerHeight };
      const faces = rec.frame ? this.trackedFaces(rec, rec.frame.width, rec.frame.height) : undefined;
      const result = await this.deadline(this.deps.analyzeTabRegion({ tileId: rec.id, frameTime, rect, viewport, minFaceSize, faces, models: this.models() }));
      return { result, captureMs: mainThreadMs, mainThreadMs, source: 'tab' };
    }
    const crop = rec.region ? this.regionCrop(rec) : undefined;
    if (crop === null) return null; // the region shows none of the media now
    const source = frameSource(rec.media, crop?.source);
    const frame = frameSizeOf(rec.media, source);
    // A frame that skips detection needs only its faces: the page cuts their crops from the media's
    // own pixels into a small sheet instead of sending (encoding, decoding) the whole frame.
    const faces = this.trackedFaces(rec, frame.width, frame.height);
    const cell = this.pipeline.state === 'ready' ? this.pipeline.cropSize : 96;
    const shot = faces
      ? await rec.grabber.captureFaces(rec.media, faces.map((f) => frameToSource(squareCrop(f.box, FACE_CROP_SCALE), frame, source)), cell)
      : await rec.grabber.capture(rec.media, this.settings.frameEncoding, crop?.source);
    if (shot.ok) {
      const sheet = faces ? { cell, frame } : undefined;
      const signatures = sheet && shot.frame.kind === 'raw' ? this.signatures(shot.frame.data, shot.width, cell, rec.faces.length) : null;
      const captureMs = win.performance.now() - t0;
      const mainThreadMs = shot.mainThreadMs + (signatures ? signatures.ms : 0);
      const unchanged = signatures ? this.unchangedResult(rec, signatures.list, frameTime) : null;
      if (unchanged) return { result: unchanged, captureMs, mainThreadMs, source: 'unchanged' };
      const result = await this.deadline(this.deps.analyze({ tileId: rec.id, frameTime, frame: shot.frame, minFaceSize, faces, sheet, models: this.models() }));
      rec.classified = signatures ? { trackIds: rec.faces.map((f) => f.trackId), signatures: signatures.list, result, at: win.performance.now() } : null;
      return { result, captureMs, mainThreadMs, source: sheet ? 'sheet' : shot.frame.kind };
    }
    if (shot.reason === 'no-frame') rec.status = { kind: 'waiting' };
    if (shot.reason === 'protected') rec.status = { kind: 'unreadable', detail: 'protected (DRM) video: its frames cannot be analyzed' };
    else if (shot.reason !== 'no-frame') await this.fallBackToTabCapture(rec, shot.detail ?? shot.reason);
    return null;
  }

  /** The models Settings picked (null: models.json's default); the ML host switches to them. */
  private models(): ModelChoice {
    return { detector: this.settings.detector, classifier: this.settings.classifier };
  }

  /**
   * A result from other models than the tile's last one (Settings changed mid-call): its tracks start
   * over, so a face's smoothed label never averages two models (or two label sets), and the host's
   * state follows (the cell size of the next face sheets).
   */
  private followModels(rec: TileRecord, models: ResultModels): void {
    if (rec.classifier !== null && rec.classifier !== models.classifier) {
      rec.tracker = new FaceTracker({ ...DEFAULT_TRACKING, window: this.settings.smoothingWindow });
      rec.faces = [];
      rec.classified = null;
    }
    rec.classifier = models.classifier;
    const p = this.pipeline;
    if (p.state === 'ready' && (p.classifier !== models.classifier || p.detector !== models.detector)) {
      this.pipeline = { ...p, detector: models.detector, classifier: models.classifier, labels: models.labels, cropSize: models.cropSize };
    }
  }

  private signatures(data: ArrayBuffer, width: number, cell: number, n: number): { list: Float32Array[]; ms: number } {
    const t = this.deps.win.performance.now();
    const pixels = new Uint8ClampedArray(data);
    const list = Array.from({ length: n }, (_, i) => cellSignature(pixels, width, cell, i));
    return { list, ms: this.deps.win.performance.now() - t };
  }

  /** The tile's last classification again, when the same tracked faces look unchanged since and it is recent. */
  private unchangedResult(rec: TileRecord, signatures: Float32Array[], frameTime: number): FrameAnalysis | null {
    const last = rec.classified;
    const now = this.deps.win.performance.now();
    if (!last || now - last.at > UNCHANGED_FOR_MS || last.trackIds.join() !== rec.faces.map((f) => f.trackId).join()) return null;
    if (signatures.some((s, i) => maxBlockChange(s, last.signatures[i] ?? new Float32Array()) > UNCHANGED_LUMA)) return null;
    const receivedAt = this.deps.win.performance.timeOrigin + now;
    return { ...last.result, frameTime, ms: { detect: 0, classify: 0 }, offscreenMs: { receivedAt, decode: 0, total: 0 }, detected: false, batch: { frames: 0, faces: 0 } };
  }

  /** A region tile's part of its media: the media's pixels to crop and the element rectangle they cover. */
  private regionCrop(rec: TileRecord): ReturnType<typeof regionOfFrame> {
    if (!rec.region) return null;
    const m = rec.media.getBoundingClientRect();
    const g = rec.region.getBoundingClientRect();
    return regionOfFrame({ x: g.x - m.x, y: g.y - m.y, width: g.width, height: g.height }, { width: m.width, height: m.height }, sourceSize(rec.media), rec.fit);
  }

  private async sample(rec: TileRecord): Promise<void> {
    try {
      await this.sampleOnce(rec);
    } finally {
      // A slot is free again: reschedule now rather than at the next idle tick. A status may have
      // changed (waiting, unreadable, error): draw it.
      this.kick();
      this.requestDraw();
    }
  }

  private async sampleOnce(rec: TileRecord): Promise<void> {
    const { win } = this.deps;
    const t0 = win.performance.now();
    this.scheduler.started(rec.id, t0);
    try {
      const sampled = await this.request(rec, win.performance.timeOrigin + t0);
      if (!sampled) {
        this.scheduler.finished(rec.id, win.performance.now(), 0);
        this.scheduler.skipped(rec.id, win.performance.now());
        return;
      }
      const { result } = sampled;
      const now = win.performance.now();
      this.scheduler.finished(rec.id, now, now - t0);
      // The host's own work on this frame (decode, detection, classification), not its wall time: frames
      // in flight together overlap there, and would count twice.
      this.budget.record(now, result.offscreenMs.decode + result.ms.detect + result.ms.classify);
      this.slowdown = this.budget.slowdown(now);
      this.scheduler.setSlowdown(this.slowdown);
      if (!this.on || this.byId.get(rec.id) !== rec) return; // turned off or tile removed meanwhile
      if (result.detected) {
        const mode = PERFORMANCE_MODES[this.settings.performanceMode];
        const tracked = fresh(rec, now) ? rec.faces.map((f) => f.box) : [];
        rec.detectEvery = nextDetectInterval(rec.detectEvery, tracked, result.faces.map((f) => f.box), { base: mode.detectEvery, max: mode.maxDetectEvery });
      }
      this.followModels(rec, result.models);
      rec.faces = rec.tracker.update(result.faces, now);
      rec.sinceDetect = result.detected ? 0 : rec.sinceDetect + 1;
      rec.frame = result.input;
      rec.lastResultAt = now;
      rec.status = { kind: rec.faces.length > 0 ? 'analyzing' : 'no-face' };
      this.requestDraw();
      const { adapter, win: w, doc } = this.deps;
      this.deps.reportFrame({
        call: { site: adapter.id, callId: adapter.callId(new URL(w.location.href)), title: doc.title },
        tileId: rec.id,
        name: rec.name,
        frameTime: result.frameTime,
        faces: rec.faces.map((f) => ({ trackId: f.trackId, label: f.label, confidence: f.confidence })),
        models: { detector: result.models.detector, classifier: result.models.classifier },
        labels: result.models.labels,
        backend: result.backend,
        latencyMs: now - t0,
        timings: {
          captureMs: sampled.captureMs,
          mainThreadMs: sampled.mainThreadMs,
          transitMs: result.offscreenMs.receivedAt - (result.frameTime + sampled.captureMs),
          decodeMs: result.offscreenMs.decode,
          detectMs: result.ms.detect,
          classifyMs: result.ms.classify,
          totalMs: now - t0,
          source: sampled.source,
          detected: result.detected,
          ...(result.batch ? { batch: result.batch } : {}),
        },
      });
      this.report();
    } catch (err) {
      const now = win.performance.now();
      this.scheduler.finished(rec.id, now, now - t0);
      const message = err instanceof Error ? err.message : String(err);
      if (/Extension context invalidated/.test(message)) {
        // The extension was updated or reloaded: this script is orphaned; the new one takes over.
        this.deps.orphaned();
        return;
      }
      // No receiver, or only the background answering (it has no analyze handler): the host is gone.
      if (isNoHost(err)) {
        // The offscreen host went away (closed or crashed): recreate it and wait for its models.
        this.pipeline = { state: 'loading' };
        if (this.abort) void this.bootPipeline(this.abort.signal);
      } else if (this.on) {
        rec.status = { kind: 'error', message };
      }
    }
  }

  private report(): void {
    let faces = 0;
    for (const rec of this.tiles.values()) faces += rec.faces.length;
    const report = { on: this.on, faces, tiles: this.tiles.size, slowdown: Math.round(this.slowdown * 10) / 10 };
    const key = JSON.stringify(report);
    if (key === this.lastReport) return;
    this.lastReport = key;
    this.deps.reportOverlay(report);
  }

  /**
   * Draw at the next animation frame (several requests, one draw). Draws happen on a new result, a
   * state change, a scroll, a mutation or the slow tick, not on every animation frame: an idle
   * overlay costs the page nothing per frame.
   */
  private requestDraw(): void {
    if (!this.on || this.raf !== null) return;
    this.raf = this.deps.win.requestAnimationFrame(() => {
      this.raf = null;
      if (this.on) this.draw();
    });
  }

  /** Position every tile layer over its media element and map face boxes into it. */
  draw(): void {
    const now = this.deps.win.performance.now();
    const tiles: OverlayTile[] = [];
    for (const rec of this.tiles.values()) {
      const r = tileRect(rec.media, rec.region);
      if (!r) continue;
      let faces: FaceToDraw[] = [];
      if (fresh(rec, now) && rec.frame) {
        // A tab-capture crop is exactly the tile's rectangle, and a region's crop exactly its part
        // of the media, so both map with 'fill'. Tab captures show the page as drawn (mirrored already).
        faces = facesInTile(rec.faces, {
          frame: rec.frame,
          tile: { width: r.width, height: r.height },
          fit: rec.source === 'tab' || rec.region ? 'fill' : rec.fit,
          mirrored: rec.mirrored && rec.source !== 'tab',
          visibleLabels: this.settings.visibleLabels,
        });
      }
      let status = rec.status;
      if (this.pipeline.state === 'loading') status = { kind: 'loading' };
      else if (isVideo(rec.media) && rec.media.readyState < HAVE_CURRENT_DATA) status = { kind: 'waiting' };
      else if (isVideo(rec.media) && rec.media.paused) status = { kind: 'paused' };
      tiles.push({ id: rec.id, rect: { x: r.x, y: r.y, width: r.width, height: r.height }, name: rec.name, status, faces });
    }
    const key = JSON.stringify(tiles);
    if (key === this.lastDrawn) return;
    this.lastDrawn = key;
    this.overlay.render(tiles);
  }
}
