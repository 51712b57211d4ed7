import { useEffect, useState } from 'preact/hooks';

/**
 * The current time, read again every 30 s so relative times ("5 min. ago") move on; a `fixed`
 * time (stories, tests) stops the clock.
 *
 * @example
 * const now = useNow();
 */
export function useNow(fixed?: number): number {
  const [now, setNow] = useState(() => fixed ?? Date.now());
  useEffect(() => {
    if (fixed !== undefined) return;
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, [fixed]);
  return fixed ?? now;
}
