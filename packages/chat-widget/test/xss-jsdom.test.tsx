import { render } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { Message } from '../src/components/Message.js';
import { xssVectors } from './fixtures/xss-vectors.js';

const DANGEROUS =
  'script,iframe,frame,frameset,object,embed,meta,base,link,style,svg,math,form,input,button,video,audio,source,details,marquee,img,body,noscript';

/**
 * The widget's own controls, which replies cannot shape: a code block's copy button and a task
 * item's disabled checkbox, each with exactly these attributes and nothing inside from the reply.
 */
function isWidgetControl(el: Element): boolean {
  const attrs = [...el.attributes].map((a) => a.name).sort();
  if (el.localName === 'button')
    return (
      el.matches('.acw-code > .acw-code-bar > button.acw-copy[type=button][aria-label="Copy"]') &&
      attrs.join() === 'aria-label,class,type' &&
      !el.hasChildNodes()
    );
  return (
    el.matches('label.acw-task > input[type=checkbox][disabled]:first-child') && attrs.join() === 'disabled,type' && !el.hasChildNodes()
  );
}

describe('XSS corpus rendered as replies (jsdom)', () => {
  it.each(xssVectors.map((v, i) => [i, v]))('vector %i produces no active markup', (_i, vector) => {
    const { container } = render(<Message message={{ id: 'x', role: 'assistant', content: vector }} authorLabel="Assistant" />);
    expect([...container.querySelectorAll(DANGEROUS)].filter((el) => !isWidgetControl(el))).toEqual([]);
    expect(container.querySelectorAll('button')).toHaveLength(container.querySelectorAll('pre').length);
    for (const el of container.querySelectorAll('*')) {
      for (const attr of el.attributes) {
        expect(attr.name.startsWith('on'), `${el.tagName} ${attr.name}`).toBe(false);
        expect(['src', 'srcset', 'action', 'formaction', 'background', 'data']).not.toContain(attr.name);
      }
    }
    for (const a of container.querySelectorAll('a')) {
      const url = new URL(a.getAttribute('href')!);
      expect(['http:', 'https:', 'mailto:']).toContain(url.protocol);
      expect(a.getAttribute('rel')).toBe('noopener noreferrer');
      expect(a.getAttribute('target')).toBe('_blank');
    }
  });
});
