import { describe, expect, it } from 'vitest';
import { afterTask, type BatchAnswer, coalesce } from '../../src/overlay/logic/coalesce';

/** A manual scheduler: flushes run when the test says the task ended. */
function manual() {
  const queued: Array<() => void> = [];
  return { schedule: (fn: () => void) => queued.push(fn), endTask: () => queued.splice(0).forEach((fn) => fn()) };
}

describe('coalesce', () => {
  it('sends the requests of one task as one batch and answers each caller in order', async () => {
    const sent: number[][] = [];
    const tick = manual();
    const call = coalesce<number, number>(async (batch) => {
      sent.push(batch);
      return batch.map((n) => ({ ok: true, value: n * 10 }));
    }, tick.schedule);
    const a = call(1);
    const b = call(2);
    tick.endTask();
    const c = call(3);
    tick.endTask();
    expect(await Promise.all([a, b, c])).toEqual([10, 20, 30]);
    expect(sent).toEqual([[1, 2], [3]]);
  });

  it('fails only the request whose answer is an error', async () => {
    const tick = manual();
    const call = coalesce<number, number>(async (batch) => batch.map((n): BatchAnswer<number> => (n === 2 ? { ok: false, error: 'no frame' } : { ok: true, value: n })), tick.schedule);
    const a = call(1);
    const b = call(2);
    tick.endTask();
    expect(await a).toBe(1);
    await expect(b).rejects.toThrow('no frame');
  });

  it('fails every request with the message\'s own error when the message fails (e.g. no receiver)', async () => {
    const tick = manual();
    const gone = new Error('Could not establish connection. Receiving end does not exist.');
    const call = coalesce<number, number>(() => Promise.reject(gone), tick.schedule);
    const all = [call(1), call(2)].map((p) => p.catch((e: unknown) => e));
    tick.endTask();
    expect(await Promise.all(all)).toEqual([gone, gone]);
  });

  it('rejects every request when the reply is short', async () => {
    const tick = manual();
    const call = coalesce<number, number>(async () => [{ ok: true, value: 1 }], tick.schedule);
    const all = [call(1), call(2)];
    tick.endTask();
    await expect(all[1]).rejects.toThrow('1 answers for 2 requests');
    await expect(all[0]).rejects.toThrow('1 answers for 2 requests');
  });
});

describe('afterTask', () => {
  /** A fake clock whose timers run in order as the test advances it. */
  function clock() {
    let now = 0;
    const timers: Array<{ at: number; fn: () => void }> = [];
    return {
      timers: { setTimeout: (fn: () => void, ms: number) => timers.push({ at: now + ms, fn }), now: () => now },
      advance(ms: number) {
        const end = now + ms;
        for (;;) {
          timers.sort((a, b) => a.at - b.at);
          const next = timers[0];
          if (!next || next.at > end) break;
          timers.shift();
          now = next.at;
          next.fn();
        }
        now = end;
      },
    };
  }
  it('flushes after the task; while a frame is still encoding, waits for it, but at most maxMs', () => {
    const c = clock();
    let busy = false;
    const flushes: number[] = [];
    const schedule = afterTask(c.timers, () => busy, 30);
    schedule(() => flushes.push(c.timers.now()));
    c.advance(1);
    expect(flushes).toEqual([0]);
    busy = true;
    schedule(() => flushes.push(c.timers.now()));
    c.advance(10);
    expect(flushes).toHaveLength(1);
    busy = false;
    c.advance(3);
    expect(flushes[1]).toBeGreaterThanOrEqual(10);
    busy = true;
    schedule(() => flushes.push(c.timers.now()));
    c.advance(100);
    expect(flushes).toHaveLength(3);
    expect(flushes[2]! - 13).toBeLessThanOrEqual(32);
  });
});
