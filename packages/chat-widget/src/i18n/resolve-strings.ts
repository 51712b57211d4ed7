import { de } from './de.js';
import { fr } from './fr.js';
import { en, type ChatStrings } from './strings.js';

/**
 * The built-in locales by primary language subtag; `locale="de-AT"` uses `de`, an unknown one English.
 *
 * @example
 * const languages = Object.keys(locales); // ['en', 'de', 'fr']
 */
export const locales: Record<string, ChatStrings> = { en, de, fr };

const RTL = /^(ar|he|fa|ur|ps|yi|dv|ckb)\b/i;

/** Whether a locale is written right to left. */
export function isRtlLocale(locale: string | undefined): boolean {
  return !!locale && RTL.test(locale);
}

/**
 * The strings for a locale ("de-AT" falls back to "de", unknown to English) with overrides on top.
 *
 * @example
 * resolveStrings('fr', { send: 'OK' }).send // 'OK'
 */
export function resolveStrings(locale?: string, overrides?: Partial<ChatStrings>): ChatStrings {
  const base = (locale && locales[locale.toLowerCase().split('-')[0]!]) || en;
  return { ...en, ...base, ...overrides };
}
