import type { ReadableAtom } from 'nanostores';
import { useEffect, useState } from 'preact/hooks';

/**
 * The current value of a nanostores store; re-renders on change. A few lines instead of
 * @nanostores/preact, which would add its own copy of the subscription logic to the bundle.
 *
 * @example
 * const messages = useStore(chat.$messages);
 */
export function useStore<T>(store: ReadableAtom<T>): T {
  const [value, setValue] = useState<T>(() => store.get());
  useEffect(() => store.subscribe((next) => setValue(() => next)), [store]);
  return value;
}
