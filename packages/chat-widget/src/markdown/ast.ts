/** Inline content: plain strings are text (escaped by Preact when rendered); `\n` is a soft break. */
export type Inline =
  | string
  | { t: 'em' | 'strong' | 'del'; c: Inline[] }
  | { t: 'code'; v: string }
  | { t: 'a'; href: string; title?: string; c: Inline[] }
  | { t: 'img'; src: string; alt: string; title?: string }
  | { t: 'br' }
  /** The checkbox of a GFM task list item, first in its item. */
  | { t: 'task'; checked: boolean };

export type Align = 'left' | 'center' | 'right' | null;

/** Block content of a markdown document. */
export type Block =
  | { t: 'p'; c: Inline[] }
  | { t: 'h'; level: number; c: Inline[] }
  /** Code: `lang` is the first word of a fence's info string; `v` ends with a line break unless empty. */
  | { t: 'pre'; lang: string; v: string }
  | { t: 'hr' }
  | { t: 'quote'; c: Block[] }
  | { t: 'list'; ordered: boolean; start: number; tight: boolean; items: Block[][] }
  | { t: 'table'; align: Align[]; head: Inline[][]; rows: Inline[][][] };
