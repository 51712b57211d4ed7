import { readFileSync } from 'node:fs';

/**
 * The Big List of Naughty Strings (fixtures/blns.json, MIT, see fixtures/blns.LICENSE): unicode
 * edge cases, right-to-left text, emoji, zalgo, SQL and script injection attempts. Every one must
 * be stored and shown exactly as typed.
 */
export function loadBlns(): string[] {
  return JSON.parse(readFileSync(new URL('../fixtures/blns.json', import.meta.url), 'utf8')) as string[];
}
