// Any receiving extension context: refuses a message whose sender may not send it (src/messaging/senders).
import { originOf, type SenderInfo, type SenderPolicy, senderKind, senderRefusal } from './senders';

const extensionOrigin = () => originOf(browser.runtime.getURL('/')) ?? '';

/** Throws (the sender's sendMessage rejects) when `sender` may not send a `type` message. */
export function assertSender(type: string, policy: SenderPolicy, sender: SenderInfo): void {
  const refusal = senderRefusal(type, policy, sender, extensionOrigin());
  if (refusal) throw new Error(refusal);
}

/** The tab a message is about: a content script's own tab always; an extension page names one. */
export function targetTab(sender: SenderInfo, requested: number | undefined): number {
  if (senderKind(sender, extensionOrigin()) === 'content-script' && sender.tab?.id !== undefined) return sender.tab.id;
  if (requested === undefined) throw new Error('no tab');
  return requested;
}

/** The message came from one of the extension's own pages (the popup), not a content script. */
export const fromExtensionPage = (sender: SenderInfo): boolean => senderKind(sender, extensionOrigin()) === 'extension-page';
