/**
 * Parses `Retry-After` (seconds or an HTTP date) into milliseconds; null when absent or unreadable.
 *
 * @example
 * retryAfterMs(res.headers.get('retry-after')); // '2' → 2000
 */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  if (/^\d+(\.\d+)?$/.test(header.trim())) return Math.round(Number(header) * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
