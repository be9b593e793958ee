import { describe, expect, it } from 'vitest';
import { CpuBudget, UNSEEN_MS_PER_MESSAGE } from '../../src/overlay/logic/budget';
import { MAX_REFRESH_MS, tileUrgency } from '../../src/overlay/logic/fair-share';
import { FrameScheduler } from '../../src/overlay/logic/scheduler';

const face = (trackId: number, label: string, confidence: number, x = 100) => ({ trackId, label, confidence, box: { x, y: 100, width: 80, height: 80 } });

describe('tileUrgency', () => {
  it('a sure label on a still face: 0; an unsure one, a moved face, a new label, a new or lost face: more', () => {
    expect(tileUrgency([face(1, 'happy', 0.9)], [face(1, 'happy', 0.9)])).toBe(0);
    expect(tileUrgency([face(1, 'sad', 0.5)], [face(1, 'sad', 0.45)])).toBeGreaterThan(0.8);
    expect(tileUrgency([face(1, 'happy', 0.9)], [face(1, 'happy', 0.9, 120)])).toBe(1); // 20 px of an 80 px box
    expect(tileUrgency([face(1, 'happy', 0.9)], [face(1, 'happy', 0.9, 105)])).toBeCloseTo(0.25, 2);
    expect(tileUrgency([face(1, 'happy', 0.9)], [face(1, 'neutral', 0.9)])).toBe(1);
    expect(tileUrgency([], [face(2, 'happy', 0.9)])).toBe(1);
    expect(tileUrgency([face(1, 'happy', 0.9)], [])).toBe(1);
    expect(tileUrgency([], [])).toBe(0.5);
  });
});

describe('a large call under the budget', () => {
  /**
   * `n` tiles sampled for `seconds` through scheduler and budget as the controller drives them (each
   * frame costs `ms` of CPU); tiles in `urgent` keep changing, the others sit still. Returns each
   * tile's refresh gaps and the counted share of a core at the end.
   */
  function call(n: number, ms: number, urgent: ReadonlySet<string>, seconds = 60) {
    const scheduler = new FrameScheduler({ fps: 6 });
    const budget = new CpuBudget({ share: 0.5 });
    const ids = Array.from({ length: n }, (_, i) => `t${i}`);
    for (const id of ids) scheduler.add(id, 0);
    const last = new Map<string, number>();
    const gaps = new Map<string, number[]>(ids.map((id) => [id, []]));
    for (let now = 0; now < seconds * 1000; now += 10) {
      for (const id of scheduler.due(now, () => true)) {
        scheduler.started(id, now);
        const done = now + 40; // the answer's latency
        scheduler.finished(id, done, 40);
        budget.record(done, ms);
        scheduler.setSlowdown(budget.slowdown(done));
        scheduler.setUrgency(id, urgent.has(id) ? 1 : 0);
        if (last.has(id) && now > 10_000) gaps.get(id)!.push(done - last.get(id)!);
        last.set(id, done);
      }
    }
    return { gaps, usage: budget.usage(seconds * 1000) };
  }

  it('25 tiles at 20 ms a frame: the share held near half a core, every tile refreshed within MAX_REFRESH_MS, the changing ones more often', () => {
    const urgent = new Set(['t0', 't1', 't2']);
    const { gaps, usage } = call(25, 20, urgent);
    expect(usage).toBeLessThan(0.6);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    for (const [, g] of gaps) expect(Math.max(...g)).toBeLessThanOrEqual(MAX_REFRESH_MS);
    expect(mean(gaps.get('t0')!)).toBeLessThan(mean(gaps.get('t10')!) * 0.6);
  });

  it('4 tiles with room in the budget: every tile at the mode rate, urgency or not', () => {
    const { gaps, usage } = call(4, 10, new Set(['t0']));
    expect(usage).toBeLessThan(0.5);
    for (const [, g] of gaps) expect(Math.max(...g)).toBeLessThan(250);
  });
});

describe('CpuBudget.recordFrame', () => {
  it('counts the host, the capture and the frame’s part of its message; an unsent frame no message', () => {
    const b = new CpuBudget({ share: 0.5, windowMs: 1000 });
    b.recordFrame(0, { hostMs: 10, captureMs: 2, framesInMessage: 2 });
    b.recordFrame(0, { hostMs: 0, captureMs: 1, framesInMessage: 0 });
    expect(b.usage(0) * 1000).toBeCloseTo(13 + UNSEEN_MS_PER_MESSAGE / 2, 6);
  });
});
