import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMarkdown } from '../../src/markdown/parse.js';

// Parse time must grow linearly with the input, whatever a reply (steered by prompt injection)
// repeats. Each property compares two sizes within one run: parsing 8× the input may take about
// 8× as long, never the 64× a quadratic algorithm needs. Times are the minimum of several runs,
// each repeating the parse until it takes a measurable time, so a busy machine slows both sides
// rather than failing the test; the two sizes are measured in alternation.

/** Repetitions that make one measurement of `src` take at least 2 ms. */
function repsFor(src: string): number {
  let reps = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) parseMarkdown(src);
    if (performance.now() - t0 >= 2 || reps >= 256) return reps;
    reps *= 2;
  }
}

/** How much longer `large` takes than `small`: minimum times, measured alternately. */
function ratio(small: string, large: string): number {
  const inputs = [small, large];
  const reps = inputs.map(repsFor);
  const best = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
  for (let round = 0; round < 7; round++) {
    inputs.forEach((src, k) => {
      const t0 = performance.now();
      for (let i = 0; i < reps[k]!; i++) parseMarkdown(src);
      best[k] = Math.min(best[k]!, (performance.now() - t0) / reps[k]!);
    });
  }
  return best[1]! / best[0]!;
}

/** How much longer 8× the input takes. */
function growth(unit: string, size: number): number {
  const copies = Math.max(1, Math.round(size / unit.length));
  return ratio(unit.repeat(copies), unit.repeat(copies * 8));
}

// Linear is 8; quadratic 64. The margin absorbs cache, garbage-collection and load effects.
const LIMIT = 32;
const SPECIAL = [
  '*',
  '_',
  '~',
  '`',
  '[',
  ']',
  '(',
  ')',
  '!',
  '<',
  '>',
  '&',
  '\\',
  '#',
  '-',
  '|',
  ':',
  '"',
  ' ',
  '\n',
  'a',
  'w',
  '.',
  '@',
  '1',
];

describe('parse time grows linearly', () => {
  it.each([
    ['unmatched `*a `', '*a '],
    ['unmatched `_a `', '_a '],
    ['`[`', '['],
    ['`]`', ']'],
    ['`[a](`', '[a]('],
    ['`[a](b "`', '[a](b "'],
    ['`![[`', '![['],
    ['`**a *b `', '**a *b '],
    ['`<a`', '<a'],
    ['`&a`', '&a'],
    ['`` `a ``', '`a'],
    ['`> `', '> '],
    ['`- `', '- '],
    ['`~~a `', '~~a '],
    ['`|`', '|a|\n'],
    ['`www.a.`', 'www.a.'],
  ])('for repeated %s', (_name, unit) => {
    expect(growth(unit, 4000)).toBeLessThan(LIMIT);
  });

  it('for any repeated fragment of markdown syntax', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...SPECIAL), { minLength: 1, maxLength: 8 }), (chars) => {
        expect(growth(chars.join(''), 3000)).toBeLessThan(LIMIT);
      }),
      { numRuns: 40 },
    );
  });

  it('for a long run of one character inside other text', () => {
    fc.assert(
      fc.property(fc.constantFrom(' ', '.', '*', '`', '(', '['), (c) => {
        const at = (n: number) => `# a ${c.repeat(n)} b\n\nhttps://a.com/${c.repeat(n)}x and \`${c.repeat(n)}\``;
        expect(ratio(at(2000), at(16000))).toBeLessThan(LIMIT);
      }),
      { numRuns: 6 },
    );
  });
});
