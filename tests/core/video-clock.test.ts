// A recorded video summarized on its own clock (issue 25): slots over the video's duration, moments
// stamped with the video's time, stretches watched again counted in the same slots; exports carry
// the time base and video seconds. Calls keep the wall clock.
import { describe, expect, it } from 'vitest';
import { callsToCsv, callsToJson } from '../../src/calls/export';
import { endReasonFor } from '../../src/calls/call-end';
import { addFrame, endCall, MAX_MEDIA_DURATION_MS, MAX_REMEMBERED_TILES, MAX_TIMELINE_SLOTS, startCall } from '../../src/calls/summary';
import { parseFrameReport } from '../../src/messaging/parse';
import { clockMs, timelineBars } from '../../src/calls/summary-read';
import { summaryProblem } from '../../src/calls/summary-stored';

const LABELS = ['angry', 'happy', 'neutral', 'sad', 'surprise'];
const T0 = 1_780_000_000_000;

/** Watch `fromS`..`toS` seconds of a 10-minute video at 2 frames/s, starting at wall time `wall`. */
function watch(c: ReturnType<typeof startCall>, fromS: number, toS: number, wall: number, label: (s: number) => string) {
  for (let s = fromS; s < toS; s += 0.5) c = addFrame(c, { time: wall + (s - fromS) * 1000, mediaMs: s * 1000, tileId: 't1', name: 'Channel', faces: [{ trackId: 1, label: label(s) }] });
  return c;
}

describe('the video clock', () => {
  const start = () => startCall({ site: 'youtube', callId: 'fixture0001', title: 'Interview', time: T0, labels: LABELS, mediaDurationMs: 600_000 });

  it('a video summary spans the video (slots chosen to hold it), whatever part was watched', () => {
    const c = start();
    expect([c.clock, c.mediaDurationMs, c.timelineStepMs]).toEqual(['media', 600_000, 5_000]);
    const watched = watch(c, 300, 320, T0, () => 'happy');
    // Frames land at 5:00-5:20 of the video, not at 0:00-0:20 of the wall clock.
    expect(watched.timeline.map((m) => m.slot)).toEqual([60, 61, 62, 63]);
    expect(timelineBars(watched, 60).spanMs).toBe(600_000);
    expect(startCall({ site: 'meet', callId: 'abc-defg-hij', title: '', time: T0, labels: LABELS }).clock).toBeUndefined();
  });

  it('moments carry the video time; a seek back counts the stretch again in the same slots and says so', () => {
    let c = watch(start(), 10, 30, T0, (s) => (s < 20 ? 'neutral' : 'happy'));
    const happy = c.participants[0]!.moments!.find((m) => m.label === 'happy')!;
    expect(happy.time).toBe(20_000);
    expect(clockMs(c, happy.time)).toBe(20_000);
    expect(c.rewatched).toBeUndefined();
    const before = c.timeline.find((m) => m.slot === 2)!.countByLabel.neutral;
    c = watch(c, 10, 15, T0 + 60_000, () => 'neutral');
    expect(c.rewatched).toBe(true);
    expect(c.timeline.find((m) => m.slot === 2)!.countByLabel.neutral).toBe((before ?? 0) + 10);
  });

  it('two videos playing at once on one page are two clocks: neither makes the other look re-watched', () => {
    let c = start();
    for (let s = 0; s < 20; s += 0.5) {
      c = addFrame(c, { time: T0 + s * 1000, mediaMs: s * 1000, tileId: 'a', name: null, faces: [{ trackId: 1, label: 'happy' }] });
      c = addFrame(c, { time: T0 + s * 1000 + 1, mediaMs: 300_000 + s * 1000, tileId: 'b', name: null, faces: [{ trackId: 1, label: 'sad' }] });
    }
    expect(c.rewatched).toBeUndefined();
  });

  it('each tile\'s clock position is kept only for the tiles the summary remembers (bounded)', () => {
    let c = start();
    for (let i = 0; i < MAX_REMEMBERED_TILES + 10; i++) c = addFrame(c, { time: T0 + i, mediaMs: i, tileId: `t${i}`, name: null, faces: [] });
    expect(Object.keys(c.mediaAtByTile!).sort()).toEqual(Object.keys(c.lastFrameByTile!).sort());
    expect(Object.keys(c.mediaAtByTile!)).toHaveLength(MAX_REMEMBERED_TILES);
  });

  it('CSV and JSON carry the time base and video seconds; an old call (no clock) is a wall-clock call', () => {
    const c = watch(start(), 10, 30, T0, (s) => (s < 20 ? 'neutral' : 'happy'));
    const csv = callsToCsv([c]).trimEnd().split('\n');
    expect(csv[1]).toMatch(/"?10\.0s neutral; 20\.0s happy"?,video,1\.0000,,,$/);
    const json = JSON.parse(callsToJson([c])) as { calls: Array<{ timeBase: string; timeline: Array<{ slot: number; videoTime: number }>; participants: Array<{ moments: Array<{ videoTime: number }> }> }> };
    expect(json.calls[0]!.timeBase).toBe('video');
    expect(json.calls[0]!.timeline[0]).toMatchObject({ slot: 2, videoTime: 10 });
    expect(json.calls[0]!.participants[0]!.moments.map((m) => m.videoTime)).toEqual([10, 20]);
    const old = { ...c };
    delete old.clock;
    delete old.mediaDurationMs;
    expect(summaryProblem(old)).toBeNull();
    expect((JSON.parse(callsToJson([old])) as { calls: Array<{ timeBase: string }> }).calls[0]!.timeBase).toBe('wall');
  });

  it('a duration of 1e7 s, or the longest a page plays, keeps the timeline within MAX_TIMELINE_SLOTS', () => {
    for (const durationMs of [1e10, MAX_MEDIA_DURATION_MS]) {
      let c = startCall({ site: 'generic', callId: 'example.com/v', title: '', time: T0, labels: LABELS, mediaDurationMs: durationMs });
      // Frames spread over the whole video (seeked through it).
      for (let i = 0; i <= 300; i++) c = addFrame(c, { time: T0 + i * 1000, mediaMs: (durationMs * i) / 300, tileId: 't1', name: null, faces: [{ trackId: 1, label: 'happy' }] });
      expect(c.timeline.length).toBeLessThanOrEqual(MAX_TIMELINE_SLOTS);
      expect(Math.max(...c.timeline.map((m) => m.slot))).toBeLessThan(MAX_TIMELINE_SLOTS);
    }
    // The boundary: what a page can play is accepted, past it refused.
    const media = (duration: number) => parseFrameReport({ call: { site: 'youtube', callId: 'v', title: '' }, tileId: 't', name: null, frameTime: T0, faces: [], generation: 'host:1', backend: 'wasm', latencyMs: 1, media: { time: 0, duration } }, T0).ok;
    expect([media(MAX_MEDIA_DURATION_MS / 1000), media(MAX_MEDIA_DURATION_MS / 1000 + 1)]).toEqual([true, false]);
  });

  it('a wall-clock call lasting days keeps its timeline within MAX_TIMELINE_SLOTS too', () => {
    let c = startCall({ site: 'youtube', callId: 'live', title: '', time: T0, labels: LABELS });
    for (let h = 0; h <= 24 * 10; h++) c = addFrame(c, { time: T0 + h * 3_600_000, tileId: 't1', name: null, faces: [{ trackId: 1, label: 'happy' }] });
    expect(c.timeline.length).toBeLessThanOrEqual(MAX_TIMELINE_SLOTS);
    expect(c.timeline.reduce((n, m) => n + (m.countByLabel.happy ?? 0), 0)).toBe(24 * 10 + 1);
  });

  it("a YouTube pre-roll ad: the video's duration changing (the ad over, the video on) ends the part as media-changed", () => {
    const ad = addFrame(startCall({ site: 'youtube', callId: 'fixture0001', title: 'Interview', time: T0, labels: LABELS, mediaDurationMs: 15_000 }), { time: T0, mediaMs: 14_000, tileId: 't1', name: null, faces: [] });
    const reason = (mediaDurationMs: number | undefined, mediaMs: number, tileId = 't1') =>
      endReasonFor(ad, { type: 'frame', time: T0 + 1_000, site: 'youtube', callId: 'fixture0001', tileId, mediaMs, ...(mediaDurationMs === undefined ? {} : { mediaDurationMs }) });
    expect(reason(600_000, 0)).toBe('media-changed'); // the video from its start
    expect(reason(600_000, 300_000)).toBe('media-changed'); // the video from where the viewer left it
    expect(reason(15_000, 15_000)).toBeNull();
    expect(reason(15_250, 15_000)).toBeNull(); // the duration settling as the video loads
    expect(reason(20_000, 15_000)).toBeNull(); // a stream's window growing while it plays on
    expect(reason(600_000, 0, 't2')).toBeNull(); // another video on the page: a clock of its own, not a change
    expect(reason(undefined, 0)).toBeNull();
    // The ad's part ends at its last frame, as its own entry.
    expect(endCall(ad, T0 + 60_000, 'media-changed')).toMatchObject({ ended: true, endReason: 'media-changed', end: T0, mediaDurationMs: 15_000 });
  });
});
