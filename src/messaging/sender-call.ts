// Background service worker, pure: a frame report's call checked against the URL of the page that
// sent it. The content script names the call (site, meeting id, title), but its page drives it: a
// page could file its frames under another site's or another meeting's call. The browser's word on
// the sender's URL decides which site and meeting a report may name; the title stays the page's
// (bounded where it is stored).
import { adapterFor, isUnnamedCallId } from '../sites';
import type { FrameReport } from './background';
import type { Parsed } from './parse';

/** What chrome.runtime.MessageSender tells of where a message came from. */
export interface ReportSender {
  url?: string;
  frameId?: number;
  tab?: { url?: string };
}

/**
 * The URL of the document that sent the report: the sender's own URL (a subframe's is its frame's;
 * the top frame's is the tab's for that document, even when a report sent as the page navigated away
 * arrives after the tab moved on), else the tab's.
 */
function senderUrl(sender: ReportSender): URL | null {
  for (const raw of [sender.url, sender.tab?.url]) {
    if (!raw) continue;
    try {
      return new URL(raw);
    } catch {
      // not a URL: try the next
    }
  }
  return null;
}

/**
 * The report when its call is the sender's page's, else why not: the site must be the adapter of the
 * sender's URL, and the meeting id the one that adapter reads from it wherever it reads one. Where the
 * URL names none, an id is accepted only from a call frame (the Zoom Workplace shell: the frame's URL
 * is not the sender's) or made up per join (Teams v2: UnnamedCalls), else refused.
 */
export function callFromSender(report: FrameReport, sender: ReportSender): Parsed<FrameReport> {
  const url = senderUrl(sender);
  if (!url) return { ok: false, reason: "call: the sender's URL is unknown" };
  const adapter = adapterFor(url);
  const { site, callId } = report.call;
  if (site !== adapter.id) return { ok: false, reason: `call.site: ${site}, but the sender's page is ${adapter.id}'s` };
  if (callId === null) return { ok: true, value: report };
  const named = adapter.callId(url);
  if (named !== null) return callId === named ? { ok: true, value: report } : { ok: false, reason: "call.callId: not the meeting the sender's URL names" };
  if (adapter.callFrames || (adapter.unnamedCalls && isUnnamedCallId(callId))) return { ok: true, value: report };
  return { ok: false, reason: "call.callId: the sender's URL names no call" };
}
