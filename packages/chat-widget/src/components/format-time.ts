/** How a message's time reads: `short` beside it, `full` on hover, focus and for screen readers. */
export interface TimeText {
  short: string;
  full: string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * A message time in the visitor's time zone and the given locale (the browser's when none):
 * `justNow` under a minute, then "5 min. ago" up to an hour, the time of day later that day, and
 * the date before that. The full form is the date and time. Both come from `Intl`, so every
 * locale the browser knows is translated; only `justNow` is a string of the widget's.
 *
 * @example
 * formatTime('2026-12-01T17:30:00Z', Date.parse('2026-12-01T17:35:00Z'), 'en', 'just now').short // '5 min. ago'
 */
export function formatTime(iso: string, now: number, locale: string | undefined, justNow: string): TimeText | null {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return null;
  const date = new Date(at);
  const ago = now - at;
  let short: string;
  if (ago < MINUTE) short = justNow;
  else if (ago < HOUR)
    short = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' }).format(-Math.floor(ago / MINUTE), 'minute');
  else
    short = new Intl.DateTimeFormat(
      locale,
      date.toDateString() === new Date(now).toDateString() ? { timeStyle: 'short' } : { dateStyle: 'medium' },
    ).format(date);
  return { short, full: new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short' }).format(date) };
}
