// Where the widget renders a spec example differently on purpose, and what it renders instead.
// Every entry is checked: the example must differ from the spec (else the entry is stale and the
// test fails) and must render as the entry says.

export type DeviationKind = keyof typeof REASONS;

/** Why, per kind, and the renderer whose output is the expected one (markdown-it's presets). */
export const REASONS = {
  'raw-html':
    'Raw HTML is shown as text, never parsed: safety is structural. The expected output is markdown-it with `html: false`, which treats HTML the same way.',
  'single-tilde':
    'Strikethrough needs `~~`: in replies a single `~` means "about" ("~5 minutes … ~10 MB"), and GFM would strike the text between two of them. Expected: markdown-it, whose strikethrough is `~~` only.',
  'gfm-autolink':
    "GFM's extended autolinks (bare `https://…`, `www.…`, emails) apply everywhere, also in CommonMark's own examples of text that core CommonMark leaves unlinked. Expected: markdown-it with `linkify`, or the HTML given.",
} as const;

export interface Deviation {
  kind: DeviationKind;
  /** The expected HTML when no reference renderer produces it. */
  html?: string;
}

const rawHtml = [
  'cm-21',
  'cm-31',
  'cm-201',
  'cm-308',
  'cm-309',
  'cm-344',
  'cm-475',
  'cm-476',
  'cm-477',
  'cm-491',
  'cm-494',
  'cm-524',
  'cm-536',
  'cm-642',
  'cm-643',
];

export const DEVIATIONS: Record<string, Deviation> = {
  ...Object.fromEntries(rawHtml.map((id) => [id, { kind: 'raw-html' }])),
  'gfm-491': { kind: 'single-tilde' },
  'cm-608': { kind: 'gfm-autolink' },
  'cm-611': { kind: 'gfm-autolink' },
  'cm-612': { kind: 'gfm-autolink' },
  // `<foo\+@bar.example.com>`: after the escape the text holds an email address, which is linked.
  'cm-606': { kind: 'gfm-autolink', html: '<p>&lt;<a href="mailto:foo+@bar.example.com">foo+@bar.example.com</a>&gt;</p>' },
};
