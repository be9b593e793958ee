// Pure: who may send which message. A content script runs inside the page's renderer, so whatever
// it can send, a compromised page can send too: messages that read or change every call, every
// tab or the settings come only from the extension's own pages.

/** The parts of runtime.MessageSender the checks read (the browser fills them in, not the sender). */
export interface SenderInfo {
  url?: string;
  tab?: { id?: number };
  frameId?: number;
}

/** 'extension-page': popup, offscreen document, service worker. 'content-script': a tab's top frame. */
export type SenderKind = 'extension-page' | 'content-script';
export type SenderPolicy = SenderKind | 'any';

/** scheme://host[:port]; URL.origin is the string "null" for chrome-extension: URLs outside a browser. */
export function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.host ? `${u.protocol}//${u.host}` : null;
  } catch {
    return null;
  }
}

/**
 * What kind of context sent a message, or null when it is neither (an extension frame inside a web
 * page, a content script in a subframe, a sender without a URL).
 * An extension page has the extension's origin and no tab, or is itself a whole tab (the popup
 * opened as a page); a content script has a tab, the top frame, and a URL outside the extension.
 */
export function senderKind(sender: SenderInfo, extensionOrigin: string): SenderKind | null {
  const origin = originOf(sender.url);
  if (origin === null) return null;
  if (origin === extensionOrigin) {
    // In a tab, only as its top frame: the tab is then this extension page (no page is web-accessible).
    return sender.tab === undefined || sender.frameId === 0 ? 'extension-page' : null;
  }
  if (typeof sender.tab?.id === 'number' && sender.tab.id >= 0 && sender.frameId === 0) return 'content-script';
  return null;
}

/** Null when allowed; else why the message is refused. */
export function senderRefusal(type: string, policy: SenderPolicy, sender: SenderInfo, extensionOrigin: string): string | null {
  if (policy === 'any') return senderKind(sender, extensionOrigin) === null ? `${type}: refused from an unknown sender` : null;
  const kind = senderKind(sender, extensionOrigin);
  return kind === policy ? null : `${type}: refused from ${kind ?? 'an unknown sender'} (only from ${policy === 'extension-page' ? 'an extension page' : 'a content script'})`;
}
