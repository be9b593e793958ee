// Any extension context: the typed protocol a tab's content script receives.
import { defineExtensionMessaging } from '@webext-core/messaging';

export interface ContentProtocol {
  setOverlay(req: { on: boolean }): { on: boolean };
}

export const contentMessenger = defineExtensionMessaging<ContentProtocol>();
