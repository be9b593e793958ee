// Node CLI (`npm run analyze -- <images or folders>`): one JSON line per image with faces, labels and timings.
import { parseArgs } from 'node:util';
import { findModel } from '../src/core/models';
import type { AnalyzeResult, BackendName } from '../src/core/types';
import { createPipeline, type Pipeline } from '../src/ml/pipeline';
import { exitWithError, isMain } from './lib/cli';
import { collectImageFiles } from './lib/image-files';
import { decodeImageFile } from './lib/images';
import { fsReader, NODE_BACKEND_ORDER, readManifest } from './lib/node-models';

const BACKENDS: readonly BackendName[] = ['wasm', 'cpu', 'webgpu'];

const USAGE = `usage: npm run analyze -- [--detector <id>] [--classifier <id>] [--faces detect|whole] [--backend wasm|cpu|webgpu] <image files or folders>...`;

/** A bad invocation: printed as one line, without a stack trace. */
class UsageError extends Error {}

interface AnalyzeOptions {
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

function parseAnalyzeArgs(argv: string[]): AnalyzeOptions {
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

const round = (v: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};

/** The exact output line shape (key order matters to readers diffing runs). */
function formatResult(file: string, result: AnalyzeResult): string {
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

async function analyzeFile(pipeline: Pipeline, file: string): Promise<AnalyzeResult> {
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
