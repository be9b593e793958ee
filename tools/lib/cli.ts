// Node context: small helpers every CLI in tools/ shares.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** True when the module at `url` is the script node was started with. */
export function isMain(url: string): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(url));
  } catch {
    return false;
  }
}

/**
 * Print an error and exit 1. Exits explicitly: tfjs-backend-wasm's emscripten glue re-throws
 * uncaught errors and would print its whole minified source.
 */
export function exitWithError(err: unknown): never {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
}
