// Any context: the pages the content script runs on. Host permissions are exactly these.
export const SITE_MATCHES = ['https://meet.google.com/*', 'https://*.zoom.us/*', 'https://www.youtube.com/*'];
