import { describe, expect, it } from 'vitest';
import { callsToCsv, callsToJson } from '../../src/calls/export';
import { applyRetention, FLOOD_CALLS_PER_HOUR, ID_LIST_BYTES, planPrune, pruneToBudget, storedSize } from '../../src/calls/retention';
import { endReasonFor } from '../../src/calls/call-end';
import { addFrame, endCall, IDLE_END_MS, MAX_REMEMBERED_TILES, MAX_SAMPLE_GAP_MS, startCall, MAX_TIMELINE_SLOTS } from '../../src/calls/summary';
import { MAX_MOMENTS, MOMENT_HOLD_MS } from '../../src/calls/summary-participants';
import { callShares, callUncertainShare, dominant, uncertainShare, durationMs, shares, timelineBars, timelineShares } from '../../src/calls/summary-read';
import { summaryProblem, upgradeSummary } from '../../src/calls/summary-stored';

const LABELS = ['angry', 'happy', 'neutral', 'sad', 'surprise'];
const T0 = 1_700_000_000_000;
const begin = () => startCall({ site: 'meet', callId: 'abc-defg-hij', title: 'Standup', time: T0, labels: LABELS });
const one = (label: string, trackId = 1) => [{ trackId, label }];

describe('call aggregation', () => {
  it('counts a frame report once however often it is delivered (tile id + frame time)', () => {
    let c = begin();
    const frame = { time: T0 + 250, tileId: 't1', name: 'Ada', faces: one('happy') };
    c = addFrame(c, { time: T0, tileId: 't1', name: 'Ada', faces: one('happy') });
    c = addFrame(c, frame);
    const once = c;
    c = addFrame(c, frame); // the retry queue re-sent it: its first reply was lost
    c = addFrame(c, { ...frame, time: T0 }); // an older one again
    expect(c).toBe(once);
    expect(c.frames).toBe(2);
    expect(c.participants[0]!.frames).toBe(2);
    expect(c.participants[0]!.countByLabel.happy).toBe(2);
    // Another tile at the same time is another frame.
    c = addFrame(c, { ...frame, tileId: 't2', name: 'Grace' });
    expect(c.frames).toBe(3);
  });

  it('remembers a bounded number of tiles for that', () => {
    let c = begin();
    for (let i = 0; i < MAX_REMEMBERED_TILES + 10; i++) c = addFrame(c, { time: T0 + i, tileId: `tile-${i}`, name: null, faces: [] });
    expect(Object.keys(c.lastFrameByTile ?? {})).toHaveLength(MAX_REMEMBERED_TILES);
    expect(c.lastFrameByTile?.['tile-0']).toBeUndefined();
    expect(c.lastFrameByTile?.[`tile-${MAX_REMEMBERED_TILES + 9}`]).toBe(T0 + MAX_REMEMBERED_TILES + 9);
  });

  it('starts empty and keys the call by site, call id and start', () => {
    const c = begin();
    expect(c.id).toBe(`meet:abc-defg-hij:${T0}`);
    expect(c.frames).toBe(0);
    expect(c.participants).toEqual([]);
    expect(durationMs(c)).toBe(0);
  });

  it('accumulates time per label per participant, capping gaps', () => {
    let c = begin();
    c = addFrame(c, { time: T0 + 0, tileId: 't1', name: 'Ada', faces: one('happy') });
    c = addFrame(c, { time: T0 + 250, tileId: 't1', name: 'Ada', faces: one('happy') });
    c = addFrame(c, { time: T0 + 500, tileId: 't1', name: 'Ada', faces: one('sad') });
    c = addFrame(c, { time: T0 + 10_500, tileId: 't1', name: 'Ada', faces: one('sad') }); // 10 s gap: capped
    const [ada] = c.participants;
    expect(ada!.key).toBe('name:Ada');
    expect(ada!.msByLabel.happy).toBe(250);
    expect(ada!.msByLabel.sad).toBe(250 + MAX_SAMPLE_GAP_MS);
    expect(ada!.frames).toBe(4);
    expect(c.frames).toBe(4);
    const sh = shares(ada!, LABELS);
    expect(sh.sad).toBeCloseTo(2250 / 2500, 9);
    expect(dominant(sh)).toBe('sad');
    expect(durationMs(c)).toBe(10_500);
  });

  it('counts uncertain labels apart: seen (frames, attention), but in no label, moment or timeline slot', () => {
    let c = begin();
    c = addFrame(c, { time: T0, tileId: 't1', name: 'Ada', faces: one('happy') });
    c = addFrame(c, { time: T0 + 500, tileId: 't1', name: 'Ada', faces: [{ trackId: 1, label: 'sad', uncertain: true }] });
    c = addFrame(c, { time: T0 + 1000, tileId: 't1', name: 'Ada', faces: [{ trackId: 1, label: 'sad', uncertain: true }] });
    c = addFrame(c, { time: T0 + 1500, tileId: 't1', name: 'Ada', faces: one('happy') });
    const [ada] = c.participants;
    expect(ada).toMatchObject({ frames: 4, analyzed: 4, uncertain: 2, uncertainMs: 1000 });
    expect(ada!.msByLabel).toMatchObject({ happy: 500, sad: 0 });
    expect(ada!.countByLabel).toMatchObject({ happy: 2, sad: 0 });
    expect(uncertainShare(ada!)).toBe(0.5);
    expect(callUncertainShare(c)).toBe(0.5);
    expect(callShares(c).happy).toBe(1);
    expect(c.timeline.reduce((a, m) => a + (m.countByLabel.sad ?? 0), 0)).toBe(0);
    // Stored calls without the fields read as none uncertain.
    expect(uncertainShare({ frames: 3 })).toBe(0);
  });

  it('keeps one participant per tile (named or not) and splits a tile with several faces by track', () => {
    let c = begin();
    c = addFrame(c, { time: T0, tileId: 't1', name: 'Ada', faces: one('happy') });
    c = addFrame(c, { time: T0, tileId: 't2', name: null, faces: one('neutral') });
    c = addFrame(c, { time: T0 + 100, tileId: 't3', name: null, faces: [{ trackId: 4, label: 'sad' }, { trackId: 5, label: 'angry' }] });
    c = addFrame(c, { time: T0 + 200, tileId: 't2', name: null, faces: [] }); // no face: counts a frame, no participant
    expect(c.participants.map((p) => p.key)).toEqual(['name:Ada', 'tile:t2', 'tile:t3#4', 'tile:t3#5']);
    expect(c.frames).toBe(4);
  });

  it('uses frame counts for shares before any time accrued, and never returns NaN', () => {
    const c = addFrame(begin(), { time: T0, tileId: 't1', name: null, faces: one('surprise') });
    expect(shares(c.participants[0]!, LABELS).surprise).toBe(1);
    expect(dominant({ a: 0, b: 0 })).toBeNull();
    expect(callShares(begin()).happy).toBe(0);
  });

  it('builds a timeline of label shares in 5 s slots for a short call', () => {
    let c = begin();
    c = addFrame(c, { time: T0 + 1000, tileId: 't1', name: null, faces: one('happy') });
    c = addFrame(c, { time: T0 + 2000, tileId: 't1', name: null, faces: one('sad') });
    c = addFrame(c, { time: T0 + 16_000, tileId: 't1', name: null, faces: one('sad') });
    expect(c.timelineStepMs).toBe(5000);
    expect(c.timeline.map((m) => m.slot)).toEqual([0, 3]);
    expect(timelineShares(c.timeline[0]!)).toMatchObject({ happy: 0.5, sad: 0.5 });
    expect(timelineShares(c.timeline[1]!).sad).toBe(1);
    // A 20 s call is charted in 5 s bars, not one bar.
    c = addFrame(c, { time: T0 + 20_000, tileId: 't1', name: null, faces: one('happy') });
    const { bars, stepMs } = timelineBars(c);
    expect(stepMs).toBe(5000);
    expect(bars.map((b) => b.fromMs)).toEqual([0, 15_000, 20_000]);
  });

  it('moves to a longer step as the call grows, merging slots and keeping every face-frame', () => {
    let c = begin();
    for (let s = 0; s < 3 * 3600; s += 7) c = addFrame(c, { time: T0 + s * 1000, tileId: 't1', name: null, faces: one(s % 2 ? 'happy' : 'sad') });
    expect(c.timelineStepMs).toBe(300_000); // 3 h in at most MAX_TIMELINE_SLOTS slots of 5 min
    expect(c.timeline.length).toBeLessThanOrEqual(MAX_TIMELINE_SLOTS);
    const counted = c.timeline.reduce((n, m) => n + Object.values(m.countByLabel).reduce((a, b) => a + b, 0), 0);
    expect(counted).toBe(c.frames);
    // Charted in at most 30 bars: 3 h in 10 min bars.
    const { bars, stepMs } = timelineBars(c);
    expect(stepMs).toBe(600_000);
    expect(bars).toHaveLength(18);
  });

  it('reads a call stored with per-minute timeline entries as 1 min slots', () => {
    const old = { ...begin(), timeline: [{ minute: 2, countByLabel: { happy: 3 } }] } as Record<string, unknown>;
    delete old.timelineStepMs;
    expect(summaryProblem(old)).toBe('timeline malformed');
    const up = upgradeSummary(old) as ReturnType<typeof begin>;
    expect(summaryProblem(up)).toBeNull();
    expect(up.timelineStepMs).toBe(60_000);
    expect(up.timeline).toEqual([{ slot: 2, countByLabel: { happy: 3 } }]);
    expect(upgradeSummary(up)).toBe(up);
  });

  it('ignores labels outside the call label set, and frames after the end', () => {
    let c = addFrame(begin(), { time: T0, tileId: 't1', name: null, faces: one('ahegao') });
    expect(c.participants).toEqual([]);
    c = endCall(c, T0 + 10, 'tab-closed');
    expect(addFrame(c, { time: T0 + 20, tileId: 't1', name: null, faces: one('happy') })).toBe(c);
  });

  it('does not mutate the summary it is given', () => {
    const c = begin();
    addFrame(c, { time: T0, tileId: 't1', name: null, faces: one('happy') });
    expect(c.frames).toBe(0);
  });
});

describe('call start/end rules', () => {
  const live = addFrame(begin(), { time: T0 + 5000, tileId: 't1', name: null, faces: one('happy') });

  it('ends when the tab closes, at the close time', () => {
    expect(endReasonFor(live, { type: 'tab-closed', time: T0 + 6000 })).toBe('tab-closed');
    expect(endCall(live, T0 + 6000, 'tab-closed').end).toBe(T0 + 6000);
  });
  it('ends when the tab navigates to another call or off a call page, not on the same call', () => {
    expect(endReasonFor(live, { type: 'navigated', time: T0, site: 'meet', callId: 'xyz-abcd-efg' })).toBe('navigated');
    expect(endReasonFor(live, { type: 'navigated', time: T0, site: 'meet', callId: null })).toBe('navigated');
    expect(endReasonFor(live, { type: 'navigated', time: T0, site: 'meet', callId: 'abc-defg-hij' })).toBeNull();
  });
  it('a frame from another call ends this one; a frame of this call after the idle time ends it too', () => {
    expect(endReasonFor(live, { type: 'frame', time: T0 + 6000, site: 'youtube', callId: 'abc-defg-hij' })).toBe('navigated');
    expect(endReasonFor(live, { type: 'frame', time: T0 + 6000, site: 'meet', callId: 'abc-defg-hij' })).toBeNull();
    expect(endReasonFor(live, { type: 'frame', time: T0 + 5001 + IDLE_END_MS, site: 'meet', callId: 'abc-defg-hij' })).toBe('idle');
  });
  it(`ends after ${IDLE_END_MS / 60000} idle minutes, at its last frame`, () => {
    expect(endReasonFor(live, { type: 'tick', time: T0 + 5000 + IDLE_END_MS })).toBeNull();
    expect(endReasonFor(live, { type: 'tick', time: T0 + 5001 + IDLE_END_MS })).toBe('idle');
    const ended = endCall(live, T0 + 10 * IDLE_END_MS, 'idle');
    expect(ended.end).toBe(T0 + 5000);
    expect(ended.ended).toBe(true);
    expect(ended.endReason).toBe('idle');
  });
});

describe('stored summary validation', () => {
  it('accepts a real summary and names what is wrong with a broken one', () => {
    expect(summaryProblem(begin())).toBeNull();
    expect(summaryProblem(null)).toBe('not an object');
    expect(summaryProblem({ ...begin(), site: 'Skype!' })).toBe('unknown site Skype!');
    // A well-formed id of a site no longer served still reads (shown by its id).
    expect(summaryProblem({ ...begin(), site: 'skype' })).toBeNull();
    expect(summaryProblem({ ...begin(), frames: Number.NaN })).toBe('frames is not a number');
    expect(summaryProblem({ ...begin(), participants: [{ key: 'x', msByLabel: { a: 'lots' } }] })).toBe('participants malformed');
  });
});

describe('moments of change', () => {
  it('records when a participant settles on a label for MOMENT_HOLD_MS, ignores flickers, keeps the latest MAX_MOMENTS', () => {
    let s = begin();
    const seq: Array<[number, string]> = [];
    for (let t = 0; t < 5000; t += 250) seq.push([t, 'neutral']);
    seq.push([5000, 'surprise'], [5250, 'surprise']); // a flicker: 250 ms
    for (let t = 5500; t < 9000; t += 250) seq.push([t, 'neutral']);
    for (let t = 9000; t <= 13_000; t += 250) seq.push([t, 'happy']);
    for (const [t, label] of seq) s = addFrame(s, { time: T0 + t, tileId: 't', name: 'Ada', faces: [{ trackId: 1, label }] });
    expect(s.participants[0]!.moments).toEqual([
      { time: T0, label: 'neutral' },
      { time: T0 + 9000, label: 'happy' },
    ]);
    let long = begin();
    for (let k = 0; k < MAX_MOMENTS + 5; k++) {
      for (let t = 0; t <= MOMENT_HOLD_MS; t += 500) long = addFrame(long, { time: T0 + k * 10_000 + t, tileId: 't', name: 'Ada', faces: [{ trackId: 1, label: k % 2 ? 'sad' : 'happy' }] });
    }
    const moments = long.participants[0]!.moments!;
    expect(moments).toHaveLength(MAX_MOMENTS);
    expect(moments[moments.length - 1]).toEqual({ time: T0 + (MAX_MOMENTS + 4) * 10_000, label: 'happy' });
  });
});

describe('export', () => {
  let c = begin();
  c = addFrame(c, { time: T0, tileId: 't1', name: 'Ada, "the first"', faces: one('happy') });
  c = addFrame(c, { time: T0 + 500, tileId: 't1', name: 'Ada, "the first"', faces: one('happy') });
  c = addFrame(c, { time: T0 + 500, tileId: 't2', name: '=HYPERLINK("x")', faces: one('sad') });
  c = endCall(c, T0 + 1000, 'tab-closed');

  it('CSV: a header, one row per participant, quoted and formula-safe cells', () => {
    const lines = callsToCsv([c]).trimEnd().split('\n');
    expect(lines[0]).toBe(
      '\uFEFFcall_id,site,title,start,end,duration_s,frames,backend,detector,classifier,participant,participant_frames,dominant,share_angry,share_happy,share_neutral,share_sad,share_surprise,uncertain_share,moments,time_base,face_visible,facing_camera,someone_away,nobody_there',
    );
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe(`meet:abc-defg-hij:${T0},meet,Standup,2023-11-14T22:13:20.000Z,2023-11-14T22:13:21.000Z,1.0,3,,,,"Ada, ""the first""",2,happy,0.0000,1.0000,0.0000,0.0000,0.0000,0.0000,,wall,1.0000,,,`); // face found in both analyzed frames; facing, away and nobody not measured
    expect(lines[2]).toContain(`"'=HYPERLINK(""x"")"`);
  });

  it("CSV of calls with two label sets: a share the call's classifier cannot produce is empty, not 0; moments in seconds", () => {
    const six = [...LABELS, 'ahegao'];
    let paper = startCall({ site: 'meet', callId: 'abc-defg-hij', title: 'Later', time: T0, labels: six });
    for (let t = 0; t <= 8000; t += 500) paper = addFrame(paper, { time: T0 + t, tileId: 't', name: 'Bo', faces: [{ trackId: 1, label: t < 4000 ? 'neutral' : 'ahegao' }] });
    const lines = callsToCsv([c, paper]).trimEnd().split('\n');
    expect(lines[0]).toContain('share_surprise,share_ahegao,uncertain_share,moments,time_base');
    expect(lines[1]).toMatch(/,0\.0000,,0\.0000,,wall,1\.0000,,,$/); // five-label call: share_ahegao empty, no uncertain labels, no moments
    expect(lines[3]).toMatch(/,0\.5\d{3},0\.0000,"?0\.0s neutral; 4\.0s ahegao"?,wall,1\.0000,,,$/);
  });

  it('CSV: a call without participants still gets a row', () => {
    expect(callsToCsv([begin()]).trimEnd().split('\n')).toHaveLength(2);
  });

  it('JSON: a versioned envelope with the full summaries and their time base', () => {
    const parsed = JSON.parse(callsToJson([c])) as { format: string; version: number; calls: unknown[] };
    expect(parsed.format).toBe('emotion-overlay-calls');
    expect(parsed.version).toBe(2);
    expect(parsed.calls).toEqual([{ ...c, timeBase: 'wall' }]);
  });
});

describe('retention', () => {
  const day = 86_400_000;
  const ended = (start: number) => endCall({ ...begin(), id: `c${start}`, start, end: start }, start, 'idle');

  it('drops ended calls older than the retention period, keeps live ones and keeps all with 0 days', () => {
    const old = ended(0);
    const liveOld = { ...begin(), id: 'live', start: 0, end: 0 };
    const recent = ended(95 * day);
    expect(applyRetention([old, liveOld, recent], 100 * day, 30).kept.map((c) => c.id)).toEqual(['live', recent.id]);
    expect(applyRetention([old], 100 * day, 0).kept).toHaveLength(1);
  });

  it('prunes the oldest ended calls until the budget fits', () => {
    const calls = [ended(3), ended(1), ended(2)].map((c) => ({ ...c, bytes: storedSize(c) }));
    const size = calls.reduce((sum, c) => sum + c.bytes, ID_LIST_BYTES);
    const { kept, removed } = pruneToBudget(calls, size - 1);
    expect(removed.map((c) => c.start)).toEqual([1]);
    expect(kept.map((c) => c.start)).toEqual([2, 3]);
    expect(pruneToBudget(calls, size).removed).toEqual([]);
  });

  it('the budget drops unreadable records first, then a flooding tab\'s excess, then the oldest; never a starred or live call', () => {
    const at = (start: number, extra: object = {}) => ({ id: `c${start}`, start, end: start + 1, ended: true, bytes: 100, ...extra });
    const calls = [at(1, { starred: true }), at(2), at(3, { opened: FLOOD_CALLS_PER_HOUR + 1 }), at(4, { problem: 'not an object' }), at(5, { ended: false }), at(6)];
    const order = (max: number) => pruneToBudget(calls, max).removed.map((c) => c.id);
    expect(order(ID_LIST_BYTES + 500)).toEqual(['c4']);
    expect(order(ID_LIST_BYTES + 400)).toEqual(['c4', 'c3']);
    expect(order(ID_LIST_BYTES + 300)).toEqual(['c4', 'c3', 'c2']);
    // Nothing more may go: the starred and the live call stay even over the budget.
    expect(order(0)).toEqual(['c4', 'c3', 'c2', 'c6']);
  });

  it('plans the prune before the write: room for the incoming call (a replaced one counts once), retention apart, starred calls kept past it', () => {
    const at = (start: number, extra: object = {}) => ({ id: `c${start}`, start, end: start + 1, ended: true, bytes: 100, ...extra });
    const calls = [at(0, { starred: true }), at(1), at(100 * day), at(101 * day)];
    const plan = planPrune(calls, [{ id: 'c8640000000', bytes: 150 }], { retentionDays: 30, budgetBytes: ID_LIST_BYTES + 300 }, 102 * day);
    expect(plan.expired.map((c) => c.id)).toEqual(['c1']);
    expect(plan.overBudget.map((c) => c.id)).toEqual(['c8726400000']);
  });
});

describe('a 30-minute call (accelerated: 4 tiles at 6 frames/s each)', () => {
  it('keeps every frame, stays small and flat in size, with a 60-slot timeline (30 s slots)', () => {
    const labels = ['angry', 'happy', 'neutral', 'sad', 'surprise'];
    let c = begin();
    const sizes: number[] = [];
    const framesPerTile = 30 * 60 * 6;
    for (let i = 0; i < framesPerTile; i++) {
      for (let t = 0; t < 4; t++) {
        const label = labels[(i + t * 7) % 97 < 60 ? 2 : (i + t) % 5]!;
        c = addFrame(c, { time: T0 + i * (1000 / 6) + t, tileId: `t${t}`, name: `P${t}`, faces: one(label) });
      }
      if (i % (60 * 6) === 0) sizes.push(JSON.stringify(c).length);
    }
    c = endCall(c, T0 + 30 * 60_000, 'tab-closed');
    expect(c.frames).toBe(framesPerTile * 4);
    expect(c.participants).toHaveLength(4);
    expect(c.participants.every((p) => p.frames === framesPerTile)).toBe(true);
    expect(c.timelineStepMs).toBe(30_000);
    expect(c.timeline).toHaveLength(60);
    expect(Math.round(durationMs(c) / 60_000)).toBe(30);
    // Size grows only with the timeline, which is bounded: well under the storage budget per call.
    expect(JSON.stringify(c).length).toBeLessThan(15_000);
    expect(sizes[sizes.length - 1]! - sizes[1]!).toBeLessThan(60 * 120);
  }, 60_000);
});
