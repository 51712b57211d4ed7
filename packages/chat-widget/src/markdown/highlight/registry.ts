/** Highlighted code: text, and spans with the highlighter's class names around more of it. */
export type Token = string | { className: string; children: Token[] };

/** Highlights `code` written in `lang`, or returns null for a language it does not know. */
export type Highlighter = (code: string, lang: string) => Token[] | null;

/** Where a highlighter comes from: loaded when the first reply with a fenced language shows. */
export type HighlighterLoader = () => Promise<Highlighter>;

let loader: HighlighterLoader | null = null;
let loading: Promise<Highlighter | null> | null = null;
let ready: Highlighter | null = null;

/**
 * Sets how code blocks are highlighted: a loader (called once, when a reply first has a fenced
 * block with a language), or null for none. The component and element entries set the built-in
 * one, a separate chunk loaded from the same place as the widget; the script-tag bundle sets none.
 *
 * @example
 * setHighlighter(() => import('./my-highlighter.js').then((m) => m.highlight));
 */
export function setHighlighter(next: HighlighterLoader | null): void {
  loader = next;
  loading = null;
  ready = null;
}

/** The highlighter if it has loaded already (so a re-render highlights synchronously). */
export const loadedHighlighter = (): Highlighter | null => ready;

/** Loads the highlighter once; null when none is set or it failed to load (code stays plain). */
export function loadHighlighter(): Promise<Highlighter | null> {
  loading ??= loader
    ? loader().then(
        (h) => (ready = h),
        () => null,
      )
    : Promise.resolve(null);
  return loading;
}
