import { describe, expect, it } from 'vitest';
import { FrameScheduler, SKIP_RETRY_MS } from '../../src/overlay/logic/scheduler';

const all = () => true;

describe('FrameScheduler', () => {
  it('gathers tiles due soon with a tile due now, and they stay in step', () => {
    const s = new FrameScheduler({ fps: 5 }); // 200 ms
    s.add('a', 0);
    s.add('b', 70);
    const tick = (now: number) => {
      const ids = s.due(now, all);
      for (const id of ids) s.started(id, now);
      for (const id of ids) s.finished(id, now + 20, 20);
      return ids;
    };
    expect(tick(0)).toEqual(['a', 'b']); // b is due at 70, within 0.4 x 200 ms
    expect(tick(100)).toEqual([]); // nobody is due: nobody is pulled forward
    expect(tick(200)).toEqual(['a', 'b']);
    expect(tick(400)).toEqual(['a', 'b']);
    // A tile due later than the gather window waits for its own time.
    const t = new FrameScheduler({ fps: 5 });
    t.add('a', 0);
    t.add('c', 150);
    expect(t.due(0, all)).toEqual(['a']);
  });

  it('samples a new tile at once, then at the target rate', () => {
    const s = new FrameScheduler({ fps: 4 });
    s.add('a', 0);
    expect(s.due(0, all)).toEqual(['a']);
    s.started('a', 0);
    s.finished('a', 50, 50);
    expect(s.due(100, all)).toEqual([]);
    expect(s.due(250, all)).toEqual(['a']);
  });

  it('keeps at most one frame in flight per tile: a busy tile is skipped, not queued', () => {
    const s = new FrameScheduler({ fps: 10 });
    s.add('a', 0);
    s.started('a', 0);
    expect(s.due(5000, all)).toEqual([]);
    expect(s.inFlight('a')).toBe(true);
    s.finished('a', 5000, 5000);
    expect(s.due(5000, all)).toEqual(['a']);
  });

  it('slows a tile down when analysis takes longer than the target interval, and speeds up again', () => {
    const s = new FrameScheduler({ fps: 5, smoothing: 1 });
    s.add('a', 0);
    s.started('a', 0);
    s.finished('a', 600, 600);
    expect(s.intervalMs('a')).toBeCloseTo(720, 6); // 1.2 x latency
    s.started('a', 720);
    s.finished('a', 740, 20);
    expect(s.intervalMs('a')).toBe(200);
  });

  it('bounds the interval between min and max', () => {
    const s = new FrameScheduler({ fps: 100, minIntervalMs: 100, maxIntervalMs: 1000, smoothing: 1 });
    s.add('a', 0);
    expect(s.intervalMs('a')).toBe(100);
    s.started('a', 0);
    s.finished('a', 10_000, 10_000);
    expect(s.intervalMs('a')).toBe(1000);
  });

  it('ignores tiles that are not eligible (hidden, paused) and orders the rest most overdue first', () => {
    const s = new FrameScheduler({ fps: 4 });
    s.add('a', 100);
    s.add('b', 0);
    s.add('c', 50);
    expect(s.due(200, (id) => id !== 'c')).toEqual(['b', 'a']);
  });

  it('caps frames in flight across tiles: the most overdue go first, the rest wait their turn', () => {
    const s = new FrameScheduler({ fps: 4, maxInFlight: 2 });
    for (const [id, t] of [['a', 30], ['b', 10], ['c', 20]] as const) s.add(id, t);
    const first = s.due(100, all);
    expect(first).toEqual(['b', 'c']);
    for (const id of first) s.started(id, 100);
    expect(s.due(100, all)).toEqual([]);
    s.finished('b', 150, 50);
    expect(s.due(150, all)).toEqual(['a']);
  });

  it('reports when the next tile is due, and forgets removed tiles', () => {
    const s = new FrameScheduler({ fps: 4 });
    expect(s.msUntilNext(0)).toBeNull();
    s.add('a', 0);
    s.started('a', 0);
    s.finished('a', 10, 10);
    expect(s.msUntilNext(10)).toBe(240);
    s.remove('a');
    expect(s.has('a')).toBe(false);
    expect(s.msUntilNext(10)).toBeNull();
  });

  it('retries a skipped sample after the normal interval, at most SKIP_RETRY_MS, and applies a new fps to every tile', () => {
    const s = new FrameScheduler({ fps: 4 });
    s.add('a', 0);
    s.skipped('a', 0);
    expect(s.due(100, all)).toEqual([]);
    expect(s.due(250, all)).toEqual(['a']);
    s.setFps(2);
    expect(s.intervalMs('a')).toBe(500);
    // A long interval (a calm tile in a large call) is not waited again after a skip.
    s.setFps(0.5);
    s.skipped('a', 1000);
    expect(s.due(1000 + SKIP_RETRY_MS - 1, all)).toEqual([]);
    expect(s.due(1000 + SKIP_RETRY_MS, all)).toEqual(['a']);
  });
});

describe('FrameScheduler.setSlowdown (the CPU budget)', () => {
  it('stretches every interval by the factor, and 1 undoes it', () => {
    const s = new FrameScheduler({ fps: 5 });
    s.add('a', 0);
    expect(s.intervalMs('a')).toBe(200);
    s.setSlowdown(2.5);
    expect(s.intervalMs('a')).toBe(500);
    s.started('a', 0);
    s.finished('a', 30, 30);
    expect(s.due(400, all)).toEqual([]);
    expect(s.due(500, all)).toEqual(['a']);
    s.setSlowdown(1);
    expect(s.intervalMs('a')).toBe(200);
  });
});
