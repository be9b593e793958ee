// Node (WXT's fake browser): the background resolves a report's generation to the models that made
// it, across ML host restarts (each host numbers its pipelines afresh), with real hosts behind a
// stand-in offscreen messenger.
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMlHost } from '../../src/ml/offscreen-host';
import { type ModelChoice, offscreenMessenger, type PipelineState } from '../../src/messaging/offscreen';
import { createPipelineHost, type PipelineHost } from '../../src/ml/host';
import type { Pipeline } from '../../src/ml/pipeline';
import { initNodeTf } from '../../tools/lib/tf-node';

beforeAll(() => initNodeTf()); // the host reports tfjs memory

const FIVE: ModelChoice = { detector: 'det', classifier: 'five' };
const SIX: ModelChoice = { detector: 'det', classifier: 'six' };

function openHost(initial: ModelChoice): PipelineHost {
  return createPipelineHost(async (_order, choice): Promise<Pipeline> => ({
    backend: 'wasm',
    fallback: null,
    lost: null,
    detectorId: choice.detector,
    classifierId: choice.classifier ?? '',
    labels: choice.classifier === 'six' ? ['angry', 'happy', 'neutral', 'sad', 'surprise', 'ahegao'] : ['angry', 'happy', 'neutral', 'sad', 'surprise'],
    cropSize: 96,
    calibration: null,
    analyze: () => Promise.reject(new Error('not used')),
    dispose: () => undefined,
  }), initial);
}

async function generationOf(host: PipelineHost): Promise<PipelineState & { state: 'ready' }> {
  await host.ready();
  const s = host.status();
  if (s.state !== 'ready') throw new Error(`host not ready: ${s.state}`);
  return s;
}

/** The offscreen document now open (null: none), answering the background's modelsOf as main.ts does. */
let offscreen: PipelineHost | null = null;

beforeEach(() => {
  fakeBrowser.reset();
  offscreen = null;
  vi.stubGlobal('chrome', {
    runtime: {
      ContextType: { OFFSCREEN_DOCUMENT: 'OFFSCREEN_DOCUMENT' },
      getContexts: async () => (offscreen ? [{ contextType: 'OFFSCREEN_DOCUMENT' }] : []),
    },
  });
  vi.spyOn(offscreenMessenger, 'sendMessage').mockImplementation((async (type: string, data: { generation: unknown }) => {
    if (type !== 'modelsOf' || !offscreen) throw new Error(`unexpected ${type}`);
    return offscreen.modelsOf(data.generation as never);
  }) as never);
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('a report\'s generation across ML host restarts', () => {
  it('after a model switch and a host restart, reports resolve to the models that made them, never to another host\'s', async () => {
    const background = createMlHost(async () => true);
    // The first host: the five-label classifier, then the user picks the six-label one.
    const first = openHost(FIVE);
    offscreen = first;
    const firstFive = (await generationOf(first)).generation;
    expect((await background.modelsOf(firstFive))?.classifier).toBe('five');
    await first.use(SIX);
    const firstSix = (await generationOf(first)).generation;
    // The host closes (idle) and a new one starts on the current choice, then the user switches back.
    const second = openHost(SIX);
    offscreen = second;
    const secondSix = (await generationOf(second)).generation;
    expect((await background.modelsOf(secondSix))?.classifier).toBe('six');
    await second.use(FIVE);
    const secondFive = (await generationOf(second)).generation;
    expect((await background.modelsOf(secondFive))?.classifier).toBe('five');
    // The first host's reports still queued in a tab (never asked about while it ran): unknown now, dropped.
    expect(await background.modelsOf(firstSix)).toBeNull();
    expect(new Set([firstFive, firstSix, secondSix, secondFive]).size).toBe(4);
  });
});
