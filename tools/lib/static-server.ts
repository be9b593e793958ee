// Node (Playwright): serve folders at a made-up origin through context.route, nothing else: every
// request outside the mounts (or off the origin) is aborted and recorded, as is what was served.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import type { BrowserContext } from 'playwright-core';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
  '.webm': 'video/webm',
  '.jpg': 'image/jpeg',
  '.png': 'image/png',
};

export interface ServeLog {
  /** Path -> bytes served. */
  served: Map<string, number>;
  aborted: Set<string>;
}

export const newServeLog = (): ServeLog => ({ served: new Map(), aborted: new Set() });

/** The file a URL maps to under `mounts` (URL prefix -> folder, first match wins), or null. */
export function resolveMounted(url: URL, origin: string, mounts: ReadonlyArray<readonly [string, string]>): string | null {
  if (url.origin !== origin) return null;
  for (const [prefix, dir] of mounts) {
    if (!url.pathname.startsWith(prefix)) continue;
    const rel = normalize(decodeURIComponent(url.pathname.slice(prefix.length)));
    if (rel.startsWith('..') || rel.includes(`${sep}..`)) return null;
    const file = join(dir, rel);
    return existsSync(file) && statSync(file).isFile() ? file : null;
  }
  return null;
}

/** Route every request of `context`: mounted files are served (no caching), the rest aborted. */
export async function serveMounts(context: BrowserContext, origin: string, mounts: ReadonlyArray<readonly [string, string]>, log: ServeLog): Promise<void> {
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    const file = resolveMounted(url, origin, mounts);
    if (!file) {
      log.aborted.add(route.request().url());
      await route.abort('blockedbyclient');
      return;
    }
    const body = readFileSync(file);
    log.served.set(url.pathname, body.length);
    await route.fulfill({ status: 200, body, headers: { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' } });
  });
}
