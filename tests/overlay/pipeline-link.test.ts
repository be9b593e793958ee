import { describe, expect, it } from 'vitest';
import type { PipelineState } from '../../src/messaging/offscreen';
import { connectToHost, HOST_START_MS, linkError } from '../../src/overlay/pipeline-link';
import { TAB_CAPTURE_STOPPED } from '../../src/messaging/offscreen';

const READY: PipelineState = { state: 'ready', generation: 'host:1', backend: 'wasm', detector: 'd', classifier: 'c', labels: [], cropSize: 96, confidence: null, loadMs: 1, memory: { tensors: 0, tensorBytes: 0 } };

/** Answers in turn (an Error is thrown); a fake clock that sleeping advances. */
function deps(answers: Array<PipelineState | Error>) {
  let now = 0;
  let asked = 0;
  return {
    ensureOffscreen: async () => {
      asked++;
      const a = answers.length > 1 ? answers.shift()! : answers[0]!;
      if (a instanceof Error) throw a;
      return a;
    },
    now: () => now,
    sleep: async (ms: number) => void (now += ms),
    asked: () => asked,
    advance: (ms: number) => void (now += ms),
  };
}

describe('connectToHost', () => {
  it('one question: the state the host has now, loading included (changes are pushed, not polled)', async () => {
    const d = deps([{ state: 'loading' }, READY]);
    expect(await connectToHost(d, new AbortController().signal)).toEqual({ state: 'loading' });
    expect(d.asked()).toBe(1);
  });

  it('a worker or host still starting (nobody answered) is asked again', async () => {
    const d = deps([new Error('The message port closed before a response was received.'), new Error('Could not establish connection. Receiving end does not exist.'), READY]);
    expect(await connectToHost(d, new AbortController().signal)).toEqual(READY);
    expect(d.asked()).toBe(3);
  });

  it('any other error is the error state', async () => {
    expect(await connectToHost(deps([new Error('model file corrupt')]), new AbortController().signal)).toEqual({ state: 'error', error: 'model file corrupt' });
  });

  it(`nobody answering for more than ${HOST_START_MS / 1000} s is an error`, async () => {
    const d = deps([new Error('Receiving end does not exist.')]);
    const state = await connectToHost({ ...d, ensureOffscreen: () => (d.advance(1000), d.ensureOffscreen()) }, new AbortController().signal);
    expect(state).toEqual({ state: 'error', error: 'Receiving end does not exist.' });
    expect(d.now()).toBeGreaterThanOrEqual(HOST_START_MS);
  });

  it('stops asking when aborted', async () => {
    const ac = new AbortController();
    const d = deps([new Error('Receiving end does not exist.')]);
    expect(await connectToHost({ ...d, sleep: async () => ac.abort() }, ac.signal)).toEqual({ state: 'loading' });
  });

  it('tells an orphaned script and a missing host from a failing one', () => {
    expect(linkError(new Error('Extension context invalidated.'))).toBe('orphaned');
    expect(linkError(new Error('Could not establish connection. Receiving end does not exist.'))).toBe('no-host');
    expect(linkError(new Error('frame analysis timed out'))).toBeNull();
    expect(linkError(new Error(TAB_CAPTURE_STOPPED))).toBe('no-capture');
  });
});
