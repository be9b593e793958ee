// Background only: which tabs have the overlay on (storage.local: it survives worker restarts and
// extension reloads; cleared at browser start, when tab ids change). Versioned; validated on read.
import { storage } from 'wxt/utils/storage';
import { objectOrEmpty } from './shape';

/**
 * v1 (unversioned) and v2 share one shape, `{ [tabId]: true }`; v2 validates every entry on read
 * (a corrupt one is skipped and reported, never thrown on). The migration only makes sure the whole
 * value is an object.
 */
export const overlayTabsItem = storage.defineItem<Record<string, unknown>>('local:overlayTabs', {
  fallback: {},
  version: 2,
  migrations: { 2: objectOrEmpty },
});

/** The tabs with the overlay on; entries that are not `tabId: true` are skipped and reported. */
export async function readOverlayTabs(): Promise<{ tabs: Set<number>; problems: string[] }> {
  const tabs = new Set<number>();
  const problems: string[] = [];
  for (const [key, on] of Object.entries(objectOrEmpty(await overlayTabsItem.getValue()))) {
    const tabId = Number(key);
    if (!Number.isInteger(tabId) || tabId < 0) problems.push(`overlay state for ${JSON.stringify(key)} skipped: not a tab id`);
    else if (on !== true) problems.push(`overlay state for tab ${key} skipped: ${JSON.stringify(on)} is not true`);
    else tabs.add(tabId);
  }
  return { tabs, problems };
}

/** Turn a tab's overlay state on or off; corrupt entries go with the next write. */
export async function writeOverlayTab(tabId: number, on: boolean): Promise<void> {
  const { tabs } = await readOverlayTabs();
  if (on === tabs.has(tabId)) return;
  if (on) tabs.add(tabId);
  else tabs.delete(tabId);
  await overlayTabsItem.setValue(Object.fromEntries([...tabs].map((id) => [String(id), true])));
}

/** Tab ids are per browser session: forget them all when the browser starts. */
export function clearOverlayTabs(): Promise<void> {
  return overlayTabsItem.setValue({});
}

/**
 * Whether benchmarks asked for per-frame timings (setTelemetry): off for every user, so the hot path
 * carries no telemetry. storage.session: a worker restart keeps it, a browser restart clears it.
 */
export const telemetryItem = storage.defineItem<boolean>('session:telemetry', { fallback: false, version: 1 });

export async function readTelemetry(): Promise<boolean> {
  return (await telemetryItem.getValue()) === true;
}
