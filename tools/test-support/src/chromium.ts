import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_PATH } from './system-requirement.js';

/** Flags that keep Chromium headless, local and quiet on a machine with no internet. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

/**
 * Launches the system Chromium (never a downloaded one). Playwright gives every launch a
 * fresh temporary profile.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}
