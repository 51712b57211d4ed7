import { existsSync, readFileSync } from 'node:fs';
import type { Browser, Page, Request, Route } from 'playwright-core';

export const ORIGIN = 'http://widget.test';
/** Another origin the bundle can be served from, as from a CDN or the chat server. */
export const CDN_ORIGIN = 'http://cdn.widget.test';

/** The chunks of the built script-tag bundle, by file name; the tests exercise what ships. */
export const BUNDLE_FILES = ['chat-widget.js', 'chat-widget-panel.js'] as const;
export type BundleFile = (typeof BUNDLE_FILES)[number];

/** A built chunk of the script-tag bundle (the first one unless named). */
export function bundleCode(file: BundleFile = 'chat-widget.js'): string {
  const path = new URL(`../../dist/${file}`, import.meta.url);
  if (!existsSync(path)) throw new Error(`dist/${file} is missing: run \`pnpm --filter @app/chat-widget build\` first`);
  return readFileSync(path, 'utf8');
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
    $conversations: store([]),
    $conversationsLoading: store(false),
    $hasMoreConversations: store(false),
    send: function (t) { calls.push('send:' + t); },
    stop: function () { calls.push('stop'); },
    retry: function () { calls.push('retry'); },
    loadOlder: function () { calls.push('loadOlder'); },
    reconnect: function () { calls.push('reconnect'); },
    regenerate: function () { calls.push('regenerate'); return Promise.resolve(true); },
    edit: function (t) { calls.push('edit:' + t); return Promise.resolve(true); },
    sendFeedback: function (id) { calls.push('feedback:' + id); return Promise.resolve(true); },
    setMetadata: function () { calls.push('metadata'); return Promise.resolve(true); },
    loadConversations: function () { calls.push('loadConversations'); },
    loadMoreConversations: function () { calls.push('loadMoreConversations'); },
    newConversation: function () { calls.push('newConversation'); },
    switchConversation: function (id) { calls.push('switch:' + id); },
    deleteConversation: function (id) { calls.push('delete:' + id); return Promise.resolve(true); },
    reconnect: function () { calls.push('reconnect'); },
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

export interface FakeSiteOptions {
  html: string;
  /** Extra scripts on the page's origin, by path. */
  scripts?: Record<string, string>;
  /** Headers of the page (e.g. its CSP). */
  headers?: Record<string, string>;
  /**
   * Answers for the bundle's chunks instead of serving them at once (hold one back, fail it);
   * `serve` answers as the site normally would.
   */
  chunks?: Partial<Record<BundleFile, (route: Route, serve: () => Promise<void>) => Promise<void>>>;
}

/**
 * Serves a page from a fake origin entirely through request interception: the HTML, the built
 * bundle's chunks (at any path, on the page's origin and {@link CDN_ORIGIN}) and any extra
 * scripts. Any other request is recorded and answered 404.
 */
export async function openFakeSite(
  browser: Browser,
  { html, scripts = {}, headers = {}, chunks = {} }: FakeSiteOptions,
): Promise<FakeSite> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const requests: string[] = [];
  page.on('request', (r: Request) => requests.push(r.url()));
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.origin !== ORIGIN && url.origin !== CDN_ORIGIN) return route.abort();
    const file = BUNDLE_FILES.find((name) => url.pathname.endsWith(`/${name}`));
    if (file) {
      const serve = () => route.fulfill({ contentType: 'text/javascript', body: bundleCode(file) });
      const answer = chunks[file];
      return answer ? answer(route, serve) : serve();
    }
    if (url.origin !== ORIGIN) return route.fulfill({ status: 404, body: '' });
    if (url.pathname === '/') return route.fulfill({ contentType: 'text/html', headers, body: html });
    const script = scripts[url.pathname];
    if (script !== undefined) return route.fulfill({ contentType: 'text/javascript', body: script });
    return route.fulfill({ status: 404, body: '' });
  });
  return { page, requests };
}
