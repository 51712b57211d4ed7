import { vi } from 'vitest';

/**
 * Records what code running on a server must not do: make a request (`fetch`), open a tab
 * channel (`BroadcastChannel`), start a timer (`setTimeout`, `setInterval`). Stand-ins replace
 * those globals until `restore()`; the fetch refuses, so nothing reaches a network either.
 * `settle()` lets every pending promise run first (a request is made a few awaits after the
 * subscription that wants it).
 */
export function watchServerSideEffects() {
  const seen: string[] = [];
  const { setTimeout: realSetTimeout, setInterval: realSetInterval } = globalThis;
  class RecordedChannel extends EventTarget {
    onmessage: ((event: MessageEvent) => void) | null = null;
    constructor(readonly name: string) {
      super();
      seen.push(`BroadcastChannel ${name}`);
    }
    postMessage() {}
    close() {}
  }
  vi.stubGlobal('fetch', async (input: unknown) => {
    seen.push(`fetch ${String(input)}`);
    throw new TypeError('a request was made on the server');
  });
  vi.stubGlobal('BroadcastChannel', RecordedChannel);
  vi.stubGlobal('setTimeout', (...args: Parameters<typeof setTimeout>) => {
    seen.push('setTimeout');
    return realSetTimeout(...args);
  });
  vi.stubGlobal('setInterval', (...args: Parameters<typeof setInterval>) => {
    seen.push('setInterval');
    return realSetInterval(...args);
  });
  return {
    seen,
    settle: () => new Promise<void>((resolve) => setImmediate(resolve)),
    restore: () => vi.unstubAllGlobals(),
  };
}
