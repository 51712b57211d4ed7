import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** `<repo>/../shared/data/blns.json` (CI keeps a copy of shared/ beside the clone). */
export const BLNS_PATH = fileURLToPath(new URL('../../../../shared/data/blns.json', import.meta.url));

/**
 * The Big List of Naughty Strings, or null when the file is missing locally (a loud notice).
 * Missing under CI=true throws: CI must run these tests.
 */
export function loadBlns(): string[] | null {
  if (existsSync(BLNS_PATH)) return JSON.parse(readFileSync(BLNS_PATH, 'utf8')) as string[];
  const message = `The Big List of Naughty Strings is missing at ${BLNS_PATH}: copy shared/data/blns.json beside the clone.`;
  if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(`[CI] ${message}`);
  console.warn(`\n  ⚠  SKIPPED — ${message}\n`);
  return null;
}
