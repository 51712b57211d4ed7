// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, installPacked, type PackedInstall } from './packed-install.js';

/**
 * The packed entries in plain Node processes: where there is no DOM (a server rendering a page,
 * an edge runtime) importing them must not throw and must register nothing; where there is one,
 * the element entry registers <async-chat>.
 */
describe('the packed entries', () => {
  let packed: PackedInstall;
  beforeAll(() => {
    packed = installPacked([
      fixture('import-entries.mjs'),
      fixture('import-entries.cjs'),
      fixture('import-in-isolate.mjs'),
      fixture('register-in-browser.mjs'),
    ]);
  });
  afterAll(() => packed?.remove());

  const run = (...args: string[]) => {
    const { status, stdout, stderr } = packed.node(args);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    return JSON.parse(stdout) as Record<string, unknown>;
  };

  it.each(['import-entries.mjs', 'import-entries.cjs'])('%s: import without a DOM, registering nothing', (file) => {
    expect(run(file)).toEqual({ root: 'function', element: 'function', defineReturnsTheClass: true });
  });

  it('import in an isolate with only the language and web globals (an edge runtime: no process, require or DOM)', () => {
    const exported = run('--experimental-vm-modules', '--no-warnings', 'import-in-isolate.mjs');
    expect(exported['@app/chat-widget/element']).toEqual(['AsyncChatElement', 'defineAsyncChat']);
    expect(exported['@app/chat-widget']).toContain('ChatWidget');
    expect(exported['@app/chat-widget/markdown']).toContain('renderMarkdown');
    expect(exported.defineReturnsTheClass).toBe(true);
  });

  it('the element entry registers <async-chat> where there is a DOM', () => {
    expect(run('register-in-browser.mjs')).toEqual({ registered: true, upgraded: true, shadowRoot: true });
  });
});
