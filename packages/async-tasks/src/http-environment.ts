import type { KeyValueStorage, Unsubscribe } from './types.js';

/** Browser facilities the HTTP transport uses; each defaults to the global, read at call time. */
export interface HttpEnvironment {
  fetch?: typeof fetch;
  /** Where the anonymous session is kept. Default `localStorage`; `null` keeps it in memory only. */
  storage?: KeyValueStorage | null;
  /** Fires `online` / `offline`. Default `window` (globalThis). */
  connectivity?: EventTarget | null;
  /** Whether the device is online. Default `navigator.onLine` (true when unknown). */
  isOnline?: () => boolean;
  /** Fires `visibilitychange` and has `visibilityState`. Default `document`. */
  visibility?: (EventTarget & { readonly visibilityState: string }) | null;
}

/** Resolved accessors over an `HttpEnvironment`. */
export function resolveEnvironment(env: HttpEnvironment) {
  const g = globalThis as typeof globalThis & { document?: HttpEnvironment['visibility'] };
  const pick = <T>(value: T | undefined, fallback: () => T): T => (value === undefined ? fallback() : value);
  const listen = (target: EventTarget | null | undefined, type: string, listener: () => void): Unsubscribe => {
    if (!target || typeof target.addEventListener !== 'function') return () => {};
    target.addEventListener(type, listener);
    return () => target.removeEventListener(type, listener);
  };
  return {
    fetch: (input: string, init: RequestInit) => pick(env.fetch, () => g.fetch)(input, init),
    storage: () => pick(env.storage, () => (typeof g.localStorage === 'undefined' ? null : g.localStorage)),
    isOnline: () => (env.isOnline ? env.isOnline() : g.navigator?.onLine ?? true),
    onConnectivity: (type: 'online' | 'offline', listener: () => void) =>
      listen(pick(env.connectivity, () => (typeof g.addEventListener === 'function' ? g : null)), type, listener),
    isVisible: () => (pick(env.visibility, () => g.document ?? null)?.visibilityState ?? 'visible') === 'visible',
    onVisibilityChange: (listener: () => void) => listen(pick(env.visibility, () => g.document ?? null), 'visibilitychange', listener),
  };
}

export type Environment = ReturnType<typeof resolveEnvironment>;
