// The composer's draft in `localStorage`, so a reload (or coming back to the page) keeps what the
// visitor was typing. Storage can be missing or refuse writes (private mode, full quota): the
// draft then lives only as long as the page.

/**
 * The saved draft under `key`, or `null` when there is none (or no storage).
 *
 * @example
 * const draft = readDraft('async-tasks:chat:draft:c1') ?? '';
 */
export function readDraft(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

/**
 * Saves the draft under `key`; an empty one is removed.
 *
 * @example
 * saveDraft('async-tasks:chat:draft:c1', area.value);
 */
export function saveDraft(key: string, text: string): void {
  try {
    if (text) localStorage.setItem(key, text);
    else localStorage.removeItem(key);
  } catch {
    // no storage: the draft is kept in the page only
  }
}
