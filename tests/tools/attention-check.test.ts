// Node (vitest): the head turn from the default detector's keypoints against the check set marked by
// eye (tests/fixtures/attention-check.csv; frames of ../shared's talking clips decoded by Chromium,
// wild photos on a call-tile frame). `npm run eval -- attention` prints the full table.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FACING_MAX_TURN } from '../../src/ml/logic/head-turn';
import { createPipeline, type Pipeline } from '../../src/ml/pipeline';
import { agreement, type Measured, measureCheckSet, readCheckSet } from '../../tools/lib/attention-check';
import { fsReader, readManifest } from '../../tools/lib/node-models';
import { initNodeTf } from '../../tools/lib/tf-node';

let pipeline: Pipeline;
let measured: Measured[];

beforeAll(async () => {
  await initNodeTf();
  pipeline = await createPipeline({ manifest: readManifest(), read: fsReader(), backend: { order: ['wasm'] } });
  measured = await measureCheckSet(pipeline, readCheckSet());
}, 120_000);
afterAll(() => pipeline?.dispose());

describe('attention check set (default detector)', () => {
  it('reads every row, each item once, with frames marked turned in the clips and in the photos', () => {
    const items = readCheckSet();
    expect(new Set(items.map((i) => i.item)).size).toBe(items.length);
    expect(items.filter((i) => i.mark === 'turned' && i.item.startsWith('clip:')).length).toBeGreaterThanOrEqual(5);
    expect(items.filter((i) => i.mark === 'turned' && i.item.startsWith('wild:')).length).toBeGreaterThanOrEqual(15);
  });

  it('agrees with the marks on the talking clips: every turned frame caught, at most one facing frame missed', () => {
    const a = agreement(measured.filter((m) => m.item.startsWith('clip:')), FACING_MAX_TURN);
    expect(a.noFace).toBe(0);
    expect(a.turnedCaught).toBe(a.turned);
    expect(a.facing - a.facingKept).toBeLessThanOrEqual(1);
  });

  it('agrees with most marks on the wild photos, whose ears the tight crops often cut off', () => {
    const a = agreement(measured.filter((m) => m.item.startsWith('wild:')), FACING_MAX_TURN);
    expect(a.agree / a.judged).toBeGreaterThanOrEqual(0.75);
    expect(a.turnedCaught / a.turned).toBeGreaterThanOrEqual(0.75);
  });
});
