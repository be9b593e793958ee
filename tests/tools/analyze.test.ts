// Node (vitest): the analyze CLI end to end as a child process, on a shared fixture and a corrupt file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedPath } from '../../tools/lib/paths';
import { runTool } from './run-tool';

const CLI_TIMEOUT_MS = 60_000;

const runAnalyze = (args: string[]) => runTool('tools/analyze.ts', args);

function parseLines(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

interface FaceLine {
  box: number[];
  score: number;
  label: string;
  probabilities: Record<string, number>;
}

describe('tools/analyze.ts', () => {
  const astronaut = sharedPath('fixtures', 'images', 'astronaut.png');
  const tempDir = mkdtempSync(join(tmpdir(), 'analyze-test-'));
  afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

  it(
    'prints one line per file, reports an unreadable file on its line and exits 1',
    async () => {
      const bad = join(tempDir, 'bad.png');
      writeFileSync(bad, Buffer.from('this is not a png at all, just garbage bytes \x00\x01\x02\xff'));
      const { code, stdout, stderr } = await runAnalyze([astronaut, bad]);
      const lines = parseLines(stdout);
      expect(lines, stderr.slice(-2000)).toHaveLength(2);

      const [first, second] = lines;
      expect(Object.keys(first ?? {})).toEqual(['file', 'faces', 'backend', 'ms']);
      expect(first?.file).toBe(astronaut);
      expect(first?.backend).toBe('wasm');
      expect(Object.keys(first?.ms as object)).toEqual(['detect', 'classify']);
      const faces = first?.faces as FaceLine[];
      expect(faces).toHaveLength(1);
      const face = faces[0];
      expect(Object.keys(face ?? {})).toEqual(['box', 'score', 'label', 'probabilities']);
      expect(face?.label).toBe('happy');
      const [x = NaN, y = NaN, width = NaN, height = NaN] = face?.box ?? [];
      expect(x).toBeGreaterThanOrEqual(0);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(width).toBeGreaterThan(0);
      expect(height).toBeGreaterThan(0);
      expect(x + width).toBeLessThanOrEqual(512);
      expect(y + height).toBeLessThanOrEqual(512);

      expect(second?.file).toBe(bad);
      expect(typeof second?.error).toBe('string');
      expect(code).toBe(1);
    },
    CLI_TIMEOUT_MS,
  );

  it(
    '--faces whole classifies the whole image as one face',
    async () => {
      const { code, stdout, stderr } = await runAnalyze(['--faces', 'whole', astronaut]);
      const lines = parseLines(stdout);
      expect(lines, stderr.slice(-2000)).toHaveLength(1);
      const faces = lines[0]?.faces as FaceLine[];
      expect(faces).toHaveLength(1);
      expect(faces[0]?.box).toEqual([0, 0, 512, 512]);
      expect(faces[0]?.score).toBe(1);
      expect(code).toBe(0);
    },
    CLI_TIMEOUT_MS,
  );
});
