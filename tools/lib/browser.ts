// Node (Playwright): the one way tools and tests start Debian Chromium: its path, the flags every
// run shares (no network chatter, no first-run UI, media may autoplay), and a plain launch.
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags every launch gets; callers add theirs (extension, fake camera, WebGPU...). */
export const BASE_FLAGS: readonly string[] = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--autoplay-policy=no-user-gesture-required',
];

/** Throws the install hint when Chromium is missing. */
export function requireChromium(): string {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium`);
  return CHROMIUM;
}

/** Headless Chromium without an extension (pages of our own, served by static-server). */
export function launchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: requireChromium(), headless: true, args: [...BASE_FLAGS, ...extraArgs] });
}
