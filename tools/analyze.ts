// Node CLI (`npm run analyze -- <images or folders>`): one JSON line per image with faces, labels and timings.
import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { findModel } from '../src/core/models';
import type { AnalyzeResult, BackendName } from '../src/core/types';
import { createPipeline, type Pipeline } from '../src/ml/pipeline';
import { exitWithError, isMain } from './lib/cli';
import { decodeImageFile } from './lib/images';
import { fsReader, readManifest } from './lib/node-models';

export const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp']);
const BACKENDS: readonly BackendName[] = ['wasm', 'cpu', 'webgpu'];
/** Node has no WebGPU adapter, so by default try wasm and fall back to plain JS. */
export const NODE_BACKEND_ORDER: BackendName[] = ['wasm', 'cpu'];

const USAGE = `usage: npm run analyze -- [--detector <id>] [--classifier <id>] [--faces detect|whole] [--backend wasm|cpu|webgpu] <image files or folders>...`;

/** A bad invocation: printed as one line, without a stack trace. */
class UsageError extends Error {}

export interface AnalyzeOptions {
  inputs: string[];
  detector?: string;
  classifier?: string;
  faces: 'detect' | 'whole';
  backend?: BackendName;
}

const ARG_OPTIONS = {
  detector: { type: 'string' },
  classifier: { type: 'string' },
  faces: { type: 'string' },
  backend: { type: 'string' },
} as const;

function parseOrExplain(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: ARG_OPTIONS, allowPositionals: true });
  } catch (err) {
    throw new UsageError(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
  }
}

export function parseAnalyzeArgs(argv: string[]): AnalyzeOptions {
  const { values, positionals } = parseOrExplain(argv);
  if (positionals.length === 0) throw new UsageError(`no image files or folders given\n${USAGE}`);
  const faces = values.faces ?? 'detect';
  if (faces !== 'detect' && faces !== 'whole') throw new UsageError(`--faces must be detect or whole, got "${faces}"`);
  const backend = values.backend;
  if (backend !== undefined && !BACKENDS.includes(backend as BackendName)) {
    throw new UsageError(`--backend must be one of ${BACKENDS.join(', ')}, got "${backend}"`);
  }
  return { inputs: positionals, detector: values.detector, classifier: values.classifier, faces, backend: backend as BackendName | undefined };
}

/**
 * Image files named by `inputs`: folders are walked recursively and keep only image extensions,
 * sorted by path so output order is stable; files named explicitly are kept whatever they are
 * called, so a bad one is reported rather than silently skipped.
 */
export function collectImageFiles(inputs: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (dir: string, found: string[]): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path, found);
      else if (IMAGE_EXTENSIONS.has(extname(entry.name).toLowerCase())) found.push(path);
    }
  };
  for (const input of inputs) {
    let isDir = false;
    try {
      isDir = statSync(input).isDirectory();
    } catch {
      // a missing path becomes that file's error line
    }
    if (!isDir) {
      files.push(input);
      continue;
    }
    const found: string[] = [];
    walk(input, found);
    files.push(...found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  }
  return files;
}

const round = (v: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};

/** The exact output line shape (key order matters to readers diffing runs). */
export function formatResult(file: string, result: AnalyzeResult): string {
  return JSON.stringify({
    file,
    faces: result.faces.map((f) => ({
      box: [f.box.x, f.box.y, f.box.width, f.box.height].map((v) => round(v, 1)),
      score: round(f.score, 4),
      label: f.label,
      probabilities: Object.fromEntries(Object.entries(f.probabilities).map(([k, v]) => [k, round(v, 4)])),
    })),
    backend: result.backend,
    ms: { detect: round(result.ms.detect, 1), classify: round(result.ms.classify, 1) },
  });
}

export async function analyzeFile(pipeline: Pipeline, file: string): Promise<AnalyzeResult> {
  return pipeline.analyze(await decodeImageFile(file));
}

/** Run the CLI; resolves to the exit code (1 if any file failed). */
async function main(argv: string[]): Promise<number> {
  const options = parseAnalyzeArgs(argv);
  const manifest = readManifest();
  // Check ids up front so a typo fails in one line before any model loads.
  try {
    if (options.faces === 'detect') findModel(manifest, options.detector ?? manifest.defaults.detector, 'face-detection');
    findModel(manifest, options.classifier ?? manifest.defaults.classifier, 'emotion');
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const files = collectImageFiles(options.inputs);
  const pipeline = await createPipeline({
    manifest,
    read: fsReader(),
    detector: options.detector,
    classifier: options.classifier,
    faces: options.faces,
    backend: { order: options.backend ? [options.backend] : NODE_BACKEND_ORDER },
  });
  console.error(
    `analyze: ${files.length} file(s), backend ${pipeline.backend}, detector ${pipeline.detectorId ?? '(whole image)'}, classifier ${pipeline.classifierId}`,
  );
  let failed = 0;
  try {
    for (const file of files) {
      try {
        process.stdout.write(`${formatResult(file, await analyzeFile(pipeline, file))}\n`);
      } catch (err) {
        failed++;
        process.stdout.write(`${JSON.stringify({ file, error: err instanceof Error ? err.message : String(err) })}\n`);
      }
    }
  } finally {
    pipeline.dispose();
  }
  if (failed > 0) console.error(`analyze: ${failed} of ${files.length} file(s) failed`);
  return failed > 0 ? 1 : 0;
}

if (isMain(import.meta.url)) {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (err) {
    exitWithError(err instanceof UsageError ? err.message : err);
  }
}
