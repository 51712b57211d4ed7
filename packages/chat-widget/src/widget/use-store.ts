import { useEffect, useState } from 'preact/hooks';

/** What `useStore` reads: a nanostores store, or anything with the same `get` and `subscribe`. */
export interface Readable<T> {
  get(): T;
  /** Calls the listener with the value now and after every change; returns the unsubscribe. */
  subscribe(listener: (value: T) => void): () => void;
}

/**
 * The current value of a nanostores store; re-renders on change. A few lines instead of
 * @nanostores/preact, which would add its own copy of the subscription logic to the bundle.
 *
 * @example
 * const messages = useStore(chat.$messages);
 */
export function useStore<T>(store: Readable<T>): T {
  const [value, setValue] = useState<T>(() => store.get());
  useEffect(() => store.subscribe((next) => setValue(() => next)), [store]);
  return value;
}
