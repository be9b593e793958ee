// Node (WXT's fake browser): a tab's capture ends when the tab navigates out of the call it was
// started for (by the site adapters' call ids), and goes on through a navigation within that call.
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { stopTabCaptureOnNavigation } from '../../src/ml/tab-capture-control';
import { offscreenMessenger } from '../../src/messaging/offscreen';
import { leavesCall } from '../../src/sites/same-call';

const CALL = 'https://meet.google.com/abc-defg-hij?authuser=0';

describe('leavesCall', () => {
  it.each([
    ['a hash change', CALL, `${CALL}#chat`],
    ['another query in the same Meet call', CALL, 'https://meet.google.com/abc-defg-hij?hs=122'],
    ['a YouTube video jumping to a time', 'https://www.youtube.com/watch?v=dQw4w9WgXcQ', 'https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=30s'],
    ['the Zoom web client from joining to the meeting', 'https://app.zoom.us/wc/123456789/join?fromPWA=1', 'https://app.zoom.us/wc/123456789/start'],
    ['a page that is no call, only its hash changing', 'https://meet.google.com/landing', 'https://meet.google.com/landing#new'],
  ])('stays in the call: %s', (_, before, after) => {
    expect(leavesCall(before, after)).toBe(false);
  });

  it.each([
    ['another Meet call', CALL, 'https://meet.google.com/xyz-wxyz-xyz'],
    ['the Meet home page after leaving', CALL, 'https://meet.google.com/landing'],
    ['another site', CALL, 'https://www.youtube.com/watch?v=dQw4w9WgXcQ'],
    ['another YouTube video', 'https://www.youtube.com/watch?v=dQw4w9WgXcQ', 'https://www.youtube.com/watch?v=9bZkp7q19f0'],
    ['another page that is no call', 'https://meet.google.com/landing', 'https://meet.google.com/new'],
    ['a URL that cannot be read', CALL, 'not a url'],
    ['a capture whose URL was never known', '', CALL],
  ])('leaves the call: %s', (_, before, after) => {
    expect(leavesCall(before, after)).toBe(true);
  });
});

describe('stopTabCaptureOnNavigation', () => {
  let stopped: number[];
  beforeEach(() => {
    fakeBrowser.reset();
    stopped = [];
    vi.spyOn(offscreenMessenger, 'sendMessage').mockImplementation((async (type: string, data: { tabId: number }) => {
      if (type === 'capturingTabs') return [{ tabId: 7, url: CALL }];
      if (type === 'stopTabCapture') return void stopped.push(data.tabId);
      throw new Error(`unexpected ${type}`);
    }) as never);
  });
  afterEach(() => vi.restoreAllMocks());
  const host = { exists: async () => true };

  it('a navigation within the call keeps the capture; one out of it stops it; other tabs are left alone', async () => {
    await stopTabCaptureOnNavigation(host, 7, `${CALL}#people`);
    expect(stopped).toEqual([]);
    await stopTabCaptureOnNavigation(host, 8, 'https://meet.google.com/landing');
    expect(stopped).toEqual([]);
    await stopTabCaptureOnNavigation(host, 7, 'https://meet.google.com/landing');
    expect(stopped).toEqual([7]);
  });

  it('no ML host: nothing is captured, nothing asked', async () => {
    await stopTabCaptureOnNavigation({ exists: async () => false }, 7, 'https://meet.google.com/landing');
    expect(offscreenMessenger.sendMessage).not.toHaveBeenCalled();
  });
});
