// Background: who may read the extension's storage. chrome.storage.local holds the call history
// (other people's names and emotion timelines): only the extension's own pages and worker reach it,
// never a content script (Chromium honours TRUSTED_CONTEXTS for local as well as session: checked by
// tests/e2e/privacy.test.ts). storage.session is trusted-only by default.
export async function lockStorage(): Promise<void> {
  try {
    await chrome.storage.local.setAccessLevel({ accessLevel: 'TRUSTED_CONTEXTS' });
  } catch (err) {
    console.error('[storage] could not keep content scripts out of storage.local', err);
  }
}
