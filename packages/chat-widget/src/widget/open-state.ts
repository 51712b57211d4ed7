// Whether the bubble was open, per tab (`sessionStorage`): a reload, or a link to the next page of
// the site, finds the chat as the visitor left it, while a new tab starts with the launcher only.

/** The SDK's storage prefix of the conversation every widget without a `storageKey` shares. */
const DEFAULT_PREFIX = 'async-tasks:chat';

/**
 * The storage prefix of this widget's conversation (what the SDK keeps it under).
 *
 * @example
 * storagePrefix('support') // 'async-tasks:chat:support'
 */
export const storagePrefix = (storageKey?: string) => (storageKey ? `${DEFAULT_PREFIX}:${storageKey}` : DEFAULT_PREFIX);

/**
 * Whether the panel was open when the page was left.
 *
 * @example
 * const open = readOpen(storagePrefix());
 */
export function readOpen(prefix: string): boolean {
  try {
    return sessionStorage.getItem(`${prefix}:open`) === '1';
  } catch {
    return false;
  }
}

/**
 * Remembers whether the panel is open.
 *
 * @example
 * saveOpen(storagePrefix(), true);
 */
export function saveOpen(prefix: string, open: boolean): void {
  try {
    if (open) sessionStorage.setItem(`${prefix}:open`, '1');
    else sessionStorage.removeItem(`${prefix}:open`);
  } catch {
    // no storage: the panel starts closed next time
  }
}
