// Node (WXT's fake browser): chrome.storage.local as it behaves when full. The fake browser has no
// quota; this double enforces one the way Chromium does (a set whose result would hold more than
// `quotaBytes`, counted as key + JSON value, is refused whole), or refuses chosen writes outright.
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { vi } from 'vitest';

/** Chromium's message for a write over QUOTA_BYTES. */
export const QUOTA_ERROR = 'Resource::kQuotaBytes quota exceeded';

const bytesOf = (items: Record<string, unknown>) => Object.entries(items).reduce((n, [k, v]) => n + k.length + JSON.stringify(v).length, 0);

/** Bytes stored in storage.local now, as Chromium's getBytesInUse counts them. */
export async function bytesInUse(): Promise<number> {
  return bytesOf(await fakeBrowser.storage.local.get(null));
}

/**
 * From now on, storage.local refuses a write that would leave more than `quotaBytes` stored, or that
 * `refuse` picks (by the keys it writes). Returns a switch to lift the refusals.
 */
export function enforceQuota(quotaBytes: number, refuse: (keys: string[]) => boolean = () => false): { lift: () => void } {
  const local = fakeBrowser.storage.local;
  const set = local.set.bind(local);
  let on = true;
  vi.spyOn(local, 'set').mockImplementation(async (items: Record<string, unknown>) => {
    if (on) {
      if (refuse(Object.keys(items))) throw new Error(QUOTA_ERROR);
      const after = { ...(await local.get(null)), ...items };
      if (bytesOf(after) > quotaBytes) throw new Error(QUOTA_ERROR);
    }
    return set(items);
  });
  return { lift: () => void (on = false) };
}
