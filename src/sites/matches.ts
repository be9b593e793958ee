// Any context: the pages the content script runs on. Host permissions are exactly these.
export const SITE_MATCHES = ['https://meet.google.com/*', 'https://*.zoom.us/*', 'https://teams.microsoft.com/*', 'https://teams.live.com/*', 'https://teams.cloud.microsoft/*', 'https://www.youtube.com/*', 'https://m.youtube.com/*'];
/** The content script's file in the build (an unlisted script, registered in wxt.config.ts). */
export const CONTENT_SCRIPT_FILE = 'content-script.js';
