// Node context: where the repo, its models and ../shared live.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const MODELS_DIR = join(REPO_ROOT, 'public', 'models');
export const SHARED_DIR = resolve(REPO_ROOT, '..', 'shared');

/** A path inside ../shared; throws a clear error naming the file when it is missing. */
export function sharedPath(...parts: string[]): string {
  const p = join(SHARED_DIR, ...parts);
  if (!existsSync(p)) throw new Error(`missing shared fixture: ${p} (expected ../shared beside the repo, see README)`);
  return p;
}
