/**
 * Matches an `Origin` against the allow-list: exact origins, or `scheme://host:*` for any port.
 *
 * @example
 * originAllowed('http://localhost:5173', ['http://localhost:*']); // true
 */
export function originAllowed(origin: string, allowed: readonly string[]): boolean {
  for (const entry of allowed) {
    if (entry === origin) return true;
    if (entry.endsWith(':*')) {
      const prefix = entry.slice(0, -1); // "http://localhost:"
      if (origin.startsWith(prefix) && /^\d{1,5}$/.test(origin.slice(prefix.length))) return true;
    }
  }
  return false;
}
