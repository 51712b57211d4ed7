import { existsSync, readFileSync } from 'node:fs';
import type { Browser, Page, Request } from 'playwright-core';

export const ORIGIN = 'http://widget.test';
const BUNDLE = new URL('../../dist/chat-widget.js', import.meta.url);

/** The built script-tag bundle; the tests exercise what ships. */
export function bundleCode(): string {
  if (!existsSync(BUNDLE)) throw new Error('dist/chat-widget.js is missing: run `pnpm --filter @app/chat-widget build` first');
  return readFileSync(BUNDLE, 'utf8');
}

/**
 * A page-level fake chat session in the SDK's `ChatSession` shape (stores with get/subscribe,
 * recorded commands), as plain browser JavaScript: loaded as its own script file so strict-CSP
 * pages can use it too.
 */
export const fakeSessionScript = (messages: unknown[], initOptions: Record<string, unknown> = {}) => `
(function () {
  function store(value) {
    var listeners = [];
    return {
      get: function () { return value; },
      set: function (next) { value = next; listeners.slice().forEach(function (l) { l(value); }); },
      subscribe: function (l) { listeners.push(l); l(value); return function () { listeners = listeners.filter(function (x) { return x !== l; }); }; }
    };
  }
  var calls = [];
  var session = {
    $messages: store(${JSON.stringify(messages)}),
    $activeTask: store(null),
    $connection: store('live'),
    $conversationId: store('c1'),
    $hasOlder: store(false),
    $problem: store(null),
    send: function (t) { calls.push('send:' + t); },
    stop: function () { calls.push('stop'); },
    retry: function () { calls.push('retry'); },
    loadOlder: function () { calls.push('loadOlder'); },
    destroy: function () { calls.push('destroy'); }
  };
  window.__fake = { session: session, calls: calls };
  window.AsyncChat.init(Object.assign({ session: session }, ${JSON.stringify(initOptions)}));
})();
`;

export interface FakeSite {
  page: Page;
  /** Every request the page made, in order. */
  requests: string[];
}

/**
 * Serves a page from a fake origin entirely through request interception: the HTML, the built
 * bundle and any extra scripts. Any other request is recorded and answered 404.
 */
export async function openFakeSite(
  browser: Browser,
  { html, scripts = {}, headers = {} }: { html: string; scripts?: Record<string, string>; headers?: Record<string, string> },
): Promise<FakeSite> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const requests: string[] = [];
  page.on('request', (r: Request) => requests.push(r.url()));
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.origin !== ORIGIN) return route.abort();
    if (url.pathname === '/') return route.fulfill({ contentType: 'text/html', headers, body: html });
    if (url.pathname === '/chat-widget.js') return route.fulfill({ contentType: 'text/javascript', body: bundleCode() });
    const script = scripts[url.pathname];
    if (script !== undefined) return route.fulfill({ contentType: 'text/javascript', body: script });
    return route.fulfill({ status: 404, body: '' });
  });
  return { page, requests };
}
