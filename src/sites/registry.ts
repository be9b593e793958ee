// Any context: the site registry. A site is one file: it declares its adapter (id, display name,
// host patterns, DOM rules) and registers it with registerSite; src/sites/all.ts imports each site
// file once (one line per site). The manifest's matches and host permissions, the popup's site
// names, which adapter a page gets and the tests' host list are all read from here.
import type { SiteAdapter } from './types';

/** What a site file declares: everything but `matches`, which its host patterns give. */
export type SiteSpec = Omit<SiteAdapter, 'matches'>;

const sites: SiteAdapter[] = [];

/**
 * A match pattern (`https://*.example.com/*`) as a test on URLs: the scheme, the host (`*.` also
 * matches the bare domain, as Chrome's patterns do) and the path (`*` any run of characters).
 */
export function matchPattern(pattern: string): (url: URL) => boolean {
  const m = /^(https?):\/\/(\*|(?:\*\.)?[^/*]+)(\/.*)$/.exec(pattern);
  if (!m) throw new Error(`not a match pattern: ${pattern}`);
  const [, scheme, host, path] = m as unknown as [string, string, string, string];
  const anyHost = host === '*';
  const sub = host.startsWith('*.') ? host.slice(2) : null;
  const pathRe = new RegExp(`^${path.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return (url) =>
    url.protocol === `${scheme}:` &&
    (anyHost || (sub !== null ? url.hostname === sub || url.hostname.endsWith(`.${sub}`) : url.hostname === host)) &&
    pathRe.test(url.pathname);
}

/** Register a site's adapter (its file calls this once); returns the adapter, `matches` built from its hosts. */
export function registerSite(spec: SiteSpec): SiteAdapter {
  const tests = spec.hosts.map(matchPattern);
  const adapter: SiteAdapter = { ...spec, matches: (url) => tests.some((t) => t(url)) };
  if (sites.some((s) => s.id === adapter.id)) throw new Error(`site ${adapter.id} is registered twice`);
  sites.push(adapter);
  return adapter;
}

/** The registered sites, in the order their files were imported (src/sites/all.ts). */
export const registeredSites = (): readonly SiteAdapter[] => sites;
