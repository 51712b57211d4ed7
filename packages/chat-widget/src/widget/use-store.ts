import { useEffect, useState } from 'preact/hooks';

/** The part of a nanostores store the widget reads. */
export interface ReadableStore<T> {
  get(): T;
  subscribe(listener: (value: T) => void): () => void;
}

/**
 * The current value of a nanostores store; re-renders on change. A few lines instead of
 * @nanostores/preact, which would add its own copy of the subscription logic to the bundle.
 *
 * @example
 * const messages = useStore(chat.$messages);
 */
export function useStore<T>(store: ReadableStore<T>): T {
  const [value, setValue] = useState<T>(() => store.get());
  useEffect(() => store.subscribe((next) => setValue(() => next)), [store]);
  return value;
}
