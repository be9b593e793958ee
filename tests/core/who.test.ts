// Node: who the overlay analyzes (src/overlay/logic/who.ts), per mode, per tile.
import { describe, expect, it } from 'vitest';
import { treatmentOf, type WhoRules } from '../../src/overlay/logic/who';

const rules = (over: Partial<WhoRules> = {}): WhoRules => ({ mode: 'everyone', site: 'meet', excludedNames: [], leftOut: new Set(), pickedSelf: null, siteMarksSelf: false, ...over });
const ada = { key: 'name:Ada', name: 'Ada', self: false };
const me = { key: 'name:Grace', name: 'Grace', self: true };
const unnamed = { key: 'tile:tile-3', name: null, self: false };

describe('who is analyzed', () => {
  it("everyone: every tile but those left out for this call or by name on this site (another site's name does not count)", () => {
    expect(treatmentOf(ada, rules())).toBe('analyze');
    expect(treatmentOf(ada, rules({ leftOut: new Set(['name:Ada']) }))).toBe('left-out');
    expect(treatmentOf(ada, rules({ excludedNames: ['meet:Ada'] }))).toBe('left-out');
    expect(treatmentOf(ada, rules({ excludedNames: ['zoom:Ada'] }))).toBe('analyze');
    expect(treatmentOf(unnamed, rules({ leftOut: new Set(['tile:tile-3']) }))).toBe('left-out');
  });

  it("just me: the site's self view only; the others are not analyzed", () => {
    const r = rules({ mode: 'me', siteMarksSelf: true });
    expect(treatmentOf(me, r)).toBe('analyze');
    expect(treatmentOf(ada, r)).toBe('not-me');
    expect(treatmentOf(unnamed, r)).toBe('not-me');
  });

  it('just me where the site marks no self view: every tile offers "This is me" until the user picks one, then only that one', () => {
    expect(treatmentOf(ada, rules({ mode: 'me' }))).toBe('pick-me');
    const picked = rules({ mode: 'me', pickedSelf: 'name:Ada' });
    expect(treatmentOf(ada, picked)).toBe('analyze');
    expect(treatmentOf(unnamed, picked)).toBe('not-me');
  });
});
