// Node: the ML host switching models on request, with stand-in pipelines (no models are loaded:
// what is under test is which pipeline runs each frame, and when the old one is freed).
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { ModelChoice } from '../../src/messaging/offscreen';
import { createPipelineHost } from '../../src/ml/host';
import type { Pipeline } from '../../src/ml/pipeline';
import { initNodeTf } from '../../tools/lib/tf-node';

beforeAll(() => initNodeTf()); // the host reports tfjs memory

function fakePipeline(choice: ModelChoice, dispose: (id: string) => void): Pipeline {
  const id = `${choice.detector}+${choice.classifier}`;
  return {
    backend: 'wasm',
    fallback: null,
    lost: null,
    detectorId: choice.detector,
    classifierId: choice.classifier ?? '',
    labels: choice.classifier === 'six' ? ['angry', 'happy', 'neutral', 'sad', 'surprise', 'ahegao'] : ['angry', 'happy', 'neutral', 'sad', 'surprise'],
    cropSize: 96,
    calibration: null,
    analyze: () => Promise.reject(new Error('not used')),
    dispose: () => dispose(id),
  };
}

const A: ModelChoice = { detector: 'det', classifier: 'five' };
const B: ModelChoice = { detector: 'det', classifier: 'six' };

function setUp(fail: (c: ModelChoice) => boolean = () => false) {
  const opened: string[] = [];
  const disposed: string[] = [];
  const host = createPipelineHost(async (_order, choice) => {
    opened.push(choice.classifier ?? '');
    await new Promise((r) => setTimeout(r, 5));
    if (fail(choice)) throw new Error(`model file ${choice.classifier}/model.json is corrupt`);
    return fakePipeline(choice, (id) => disposed.push(id));
  }, A);
  return { host, opened, disposed };
}

describe('the ML host switching models', () => {
  const classifier = async (p: Pipeline) => p.classifierId;

  it('keeps the running pipeline for the same choice, loads another for a new one and frees the old one after its last frame', async () => {
    const { host, opened, disposed } = setUp();
    expect(await host.run(classifier)).toBe('five');
    await host.use(A);
    expect(await host.run(classifier)).toBe('five');
    expect(opened).toEqual(['five']);
    const first = await host.run(async (_p, generation) => generation);

    // A frame still running on the old pipeline when the switch comes.
    let finishOld!: () => void;
    const oldFrame = host.run((p, generation) => new Promise<string>((resolve) => (finishOld = () => resolve(`${p.classifierId}@${generation}`))));
    await vi.waitFor(() => expect(finishOld).toBeTypeOf('function'));
    await host.use(B);
    const next = await host.run(async (p, generation) => ({ id: p.classifierId, labels: p.labels, generation }));
    expect(next).toEqual({ id: 'six', labels: ['angry', 'happy', 'neutral', 'sad', 'surprise', 'ahegao'], generation: expect.any(String) });
    expect(next.generation).not.toBe(first);
    expect(host.status()).toMatchObject({ state: 'ready', generation: next.generation, classifier: 'six', labels: next.labels });
    expect(disposed).toEqual([]); // the old frame still runs on it
    finishOld();
    expect(await oldFrame).toBe(`five@${first}`);
    expect(disposed).toEqual(['det+five']);
    expect(opened).toEqual(['five', 'six']);
    // Each generation's models stay known (reports of frames in flight name only the generation).
    expect(host.modelsOf(first)).toEqual({ detector: 'det', classifier: 'five', labels: ['angry', 'happy', 'neutral', 'sad', 'surprise'], cropSize: 96 });
    expect(host.modelsOf(next.generation)?.classifier).toBe('six');
    expect(host.modelsOf(`${next.generation}0`)).toBeNull();
  });

  it('a choice made while another is loading wins; the superseded pipeline is freed, never served', async () => {
    const { host, opened, disposed } = setUp();
    await host.ready();
    await Promise.all([host.use(B), host.use(A)]);
    expect(await host.run(classifier)).toBe('five');
    expect(opened).toEqual(['five', 'six', 'five']);
    expect(disposed.sort()).toEqual(['det+five', 'det+six']);
    expect(host.status()).toMatchObject({ state: 'ready', classifier: 'five' });
  });

  it('a model that fails to load is an error state naming it, and frames fail with it (no silent fallback)', async () => {
    const { host } = setUp((c) => c.classifier === 'six');
    await host.ready();
    await host.use(B);
    await expect(host.run(classifier)).rejects.toThrow('model file six/model.json is corrupt');
    expect(host.status()).toEqual({ state: 'error', error: 'model file six/model.json is corrupt' });
    // Picking a working model again recovers.
    await host.use(A);
    expect(await host.run(classifier)).toBe('five');
    expect(host.status()).toMatchObject({ state: 'ready', classifier: 'five' });
  });
});

describe('generations across hosts', () => {
  it('a new host (the old one closed) never reuses an old host\'s generation, nor knows its models', async () => {
    const old = setUp().host;
    const oldGeneration = await old.run(async (_p, generation) => generation);
    const next = setUp().host;
    const nextGeneration = await next.run(async (_p, generation) => generation);
    expect(nextGeneration).not.toBe(oldGeneration);
    expect(next.modelsOf(oldGeneration)).toBeNull();
    expect(next.modelsOf(nextGeneration)?.classifier).toBe('five');
  });
});

describe('the backend is chosen once per host', () => {
  it('a model switch loads on the backend the first pipeline settled on (WebGPU failed: never probed again)', async () => {
    const orders: Array<string[] | undefined> = [];
    const host = createPipelineHost(async (order, choice) => {
      orders.push(order);
      const p = fakePipeline(choice, () => undefined);
      return { ...p, backend: 'wasm', fallback: { from: 'webgpu', reason: 'no WebGPU adapter' } } as Pipeline;
    }, A);
    await host.ready();
    await host.use(B);
    await host.use(A);
    expect(orders).toEqual([undefined, ['wasm'], ['wasm']]);
  });
});
