import { describe, expect, it } from 'vitest';
import { linkError } from '../../src/overlay/pipeline-link';
import { RetryQueue } from '../../src/overlay/logic/retry-queue';
import { validateSettings, DEFAULT_SETTINGS } from '../../src/core/settings';
import { addFrame, type AnalyzedFrame, startCall } from '../../src/calls/summary';

function harness(failFirst: number) {
  const delivered: number[] = [];
  const timers: Array<() => void> = [];
  let failures = failFirst;
  const q = new RetryQueue<number>(
    async (n) => {
      if (failures > 0) {
        failures--;
        throw new Error('Could not establish connection. Receiving end does not exist.');
      }
      delivered.push(n);
    },
    { maxItems: 3, retryMs: 500, setTimer: (fn) => timers.push(fn), retryable: (e) => /Receiving end does not exist/.test(String(e)) },
  );
  return { q, delivered, timers };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('RetryQueue', () => {
  it('delivers in order', async () => {
    const { q, delivered } = harness(0);
    q.push(1);
    q.push(2);
    await tick();
    expect(delivered).toEqual([1, 2]);
  });

  it('keeps items while the receiver is away and delivers them, in order, once it is back', async () => {
    const { q, delivered, timers } = harness(2);
    q.push(1);
    await tick();
    q.push(2);
    await tick();
    expect(delivered).toEqual([]);
    expect(q.pending).toBe(2);
    timers.shift()!();
    await tick();
    timers.shift()?.();
    await tick();
    expect(delivered).toEqual([1, 2]);
    expect(q.pending).toBe(0);
  });

  it('a refusal that cannot succeed later (the handler threw: a full quota) drops that item, counts it, and the next ones go on', async () => {
    const delivered: number[] = [];
    const timers: Array<() => void> = [];
    const q = new RetryQueue<number>(
      async (n) => {
        if (n === 2) throw new Error('QUOTA_BYTES quota exceeded');
        delivered.push(n);
      },
      { maxItems: 10, retryMs: 500, setTimer: (fn) => timers.push(fn), retryable: (e) => linkError(e) === 'no-host' },
    );
    for (const n of [1, 2, 3]) q.push(n);
    await tick();
    expect(delivered).toEqual([1, 3]);
    expect(timers).toEqual([]);
    expect([q.pending, q.refused, String(q.lastRefusal)]).toEqual([0, 1, 'Error: QUOTA_BYTES quota exceeded']);
  });

  it('stays bounded: the oldest items go first and are counted', async () => {
    const { q } = harness(100);
    for (let i = 0; i < 5; i++) q.push(i);
    await tick();
    expect(q.pending).toBe(3);
    expect(q.dropped).toBe(2);
  });
});

describe('validateSettings', () => {
  it('fills defaults for anything missing or malformed', () => {
    expect(validateSettings(undefined)).toEqual(DEFAULT_SETTINGS);
    expect(validateSettings({ fps: Number.NaN, showBoxes: 'yes', frameEncoding: 'png' })).toEqual(DEFAULT_SETTINGS);
  });
  it('clamps numbers to their limits and keeps valid choices', () => {
    const s = validateSettings({ fps: 0, minFaceSize: 1000, smoothingWindow: 2.6, chipStyle: 'emoji', visibleLabels: ['happy', 3], retentionDays: -5 });
    expect(s).toMatchObject({ fps: 0.5, minFaceSize: 200, smoothingWindow: 3, chipStyle: 'emoji', visibleLabels: ['happy'], retentionDays: 0 });
  });
});

describe('RetryQueue + call summary: a reply lost after the frame was counted', () => {
  it('the retried report is not counted again', async () => {
    let summary = startCall({ site: 'meet', callId: 'abc-defg-hij', title: 'Standup', time: 0, labels: ['happy', 'sad'] });
    const timers: Array<() => void> = [];
    let loseNextReply = true;
    // The receiver folds the frame in, then its reply is lost (the worker stops mid-answer).
    const q = new RetryQueue<AnalyzedFrame>(
      async (f) => {
        summary = addFrame(summary, f);
        if (loseNextReply) {
          loseNextReply = false;
          throw new Error('The message port closed before a response was received.');
        }
      },
      { maxItems: 10, retryMs: 500, setTimer: (fn) => timers.push(fn), retryable: (e) => linkError(e) === 'no-host' },
    );
    q.push({ time: 100, tileId: 'tile-1', name: 'Ada', faces: [{ trackId: 1, label: 'happy' }] });
    q.push({ time: 300, tileId: 'tile-1', name: 'Ada', faces: [{ trackId: 1, label: 'sad' }] });
    await tick();
    timers.shift()!();
    await tick();
    expect(q.pending).toBe(0);
    expect(summary.frames).toBe(2);
    expect(summary.participants[0]!.countByLabel).toEqual({ happy: 1, sad: 1 });
  });
});
