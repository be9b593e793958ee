// Node: a frame report's site and call id are checked against the URL of the page that sent it (the
// browser's word), never taken from the page alone (issue 34).
import { describe, expect, it } from 'vitest';
import type { FrameReport } from '../../src/messaging/background';
import { callFromSender } from '../../src/messaging/sender-call';
import { FIXTURE_PAGES } from '../../tools/lib/extension-browser';

const T0 = 1_780_000_000_000;

const report = (site: FrameReport['call']['site'], callId: string | null): FrameReport => ({
  call: { site, callId, title: 'Standup' },
  tileId: 'tile-1',
  name: 'Ada',
  frameTime: T0,
  faces: [{ trackId: 1, label: 'happy', confidence: 0.9 }],
  generation: 'host:1',
  backend: 'wasm',
  latencyMs: 40,
});

/** A content script in the tab's top frame, as chrome.runtime.MessageSender describes it. */
const top = (url: string) => ({ url, frameId: 0, tab: { id: 7, url } });
const reason = (p: { ok: boolean; reason?: string }) => (p.ok ? 'accepted' : p.reason);

describe("a frame report's call against its sender's URL (background: framesAnalyzed)", () => {
  it('refuses a site or call id the page made up: another site, another meeting, a call where the URL names none', () => {
    const meet = top('https://meet.google.com/abc-defg-hij');
    expect(reason(callFromSender(report('meet', 'abc-defg-hij'), meet))).toBe('accepted');
    expect(reason(callFromSender(report('youtube', 'abc-defg-hij'), meet))).toMatch(/call\.site/);
    expect(reason(callFromSender(report('meet', 'zzz-zzzz-zzz'), meet))).toMatch(/call\.callId/);
    expect(reason(callFromSender(report('meet', 'abc-defg-hij'), top('https://meet.google.com/landing')))).toMatch(/call\.callId/);
    expect(reason(callFromSender(report('youtube', 'other-video'), top('https://www.youtube.com/watch?v=dQw4w9WgXcQ')))).toMatch(/call\.callId/);
    expect(reason(callFromSender(report('generic', 'evil.example/x'), top('https://example.com/room/1')))).toMatch(/call\.callId/);
    // No URL to check against: refused, not trusted.
    expect(reason(callFromSender(report('meet', 'abc-defg-hij'), { frameId: 0, tab: {} }))).toMatch(/URL/);
  });

  it("a subframe's own URL counts, and the document's URL before the tab's (a report sent as the page navigated away)", () => {
    const frame = { url: 'https://app.zoom.us/wc/987654321/join', frameId: 3, tab: { id: 7, url: 'https://app.zoom.us/wc/home' } };
    expect(reason(callFromSender(report('zoom', '987654321'), frame))).toBe('accepted');
    expect(reason(callFromSender(report('zoom', '123456789'), frame))).toMatch(/call\.callId/);
    const leaving = { url: 'https://meet.google.com/abc-defg-hij', frameId: 0, tab: { id: 7, url: 'https://example.com/' } };
    expect(reason(callFromSender(report('meet', 'abc-defg-hij'), leaving))).toBe('accepted');
  });

  it('accepts what the content script reports on every fixture page (served at the real hosts)', () => {
    const fromPage: Record<keyof typeof FIXTURE_PAGES, [FrameReport['call']['site'], string]> = {
      meet: ['meet', 'abc-defg-hij'],
      youtube: ['youtube', 'fixture0001'],
      zoom: ['zoom', '123456789'],
      zoomCases: ['zoom', '555000111'],
      // The Workplace shell names no meeting: the id comes from its call frame's URL, not checkable here.
      zoomWorkplace: ['zoom', '123456789'],
      teams: ['teams', '2384756109'],
      badInput: ['meet', 'bad-inpt-xyz'],
      manyTiles: ['meet', 'big-room-xyz'],
      meet2026: ['meet', 'sqr-tile-xyz'],
      shorts: ['youtube', 'fixture0002'],
      youtubeMobile: ['youtube', 'fixture0003'],
      photo: ['meet', 'pho-toxy-xyz'],
    };
    for (const [key, page] of Object.entries(FIXTURE_PAGES) as Array<[keyof typeof FIXTURE_PAGES, { url: string }]>) {
      const [site, callId] = fromPage[key];
      expect([key, reason(callFromSender(report(site, callId), top(page.url)))]).toEqual([key, 'accepted']);
    }
    // A Teams page whose URL names no meeting: only the id the content script makes up per join.
    const teams = top('https://teams.microsoft.com/v2/');
    expect(reason(callFromSender(report('teams', `joined-${T0}`), teams))).toBe('accepted');
    expect(reason(callFromSender(report('teams', 'someone-elses-meeting'), teams))).toMatch(/call\.callId/);
  });

  it('a report of no call (callId null) needs only the right site', () => {
    expect(reason(callFromSender(report('meet', null), top('https://meet.google.com/landing')))).toBe('accepted');
    expect(reason(callFromSender(report('zoom', null), top('https://meet.google.com/landing')))).toMatch(/call\.site/);
  });
});
