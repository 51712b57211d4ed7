import MarkdownIt from 'markdown-it';
import { parseMarkdown } from '../../src/markdown/parse.js';
import { DEVIATIONS, type DeviationKind } from './deviations.js';
import { CLAIMED, type Example, specExamples } from './spec-examples.js';
import { normalizeHtml, toHtml } from './to-html.js';

const reference = {
  'raw-html': new MarkdownIt('commonmark', { html: false }),
  'single-tilde': new MarkdownIt('commonmark', { html: false }).enable('strikethrough'),
  'gfm-autolink': new MarkdownIt('commonmark', { html: false, linkify: true }).enable('linkify'),
} satisfies Record<DeviationKind, unknown>;

export interface Outcome {
  example: Example;
  /** Renders as the spec says. */
  pass: boolean;
  deviation?: DeviationKind;
  /** For a deviation: renders as the deviation says. */
  asDocumented?: boolean;
  html: string;
  expected: string;
}

/** Every spec example rendered through the widget's parser and compared with the spec's HTML. */
export function runConformance(): Outcome[] {
  return specExamples().map((example) => {
    const html = normalizeHtml(toHtml(parseMarkdown(example.markdown)));
    const pass = html === normalizeHtml(example.html);
    const dev = DEVIATIONS[example.id];
    if (!dev) return { example, pass, html, expected: normalizeHtml(example.html) };
    const expected = normalizeHtml(dev.html ?? reference[dev.kind].render(example.markdown));
    return { example, pass, deviation: dev.kind, asDocumented: html === expected, html, expected };
  });
}

export interface SectionScore {
  section: string;
  claimed: boolean;
  pass: number;
  total: number;
  deviations: number;
}

/** Per section: examples passing, of those that are not deviations. */
export function scoreSections(outcomes: Outcome[]): SectionScore[] {
  const bySection = new Map<string, SectionScore>();
  for (const o of outcomes) {
    const { section } = o.example;
    const s = bySection.get(section) ?? { section, claimed: CLAIMED.includes(section), pass: 0, total: 0, deviations: 0 };
    bySection.set(section, s);
    if (o.deviation) s.deviations++;
    else {
      s.total++;
      if (o.pass) s.pass++;
    }
  }
  return [...bySection.values()];
}
