import { describe, expect, it } from 'vitest';
import { Batcher } from '../../src/overlay/logic/batcher';

function fakeTimers() {
  let now = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  let seq = 0;
  return {
    setTimer: (fn: () => void, ms: number) => {
      timers.set(++seq, { at: now + ms, fn });
      return seq;
    },
    clearTimer: (id: unknown) => void timers.delete(id as number),
    advance(ms: number) {
      now += ms;
      for (const [id, t] of [...timers]) if (t.at <= now) {
        timers.delete(id);
        t.fn();
      }
    },
    get count() {
      return timers.size;
    },
  };
}

describe('Batcher', () => {
  it('hands items on once per period, in order, with one timer at a time', () => {
    const t = fakeTimers();
    const batches: number[][] = [];
    const b = new Batcher<number>((x) => batches.push(x), { ms: 1000, max: 100, ...t });
    for (let i = 0; i < 5; i++) b.add(i);
    expect(t.count).toBe(1);
    expect(batches).toEqual([]);
    t.advance(1000);
    expect(batches).toEqual([[0, 1, 2, 3, 4]]);
    b.add(5);
    t.advance(999);
    expect(batches).toHaveLength(1);
    t.advance(1);
    expect(batches).toEqual([[0, 1, 2, 3, 4], [5]]);
  });

  it('a full batch goes at once; flush hands on what waits and leaves no timer', () => {
    const t = fakeTimers();
    const batches: number[][] = [];
    const b = new Batcher<number>((x) => batches.push(x), { ms: 1000, max: 3, ...t });
    [1, 2, 3, 4].forEach((i) => b.add(i));
    expect(batches).toEqual([[1, 2, 3]]);
    b.flush();
    expect(batches).toEqual([[1, 2, 3], [4]]);
    expect(t.count).toBe(0);
    b.flush();
    expect(batches).toHaveLength(2);
  });
});
