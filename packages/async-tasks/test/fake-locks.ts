import type { TabLocks } from '../src/tabs/share-across-tabs.js';

/** A Web Locks stand-in (exclusive locks, FIFO), shared by the "tabs" of one test. */
export function fakeLocks(): TabLocks & { holders: () => number } {
  const queues = new Map<string, Array<() => void>>();
  const busy = new Set<string>();
  const next = (name: string) => {
    const waiter = queues.get(name)?.shift();
    if (waiter) waiter();
    else busy.delete(name);
  };
  return {
    holders: () => busy.size,
    request(name, { signal }, callback) {
      return new Promise((resolve, reject) => {
        const run = () => {
          busy.add(name);
          callback()
            .then(resolve, reject)
            .finally(() => next(name));
        };
        if (!busy.has(name)) return run();
        const queue = queues.get(name) ?? [];
        queues.set(name, queue);
        queue.push(run);
        signal?.addEventListener('abort', () => {
          const at = queue.indexOf(run);
          if (at >= 0) queue.splice(at, 1);
          reject(new DOMException('aborted', 'AbortError'));
        });
      });
    },
  };
}
