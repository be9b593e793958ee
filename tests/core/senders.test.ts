// Node: which context may send which message (src/messaging/senders and the protocols' sender tables).
import { describe, expect, it } from 'vitest';
import { type SenderInfo, senderKind, senderRefusal } from '../../src/messaging/senders';
import { BACKGROUND_SENDERS } from '../../src/messaging/background';
import { OFFSCREEN_SENDERS } from '../../src/messaging/offscreen';

const EXT = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';

/** Senders as Chrome fills them in (runtime.MessageSender). */
const SENDERS = {
  popup: { url: `${EXT}/popup.html` },
  popupInATab: { url: `${EXT}/popup.html`, tab: { id: 7 }, frameId: 0 },
  offscreen: { url: `${EXT}/offscreen.html` },
  worker: { url: `${EXT}/background.js` },
  contentScript: { url: 'https://meet.google.com/abc-defg-hij', tab: { id: 3 }, frameId: 0 },
  contentScriptInSubframe: { url: 'https://meet.google.com/frame', tab: { id: 3 }, frameId: 5 },
  extensionFrameInAPage: { url: `${EXT}/popup.html`, tab: { id: 3 }, frameId: 5 },
  otherExtension: { url: 'chrome-extension://ponmlkjihgfedcbaponmlkjihgfedcba/popup.html' },
  noUrl: { tab: { id: 3 }, frameId: 0 },
} satisfies Record<string, SenderInfo>;

describe('senderKind', () => {
  it.each([
    ['popup', 'extension-page'],
    ['popupInATab', 'extension-page'],
    ['offscreen', 'extension-page'],
    ['worker', 'extension-page'],
    ['contentScript', 'content-script'],
    ['contentScriptInSubframe', null],
    ['extensionFrameInAPage', null],
    ['otherExtension', null],
    ['noUrl', null],
  ] as const)('%s -> %s', (name, kind) => {
    expect(senderKind(SENDERS[name], EXT)).toBe(kind);
  });
});

describe('the background refuses popup-only messages from content scripts', () => {
  const popupOnly = ['setOverlay', 'listCalls', 'listCallIndex', 'getCall', 'seekMedia', 'deleteCalls', 'updateSettings', 'getLiveStatus', 'getTimings', 'dismissNotices', 'acknowledgeFirstRun', 'getFirstRun'] as const;

  it.each(popupOnly)('%s: only from an extension page', (type) => {
    expect(BACKGROUND_SENDERS[type]).toBe('extension-page');
    expect(senderRefusal(type, BACKGROUND_SENDERS[type], SENDERS.contentScript, EXT)).toMatch(/refused from content-script/);
    expect(senderRefusal(type, BACKGROUND_SENDERS[type], SENDERS.popup, EXT)).toBeNull();
  });

  it.each(['framesAnalyzed', 'reportOverlay', 'requestTabCapture'] as const)('%s: only from a content script', (type) => {
    expect(senderRefusal(type, BACKGROUND_SENDERS[type], SENDERS.contentScript, EXT)).toBeNull();
    expect(senderRefusal(type, BACKGROUND_SENDERS[type], SENDERS.popup, EXT)).toMatch(/refused from extension-page/);
  });

  it('every message of both protocols has a policy, and none accepts an unknown sender', () => {
    for (const [type, policy] of [...Object.entries(BACKGROUND_SENDERS), ...Object.entries(OFFSCREEN_SENDERS)]) {
      for (const bad of [SENDERS.otherExtension, SENDERS.noUrl, SENDERS.contentScriptInSubframe, SENDERS.extensionFrameInAPage]) {
        expect(senderRefusal(type, policy, bad, EXT), type).not.toBeNull();
      }
    }
  });

  it('the ML host takes frames from content scripts and capture control from the extension only', () => {
    expect(senderRefusal('analyzeFrames', OFFSCREEN_SENDERS.analyzeFrames, SENDERS.contentScript, EXT)).toBeNull();
    expect(senderRefusal('startTabCapture', OFFSCREEN_SENDERS.startTabCapture, SENDERS.contentScript, EXT)).not.toBeNull();
    expect(senderRefusal('startTabCapture', OFFSCREEN_SENDERS.startTabCapture, SENDERS.worker, EXT)).toBeNull();
  });
});
