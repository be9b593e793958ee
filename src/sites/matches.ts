// Any context: the pages the content script runs on, read off the registered sites (each declares
// its own hosts). Host permissions are exactly these.
import { registeredSites } from './all';

/** Every registered site's match patterns, in registration order. */
export const siteMatches = (): string[] => registeredSites().flatMap((s) => [...s.hosts]);
export const SITE_MATCHES = siteMatches();
/** The content script's file in the build (an unlisted script, registered in wxt.config.ts). */
export const CONTENT_SCRIPT_FILE = 'content-script.js';
