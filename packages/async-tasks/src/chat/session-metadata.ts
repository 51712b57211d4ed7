import type { ChatMetadata } from '../contract/index.js';
import type { ValidationError } from '../errors/validation-error.js';
import { plainMetadata } from '../common/plain-metadata.js';

/**
 * The session's metadata (the `metadata` option, then `setMetadata`) and what each message carries:
 * the session's with the message's own merged over it key by key, checked as plain JSON within
 * the size limit. A message's `null` carries none.
 */
export function createSessionMetadata(initial: ChatMetadata | null | undefined) {
  let current = plainMetadata(initial);
  return {
    /** What a message goes out with, or why it cannot go (the session's or its own metadata is not plain JSON, or too much). */
    forMessage(own: ChatMetadata | null | undefined): ChatMetadata | null | ValidationError {
      if (current instanceof Error) return current;
      if (own === null) return null;
      if (own === undefined) return current;
      const checked = plainMetadata(own);
      return checked instanceof Error ? checked : plainMetadata({ ...current, ...checked });
    },
    /** Replaces the session's metadata; a refused value leaves the current one and is returned. */
    set(next: ChatMetadata | null): ValidationError | null {
      const checked = plainMetadata(next);
      if (checked instanceof Error) return checked;
      current = checked;
      return null;
    },
  };
}

export type SessionMetadata = ReturnType<typeof createSessionMetadata>;
