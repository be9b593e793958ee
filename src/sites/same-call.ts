// Any context, pure: whether a tab's navigation takes it out of the call a tab capture was started
// for, told by the site adapters' call ids (the background stops the capture then).
import { adapterFor } from './index';

const parse = (url: string): URL | null => {
  try {
    return new URL(url);
  } catch {
    return null;
  }
};

/**
 * True when a tab that was at `before` (in a call) and is now at `after` is no longer in that call:
 * another site, another call id, or, on a page that names no call, another page. A change within the
 * call (a hash, a query) is not leaving it. A URL that cannot be read counts as leaving: a capture
 * nobody can tell is still wanted stops.
 */
export function leavesCall(before: string, after: string): boolean {
  const [from, to] = [parse(before), parse(after)];
  if (!from || !to) return true;
  const adapter = adapterFor(from);
  if (adapterFor(to) !== adapter) return true;
  const [was, is] = [adapter.callId(from), adapter.callId(to)];
  if (was !== null || is !== null) return was !== is;
  return from.origin + from.pathname + from.search !== to.origin + to.pathname + to.search;
}
