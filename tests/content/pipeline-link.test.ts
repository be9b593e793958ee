import { describe, expect, it } from 'vitest';
import type { PipelineState } from '../../src/messaging/offscreen';
import { HOST_START_MS, waitForPipeline } from '../../src/content/pipeline-link';

const READY: PipelineState = { state: 'ready', generation: 1, backend: 'wasm', detector: 'd', classifier: 'c', labels: [], cropSize: 96, loadMs: 1, memory: { tensors: 0, tensorBytes: 0 } };

/** Answers in turn (an Error is thrown); a fake clock that sleeping advances. */
function deps(answers: Array<PipelineState | Error>) {
  let now = 0;
  let ensured = 0;
  return {
    ensureOffscreen: async () => void ensured++,
    pipelineStatus: async () => {
      const a = answers.length > 1 ? answers.shift()! : answers[0]!;
      if (a instanceof Error) throw a;
      return a;
    },
    now: () => now,
    sleep: async (ms: number) => void (now += ms),
    ensured: () => ensured,
    advance: (ms: number) => void (now += ms),
  };
}

describe('waitForPipeline', () => {
  it('a host still starting (no listener yet) is waited for, re-created, then ready', async () => {
    const d = deps([new Error('The message port closed before a response was received.'), new Error('Could not establish connection. Receiving end does not exist.'), { state: 'loading' }, READY]);
    expect(await waitForPipeline(d, new AbortController().signal)).toEqual(READY);
    expect(d.ensured()).toBe(3);
  });

  it('any other error is the error state', async () => {
    expect(await waitForPipeline(deps([new Error('model file corrupt')]), new AbortController().signal)).toEqual({ state: 'error', error: 'model file corrupt' });
  });

  it(`a host unreachable for more than ${HOST_START_MS / 1000} s is an error`, async () => {
    const d = deps([new Error('Receiving end does not exist.')]);
    const err = new Error('Receiving end does not exist.');
    let calls = 0;
    const state = await waitForPipeline(
      { ...d, pipelineStatus: async () => (calls++, d.advance(1000), Promise.reject(err)) },
      new AbortController().signal,
    );
    expect(state).toEqual({ state: 'error', error: 'Receiving end does not exist.' });
    expect(calls * (1000 + 250)).toBeGreaterThanOrEqual(HOST_START_MS); // each ask takes 1 s here, then a 250 ms wait
  });

  it('stops asking when aborted', async () => {
    const ac = new AbortController();
    const d = deps([{ state: 'loading' }]);
    const p = waitForPipeline({ ...d, sleep: async () => ac.abort() }, ac.signal);
    expect(await p).toEqual({ state: 'loading' });
  });
});
