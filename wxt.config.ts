import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defineConfig } from 'wxt';
import { CONTENT_SCRIPT_FILE, SITE_MATCHES } from './src/sites/matches';

const require = createRequire(import.meta.url);
const wasmDir = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');

export default defineConfig({
  manifestVersion: 3,
  manifest: {
    // Words from public/_locales/<locale>/messages.json (tests/core/locales.test.ts checks every reference).
    name: '__MSG_ext_name__',
    description: '__MSG_ext_description__',
    default_locale: 'en',
    // 148: message_serialization (structured clone) ships there; tests/core/chrome-version.test.ts checks
    // that this covers every manifest key and extension API the code uses.
    minimum_chrome_version: '148',
    // unlimitedStorage (no install warning): the call history is bounded by the user's own limit
    // (Settings), not by chrome.storage.local's 10 MB.
    permissions: ['offscreen', 'storage', 'unlimitedStorage', 'tabCapture', 'alarms', 'scripting'],
    host_permissions: SITE_MATCHES,
    // Registered here, not by defineContentScript: see entrypoints/content-script/index.ts.
    content_scripts: [{ matches: SITE_MATCHES, js: [CONTENT_SCRIPT_FILE], run_at: 'document_idle' }],
    content_security_policy: {
      // default-src 'self': the extension's pages (ML host, popup) load nothing from anywhere else:
      // no fetch, image, media, frame or font from the network; wasm-unsafe-eval compiles the packaged
      // tfjs WebAssembly; images may be the extension's own blobs (a saved chart) or data: URLs.
      extension_pages: "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; connect-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; style-src 'self'; base-uri 'none'; form-action 'none'",
    },
    // Lets the content script send Blobs to the offscreen document (Chrome's structured-clone messaging).
    message_serialization: 'structured_clone',
    commands: {
      'toggle-overlay': {
        suggested_key: { default: 'Alt+Shift+E' },
        description: '__MSG_command_toggle_overlay__',
      },
      'toggle-analyze': {
        suggested_key: { default: 'Alt+Shift+M' },
        description: '__MSG_command_toggle_analyze__',
      },
    },
    icons: { 16: '/icon/16.png', 32: '/icon/32.png', 48: '/icon/48.png', 128: '/icon/128.png' },
    action: {
      default_title: '__MSG_ext_name__',
      default_icon: { 16: '/icon/16.png', 32: '/icon/32.png', 48: '/icon/48.png', 128: '/icon/128.png' },
    },
  },
  vite: () => ({
    esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
    build: { chunkSizeWarningLimit: 4000 },
  }),
  hooks: {
    // The tfjs wasm binaries ship inside the extension: nothing is fetched from a CDN.
    'build:publicAssets': (_wxt, files) => {
      for (const name of readdirSync(wasmDir).filter((f) => f.endsWith('.wasm') && !f.includes('threaded'))) {
        files.push({ absoluteSrc: join(wasmDir, name), relativeDest: `wasm/${name}` });
      }
    },
  },
});
