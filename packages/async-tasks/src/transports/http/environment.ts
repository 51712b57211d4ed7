import type { KeyValueStorage, Unsubscribe } from '../../common/types.js';

/**
 * Browser facilities the HTTP transport uses; each defaults to the global, read at call time.
 *
 * @example
 * createHttpTransport({ baseUrl: '', fetch: myFetch, storage: null, connectivity: null } satisfies HttpTransportOptions);
 */
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
  const connectivity = () => (env.connectivity === undefined ? ('addEventListener' in g ? g : null) : env.connectivity);
  const visibility = () => (env.visibility === undefined ? g.document : env.visibility);
  const listen = (target: EventTarget | null | undefined, type: string, listener: () => void): Unsubscribe => {
    target?.addEventListener(type, listener);
    return () => target?.removeEventListener(type, listener);
  };
  return {
    fetch: (input: string, init: RequestInit) => (env.fetch ?? g.fetch)(input, init),
    storage: () => (env.storage === undefined ? g.localStorage : env.storage),
    isOnline: () => (env.isOnline ? env.isOnline() : (g.navigator?.onLine ?? true)),
    onConnectivity: (type: 'online' | 'offline', listener: () => void) => listen(connectivity(), type, listener),
    /** Calls `listener` whenever the page becomes visible again. */
    onVisible: (listener: () => void) =>
      listen(visibility(), 'visibilitychange', () => visibility()?.visibilityState !== 'hidden' && listener()),
  };
}

export type Environment = ReturnType<typeof resolveEnvironment>;
