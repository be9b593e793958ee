// @vitest-environment happy-dom
// The overlay's engine through its real parts (watcher, scheduler, sampler, tile step, painter) on a
// page of canvas tiles; only the ML host's answers and the pixel copy are the test's (see page.ts).
import { TAB_CAPTURE_STOPPED } from '../../src/messaging/offscreen';
import { afterEach, describe, expect, it } from 'vitest';
import { OverlayController } from '../../src/overlay/controller';
import type { ControllerDeps } from '../../src/overlay/controller-types';
import { ANALYZE_TIMEOUT_MS } from '../../src/overlay/sampler';
import type { FrameReport } from '../../src/messaging/background';
import type { FrameAnalysis, FrameRequest, PipelineState } from '../../src/messaging/offscreen';
import { genericAdapter } from '../../src/sites/generic';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { analysisOf, fakeGrabber, pageWindow, tilesPage } from './page';

const READY: PipelineState = {
  state: 'ready',
  generation: 'host:1',
  backend: 'wasm',
  detector: 'det',
  classifier: 'cls',
  labels: ['angry', 'happy', 'neutral', 'sad', 'surprise'],
  cropSize: 96,
  confidence: { uncertainBelow: 0.45, percent: true },
  loadMs: 1,
  memory: { tensors: 0, tensorBytes: 0 },
};

let controller: OverlayController | null = null;
afterEach(() => controller?.stop());

function harness(analyze: (req: FrameRequest) => Promise<FrameAnalysis>, overrides: Partial<ControllerDeps> = {}) {
  const { win, clock } = pageWindow();
  const reports: FrameReport[] = [];
  const calls = { ensureOffscreen: 0, orphaned: 0, tabCapture: 0, tabRegions: 0 };
  const deps: ControllerDeps = {
    win,
    doc: document,
    adapter: genericAdapter,
    analyze,
    analyzeTabRegion: async (req) => (calls.tabRegions++, analysisOf(req)),
    requestTabCapture: async () => (calls.tabCapture++, { ok: false, reason: 'no gesture' }),
    ensureOffscreen: async () => (calls.ensureOffscreen++, deps.pipelineStatus()),
    pipelineStatus: async () => READY,
    reportFrame: (r) => reports.push(r),
    reportOverlay: () => undefined,
    reportLeftOut: () => undefined,
    orphaned: () => void calls.orphaned++,
    grabber: () => fakeGrabber(),
    ...overrides,
  };
  controller = new OverlayController(deps);
  return { controller, clock, reports, calls };
}
const reportedTiles = (reports: FrameReport[]) => new Set(reports.map((r) => r.tileId));

describe('OverlayController', () => {
  it("labels every tile's face and reports it for the call summary", async () => {
    tilesPage(2);
    const { controller: c, clock, reports } = harness(async (req) => analysisOf(req));
    c.start(true);
    await clock.advance(2000);
    expect(reportedTiles(reports).size).toBe(2);
    const last = reports.at(-1)!;
    expect(last.faces).toEqual([expect.objectContaining({ label: 'happy' })]);
    expect(last.call).toEqual({ site: 'generic', callId: `${location.hostname}${location.pathname}`, title: '' });
    // Between detections only the tracked faces travel (a face sheet).
    expect(reports.some((r) => r.timings?.source === 'sheet' || r.timings?.source === 'unchanged')).toBe(true);
  });

  it("a user's reports carry no timings: telemetry only when a benchmark turns the overlay on with it", async () => {
    tilesPage(1);
    const { controller: c, clock, reports } = harness(async (req) => analysisOf(req));
    c.start();
    await clock.advance(1000);
    expect(reports.length).toBeGreaterThan(0);
    expect(reports.every((r) => r.timings === undefined)).toBe(true);
  });

  it('hung analyses hold their slots only until the deadline: the other tiles go on', async () => {
    // Four tiles whose analyses never answer fill the scheduler's four in-flight slots.
    tilesPage(5);
    const hung = new Set<string>();
    const { controller: c, clock, reports } = harness((req) => {
      if (hung.size < 4) hung.add(req.tileId);
      return hung.has(req.tileId) ? new Promise<never>(() => undefined) : Promise.resolve(analysisOf(req));
    });
    c.start();
    await clock.advance(ANALYZE_TIMEOUT_MS - 100);
    expect(reports).toEqual([]);
    await clock.advance(2000);
    expect(reports.length).toBeGreaterThan(0);
    expect(hung.size).toBe(4);
    expect(reportedTiles(reports).size).toBe(1);
    expect(hung.has(reports[0]!.tileId)).toBe(false);
  });

  it('the ML host gone: one wait for it, however many tiles noticed', async () => {
    tilesPage(3);
    let gone = true;
    let analyzed = 0;
    const { controller: c, clock, calls, reports } = harness(async (req) => {
      analyzed++;
      if (gone) throw new Error('Could not establish connection. Receiving end does not exist.');
      return analysisOf(req);
    });
    c.start();
    // The first tick: three tiles sampled together, three failures, one new wait (after the first).
    await clock.advance(0);
    expect(analyzed).toBe(3);
    expect(calls.ensureOffscreen).toBe(2);
    gone = false;
    await clock.advance(2000);
    expect(reportedTiles(reports).size).toBe(3);
  });

  it('another pipeline generation answers (models switched): its models are asked once, its frame dropped, then labelled', async () => {
    tilesPage(2);
    let generation = 'host:1';
    let asked = 0;
    const { controller: c, clock, reports } = harness(async (req) => ({ ...analysisOf(req), generation }), {
      pipelineStatus: async () => (asked++, { ...READY, generation }),
    });
    c.start();
    await clock.advance(1000);
    expect(asked).toBe(1);
    generation = 'host:2';
    const before = reports.length;
    await clock.advance(1000);
    expect(asked).toBe(2); // two tiles noticed, one question
    // Once the new generation answered, no tile reports the old one again (unchanged faces included).
    const after = reports.slice(before).map((r) => r.generation);
    expect(after.slice(after.indexOf('host:2'))).toEqual(after.slice(after.indexOf('host:2')).map(() => 'host:2'));
    expect(new Set(reports.slice(-2).map((r) => r.generation))).toEqual(new Set(['host:2']));
  });

  it('orphaned (the extension was reloaded): says so and reports nothing', async () => {
    tilesPage(1);
    const { controller: c, clock, calls, reports } = harness(async () => {
      throw new Error('Extension context invalidated.');
    });
    c.start();
    await clock.advance(500);
    expect(calls.orphaned).toBeGreaterThan(0);
    expect(reports).toEqual([]);
  });

  it('unreadable pixels: the tab capture is asked once per run; granted, the tile is read from it', async () => {
    tilesPage(2);
    const unreadable = { ...fakeGrabber(), capture: async () => ({ ok: false as const, reason: 'unreadable' as const, detail: 'SecurityError' }) };
    const { controller: c, clock, calls, reports } = harness(async (req) => analysisOf(req), {
      grabber: () => unreadable,
      requestTabCapture: async () => (calls.tabCapture++, { ok: true }),
    });
    c.start(true);
    await clock.advance(2000);
    expect(calls.tabCapture).toBe(1);
    expect(calls.tabRegions).toBeGreaterThan(0);
    expect(reportedTiles(reports).size).toBe(2);
    expect(reports.every((r) => r.timings?.source === 'tab')).toBe(true);
  });

  it('a tab capture that stopped (the tab left the call, the ML host restarted) is asked for again, not shown as an error', async () => {
    tilesPage(1);
    const unreadable = { ...fakeGrabber(), capture: async () => ({ ok: false as const, reason: 'unreadable' as const, detail: 'SecurityError' }) };
    let captured = true;
    const { controller: c, clock, calls, reports } = harness(async (req) => analysisOf(req), {
      grabber: () => unreadable,
      requestTabCapture: async () => (calls.tabCapture++, (captured = true), { ok: true }),
      analyzeTabRegion: async (req) => {
        calls.tabRegions++;
        if (!captured) throw new Error(TAB_CAPTURE_STOPPED);
        return analysisOf(req);
      },
    });
    c.start(true);
    await clock.advance(1000);
    expect(calls.tabCapture).toBe(1);
    captured = false; // the background stopped the capture
    const before = reports.length;
    await clock.advance(2000);
    expect(calls.tabCapture).toBe(2);
    expect(reports.length).toBeGreaterThan(before + 2); // labelled again from the new capture
  });

  it("'me' mode: only the tile the site marks as the self view is sampled; no other tile's frame is sent", async () => {
    const [, self] = tilesPage(3);
    // A call site (the generic adapter serves recorded videos, where "just me" does not apply).
    const selfMarked = { ...genericAdapter, recorded: false, findTiles: (doc: Document) => genericAdapter.findTiles(doc).map((t) => ({ ...t, self: t.media === self })) };
    const sent: string[] = [];
    const { controller: c, clock, reports } = harness(async (req) => (sent.push(req.tileId), analysisOf(req)), { adapter: selfMarked });
    c.updateSettings({ ...DEFAULT_SETTINGS, analyze: 'me' });
    c.start(true);
    await clock.advance(3000);
    expect(new Set(sent).size).toBe(1);
    expect(reportedTiles(reports)).toEqual(new Set(sent));
    expect(reports.every((r) => r.analyze === 'me')).toBe(true);
    // Back to everyone, mid-call: every tile again, reports without the mark.
    c.updateSettings({ ...DEFAULT_SETTINGS, analyze: 'everyone' });
    const from = reports.length;
    await clock.advance(3000);
    expect(reportedTiles(reports.slice(from)).size).toBe(3);
    expect(reports.slice(from).some((r) => r.analyze)).toBe(false);
  });

  it("'me' mode where the site marks no self view: nothing is sampled until the user picks their tile", async () => {
    tilesPage(2);
    const sent: string[] = [];
    const { controller: c, clock } = harness(async (req) => (sent.push(req.tileId), analysisOf(req)), { adapter: { ...genericAdapter, recorded: false } });
    c.updateSettings({ ...DEFAULT_SETTINGS, analyze: 'me' });
    c.start(true);
    await clock.advance(3000);
    expect(sent).toEqual([]);
  });

  it('"just me" does not apply to a recorded video (YouTube, the generic adapter): it is analyzed as before', async () => {
    tilesPage(1);
    const sent: string[] = [];
    const { controller: c, clock, reports } = harness(async (req) => (sent.push(req.tileId), analysisOf(req)));
    c.updateSettings({ ...DEFAULT_SETTINGS, analyze: 'me' });
    c.start(true);
    await clock.advance(2000);
    expect(sent.length).toBeGreaterThan(0);
    expect(reports.some((r) => r.analyze)).toBe(false);
  });

  it("don't analyze: a participant left out is not sampled again in this call, nor reported, and a name excluded in Settings never is", async () => {
    tilesPage(2);
    const sent: string[] = [];
    const { controller: c, clock, reports } = harness(async (req) => (sent.push(req.tileId), analysisOf(req)));
    c.start(true);
    await clock.advance(2000);
    const [first] = [...reportedTiles(reports)].sort();
    c.leaveOut(`tile:${first}`);
    const [sentFrom, reportedFrom] = [sent.length, reports.length];
    await clock.advance(3000);
    expect(sent.slice(sentFrom)).not.toContain(first);
    expect(reports.slice(reportedFrom).map((r) => r.tileId)).not.toContain(first);
    expect(reports.length).toBeGreaterThan(reportedFrom); // the other tile goes on
  });

  it('stop() ends the run: no timer left, the overlay removed, nothing reported after', async () => {
    tilesPage(2);
    const { controller: c, clock, reports } = harness(async (req) => analysisOf(req));
    c.start();
    await clock.advance(1000);
    const hosts = () => [...document.documentElement.children].filter((e) => e !== document.head && e !== document.body);
    expect(hosts()).toHaveLength(1);
    c.stop();
    const count = reports.length;
    await clock.advance(5000);
    expect(clock.pending).toBe(0);
    expect(reports.length).toBe(count);
    expect(hosts()).toEqual([]);
  });
});
