// Content script: the overlay's engine, while it is on. Its parts: TileWatcher (which tiles the page
// has), FrameScheduler and CpuBudget (when each is sampled), WhoChoices (which are analyzed), HostLink
// (the ML host's pipeline), FrameSampler (one frame analyzed), stepTile (the tile's next state,
// pure), Painter (when the overlay is drawn). A run (start to stop) has one AbortSignal for all.
import { CpuBudget } from './logic/budget';
import { tileUrgency } from './logic/fair-share';
import { FrameScheduler } from './logic/scheduler';
import { DEFAULT_SETTINGS, PERFORMANCE_MODES, type Settings } from '../core/settings';
import { newTile, type StepOptions, stepOptionsFor, statusForPipeline, stepTile, withOptions } from './logic/tile-step';
import type { TileTreatment } from './logic/who';
import { tileKeyOf, WhoChoices } from './who-choices';
import type { PipelineState } from '../messaging/offscreen';
import type { ControllerDeps, Run } from './controller-types';
import { FrameGrabber } from './capture';
import { Overlay, type OverlayTile } from './overlay';
import { Painter, tileToDraw } from './painter';
import { HostLink, linkError } from './pipeline-link';
import { FrameSampler, frameTimings, type SampledTile } from './sampler';
import { isSamplable, type PageTile, TileWatcher } from './tile-watcher';
import { mediaClock } from './tiles';

let tileSeq = 0;
export class OverlayController {
  private run: Run | null = null;
  private readonly scheduler: FrameScheduler;
  private readonly budget: CpuBudget;
  private readonly overlay: Overlay;
  private readonly sampler: FrameSampler;
  /** The ML host's pipeline as this tab knows it (pipeline-link.ts). */
  private readonly link: HostLink;
  private slowdown = 1;
  private lastReport = '';
  /** Who the user left out of the current call, and the tile they picked as their own ('me' mode): for that call only. */
  private readonly who: WhoChoices;

  constructor(
    private readonly deps: ControllerDeps,
    private settings: Settings = DEFAULT_SETTINGS,
  ) {
    this.scheduler = new FrameScheduler({ fps: settings.fps });
    this.budget = new CpuBudget({ share: PERFORMANCE_MODES[settings.performanceMode].cpuShare });
    this.who = new WhoChoices(deps.adapter, deps.win, deps.doc);
    this.link = new HostLink(deps, (run, state) => this.applyPipeline(run, state));
    this.overlay = new Overlay(deps.doc, settings, { leaveOut: (id) => this.leaveOutTile(id), pickSelf: (id) => this.pickSelf(id) });
    this.sampler = new FrameSampler(deps);
  }

  get isOn(): boolean {
    return this.run !== null;
  }

  private stepOptions(): StepOptions {
    return stepOptionsFor(this.settings, this.link.state.state === 'ready' ? this.link.state.confidence?.uncertainBelow : undefined);
  }

  /** What happens to a tile now (who-choices.ts). */
  private treatment(tile: SampledTile): TileTreatment {
    return this.who.treatment(tile, this.run?.tiles.values() ?? [], this.settings);
  }

  /** Forget what a tile showed (it is no longer analyzed: its chip goes at the next draw). */
  private forget(tile: SampledTile): void {
    tile.state = newTile(this.stepOptions().detectEvery, tile.state.status);
  }

  /** "Don't analyze" (the chip's button, or the popup through the background): that tile is not sampled again in this call. */
  leaveOut(key: string): void {
    const run = this.run;
    this.who.leaveOut(this.who.callIdAt(), key);
    if (!run) return;
    for (const tile of run.tiles.values()) if (tileKeyOf(tile) === key) this.forget(tile);
    run.painter.request();
  }

  private leaveOutTile(tileId: string): void {
    const tile = this.run?.byId.get(tileId);
    if (!tile) return;
    const key = tileKeyOf(tile);
    const callId = this.who.callIdAt(tile.page.media);
    this.who.forCall(callId);
    this.leaveOut(key);
    this.deps.reportLeftOut({ callId, key, name: tile.page.name });
  }

  /** "This is me" ('me' mode where the site marks no self view): only this tile is analyzed in this call. */
  private pickSelf(tileId: string): void {
    const tile = this.run?.byId.get(tileId);
    if (!tile) return;
    this.who.pick(this.who.callIdAt(tile.page.media), tileKeyOf(tile));
    this.kick();
    this.run?.painter.request();
  }

  updateSettings(settings: Settings): void {
    this.settings = settings;
    this.scheduler.setFps(settings.fps);
    this.budget.setShare(PERFORMANCE_MODES[settings.performanceMode].cpuShare);
    this.overlay.setOptions(settings);
    const run = this.run;
    if (!run) return;
    // Tiles already tracked smooth over the new window too, not only tiles found from now on; tiles
    // no longer analyzed (another mode, a name excluded) lose their chips at once.
    for (const tile of run.tiles.values()) {
      if (this.treatment(tile) === 'analyze') tile.state = withOptions(tile.state, this.stepOptions());
      else this.forget(tile);
    }
    this.kick();
    run.painter.invalidate();
  }

  /** Turn the overlay on; `telemetry`: per-frame timings in the reports (benchmarks only). */
  start(telemetry = false): void {
    if (this.run) return;
    const { win, doc, adapter } = this.deps;
    const abort = new AbortController();
    const { signal } = abort;
    const tiles = new Map<PageTile, SampledTile>();
    const byId = new Map<string, SampledTile>();
    // Draws count toward the budget as timed in the script (the page's frames for them: UNSEEN_MS_PER_MESSAGE).
    const painter = new Painter(win, this.overlay, signal, () => this.view(), (ms) => this.budget.record(win.performance.now(), ms));
    const watcher = new TileWatcher({ win, doc, adapter }, signal, {
      added: (page) => {
        const status = this.link.state.state === 'ready' ? { kind: 'analyzing' as const } : { kind: 'loading' as const };
        const tile: SampledTile = { id: `tile-${++tileSeq}`, page, state: newTile(this.stepOptions().detectEvery, status), source: 'pixels', grabber: this.deps.grabber?.() ?? new FrameGrabber() };
        tiles.set(page, tile);
        byId.set(tile.id, tile);
        this.scheduler.add(tile.id, win.performance.now());
        this.kick();
      },
      removed: (page) => {
        const tile = tiles.get(page);
        if (!tile) return;
        this.scheduler.remove(tile.id);
        tiles.delete(page);
        byId.delete(tile.id);
      },
      changed: () => painter.request(),
    });
    const run: Run = { abort, signal, watcher, painter, tiles, byId, timer: null, booting: null, pushes: 0, refreshing: null, telemetry, tabCapture: null };
    this.run = run;
    signal.addEventListener('abort', () => {
      if (run.timer !== null) win.clearTimeout(run.timer);
      for (const id of byId.keys()) this.scheduler.remove(id);
    });
    doc.addEventListener('visibilitychange', () => this.kick(), { signal });
    watcher.scan();
    this.link.boot(run);
    this.kick();
    painter.request();
  }

  stop(): void {
    const run = this.run;
    if (!run) return;
    this.run = null;
    run.abort.abort();
    this.report(null);
  }

  /** The ML host's state changed (pushed by the background to tabs with the overlay on). */
  pipelineChanged(state: PipelineState): void {
    const run = this.run;
    if (!run) return;
    run.pushes++;
    // Other models loading: frames go on running on the current ones until the new ones are ready.
    if (state.state === 'loading' && this.link.state.state === 'ready') return;
    this.applyPipeline(run, state);
  }

  private applyPipeline(run: Run, state: PipelineState): void {
    this.link.state = state;
    const pipeline = state.state === 'error' ? { error: state.error } : state.state;
    for (const tile of run.tiles.values()) tile.state = { ...tile.state, status: statusForPipeline(tile.state.status, pipeline) };
    this.kick();
    run.painter.request();
  }

  /** Run the scheduler now and set the timer for the next due tile. */
  private kick(): void {
    const run = this.run;
    if (!run) return;
    const { win, doc } = this.deps;
    if (run.timer !== null) win.clearTimeout(run.timer);
    run.timer = null;
    if (doc.visibilityState === 'hidden') return; // resumes on visibilitychange
    if (this.link.state.state === 'ready') {
      // Only tiles that are analyzed: the others' frames are never read, let alone sent.
      const samplable = (id: string) => { const t = run.byId.get(id); return t !== undefined && isSamplable(t.page) && this.treatment(t) === 'analyze'; };
      for (const id of this.scheduler.due(win.performance.now(), samplable)) {
        const tile = run.byId.get(id);
        if (tile) void this.sample(run, tile);
      }
    }
    const wait = this.scheduler.msUntilNext(win.performance.now());
    run.timer = win.setTimeout(() => this.kick(), Math.max(16, Math.min(wait ?? 250, 250)));
  }

  private async sample(run: Run, tile: SampledTile): Promise<void> {
    const { win } = this.deps;
    if (this.link.state.state !== 'ready') return;
    const { cropSize: cell, generation } = this.link.state;
    const t0 = win.performance.now();
    this.scheduler.started(tile.id, t0);
    try {
      const [frameTime, media] = [win.performance.timeOrigin + t0, this.deps.adapter.recorded ? mediaClock(tile.page.media) : {}];
      const outcome = await this.sampler.sample(tile, { frameTime, minFaceSize: this.settings.minFaceSize, cell, generation });
      const now = win.performance.now();
      this.scheduler.finished(tile.id, now, outcome.kind === 'analyzed' ? now - t0 : 0);
      if (outcome.kind !== 'analyzed') {
        this.scheduler.skipped(tile.id, now);
        if (outcome.kind === 'nothing') tile.state = { ...tile.state, status: { kind: 'waiting' } };
        else if (outcome.kind === 'protected') tile.state = { ...tile.state, status: { kind: 'unreadable', detail: 'protected (DRM) video: its frames cannot be analyzed' } };
        else await this.fallBackToTabCapture(run, tile, outcome.detail);
        return;
      }
      const result = outcome.sampled.analysis;
      this.budget.recordFrame(now, { hostMs: result.offscreenMs.decode + result.ms.detect + result.ms.classify + (result.ms.person ?? 0), captureMs: outcome.captureMs, framesInMessage: result.batch?.frames ?? 1 });
      this.slowdown = this.budget.slowdown(now);
      this.scheduler.setSlowdown(this.slowdown);
      if (run.signal.aborted || run.byId.get(tile.id) !== tile) return; // turned off or tile removed meanwhile
      if (this.treatment(tile) !== 'analyze') return; // left out (or not the user's, 'me' mode) meanwhile: nothing kept
      if (this.link.state.state !== 'ready' || result.generation !== this.link.state.generation) {
        // Another pipeline answered (the background switched models, or WebGPU was lost): learn its
        // models (labels, cell size) first; this frame is dropped, the next ones are labelled.
        this.link.refresh(run);
        return;
      }
      const step = stepTile(tile.state, outcome.sampled, now, this.stepOptions());
      this.scheduler.setUrgency(tile.id, outcome.sampled.source === 'unchanged' ? 0 : tileUrgency(tile.state.faces, step.tile.faces));
      tile.state = step.tile;
      const { adapter, doc } = this.deps;
      const callId = this.who.callIdAt(tile.page.media, frameTime);
      this.who.forCall(callId);
      this.deps.reportFrame({
        ...step.report,
        call: { site: adapter.id, callId, title: doc.title },
        ...(this.who.mode(this.settings) === 'me' ? { analyze: 'me' as const } : {}),
        tileId: tile.id, ...media,
        name: tile.page.name,
        latencyMs: now - t0,
        ...(run.telemetry ? { timings: frameTimings(outcome, now - t0) } : {}),
      });
      this.report(run);
    } catch (err) {
      this.scheduler.finished(tile.id, win.performance.now(), win.performance.now() - t0);
      const kind = linkError(err);
      // The extension was updated or reloaded: this script is orphaned; the new one takes over.
      if (kind === 'orphaned') this.deps.orphaned();
      // The offscreen host went away (closed or crashed): recreate it and wait for its models.
      else if (kind === 'no-host') {
        if (!run.signal.aborted) this.link.boot(run);
      } else if (kind === 'no-capture') {
        // Read the page again; if it still cannot, the capture is asked for anew (fallBackToTabCapture).
        run.tabCapture = null;
        tile.source = 'pixels';
      } else if (!run.signal.aborted) tile.state = { ...tile.state, status: { kind: 'error', message: err instanceof Error ? err.message : String(err) } };
    } finally {
      // A slot is free again: reschedule now rather than at the next idle tick, and draw what changed.
      this.kick();
      run.painter.request();
    }
  }

  /** Pixels this page cannot read: switch the tile to tab capture if the user's gesture allows it. */
  private async fallBackToTabCapture(run: Run, tile: SampledTile, reason: string): Promise<void> {
    run.tabCapture ??= this.deps.requestTabCapture();
    const res = await run.tabCapture;
    if (res.ok) tile.source = 'tab';
    else {
      if (tile.state.status.kind !== 'unreadable') console.warn('[emotion-overlay] tile pixels unreadable and tab capture refused:', reason, res.reason);
      tile.state = { ...tile.state, status: { kind: 'unreadable', detail: 'turn the overlay on from the toolbar button to let it read this tile' } };
    }
  }

  /** What the overlay shows now (sent to the background only when it changed, for the badge). */
  private report(run: Run | null): void {
    let faces = 0;
    for (const tile of run?.tiles.values() ?? []) faces += tile.state.faces.length; // (below: the host's share of a core, once a second)
    const site = run?.watcher.health ?? undefined;
    const report = { on: run !== null, faces, tiles: run?.tiles.size ?? 0, slowdown: Math.round(this.slowdown * 10) / 10, cpu: this.budget.shownUsage, ...(site ? { site } : {}) };
    const key = JSON.stringify(report);
    if (key === this.lastReport) return;
    this.lastReport = key;
    this.deps.reportOverlay(report);
  }

  private view(): OverlayTile[] {
    const run = this.run;
    if (!run) return [];
    const state = this.link.state;
    const opts = { now: this.deps.win.performance.now(), loading: state.state === 'loading', visibleLabels: this.settings.visibleLabels, percent: state.state === 'ready' && state.confidence?.percent === true };
    return [...run.tiles.values()].flatMap((t) => {
      const treatment = this.treatment(t);
      if (treatment === 'left-out' || treatment === 'not-me') return []; // nothing drawn: nothing analyzed
      const drawn = tileToDraw(t.id, t.page, t.state, { ...opts, tabCapture: t.source === 'tab' });
      return drawn ? [treatment === 'pick-me' ? { ...drawn, faces: [], pick: true } : drawn] : [];
    });
  }
}
