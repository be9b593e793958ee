// Node context: the models.json manifest and a file reader over public/models, for tools and tests.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ModelsManifest, parseModelsManifest } from '../../src/core/models';
import type { BackendName } from '../../src/core/types';
import type { ModelFileReader } from '../../src/ml/loader';
import { MODELS_DIR } from './paths';

export function readManifest(dir = MODELS_DIR): ModelsManifest {
  return parseModelsManifest(JSON.parse(readFileSync(join(dir, 'models.json'), 'utf8')));
}

export function fsReader(dir = MODELS_DIR): ModelFileReader {
  return async (path) => {
    const buf = await readFile(join(dir, path));
    return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  };
}

/** Node has no WebGPU adapter, so by default try wasm and fall back to plain JS. */
export const NODE_BACKEND_ORDER: BackendName[] = ['wasm', 'cpu'];
