/** Highlighted code: text, and spans with the highlighter's class names around more of it. */
export type Token = string | { className: string; children: Token[] };

/** Highlights `code` written in `lang`, or returns null for a language it does not know. */
export type Highlighter = (code: string, lang: string) => Token[] | null;

/** Where a highlighter comes from: loaded when the first reply with a fenced language shows. */
export type HighlighterLoader = () => Promise<Highlighter>;

interface State {
  /** Undefined until set: then the entries' built-in default may apply. */
  loader?: HighlighterLoader | null;
  loading?: Promise<Highlighter | null>;
  ready?: Highlighter;
}

// On the global object under a registered symbol, so every copy of this module on the page (each
// CommonJS entry has its own) shares the one setting.
const KEY = Symbol.for('@app/chat-widget/highlighter');
const scope = globalThis as Record<symbol, State | undefined>;
scope[KEY] ??= {};
const state: State = scope[KEY];

/**
 * Sets how code blocks are highlighted: a loader (called once, when a reply first has a fenced
 * block with a language), or null for none. The component and element entries set the built-in
 * one, a separate chunk loaded from the same place as the widget, unless this was called first;
 * the script-tag bundle sets none.
 *
 * @example
 * setHighlighter(() => import('./my-highlighter.js').then((m) => m.highlight));
 */
export function setHighlighter(next: HighlighterLoader | null): void {
  state.loader = next;
  state.loading = undefined;
  state.ready = undefined;
}

/** Sets `loader` unless a highlighter (or none) was set already. */
export function setDefaultHighlighter(loader: HighlighterLoader): void {
  if (state.loader === undefined) setHighlighter(loader);
}

/** The highlighter if it has loaded already (so a re-render highlights synchronously). */
export const loadedHighlighter = (): Highlighter | null => state.ready ?? null;

/** Loads the highlighter once; null when none is set or it failed to load (code stays plain). */
export function loadHighlighter(): Promise<Highlighter | null> {
  const { loader } = state;
  state.loading ??= loader
    ? loader().then(
        (h) => {
          state.ready = h;
          return h;
        },
        () => null,
      )
    : Promise.resolve(null);
  return state.loading;
}
