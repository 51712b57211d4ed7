/**
 * A set of cleanups run together, last added first: how the chat session writes its teardown
 * once. `close()` may run any number of times; the scope can be filled again afterwards.
 */
export function createScope() {
  let cleanups: Array<() => void> = [];
  return {
    add(...items: Array<(() => void) | null | undefined>) {
      for (const item of items) if (item) cleanups.push(item);
    },
    close() {
      const run = cleanups.reverse();
      cleanups = [];
      for (const cleanup of run) cleanup();
    },
  };
}
