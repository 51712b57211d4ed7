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

/** How many distinct refused origins are remembered (and so logged once each). */
const REMEMBERED_REFUSALS = 1000;

/**
 * The CORS `origin` callback: the origin itself when allowed, null otherwise. A refused origin is
 * logged once per origin at warn, with the setting that would allow it, so a host page whose
 * widget cannot reach the API shows up in the logs (its preflight alone is an ordinary 204). At
 * most {@link REMEMBERED_REFUSALS} origins are remembered, so a flood of made-up origins cannot
 * grow memory; past that each is logged again.
 *
 * @example
 * cors({ origin: corsOrigin(config.corsOrigins, logger) });
 */
export function corsOrigin(allowed: readonly string[], logger: { warn(obj: object, msg: string): void }) {
  const refused = new Set<string>();
  return (origin: string): string | null => {
    if (originAllowed(origin, allowed)) return origin;
    if (origin && !refused.has(origin)) {
      if (refused.size >= REMEMBERED_REFUSALS) refused.clear();
      refused.add(origin);
      logger.warn(
        { origin: origin.slice(0, 200), setting: 'CORS_ORIGINS', allowed },
        'CORS: a request from an origin that is not allowed was refused; add the origin to CORS_ORIGINS to allow it',
      );
    }
    return null;
  };
}
