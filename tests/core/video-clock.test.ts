// A recorded video summarized on its own clock (issue 25): slots over the video's duration, moments
// stamped with the video's time, stretches watched again counted in the same slots; exports carry
// the time base and video seconds. Calls keep the wall clock.
import { describe, expect, it } from 'vitest';
import { callsToCsv, callsToJson } from '../../src/core/export';
import { addFrame, MAX_REMEMBERED_TILES, startCall } from '../../src/core/summary';
import { clockMs, timelineBars } from '../../src/core/summary-read';
import { summaryProblem } from '../../src/core/summary-stored';

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
    expect(csv[1]).toMatch(/"?10\.0s neutral; 20\.0s happy"?,video,1\.0000,$/);
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
});
