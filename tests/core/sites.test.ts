import { describe, expect, it } from 'vitest';
import { adapterFor, siteNameOf } from '../../src/sites';
import { registeredSites } from '../../src/sites/all';
import { SITE_MATCHES, siteMatches } from '../../src/sites/matches';
import { isSupportedUrl } from '../../entrypoints/popup/format';
import { callFromSender } from '../../src/messaging/sender-call';
import type { FrameReport } from '../../src/messaging/background';

const call = (url: string) => {
  const u = new URL(url);
  const a = adapterFor(u);
  return [a.id, a.callId(u)];
};

describe('site adapters: which adapter and which call', () => {
  it('Meet: the meeting code from the path, none on the landing page', () => {
    expect(call('https://meet.google.com/abc-defg-hij?authuser=0')).toEqual(['meet', 'abc-defg-hij']);
    expect(call('https://meet.google.com/landing')).toEqual(['meet', null]);
  });
  it('Zoom web client: the meeting id after /wc/ or /j/ on any zoom.us subdomain', () => {
    expect(call('https://app.zoom.us/wc/123456789/join?fromPWA=1')).toEqual(['zoom', '123456789']);
    expect(call('https://us05web.zoom.us/wc/join/98765432101')).toEqual(['zoom', '98765432101']);
    expect(call('https://zoom.us/j/1234567890')).toEqual(['zoom', '1234567890']);
    expect(call('https://zoom.us/')).toEqual(['zoom', null]);
  });
  it('YouTube: the video id from watch, shorts and live URLs', () => {
    expect(call('https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1')).toEqual(['youtube', 'dQw4w9WgXcQ']);
    expect(call('https://www.youtube.com/shorts/abc_DEF-123')).toEqual(['youtube', 'abc_DEF-123']);
    expect(call('https://www.youtube.com/')).toEqual(['youtube', null]);
  });
  it('any other page gets the generic adapter', () => {
    expect(call('https://example.com/room/1')).toEqual(['generic', 'example.com/room/1']);
  });
});

describe('the manifest matches every host an adapter accepts (the hosts read off the adapters)', () => {
  /** Hosts a site's patterns name: the host itself, and for `*.x` both x and a subdomain of it. */
  const hostsOf = (pattern: string) => {
    const host = /^https?:\/\/([^/]+)\//.exec(pattern)![1]!;
    return host.startsWith('*.') ? [host.slice(2), `app.${host.slice(2)}`] : [host];
  };
  const hosts = registeredSites().flatMap((s) => s.hosts.flatMap(hostsOf).map((h) => [h, s.id] as const));
  it('every registered site has hosts, and the manifest lists exactly theirs', () => {
    expect(registeredSites().map((s) => s.id)).toEqual(['meet', 'zoom', 'teams', 'youtube']);
    expect(SITE_MATCHES).toEqual(registeredSites().flatMap((s) => s.hosts));
  });
  it.each(hosts)('%s is %s', (host, id) => {
    expect(adapterFor(new URL(`https://${host}/`)).id).toBe(id);
    expect(isSupportedUrl(`https://${host}/x`)).toBe(true);
  });
});

describe('a site is one file', () => {
  it('a test-only site, by its file alone: its pages get its adapter, the manifest matches it, the popup names it, and its reports are accepted from its pages', async () => {
    const url = new URL('https://calls.example.test/room/abc123');
    expect(adapterFor(url).id).toBe('generic');
    const { testSite } = await import('../helpers/test-site');
    expect(adapterFor(url)).toBe(testSite);
    expect(siteMatches()).toContain('https://calls.example.test/*');
    expect(isSupportedUrl(url.href)).toBe(true);
    expect(siteNameOf('testcalls')).toBe('Test Calls');
    const report = { call: { site: 'testcalls', callId: 'abc123', title: '' } } as FrameReport;
    expect(callFromSender(report, { url: url.href })).toMatchObject({ ok: true });
    expect(callFromSender({ ...report, call: { ...report.call, callId: 'other' } }, { url: url.href })).toMatchObject({ ok: false });
  });
});
