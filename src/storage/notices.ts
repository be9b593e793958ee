// Any extension context (written by the background only): notices for the user (what the storage
// budget deleted) and the first-run flag. Versioned; validated on read.
import { storage } from 'wxt/utils/storage';

/** The latest notices kept. */
export const MAX_NOTICES = 10;

/** v1 (unversioned) and v2 share one shape (string[]); v2 validates on read. */
export const noticesItem = storage.defineItem<unknown>('local:notices', { fallback: [], version: 2, migrations: { 2: (old: unknown) => old } });

/** v1 (unversioned) and v2 share one shape (boolean); v2 validates on read. */
export const firstRunItem = storage.defineItem<unknown>('local:firstRunAcknowledged', { fallback: false, version: 2, migrations: { 2: (old: unknown) => old } });

/** The notices; a value that is not a list of strings is skipped (what is a string stays) and reported. */
export async function readNotices(): Promise<{ notices: string[]; problems: string[] }> {
  const raw = await noticesItem.getValue();
  if (!Array.isArray(raw)) return { notices: [], problems: [`notices skipped: ${JSON.stringify(raw)} is not a list`] };
  const notices = raw.filter((n): n is string => typeof n === 'string');
  const dropped = raw.length - notices.length;
  return { notices, problems: dropped > 0 ? [`${dropped} notice(s) skipped: not text`] : [] };
}

export async function addNotice(text: string): Promise<void> {
  const { notices } = await readNotices();
  await noticesItem.setValue([...notices.slice(-(MAX_NOTICES - 1)), text]);
}

export function clearNotices(): Promise<void> {
  return noticesItem.setValue([]);
}

/** Whether the user acknowledged the first-run notice; anything but a boolean reads as not yet (reported). */
export async function readFirstRun(): Promise<{ acknowledged: boolean; problems: string[] }> {
  const raw = await firstRunItem.getValue();
  if (typeof raw === 'boolean') return { acknowledged: raw, problems: [] };
  return { acknowledged: false, problems: [`first-run flag skipped: ${JSON.stringify(raw)} is not true or false`] };
}

export function acknowledgeFirstRun(): Promise<void> {
  return firstRunItem.setValue(true);
}
