// Node: the content script's lifecycle (src/overlay/lifecycle) with a plain object as its world's
// globals and hand-driven timers: replaced by a newer copy, or orphaned; never by anything a page sends.
import { describe, expect, it } from 'vitest';
import { claimTab, type LifecycleDeps, ORPHAN_CHECK_MS } from '../../src/overlay/lifecycle';

function world() {
  const global = {};
  let id: string | undefined = 'ext-id';
  const timers = new Map<number, () => void>();
  let next = 0;
  const deps: LifecycleDeps = {
    global,
    runtimeId: () => id,
    setInterval: (fn, ms) => {
      expect(ms).toBe(ORPHAN_CHECK_MS);
      timers.set(++next, fn);
      return next;
    },
    clearInterval: (t) => timers.delete(t as number),
  };
  return {
    deps,
    tick: () => [...timers.values()].forEach((fn) => fn()),
    timers,
    orphan: () => (id = undefined),
  };
}

describe('claimTab', () => {
  it('a newer copy in the same world stops the older one', () => {
    const w = world();
    const first = claimTab(w.deps);
    const second = claimTab(w.deps);
    expect(first.signal.aborted).toBe(true);
    expect(first.signal.reason).toBe('replaced');
    expect(second.signal.aborted).toBe(false);
    expect(w.timers.size).toBe(1); // the older copy's check is gone
  });

  it('stands down once its extension is gone (runtime id undefined), and not before', () => {
    const w = world();
    const life = claimTab(w.deps);
    w.tick();
    expect(life.signal.aborted).toBe(false);
    w.orphan();
    w.tick();
    expect(life.signal.reason).toBe('orphaned');
    expect(w.timers.size).toBe(0);
  });

  it('stop is idempotent and a stopped copy leaves the slot to the current one', () => {
    const w = world();
    const first = claimTab(w.deps);
    const second = claimTab(w.deps);
    first.stop('orphaned');
    const third = claimTab(w.deps);
    expect(second.signal.reason).toBe('replaced');
    expect(third.signal.aborted).toBe(false);
  });
});
