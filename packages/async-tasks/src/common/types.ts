/**
 * Minimal synchronous key-value storage (the shape of `localStorage`), where the SDK keeps the
 * anonymous session, the open conversation and unsent messages.
 *
 * @example
 * const storage: KeyValueStorage = { getItem: (k) => map.get(k) ?? null, setItem: (k, v) => map.set(k, v), removeItem: (k) => map.delete(k) };
 */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * Stops a subscription.
 *
 * @example
 * const stop: Unsubscribe = chat.$messages.subscribe(render);
 * stop();
 */
export type Unsubscribe = () => void;
