// Node (Playwright): launches Debian Chromium with the built extension, serves fixture pages at
// their real hostnames and records every request. Shared by tests/e2e and the browser benchmarks.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, type CDPSession, chromium, type Page, type Request } from 'playwright-core';
import { BASE_FLAGS, requireChromium } from './browser';
import { REPO_ROOT, sharedPath } from './paths';

const require = createRequire(import.meta.url);

export const EXTENSION_DIR = join(REPO_ROOT, '.output', 'chrome-mv3');
export { CHROMIUM } from './browser';

export interface LaunchOptions {
  /** Extra Chromium flags (fake camera, WebGPU...). */
  args?: string[];
  /** The unpacked extension to load (default: the build, EXTENSION_DIR). */
  extensionDir?: string;
  /** Environment variables for the browser on top of this process's (e.g. LANGUAGE: its UI language on Linux). */
  env?: Record<string, string>;
}

export interface ExtensionSession {
  context: BrowserContext;
  extensionId: string;
  /** The unpacked extension's folder. */
  dir: string;
  /** Every request any page, worker or extension context made, in order. */
  requests: Request[];
  close(): Promise<void>;
}

/**
 * Reload the extension as an update or a developer's reload does: CDP Extensions.loadUnpacked on
 * its folder again (chrome.runtime.reload() here unloads a command-line-loaded extension for good).
 * Resolves with the new service worker; every extension page, the offscreen document included, is gone.
 */
export async function reloadExtension(session: ExtensionSession): Promise<void> {
  const browser = session.context.browser();
  if (!browser) throw new Error('reloadExtension: no browser behind this context');
  const cdp = await browser.newBrowserCDPSession();
  try {
    const old = session.context.serviceWorkers().find((w) => w.url().includes(session.extensionId));
    const next = session.context.waitForEvent('serviceworker', { predicate: (w) => w !== old && w.url().includes(session.extensionId), timeout: 30_000 });
    const { id } = (await cdp.send('Extensions.loadUnpacked' as never, { path: session.dir } as never)) as { id: string };
    if (id !== session.extensionId) throw new Error(`reloadExtension: got extension id ${id}, expected ${session.extensionId}`);
    await next;
  } finally {
    await cdp.detach();
  }
}

/**
 * Retained JS heap of the V8 isolate behind a CDP session: a full GC first (HeapProfiler), then
 * Runtime.getHeapUsage. (performance.memory read right after gc() inside a page is not this: in the
 * offscreen document it swung between 9 and 71 MB while the retained heap stayed near 4 MB.)
 */
export async function retainedHeap(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  return (await cdp.send('Runtime.getHeapUsage')).usedSize;
}

/**
 * Stop the extension's service worker, as Chrome does when it idles, and wait until it has stopped.
 * Returns its running statuses as CDP reports them, 'stopped' among them: a live list that keeps
 * growing, so a caller can see it start again when the next event wakes it. `page` hosts the CDP session.
 */
export async function stopServiceWorker(session: ExtensionSession, page: Page): Promise<string[]> {
  const cdp = await session.context.newCDPSession(page);
  const statuses: string[] = [];
  cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
    for (const v of versions) if (v.scriptURL.includes(session.extensionId)) statuses.push(v.runningStatus);
  });
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await waitUntil(async () => statuses.includes('stopped'), 10_000, 'the service worker to stop');
  return statuses;
}

/** Chrome's id for an unpacked extension: sha256 of its absolute path, first 32 hex digits as a-p. */
export function unpackedExtensionId(dir: string): string {
  const { createHash } = require('node:crypto') as typeof import('node:crypto');
  const hex = createHash('sha256').update(dir).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + Number.parseInt(c, 16))).join('');
}

/** Polls until `fn` returns a truthy value or the time runs out (then throws `what`). */
export async function waitUntil<T>(fn: () => Promise<T>, timeoutMs: number, what: string): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function launchExtension(opts: LaunchOptions = {}): Promise<ExtensionSession> {
  const dir = opts.extensionDir ?? EXTENSION_DIR;
  if (!existsSync(join(dir, 'manifest.json'))) throw new Error(`extension not built: run \`npm run build\` (missing ${dir})`);
  const executablePath = requireChromium();
  const userDataDir = mkdtempSync(join(tmpdir(), 'emotion-overlay-e2e-'));
  // Let `context.on('request')` see the service worker's requests too.
  process.env.PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS = '1';
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    ...(opts.env ? { env: { ...process.env, ...opts.env } as Record<string, string> } : {}),
    headless: true,
    args: [
      `--disable-extensions-except=${dir}`,
      `--load-extension=${dir}`,
      ...BASE_FLAGS,
      // Lets CDP's Extensions domain reload the extension (reloadExtension below); the debugging
      // connection is Playwright's own pipe, nothing listens on a port.
      '--enable-unsafe-extension-debugging',
      ...(opts.args ?? []),
    ],
  });
  const requests: Request[] = [];
  context.on('request', (r) => requests.push(r));
  let [worker] = context.serviceWorkers();
  worker ??= await context.waitForEvent('serviceworker', { timeout: 30_000 });
  const extensionId = new URL(worker.url()).host;
  if (extensionId !== unpackedExtensionId(dir)) throw new Error(`unexpected extension id ${extensionId}`);
  return {
    context,
    extensionId,
    dir,
    requests,
    // The profile is this session's alone: removed with it (a test run launches dozens).
    close: () => context.close().finally(() => rmSync(userDataDir, { recursive: true, force: true })),
  };
}

export const FIXTURES_DIR = join(REPO_ROOT, 'tests', 'e2e', 'fixtures');

/** Fixture pages served at the real hostnames, so the manifest's real match patterns apply. */
export const FIXTURE_PAGES = {
  meet: { url: 'https://meet.google.com/abc-defg-hij', file: 'meet.html' },
  youtube: { url: 'https://www.youtube.com/watch?v=fixture0001', file: 'youtube.html' },
  zoom: { url: 'https://app.zoom.us/wc/123456789/join', file: 'zoom.html' },
  zoomCases: { url: 'https://app.zoom.us/wc/555000111/join', file: 'zoom-cases.html' },
  zoomWorkplace: { url: 'https://app.zoom.us/wc/home', file: 'zoom-workplace.html' },
  teams: { url: 'https://teams.microsoft.com/meet/2384756109', file: 'teams.html' },
  badInput: { url: 'https://meet.google.com/bad-inpt-xyz', file: 'bad-input.html' },
  manyTiles: { url: 'https://meet.google.com/big-room-xyz', file: 'many-tiles.html' },
  meet2026: { url: 'https://meet.google.com/sqr-tile-xyz', file: 'meet-2026.html' },
  shorts: { url: 'https://www.youtube.com/shorts/fixture0002', file: 'youtube-shorts.html' },
  youtubeMobile: { url: 'https://m.youtube.com/watch?v=fixture0003', file: 'youtube-mobile.html' },
  photo: { url: 'https://meet.google.com/pho-toxy-xyz', file: 'meet-photo.html' },
} as const;

const FIXTURE_HOSTS = new Set(Object.values(FIXTURE_PAGES).map((p) => new URL(p.url).host));

/**
 * A file's response honouring an HTTP Range request (206 with the bytes asked for), as real servers
 * do: without ranges Chromium cannot seek in a video (its seekable range is empty).
 */
function byteRange(body: Buffer, range: string | undefined, contentType: string): { status: number; contentType: string; headers: Record<string, string>; body: Buffer } {
  const m = range ? /^bytes=(\d*)-(\d*)$/.exec(range) : null;
  if (!m || (m[1] === '' && m[2] === '')) return { status: 200, contentType, headers: { 'accept-ranges': 'bytes' }, body };
  const start = m[1] === '' ? Math.max(0, body.length - Number(m[2])) : Number(m[1]);
  const end = m[1] !== '' && m[2] !== '' ? Math.min(Number(m[2]), body.length - 1) : body.length - 1;
  return { status: 206, contentType, headers: { 'accept-ranges': 'bytes', 'content-range': `bytes ${start}-${end}/${body.length}` }, body: body.subarray(start, end + 1) };
}

/**
 * Serve the fixture pages and ../shared videos and images at their hostnames; abort (and record) every other
 * request that would leave the browser.
 */
export async function serveFixtures(session: ExtensionSession): Promise<{ blocked: string[] }> {
  const blocked: string[] = [];
  await session.context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'chrome-extension:' || url.protocol === 'data:' || url.protocol === 'blob:') return route.continue();
    if (!FIXTURE_HOSTS.has(url.host)) {
      blocked.push(url.href);
      return route.abort('blockedbyclient');
    }
    const page = Object.values(FIXTURE_PAGES).find((p) => { const u = new URL(p.url); return u.host === url.host && u.pathname === url.pathname; });
    if (page) return route.fulfill({ contentType: 'text/html', body: readFileSync(join(FIXTURES_DIR, page.file)) });
    const video = /^\/fixtures\/(talking-[\w-]+\.webm)$/.exec(url.pathname)?.[1];
    if (video) return route.fulfill(byteRange(readFileSync(sharedPath('fixtures', 'video', video)), route.request().headers().range, 'video/webm'));
    const image = /^\/fixtures\/images\/([\w-]+\/)?([\w-]+\.jpg)$/.exec(url.pathname);
    if (image) return route.fulfill({ contentType: 'image/jpeg', body: readFileSync(sharedPath('fixtures', 'images', ...[image[1]?.slice(0, -1), image[2]!].filter((x): x is string => !!x))) });
    blocked.push(url.href);
    return route.fulfill({ status: 404, body: 'not a fixture' });
  });
  return { blocked };
}

/** An extension page to talk to the background as the popup does. */
export async function extensionPage(session: ExtensionSession) {
  const page = await session.context.newPage();
  await page.goto(`chrome-extension://${session.extensionId}/popup.html`);
  const send = <T>(type: string, data: unknown) =>
    page.evaluate(
      ([t, d]) =>
        new Promise<{ res?: unknown; err?: unknown }>((resolve) =>
          chrome.runtime.sendMessage({ id: Math.floor(Math.random() * 1e9), type: t, data: d, timestamp: Date.now() }, resolve),
        ),
      [type, data] as const,
    ).then((r) => {
      if (r?.err) throw new Error(`${type}: ${JSON.stringify(r.err)}`);
      return r?.res as T;
    });
  /** The newest tab at a URL (tab ids grow): a page a failed test left open at the same URL is never taken for the new one. */
  const tabIdOf = (urlPattern: string) =>
    page.evaluate(async (u) => Math.max(...(await chrome.tabs.query({ url: u })).map((t) => t.id ?? -1), -1), urlPattern).then((id) => (id >= 0 ? id : null));
  return { page, send, tabIdOf };
}

export interface OverlaySnapshot {
  tileId: string;
  rect: { x: number; y: number; width: number; height: number };
  status: string;
  /** The status line as shown ('' while faces are labelled). */
  statusText: string;
  chips: Array<{ label: string; text: string; rect: { x: number; y: number; width: number; height: number } }>;
  /** The tile's buttons where shown ("Don't analyze", "This is me"): their rectangles, for a real (trusted) click, and names. */
  buttons: Array<{ kind: 'leave' | 'pick'; label: string; rect: { x: number; y: number; width: number; height: number } }>;
}

/** Chromium flags for a fake camera playing the d18 talking-head clip (getUserMedia answered without a prompt). */
export const FAKE_CAMERA_ARGS: readonly string[] = [
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  `--use-file-for-fake-video-capture=${sharedPath('fixtures', 'video', 'talking-d18.mjpeg')}`,
];

/** Wait until every video in the page has a frame to show (and, with `playing`, is not paused). */
export async function waitForVideos(page: Page, timeoutMs: number, playing = false): Promise<void> {
  await page.waitForFunction((p) => [...document.querySelectorAll('video')].every((v) => v.readyState >= 2 && !(p && v.paused)), playing, { timeout: timeoutMs });
}

/**
 * Reads one overlay root, run with `this` = the closed shadow root; texts are what is drawn (the
 * ::after content the overlay renders them as). A string, not a function:
 * tsx's keepNames would wrap named helpers in a __name() the page lacks.
 */
const READ_ROOT = `function () {
  const drawn = (el) => (el ? (getComputedStyle(el, '::after').content.match(/^"(.*)"$/s)?.[1] ?? '').replace(/\\\\(.)/g, '$1') : '');
  return [...this.querySelectorAll('.tile')].map((tile) => {
    const status = tile.querySelector('.status');
    const r = tile.getBoundingClientRect();
    return {
      tileId: tile.dataset.tileId ?? '',
      rect: { x: r.x, y: r.y, width: r.width, height: r.height },
      status: status && !status.hidden ? (status.dataset.status ?? '') : 'faces',
      statusText: status && !status.hidden ? drawn(status) : '',
      chips: [...tile.querySelectorAll('.face')].map((f) => {
        const chip = f.querySelector('.chip');
        const fr = f.getBoundingClientRect();
        return { label: chip?.dataset.label ?? '', text: drawn(chip), rect: { x: fr.x, y: fr.y, width: fr.width, height: fr.height } };
      }),
      buttons: [...tile.querySelectorAll('button')].filter((b) => !b.hidden).map((b) => {
        const br = b.getBoundingClientRect();
        return { kind: b.className, label: b.getAttribute('aria-label') ?? '', rect: { x: br.x, y: br.y, width: br.width, height: br.height } };
      }),
    };
  });
}`;

export interface OverlayRoot {
  /** The host element's data-* attributes (tests tag hosts from the page, e.g. before a reload). */
  dataset: Record<string, string>;
  tiles: OverlaySnapshot[];
}

/**
 * Every overlay root in the page and what each draws now. The roots are closed, so no page script
 * (page.evaluate included) can read them: DevTools can (DOM.describeNode with pierce), the way a
 * person inspecting the page would.
 */
export async function readOverlayRoots(page: Page): Promise<OverlayRoot[]> {
  // A session per read, detached after: an attached DOM agent would be sent every attribute the
  // overlay writes each frame, and slow the page down for the rest of the test.
  const cdp = await page.context().newCDPSession(page);
  try {
    return await readRoots(cdp);
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/**
 * A page expression for the overlay's host elements: the children of <html> besides <head> and
 * <body> (the overlay mounts its host there, under a random name no page can select by).
 */
export const OVERLAY_HOSTS = '[...document.documentElement.children].filter((e) => e !== document.head && e !== document.body)';

async function readRoots(cdp: CDPSession): Promise<OverlayRoot[]> {
  const { result: count } = await cdp.send('Runtime.evaluate', { expression: `${OVERLAY_HOSTS}.length`, returnByValue: true });
  const roots: OverlayRoot[] = [];
  for (let i = 0; i < (count.value as number); i++) {
    const { result: host } = await cdp.send('Runtime.evaluate', { expression: `${OVERLAY_HOSTS}[${i}]` });
    if (!host.objectId) continue;
    try {
      const { result: data } = await cdp.send('Runtime.callFunctionOn', { objectId: host.objectId, functionDeclaration: 'function () { return { ...this.dataset }; }', returnByValue: true });
      const { node } = await cdp.send('DOM.describeNode', { objectId: host.objectId, depth: 1, pierce: true });
      const shadow = node.shadowRoots?.[0];
      if (!shadow) continue;
      const { object } = await cdp.send('DOM.resolveNode', { backendNodeId: shadow.backendNodeId });
      if (!object.objectId) continue;
      try {
        const { result, exceptionDetails } = await cdp.send('Runtime.callFunctionOn', { objectId: object.objectId, functionDeclaration: READ_ROOT, returnByValue: true });
        if (exceptionDetails) throw new Error(`readOverlayRoots: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
        roots.push({ dataset: data.value as Record<string, string>, tiles: result.value as OverlaySnapshot[] });
      } finally {
        await cdp.send('Runtime.releaseObject', { objectId: object.objectId });
      }
    } finally {
      await cdp.send('Runtime.releaseObject', { objectId: host.objectId });
    }
  }
  return roots;
}

/** Show or hide what the overlay draws (its layer inside the closed root, which only CDP reaches), e.g. for a screenshot of the page alone. */
export async function setOverlayShown(page: Page, shown: boolean): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { result: host } = await cdp.send('Runtime.evaluate', { expression: `${OVERLAY_HOSTS}[0]` });
    if (!host.objectId) throw new Error('no overlay in the page');
    const { node } = await cdp.send('DOM.describeNode', { objectId: host.objectId, depth: 1, pierce: true });
    const shadow = node.shadowRoots?.[0];
    if (!shadow) throw new Error('the overlay host has no shadow root');
    const { object } = await cdp.send('DOM.resolveNode', { backendNodeId: shadow.backendNodeId });
    await cdp.send('Runtime.callFunctionOn', { objectId: object.objectId!, functionDeclaration: `function () { this.querySelector('.layer').style.visibility = '${shown ? '' : 'hidden'}'; }` });
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/** What the (first) overlay draws now; null when there is no overlay in the page. */
export async function readOverlay(page: Page): Promise<OverlaySnapshot[] | null> {
  return (await readOverlayRoots(page))[0]?.tiles ?? null;
}

export type ExtensionPage = Awaited<ReturnType<typeof extensionPage>>;

/**
 * Run `expression` in the extension's content-script world of `page` (its isolated world: what code
 * in a compromised call-page renderer reaches); resolves with its JSON-able value.
 */
export async function evaluateInContentScript(page: Page, expression: string): Promise<unknown> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const contexts: Array<{ id: number; name: string; auxData?: { type?: string } }> = [];
    cdp.on('Runtime.executionContextCreated', (e) => contexts.push(e.context));
    await cdp.send('Runtime.enable'); // reports every existing context first
    const world = contexts.find((c) => c.auxData?.type === 'isolated' && c.name === 'Emotion Overlay');
    if (!world) throw new Error('no content script world in this page');
    const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', { contextId: world.id, expression, awaitPromise: true, returnByValue: true });
    if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
    return result.value;
  } finally {
    await cdp.detach();
  }
}

/** Open a fixture page at its real URL and find its tab id. */
export async function openFixturePage(
  session: ExtensionSession,
  ext: ExtensionPage,
  key: keyof typeof FIXTURE_PAGES,
  query = '',
): Promise<{ page: Page; tabId: number }> {
  const page = await session.context.newPage();
  await page.setViewportSize({ width: 1000, height: 600 });
  await page.goto(FIXTURE_PAGES[key].url + query);
  const tabId = await ext.tabIdOf(`${FIXTURE_PAGES[key].url.split('?')[0]}*`);
  if (tabId === null) throw new Error(`no tab for ${key}`);
  await page.bringToFront();
  return { page, tabId };
}

type Rect = { x: number; y: number; width: number; height: number };
export const inside = (inner: Rect, outer: Rect, slack = 2) =>
  inner.x >= outer.x - slack &&
  inner.y >= outer.y - slack &&
  inner.x + inner.width <= outer.x + outer.width + slack &&
  inner.y + inner.height <= outer.y + outer.height + slack;
