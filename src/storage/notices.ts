// Any extension context (written by the background only): notices for the user (what the storage
// budget deleted) and the first-run flag. Versioned; validated on read.
import { storage } from 'wxt/utils/storage';

/** The latest notices kept. */
export const MAX_NOTICES = 10;

/** v1 (unversioned) and v2 share one shape (string[]); v2 validates on read. */
export const noticesItem = storage.defineItem<unknown>('local:notices', { fallback: [], version: 2, migrations: { 2: (old: unknown) => old } });

/** v1 (unversioned) and v2 share one shape (boolean); v2 validates on read. */
export const firstRunItem = storage.defineItem<unknown>('local:firstRunAcknowledged', { fallback: false, version: 2, migrations: { 2: (old: unknown) => old } });

/** The stored notices; a value that is not a list of strings is skipped (what is a string stays) and reported. */
async function readStoredNotices(): Promise<{ notices: string[]; problems: string[] }> {
  const raw = await noticesItem.getValue();
  if (!Array.isArray(raw)) return { notices: [], problems: [`notices skipped: ${JSON.stringify(raw)} is not a list`] };
  const notices = raw.filter((n): n is string => typeof n === 'string');
  const dropped = raw.length - notices.length;
  return { notices, problems: dropped > 0 ? [`${dropped} notice(s) skipped: not text`] : [] };
}

/**
 * Notices that could not be written to storage.local (the disk was full: often what they are about).
 * storage.session is memory: they are shown until dismissed or the browser closes.
 */
export const heldNoticesItem = storage.defineItem<string[]>('session:heldNotices', { fallback: [], version: 1 });

/** Every notice: stored ones, then held ones (a corrupt stored value is reported; held ones are ours). */
export async function readNotices(): Promise<{ notices: string[]; problems: string[] }> {
  const [stored, held] = await Promise.all([readStoredNotices(), heldNoticesItem.getValue().catch(() => [])]);
  return { notices: [...stored.notices, ...(Array.isArray(held) ? held.filter((n): n is string => typeof n === 'string') : [])], problems: stored.problems };
}

/** Add a notice; never throws (a notice is what tells the user a write failed: it must not fail the same way). */
export async function addNotice(text: string): Promise<void> {
  try {
    const { notices } = await readStoredNotices();
    await noticesItem.setValue([...notices.slice(-(MAX_NOTICES - 1)), text]);
  } catch (err) {
    console.warn('[notices] storage.local refused a notice; held in storage.session', err);
    const held = await heldNoticesItem.getValue().catch(() => []);
    await heldNoticesItem.setValue([...held.slice(-(MAX_NOTICES - 1)), text]).catch((e: unknown) => console.error('[notices] lost', text, e));
  }
}

export async function clearNotices(): Promise<void> {
  await heldNoticesItem.setValue([]);
  await noticesItem.setValue([]);
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
