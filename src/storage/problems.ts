// Any extension context: what the small storage items held that could not be used (each was
// skipped on read and replaced by its default), for the popup's list of problems. Calls and live
// calls report theirs where they are read (src/calls/store).
import { readFirstRun, readNotices } from './notices';
import { readSettingsProblems } from './settings';
import { readOverlayTabs } from './tabs';

export async function storageProblems(): Promise<string[]> {
  const [settings, tabs, notices, firstRun] = await Promise.all([readSettingsProblems(), readOverlayTabs(), readNotices(), readFirstRun()]);
  return [...settings, ...tabs.problems, ...notices.problems, ...firstRun.problems];
}
