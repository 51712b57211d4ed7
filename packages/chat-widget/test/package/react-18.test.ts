// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, installPacked, type PackedInstall } from './packed-install.js';

/** `AsyncChat` with React 18, which sets no properties and no listeners on custom elements. */
describe('the packed AsyncChat with React 18', () => {
  let packed: PackedInstall;
  beforeAll(() => {
    packed = installPacked([fixture('react-18.mjs')], { react18: true });
  });
  afterAll(() => packed?.remove());

  it('renders attributes on the server, then sets the list and the listener when it hydrates', () => {
    const server = packed.node(['react-18.mjs', 'server']);
    expect(server.stderr).toBe('');
    const html = server.stdout.trim();
    expect(html).toBe('<async-chat class="help" server-url="http://127.0.0.1:9" chat-title="React 18" mode="inline"></async-chat>');
    const browser = packed.node(['react-18.mjs', 'browser', html]);
    expect(browser.stderr).toBe('');
    expect(JSON.parse(browser.stdout)).toEqual({ upgraded: true, suggestions: ['Where is my order?'], replies: ['m1'], class: 'help' });
  });
});
