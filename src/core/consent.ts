// Pure: the notice the user pastes into a call's chat to tell the others about the overlay, in English
// (the popup copies public/_locales' chat_notice, in the browser's language; tests/core/locales.test.ts
// checks that the English one is this, and the e2e test checks the clipboard against it). The EU AI Act
// (Art. 50(3)) requires that people exposed to emotion recognition be informed of it.

/** One line for any mode: in "just me" nobody else is read, but a chip on a shared screen may still be seen. */
export const CHAT_NOTICE =
  "I'm using an on-device emotion overlay (Emotion Overlay): it runs on my computer only; nothing is recorded or sent anywhere. Tell me if you'd rather not be included and I'll leave you out.";
