// Node: the built extension is fit for the Chrome Web Store: icons, the exact permissions and CSP
// that PRIVACY.md and store/listing.md justify, nothing exposed to pages, the upload zip, and no
// network URL in the shipped code. Needs `npm run build` (wxt build && wxt zip) first.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { SITE_MATCHES } from '../../src/sites/matches';
import { REPO_ROOT } from '../../tools/lib/paths';

const OUTPUT = join(REPO_ROOT, '.output');
const EXT = join(OUTPUT, 'chrome-mv3');
const ICON_SIZES = [16, 32, 48, 128];

interface Manifest {
  icons?: Record<string, string>;
  action?: { default_icon?: Record<string, string> };
  permissions?: string[];
  optional_permissions?: string[];
  host_permissions?: string[];
  optional_host_permissions?: string[];
  content_security_policy?: { extension_pages?: string; sandbox?: string };
  externally_connectable?: unknown;
  web_accessible_resources?: unknown;
}

function readManifest(): Manifest {
  const file = join(EXT, 'manifest.json');
  if (!existsSync(file)) throw new Error(`extension not built: run \`npm run build\` (missing ${file})`);
  return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
}

/** A manifest path ("/icon/16.png") -> the file in the build. */
const built = (p: string) => join(EXT, p.replace(/^\//, ''));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe('manifest', () => {
  const manifest = readManifest();

  it.each(ICON_SIZES)('has a %i px icon (extension and toolbar) that is a PNG of that size', async (size) => {
    for (const map of [manifest.icons, manifest.action?.default_icon]) {
      const path = map?.[String(size)];
      expect(path, `icon ${size}`).toBeTruthy();
      expect(existsSync(built(path!)), `${path} in the build`).toBe(true);
      const meta = await sharp(built(path!)).metadata();
      expect(meta.format).toBe('png');
      expect([meta.width, meta.height]).toEqual([size, size]);
    }
  });

  it('asks for exactly the permissions PRIVACY.md justifies', () => {
    expect(manifest.permissions).toEqual(['offscreen', 'storage', 'unlimitedStorage', 'tabCapture', 'alarms', 'scripting']);
    expect(manifest.host_permissions).toEqual([
      'https://meet.google.com/*',
      'https://*.zoom.us/*',
      'https://teams.microsoft.com/*',
      'https://teams.live.com/*',
      'https://teams.cloud.microsoft/*',
      'https://www.youtube.com/*',
      'https://m.youtube.com/*',
    ]);
    expect(manifest.host_permissions).toEqual(SITE_MATCHES);
    expect(manifest.optional_permissions ?? []).toEqual([]);
    expect(manifest.optional_host_permissions ?? []).toEqual([]);
  });

  it('allows only its own scripts (and WebAssembly compilation) on extension pages', () => {
    expect(manifest.content_security_policy?.extension_pages).toBe(
      "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; connect-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; style-src 'self'; base-uri 'none'; form-action 'none'",
    );
    expect(manifest.content_security_policy?.sandbox).toBeUndefined();
  });

  it('exposes nothing to web pages or other extensions', () => {
    expect(manifest.externally_connectable).toBeUndefined();
    expect(manifest.web_accessible_resources).toBeUndefined();
  });
});

describe('store zip', () => {
  it('exists and holds the manifest and the icons at its root', () => {
    const zips = existsSync(OUTPUT) ? readdirSync(OUTPUT).filter((f) => f.endsWith('-chrome.zip')) : [];
    expect(zips, 'run `npm run build` (wxt build && wxt zip)').toHaveLength(1);
    const listing = execFileSync('unzip', ['-Z1', join(OUTPUT, zips[0]!)], { encoding: 'utf8' }).split('\n');
    expect(listing).toContain('manifest.json');
    for (const size of ICON_SIZES) expect(listing).toContain(`icon/${size}.png`);
  });
});

/**
 * A heuristic for "the shipped code talks to no server" (the e2e network test checks the behaviour;
 * this checks the code, including paths the tests do not reach).
 *
 * The bundles do contain http(s) text: tfjs, Emscripten and WXT put documentation links into error
 * messages and shader comments ("... see https://emscripten.org/..."), Preact compares element
 * namespaces with the XML namespace URIs, and the content script carries the host match patterns.
 * None of those is a request. A URL that code would request is a string literal that *starts* with
 * the scheme ("https://api...", `https://${host}`), so:
 *   1. every http(s) URL that opens a string literal must be a known non-request value (an XML
 *      namespace or one of the manifest's match patterns); URLs inside prose (after a space, "//"
 *      or "(") are messages and comments and are allowed;
 *   2. no fetch / XMLHttpRequest.open / WebSocket / EventSource / sendBeacon call is given an
 *      http(s) or ws(s) literal directly;
 *   3. the extension's own entry chunks (background, content script, popup) open no socket, beacon
 *      or XMLHttpRequest at all (tfjs in the offscreen chunk has an XMLHttpRequest path it never
 *      takes in a browser with fetch), and their fetch calls only take chrome.runtime.getURL(...)
 *      or a URL built from it (checked in the source, where it is readable).
 */
describe('no network URLs in the shipped code', () => {
  const codeFiles = () => filesUnder(EXT).filter((f) => /\.(m?js|html|css)$/.test(f));
  const NON_REQUEST_LITERALS = new Set<string>([
    'http://www.w3.org/2000/svg',
    'http://www.w3.org/1999/xhtml',
    'http://www.w3.org/1998/Math/MathML',
    'http://www.w3.org/1999/xlink',
    'http://www.w3.org/XML/1998/namespace',
    ...SITE_MATCHES,
  ]);

  it('has code to scan', () => {
    expect(codeFiles().map((f) => relative(EXT, f))).toEqual(expect.arrayContaining(['background.js', 'content-script.js', 'popup.html', 'offscreen.html']));
  });

  it('has no string literal that starts with an http(s) or ws(s) URL, other than namespaces and match patterns', () => {
    const offenders: string[] = [];
    for (const file of codeFiles()) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(["'`])((?:https?|wss?):\/\/[^"'`\s]*)/g)) {
        const url = m[2]!;
        if (!NON_REQUEST_LITERALS.has(url)) offenders.push(`${relative(EXT, file)}: ${url}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('passes no http(s)/ws(s) literal to fetch, XMLHttpRequest, WebSocket, EventSource or sendBeacon', () => {
    const direct = /(?:\bfetch|\.open|\bWebSocket|\bEventSource|\.sendBeacon)\s*\(\s*(?:["'`][A-Z]+["'`]\s*,\s*)?["'`](?:https?|wss?):/g;
    const offenders: string[] = [];
    for (const file of codeFiles()) {
      for (const m of readFileSync(file, 'utf8').matchAll(direct)) offenders.push(`${relative(EXT, file)}: ${m[0]}`);
    }
    expect(offenders).toEqual([]);
  });

  it("the extension's own chunks open no XMLHttpRequest, socket or beacon", () => {
    const own = ['background.js', 'content-script.js', ...readdirSync(join(EXT, 'chunks')).filter((f) => f.startsWith('popup-')).map((f) => `chunks/${f}`)];
    for (const file of own) {
      const text = readFileSync(join(EXT, file), 'utf8');
      expect(text, file).not.toMatch(/XMLHttpRequest|\bWebSocket\b|\bEventSource\b|sendBeacon/);
    }
  });

  it("the extension's own source fetches only its packaged files", () => {
    const sources = ['entrypoints', 'src'].flatMap((d) => filesUnder(join(REPO_ROOT, d))).filter((f) => /\.tsx?$/.test(f));
    const offenders: string[] = [];
    for (const file of sources) {
      const text = readFileSync(file, 'utf8');
      if (/XMLHttpRequest|new WebSocket|new EventSource|sendBeacon/.test(text)) offenders.push(`${relative(REPO_ROOT, file)}: socket/XHR/beacon`);
      for (const m of text.matchAll(/\bfetch\(([^)]*)/g)) {
        // Allowed targets: chrome.runtime.getURL(...) / browser.runtime.getURL(...), a URL resolved
        // against one (`new URL(name, base)` where base came from getURL: see src/ml/loader.ts), or
        // a plain variable (checked by the rules above in the bundle).
        const arg = m[1]!.trim();
        if (/^["'`]/.test(arg) && !/^["'`](\/|\.\/|[\w-]+\/)/.test(arg)) offenders.push(`${relative(REPO_ROOT, file)}: fetch(${arg}`);
        if (/https?:|wss?:/.test(arg)) offenders.push(`${relative(REPO_ROOT, file)}: fetch(${arg}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
