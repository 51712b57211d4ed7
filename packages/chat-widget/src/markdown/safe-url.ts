const ALLOWED = new Set(['http:', 'https:', 'mailto:']);

/**
 * The URL if it is absolute and http(s) or mailto, else null. Control characters and whitespace
 * that browsers strip (the `java\tscript:` trick) are removed before parsing, so the check sees
 * what a browser would see.
 *
 * @example
 * safeUrl('javascript:alert(1)') // null
 */
export function safeUrl(raw: string, protocols: Set<string> = ALLOWED): string | null {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters browsers drop from a URL, so they must go before the check.
  const cleaned = raw.replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  try {
    const url = new URL(cleaned);
    return protocols.has(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

/** Protocols an image may load from when the host allows images. */
export const IMAGE_PROTOCOLS = new Set(['https:']);
