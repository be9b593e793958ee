// Node: the manifest's minimum_chrome_version covers every manifest key and extension API the code
// uses. A new key or API fails here until its first Chrome version is added to the table.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import config from '../../wxt.config';
import { REPO_ROOT } from '../../tools/lib/paths';

/** First stable Chrome with each manifest key / API as the extension uses it (Chrome's API reference). */
const SINCE: Record<string, number> = {
  // Manifest keys.
  'manifest.name': 88,
  'manifest.description': 88,
  'manifest.default_locale': 88,
  'manifest.minimum_chrome_version': 88,
  'manifest.permissions': 88,
  'manifest.host_permissions': 88,
  'manifest.content_scripts': 88,
  'manifest.content_security_policy': 88,
  /** 'wasm-unsafe-eval' in extension_pages CSP. */
  'csp.wasm-unsafe-eval': 103,
  /** Structured-clone messaging (Blobs and ArrayBuffers from the content script): developer.chrome.com, April 2026. */
  'manifest.message_serialization': 148,
  'manifest.commands': 88,
  'manifest.icons': 88,
  'manifest.action': 88,
  // APIs (chrome.* / browser.*, namespace.member).
  'action.setBadgeText': 88,
  'action.setBadgeBackgroundColor': 88,
  'action.setTitle': 88,
  /** periodInMinutes below 1 (30 s). */
  'alarms.create': 120,
  'alarms.onAlarm': 88,
  'commands.onCommand': 88,
  'i18n.getMessage': 88,
  'i18n.getUILanguage': 88,
  'offscreen.createDocument': 109,
  'offscreen.Reason': 109,
  'offscreen.closeDocument': 109,
  'runtime.getContexts': 116,
  'runtime.ContextType': 116,
  'runtime.getURL': 88,
  'runtime.id': 88,
  'runtime.onInstalled': 88,
  'runtime.onStartup': 88,
  'runtime.sendMessage': 88,
  'runtime.onMessage': 88,
  'runtime.lastError': 88,
  'runtime.connect': 88,
  'runtime.onConnect': 88,
  'runtime.Port': 88,
  /** From the service worker, handed to an offscreen document's getUserMedia. */
  'tabCapture.getMediaStreamId': 116,
  'tabCapture.getCapturedTabs': 88,
  'tabs.get': 88,
  'tabs.query': 88,
  'tabs.sendMessage': 88,
  'tabs.onRemoved': 88,
  'tabs.onUpdated': 88,
  'scripting.executeScript': 88,
  'storage.local': 88,
  'storage.session': 102,
};

function sources(dir: string): string[] {
  return readdirSync(join(REPO_ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** What the product uses: its manifest keys, CSP features, and extension APIs (WXT storage areas included). */
function used(): string[] {
  const manifest = (config as { manifest: Record<string, unknown> }).manifest;
  const out = new Set(Object.keys(manifest).map((k) => `manifest.${k}`));
  if (JSON.stringify(manifest.content_security_policy ?? '').includes('wasm-unsafe-eval')) out.add('csp.wasm-unsafe-eval');
  for (const f of [...sources('src'), ...sources('entrypoints')]) {
    const src = readFileSync(join(REPO_ROOT, f), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    for (const m of src.matchAll(/\b(?:chrome|browser)\s*\.\s*([a-zA-Z]+)\s*\.\s*([a-zA-Z]+)/g)) out.add(`${m[1]}.${m[2]}`);
    // WXT storage items ('local:…', 'session:…') and @webext-core/messaging (runtime and tabs messages).
    for (const m of src.matchAll(/defineItem[^(]*\(\s*'(local|session|sync|managed):/g)) out.add(`storage.${m[1]}`);
    if (/defineExtensionMessaging/.test(src)) for (const k of ['runtime.sendMessage', 'runtime.onMessage', 'tabs.sendMessage']) out.add(k);
  }
  return [...out].sort();
}

describe('minimum_chrome_version', () => {
  it('every manifest key and API in use has a known first Chrome version', () => {
    expect(used().filter((k) => !(k in SINCE))).toEqual([]);
  });

  it('is at least the newest of them (message_serialization: 148)', () => {
    const minimum = Number((config as { manifest: { minimum_chrome_version: string } }).manifest.minimum_chrome_version);
    const newest = Math.max(...used().map((k) => SINCE[k] ?? Number.POSITIVE_INFINITY));
    expect(newest).toBe(148);
    expect(minimum).toBeGreaterThanOrEqual(newest);
  });
});
