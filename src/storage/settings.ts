// Any extension context: the settings storage item (versioned; validated on every read).
import { storage } from 'wxt/utils/storage';
import { DEFAULT_SETTINGS, type Settings, settingsProblems, validateSettings } from '../core/settings';

export const settingsItem = storage.defineItem<Settings>('local:settings', {
  fallback: DEFAULT_SETTINGS,
  version: 2,
  migrations: {
    // v2 added "ahegao" (the paper's six-class model): a label that did not exist when the user
    // picked which to show is shown, as new labels are by default.
    2: (old: Record<string, unknown> | null) =>
      old && Array.isArray(old.visibleLabels) && !old.visibleLabels.includes('ahegao') ? { ...old, visibleLabels: [...old.visibleLabels, 'ahegao'] } : old,
  },
});

export async function getSettings(): Promise<Settings> {
  return validateSettings(await settingsItem.getValue());
}

/** What the stored settings had that could not be used (replaced by defaults on read). */
export async function readSettingsProblems(): Promise<string[]> {
  return settingsProblems(await settingsItem.getValue());
}

export async function updateSettings(patch: Partial<Settings>): Promise<Settings> {
  const next = validateSettings({ ...(await getSettings()), ...patch });
  await settingsItem.setValue(next);
  return next;
}

export function watchSettings(cb: (s: Settings, old: Settings | null) => void): () => void {
  return settingsItem.watch((v, old) => cb(validateSettings(v), old === null || old === undefined ? null : validateSettings(old)));
}
