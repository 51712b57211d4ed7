import { useSyncExternalStore } from 'react';

const subscribe = (onChange: () => void) => {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
};

/**
 * The current `#/route` (`/` when empty). Hash routes keep the example free of a router and
 * work on any static host without rewrites.
 */
export function useHashRoute(): string {
  return useSyncExternalStore(subscribe, () => location.hash.replace(/^#/, '') || '/');
}
