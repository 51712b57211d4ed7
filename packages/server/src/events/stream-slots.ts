import { ApiError } from '../http/api-error.js';

/**
 * Caps the open streams per visitor (per process): each costs a socket and a subscriber, and a
 * page needs one or two. Over the cap → 429.
 *
 * @example
 * const release = slots.take(userId); // throws ApiError(429) when full
 * stream.onClose(release);
 */
export function createStreamSlots(maxPerVisitor: number) {
  const open = new Map<string, number>();
  return {
    take(userId: string): () => void {
      const count = open.get(userId) ?? 0;
      if (maxPerVisitor > 0 && count >= maxPerVisitor) {
        throw new ApiError(429, 'too_many_streams', `at most ${maxPerVisitor} open streams per visitor; close one first`, {
          'retry-after': '5',
        });
      }
      open.set(userId, count + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (open.get(userId) ?? 1) - 1;
        if (left <= 0) open.delete(userId);
        else open.set(userId, left);
      };
    },
    count: (userId: string) => open.get(userId) ?? 0,
  };
}

export type StreamSlots = ReturnType<typeof createStreamSlots>;
