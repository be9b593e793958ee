// Node context: the image files a list of paths names, folders walked (analyze, bench:pipeline).
import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';

export const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp']);

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
