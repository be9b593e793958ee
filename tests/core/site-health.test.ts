import { describe, expect, it } from 'vitest';
import { parseSiteHealth, siteHealthProblem } from '../../src/core/site-health';
import { siteHealthText } from '../../entrypoints/popup/format';

describe('site health: what the popup says when the site adapter finds no tile', () => {
  it('nothing to say while the adapter finds tiles, or when no video plays', () => {
    expect(siteHealthProblem({ site: 'zoom', source: 'site', tiles: 3, playing: 0 })).toBeNull();
    expect(siteHealthProblem({ site: 'zoom', source: 'generic', tiles: 0, playing: 0 })).toBeNull();
    expect(siteHealthText({ site: 'teams', source: 'site', tiles: 2, playing: 0 })).toBeNull();
    expect(siteHealthText(null)).toBeNull();
  });

  it('the generic scan took over: which site, how many videos it uses', () => {
    const text = siteHealthText({ site: 'teams', source: 'generic', tiles: 2, playing: 3 });
    expect(text).toContain('Microsoft Teams');
    expect(text).toContain('3 playing videos');
    expect(text).toContain('uses the 2 videos it found');
  });

  it('nothing usable: playing video, no tile', () => {
    const text = siteHealthText({ site: 'zoom', source: 'generic', tiles: 0, playing: 1 });
    expect(text).toContain('Zoom');
    expect(text).toContain('1 playing video,');
    expect(text).toContain('none large and visible enough');
  });

  it('a page\'s report is kept only when every field is sane', () => {
    expect(parseSiteHealth({ site: 'zoom', source: 'generic', tiles: 1, playing: 2 })).toEqual({ site: 'zoom', source: 'generic', tiles: 1, playing: 2 });
    for (const bad of [null, 'zoom', { site: 'Evil <b>', source: 'site', tiles: 0, playing: 0 }, { site: 'zoom', source: 'x', tiles: 0, playing: 0 }, { site: 'zoom', source: 'site', tiles: -1, playing: 0 }, { site: 'zoom', source: 'site', tiles: 0, playing: Number.NaN }, { site: 'zoom', source: 'site', tiles: 0, playing: 1e9 }]) {
      expect(parseSiteHealth(bad)).toBeNull();
    }
  });
});
