import { describe, expect, it } from 'vitest';
import { renderSystemPrompt, taskMetadata } from './system-prompt.js';

describe('renderSystemPrompt', () => {
  it('puts the keys the template names into it: strings as they are, other values as JSON, nested by a dotted path', () => {
    const metadata = { page: '/pricing', cart: { total: 42, items: ['a'] }, vip: true, secret: 'never named' };
    expect(
      renderSystemPrompt('Page {{metadata.page}}, total {{ metadata.cart.total }}, {{metadata.cart.items}}, {{metadata.vip}}.', metadata),
    ).toBe('Page /pricing, total 42, ["a"], true.');
  });

  it('leaves nothing for a key that is absent or null, and for no metadata; other braces stay', () => {
    expect(renderSystemPrompt('[{{metadata.page}}][{{metadata.a.b}}] {{other}}', { a: null })).toBe('[][] {{other}}');
    expect(renderSystemPrompt('Hi {{metadata.page}}', null)).toBe('Hi ');
    expect(renderSystemPrompt('No placeholders', { page: 'x' })).toBe('No placeholders');
  });

  it('cuts a value at 500 characters and reads no inherited property', () => {
    expect(renderSystemPrompt('{{metadata.long}}', { long: 'x'.repeat(900) })).toBe(`${'x'.repeat(500)}…`);
    expect(renderSystemPrompt('{{metadata.constructor}}{{metadata.toString}}', {})).toBe('');
  });
});

describe('taskMetadata', () => {
  it('is the object under input.metadata, else null', () => {
    expect(taskMetadata({ conversation_id: 'c', message_id: 'm', metadata: { page: '/' } })).toEqual({ page: '/' });
    for (const input of [null, {}, { metadata: null }, { metadata: [1] }, { metadata: 'x' }, 'text'])
      expect(taskMetadata(input)).toBeNull();
  });
});
