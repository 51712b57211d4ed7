import { describe, expect, it, vi } from 'vitest';
import { parseAttribute } from './attributes.js';

describe('the attributes of the widget options', () => {
  it('reads metadata as a JSON object, and reports anything else instead of sending it', () => {
    expect(parseAttribute('metadata', '{"plan":"pro","cart":{"items":2}}')).toEqual({ plan: 'pro', cart: { items: 2 } });
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(parseAttribute('metadata', '{plan: pro}')).toBeUndefined();
    expect(parseAttribute('metadata', '[1,2]')).toBeUndefined();
    expect(error).toHaveBeenCalledTimes(2);
    expect(error.mock.calls[0]![0]).toContain('metadata: not a JSON object');
    error.mockRestore();
  });

  it('turns the remembered open panel and the conversation switcher off with "false"', () => {
    expect(parseAttribute('remember-open', 'false')).toBe(false);
    expect(parseAttribute('conversations', 'false')).toBe(false);
    expect(parseAttribute('unread-sound', '')).toBe(true);
    expect(parseAttribute('dark-selector', '[data-theme="dark"]')).toBe('[data-theme="dark"]');
  });
});
