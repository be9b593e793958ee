// Popup: which tab the popup controls.
import { parseTabId } from './format';

export interface TargetTab {
  id: number;
  /** Empty when the extension may not read it (pages outside its host permissions). */
  url: string;
}

/**
 * The active tab of the current window; or, when the popup URL has `?tabId=<n>`, that tab. The
 * e2e tests open popup.html as an ordinary page (its own tab would be the active one) and aim it
 * at the fixture call's tab this way.
 */
export async function resolveTargetTab(search: string = location.search): Promise<TargetTab | null> {
  const requested = parseTabId(search);
  if (requested !== null) {
    const tab = await browser.tabs.get(requested);
    return { id: requested, url: tab.url ?? '' };
  }
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id !== undefined ? { id: tab.id, url: tab.url ?? '' } : null;
}
