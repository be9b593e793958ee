import { describe, expect, it } from 'vitest';
import { adapterFor } from '../../src/sites';
import { SITE_MATCHES } from '../../src/sites/matches';

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

describe('the manifest matches every host an adapter accepts', () => {
  const covered = (host: string) =>
    SITE_MATCHES.some((m) => {
      const pattern = new URL(m.replace('*.', 'wildcard.')).hostname;
      return pattern.startsWith('wildcard.') ? host.endsWith(pattern.slice('wildcard'.length)) || host === pattern.slice('wildcard.'.length) : host === pattern;
    });
  it.each(['meet.google.com', 'app.zoom.us', 'us05web.zoom.us', 'zoom.us', 'teams.microsoft.com', 'teams.live.com', 'teams.cloud.microsoft', 'www.youtube.com', 'm.youtube.com'])('%s', (host) => {
    expect(adapterFor(new URL(`https://${host}/`)).id).not.toBe('generic');
    expect(covered(host)).toBe(true);
  });
});
