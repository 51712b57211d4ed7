import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadedHighlighter, loadHighlighter, setDefaultHighlighter, setHighlighter } from './registry.js';

const KEY = Symbol.for('@app/chat-widget/highlighter');
const shared = () => (globalThis as Record<symbol, { loader?: unknown }>)[KEY]!;
/** Back to "never set", as on a fresh page. */
const reset = () => {
  setHighlighter(null);
  delete shared().loader;
};

describe('the highlighter setting', () => {
  afterEach(reset);

  it('loads once, however many code blocks ask, and is then available synchronously', async () => {
    reset();
    const h = () => [];
    const loader = vi.fn(() => Promise.resolve(h));
    setDefaultHighlighter(loader);
    expect(loadedHighlighter()).toBeNull();
    const [a, b] = await Promise.all([loadHighlighter(), loadHighlighter()]);
    expect(a).toBe(h);
    expect(b).toBe(h);
    expect(loader).toHaveBeenCalledTimes(1);
    expect(loadedHighlighter()).toBe(h);
  });

  it("keeps a host's choice over the entries' default, including none", async () => {
    reset();
    setHighlighter(null);
    setDefaultHighlighter(() => Promise.resolve(() => []));
    expect(await loadHighlighter()).toBeNull();
  });

  it('leaves code plain when the highlighter fails to load', async () => {
    reset();
    setHighlighter(() => Promise.reject(new Error('offline')));
    expect(await loadHighlighter()).toBeNull();
  });

  it('is one setting for every copy of the module on the page', () => {
    reset();
    const loader = () => Promise.resolve(() => []);
    setHighlighter(loader);
    expect(shared().loader).toBe(loader);
  });
});
