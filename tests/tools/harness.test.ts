// Node (vitest): the shared evaluation harness in tools/lib (the FER+ scorer, subsets, detector
// agreement), `npm run eval`'s dispatch, and the rule that no CLI in tools/ is imported as a library.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PixelData } from '../../src/ml/preprocess';
import { agreementPairs, matchBoxes } from '../../tools/lib/box-agreement';
import { scoreFerPlus } from '../../tools/lib/ferplus';
import { REPO_ROOT } from '../../tools/lib/paths';
import { spreadSubset } from '../../tools/lib/wild';
import { runTool } from './run-tool';

const pixel = (v: number): PixelData => ({ data: new Uint8ClampedArray([v, v, v, 255]), width: 1, height: 1 });
const box = (x: number, y: number, side = 10) => ({ x, y, width: side, height: side });

describe('scoreFerPlus', () => {
  it('scores the predictions over the given labels, face by face, with a time per face', async () => {
    const faces = [
      { image: pixel(0), truth: 'happy' },
      { image: pixel(1), truth: 'happy' },
      { image: pixel(2), truth: 'sad' },
      { image: pixel(3), truth: 'neutral' },
    ];
    const said = ['happy', 'sad', 'sad', 'neutral'];
    const seen: number[] = [];
    const score = await scoreFerPlus(faces, async (image) => {
      seen.push(image.data[0]!);
      return said[image.data[0]!]!;
    }, ['happy', 'sad', 'neutral']);
    expect(seen).toEqual([0, 1, 2, 3]);
    expect(score.predictions).toEqual(said);
    expect(score.cm.counts).toEqual([
      [1, 1, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(score.accuracy).toBeCloseTo(0.75);
    // F1: happy 2/3, sad 2/3, neutral 1.
    expect(score.macroF1).toBeCloseTo((2 / 3 + 2 / 3 + 1) / 3);
    expect(score.msPerFace).toHaveLength(4);
    expect(score.seconds).toBeGreaterThanOrEqual(0);
  });

  it('throws on a prediction outside the labels rather than counting it', async () => {
    await expect(scoreFerPlus([{ image: pixel(0), truth: 'happy' }], async () => 'ahegao', ['happy', 'sad'])).rejects.toThrow(/ahegao/);
  });
});

describe('spreadSubset', () => {
  it('keeps every row without a limit, and about `limit` rows spread over them with one', () => {
    const rows = Array.from({ length: 10 }, (_, i) => i);
    expect(spreadSubset(rows)).toEqual(rows);
    expect(spreadSubset(rows, 5)).toEqual([0, 2, 4, 6, 8]);
    expect(spreadSubset(rows, 3)).toEqual([0, 3, 6, 9]);
    expect(spreadSubset(rows, 50)).toEqual(rows);
  });
});

describe('detector agreement', () => {
  it('matches boxes one to one, best overlap first, and leaves disjoint ones out', () => {
    const a = [{ box: box(0, 0), score: 0.9 }, { box: box(100, 100), score: 0.8 }];
    const b = [{ box: box(1, 0), score: 0.7 }, { box: box(0, 0), score: 0.85 }];
    const m = matchBoxes(a, b);
    expect(m).toHaveLength(1);
    expect(m[0]!.iou).toBe(1);
    expect(m[0]!.scoreDiff).toBeCloseTo(0.05);
  });

  it('pairs only variants of one base model', () => {
    const faces = { 'x.png': { 'ssd-u8': [{ box: box(0, 0), score: 0.9 }], 'ssd-f16': [{ box: box(0, 0), score: 0.8 }], 'blaze-f16': [] } };
    const pairs = agreementPairs(faces, ['ssd-u8', 'ssd-f16', 'blaze-f16']);
    expect(pairs.map((p) => [p.a, p.b, p.facesA, p.facesB, p.matched])).toEqual([['ssd-u8', 'ssd-f16', 1, 1, 1]]);
    expect(pairs[0]!.meanIoU).toBe(1);
  });
});

const runEval = (args: string[]) => runTool('tools/eval.ts', args);

describe('npm run eval', () => {
  it('lists its subcommands and exits 2 without one or with an unknown one', async () => {
    const none = await runEval([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/usage: npm run eval -- <subcommand>/);
    expect(none.stderr).toMatch(/^\s+classifiers /m);
    expect(none.stderr).toMatch(/^\s+detectors /m);
    const unknown = await runEval(['toString']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown subcommand "toString"/);
  });

  it('hands a subcommand its flags (a bad one fails in that subcommand)', async () => {
    const bad = await runEval(['classifiers', '--split', 'train']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--split must be test or valid/);
  });
});

/** tools/ and tests/ TypeScript files, as paths relative to the repository. */
function tsFiles(dir: string): string[] {
  return readdirSync(join(REPO_ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('tools layout', () => {
  it('no CLI in tools/ is imported by another file: shared code lives in tools/lib', () => {
    const files = [...tsFiles('tools'), ...tsFiles('tests')];
    const source = (f: string) => readFileSync(join(REPO_ROOT, f), 'utf8');
    const clis = new Set(files.filter((f) => f.startsWith('tools') && f !== join('tools', 'lib', 'cli.ts') && /\bisMain\(|process\.argv/.test(source(f))));
    expect(clis.size).toBeGreaterThan(5);
    const broken: string[] = [];
    for (const f of files) {
      for (const m of source(f).matchAll(/(?:from|import)\s*\(?\s*['"](\.[^'"]+)['"]/g)) {
        const target = relative(REPO_ROOT, resolve(REPO_ROOT, dirname(f), m[1]!));
        for (const candidate of [target, `${target}.ts`, join(target, 'index.ts')]) if (clis.has(candidate)) broken.push(`${f} imports ${candidate}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
