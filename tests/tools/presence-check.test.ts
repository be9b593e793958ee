// Node (vitest): a tile with no face, someone there or nobody, against the presence check set marked
// by eye (tests/fixtures/presence-check.csv; frames of ../shared's talking clips decoded by Chromium and
// wild photos, whole or cut to a part). `npm run eval -- presence` prints the full table.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERSON_MIN_SCORE } from '../../src/ml/logic/presence';
import { createPipeline, type Pipeline } from '../../src/ml/pipeline';
import { fsReader, readManifest } from '../../tools/lib/node-models';
import { agreement, measurePresence, PRESENCE_MARKS, readPresenceSet, type Seen } from '../../tools/lib/presence-check';
import { initNodeTf } from '../../tools/lib/tf-node';

let pipeline: Pipeline;
let seen: Seen[];

beforeAll(async () => {
  await initNodeTf();
  pipeline = await createPipeline({ manifest: readManifest(), read: fsReader(), backend: { order: ['wasm'] } });
  seen = (await measurePresence(pipeline, readPresenceSet())).seen;
}, 180_000);
afterAll(() => pipeline?.dispose());

describe('presence check set (default face and person detectors)', () => {
  it('reads every row, each item once, with every mark present', () => {
    const items = readPresenceSet();
    expect(new Set(items.map((i) => i.item)).size).toBe(items.length);
    for (const m of PRESENCE_MARKS) expect(items.filter((i) => i.mark === m).length, m).toBeGreaterThanOrEqual(20);
  });

  it('tells someone from nobody better with the person detector than without, and calls an empty wall empty', () => {
    const withPerson = agreement(seen, PERSON_MIN_SCORE);
    const without = agreement(seen, null);
    expect(withPerson.agree).toBeGreaterThan(without.agree);
    expect(withPerson.agree / withPerson.judged).toBeGreaterThanOrEqual(0.9);
    const nobody = seen.filter((s) => s.mark === 'nobody');
    expect(nobody.filter((s) => s.faces === 0 && (s.score ?? 0) < PERSON_MIN_SCORE).length).toBeGreaterThanOrEqual(nobody.length - 2);
  });
});
