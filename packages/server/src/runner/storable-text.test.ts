import { describe, expect, it } from 'vitest';
import { endsInsidePair, storableText } from './storable-text.js';

describe('storableText', () => {
  it('drops NUL characters and turns lone surrogates into U+FFFD, leaving pairs and the rest alone', () => {
    expect(storableText('a\u0000b')).toBe('ab');
    expect(storableText('lone \uD83D high and \uDE00 low')).toBe('lone \uFFFD high and \uFFFD low');
    expect(storableText('pair \u{1F600} ok, ünïcödé, 中文')).toBe('pair \u{1F600} ok, ünïcödé, 中文');
  });

  it('makes text that survives JSON into jsonb: no NUL, no lone surrogate escapes', () => {
    const json = JSON.stringify({ content: storableText('x\u0000\uD800y') });
    expect(json).not.toMatch(/\\u0000|\\ud[89ab]/i);
  });
});

describe('endsInsidePair', () => {
  it('is true only when the last character is the first half of a pair', () => {
    expect(endsInsidePair('a\uD83D')).toBe(true);
    expect(endsInsidePair('a\u{1F600}')).toBe(false);
    expect(endsInsidePair('a\uDE00')).toBe(false);
    expect(endsInsidePair('')).toBe(false);
  });
});
