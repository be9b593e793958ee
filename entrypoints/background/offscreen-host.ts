// Background service worker: owns the offscreen document (the ML host) and its lifecycle.

const OFFSCREEN_PATH = '/offscreen.html';
let creating: Promise<void> | null = null;

export async function hasOffscreen(): Promise<boolean> {
  const url = browser.runtime.getURL(OFFSCREEN_PATH);
  const contexts = await chrome.runtime.getContexts({ contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT], documentUrls: [url] });
  return contexts.length > 0;
}

/** Create the offscreen document unless it exists; concurrent callers share one creation. */
export async function ensureOffscreen(): Promise<void> {
  if (await hasOffscreen()) return;
  creating ??= chrome.offscreen
    .createDocument({
      url: OFFSCREEN_PATH,
      reasons: [chrome.offscreen.Reason.WORKERS, chrome.offscreen.Reason.USER_MEDIA],
      justification:
        'Runs the on-device face and emotion models (TensorFlow.js on WebAssembly or WebGPU), and reads tab-capture frames of video tiles a page cannot read itself.',
    })
    .catch((err: unknown) => {
      // A racing creation from another event is fine; anything else is a real failure.
      if (!String(err).includes('Only a single offscreen')) throw err;
    })
    .finally(() => {
      creating = null;
    });
  await creating;
}
