// `pnpm bench` for the widget: the script-tag bundle in Chromium, median of several runs, as it
// ships in two chunks (dist/) beside the same widget built as one file (the panel inside, as before
// the split; built here from scripts/one-file-bundle.ts with the same settings):
// - JS before the launcher paints: what the browser parses and runs before the first paint
// - bubble: from the script tag starting (and from navigation) to the launcher in the DOM and
//   clickable, also with the CPU 4× slower (a mid-range phone)
// - inline: from AsyncChat.init (and from navigation) to an enabled message box, with the chunks
//   answered at once and with every widget file answered LATENCY_MS later (one round trip each):
//   the two chunks make one request more before the input
// - history: rendering a 1,000-message conversation (until the next frame), and JS heap after it
// - send: from pressing Enter to the user's message and the indicator being on screen
// - chunk: one streamed chunk (20 characters) into a reply of 3,000–4,000 characters of markdown:
//   from the store update to the DOM updated and laid out (the scroll pinning reads the layout),
//   the whole reply re-parsed each time; median and p95 over every chunk of every run
// - deep-chat (a peer, one file, dev dependency of this bench): its element created and appended
//   (its bundle loaded before, as ours is) → its message box editable, to the next frame
// The render figures are taken with the panel loaded. The session is a page-level fake whose
// send() echoes at once (as the SDK's optimistic echo does), so the figures are the widget's own
// cost, not the network's.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '@app/test-support';
import { build } from 'tsup';
import { scriptTagChunk } from '../build/script-tag-chunk.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 100);
// The send's round trip in the fake session: its answer (the task) comes this much after Enter.
const SEND_ROUND_TRIP_MS = Number(process.env.BENCH_SEND_RTT_MS ?? 100);
const dist = (file) => readFileSync(new URL(`../dist/${file}`, import.meta.url), 'utf8');

/** The widget as one file, the panel inside: what the script-tag bundle was before the split. */
async function buildOneFile() {
  const outDir = mkdtempSync(join(tmpdir(), 'chat-widget-one-file-'));
  try {
    const entry = { 'chat-widget': fileURLToPath(new URL('one-file-bundle.ts', import.meta.url)) };
    await build({ ...scriptTagChunk(entry), config: false, outDir, silent: true });
    return readFileSync(join(outDir, 'chat-widget.js'), 'utf8');
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

const DEEP_CHAT = readFileSync(fileURLToPath(import.meta.resolve('deep-chat/dist/deepChat.bundle.js')), 'utf8');
const DEEP_CHAT_VERSION = JSON.parse(readFileSync(new URL('../node_modules/deep-chat/package.json', import.meta.url), 'utf8')).version;

const VARIANTS = {
  'one file': { '/chat-widget.js': await buildOneFile() },
  'two chunks': { '/chat-widget.js': dist('chat-widget.js'), '/chat-widget-panel.js': dist('chat-widget-panel.js') },
};

const fakeSession = `
var SEND_ROUND_TRIP_MS = ${SEND_ROUND_TRIP_MS};
window.fakeSession = function (messages) {
  function store(v){var l=[];return{get:function(){return v},set:function(n){v=n;l.slice().forEach(function(f){f(v)})},subscribe:function(f){l.push(f);f(v);return function(){l=l.filter(function(x){return x!==f})}}}}
  var done = function(){ return Promise.resolve(true) };
  var s = { $messages: store(messages), $activeTask: store(null), $connection: store('live'), $conversationId: store('c1'),
    $hasOlder: store(false), $problem: store(null), $conversations: store([]), $hasMoreConversations: store(false),
    $conversationsLoading: store(false), stop: done, retry: done, loadOlder: done, reconnect: done, regenerate: done, edit: done,
    sendFeedback: done, setMetadata: done, loadConversations: done, loadMoreConversations: done, switchConversation: done,
    newConversation: done, deleteConversation: done, uploadSettings: function(){ return Promise.resolve(null) }, destroy: function(){} };
  // As the SDK does: the message at once ('sending'), the task only when the server answered the
  // send (SEND_ROUND_TRIP_MS later), so the indicator before it is the widget's own.
  s.send = function (text) {
    var id = 'u' + Date.now();
    s.$messages.set(s.$messages.get().concat([{ id: id, role: 'user', content: text, delivery: 'sending', taskId: null }]));
    setTimeout(function () {
      var taskId = 't' + id;
      s.$messages.set(s.$messages.get().map(function (m) { return m.id === id ? Object.assign({}, m, { delivery: 'sent', taskId: taskId }) : m; }));
      s.$activeTask.set({ id: taskId, status: 'pending', statusMessage: null, error: null });
    }, SEND_ROUND_TRIP_MS);
    return Promise.resolve();
  };
  return s;
};
// About 4,000 characters as a model writes them: paragraphs with inline markup, a list, code, a table.
window.reply4000 = function () {
  var parts = [];
  for (var i = 0; parts.join('').length < 4000; i++) {
    parts.push('## Step ' + i + '\\n\\nThis part explains **step ' + i + '** with *some emphasis*, \`inline code\` and a [link](https://example.com/' + i + ').\\n\\n');
    parts.push('- first point of ' + i + '\\n- second point, a little longer than the first\\n- third\\n\\n');
    parts.push(i % 2 ? '\`\`\`js\\nconst step' + i + ' = await run(' + i + ');\\nconsole.log(step' + i + ');\\n\`\`\`\\n\\n' : '| Plan | Price |\\n|:--|--:|\\n| Free | 0 |\\n| Team | ' + i + ' |\\n\\n');
  }
  return parts.join('').slice(0, 4000);
};
// Resolves once the message box is in the panel and enabled (the panel chunk's or, when split,
// the first chunk's while the panel chunk is on its way), or with 'log' once the conversation is.
window.whenInput = function (what) {
  return new Promise(function (resolve) {
    var root = document.querySelector('async-chat').shadowRoot;
    var ready = what === 'log' ? function () { return root.querySelector('[role=log]'); } : function () { var t = root.querySelector('textarea'); return t && !t.disabled; };
    if (ready()) return resolve();
    var observer = new MutationObserver(function () { if (ready()) { observer.disconnect(); resolve(); } });
    observer.observe(root, { childList: true, subtree: true });
  });
};
window.history1000 = function () {
  var out = [];
  for (var i = 0; i < 500; i++) {
    out.push({ id: 'u' + i, role: 'user', content: 'Question ' + i + ': how does this work?', delivery: 'sent', taskId: 't' + i });
    out.push({ id: 'a' + i, role: 'assistant', content: 'Answer ' + i + ' with **bold**, a [link](https://example.com/' + i + ') and a list:\\n\\n- one\\n- two\\n\\n\`code\` too.', taskId: 't' + i });
  }
  return out;
};`;

const startupPage = `<!doctype html><meta charset="utf-8"><body>
<script src="mark.js"></script><script src="chat-widget.js" data-server-url="" async></script></body>`;
const inlinePage = `<!doctype html><meta charset="utf-8"><body><div id="chat" style="height:600px;width:400px"></div>
<script src="mark.js"></script><script src="fake.js"></script><script src="chat-widget.js" data-mount="manual"></script><script src="init.js"></script></body>`;
const initInline = `window.AsyncChat.init({ mode: 'inline', target: '#chat', session: window.fakeSession([]) });`;
// When the launcher and the enabled message box first appear, from the script before the bundle
// starting (__t0) and from navigation (performance.now() itself).
const mark = `window.__t0 = performance.now();
(function () {
  var watched = null;
  function check() {
    var el = document.querySelector('async-chat');
    var root = el && el.shadowRoot;
    if (!root) return;
    if (watched !== root) { watched = root; new MutationObserver(check).observe(root, { childList: true, subtree: true }); }
    if (window.__launcher === undefined && root.querySelector('.acw-launcher')) window.__launcher = performance.now();
    var area = root.querySelector('textarea');
    if (window.__input === undefined && area && !area.disabled) window.__input = performance.now();
  }
  new MutationObserver(check).observe(document.documentElement, { childList: true, subtree: true });
})();`;
const manualPage = `<!doctype html><meta charset="utf-8"><body><div id="chat" style="height:600px;width:400px"></div>
<script src="fake.js"></script><script src="chat-widget.js" data-mount="manual"></script></body>`;

const deepChatPage = `<!doctype html><meta charset="utf-8"><body><div id="chat" style="height:600px;width:400px"></div>
<script type="module" src="deep-chat.js"></script></body>`;

const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))];
const median = (xs) => quantile(xs, 0.5);
const fmt = (ms) => `${ms.toFixed(1)} ms`;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The bench site, a local HTTP server (request interception would add tens of milliseconds of
 * its own to every file): `/<variant>/<latency>/<path>` serves a page or a variant's file, the
 * variant's files `latency` ms late.
 */
const site = createServer(async (req, res) => {
  const [, variant, latency, ...rest] = new URL(req.url, 'http://x').pathname.split('/');
  const path = `/${rest.join('/')}`;
  const files = VARIANTS[decodeURIComponent(variant)] ?? {};
  const pages = {
    '/': startupPage,
    '/inline': inlinePage,
    '/manual': manualPage,
    '/mark.js': mark,
    '/fake.js': fakeSession,
    '/init.js': initInline,
    '/deep-chat': deepChatPage,
    '/deep-chat.js': DEEP_CHAT,
  };
  const body = files[path] ?? pages[path];
  if (body === undefined) return res.writeHead(404).end();
  if (path in files) await sleep(Number(latency));
  res.writeHead(200, { 'content-type': path.endsWith('.js') ? 'text/javascript' : 'text/html', 'cache-control': 'no-store' }).end(body);
});
await new Promise((resolve) => site.listen(0, '127.0.0.1', resolve));
const ORIGIN = `http://127.0.0.1:${site.address().port}`;

/** A fresh page (empty cache) on one variant of the bench site. */
async function openPage(browser, variant, { latency = 0, cpuSlowdown = 1 } = {}) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  if (cpuSlowdown > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpuSlowdown });
  const base = `${ORIGIN}/${encodeURIComponent(variant)}/${latency}`;
  return { context, page, cdp, base };
}

/** Bubble mode: script start → launcher, and navigation → launcher. */
async function startup(browser, variant, options) {
  const { context, page, base } = await openPage(browser, variant, options);
  await page.goto(`${base}/`);
  await page.waitForFunction(() => window.__launcher !== undefined);
  const times = await page.evaluate(() => ({ script: window.__launcher - window.__t0, navigation: window.__launcher }));
  await context.close();
  return times;
}

/** Inline mode: AsyncChat.init → enabled message box (to the next frame), and navigation → it. */
async function timeToInput(browser, variant, options) {
  const { context, page, base } = await openPage(browser, variant, options);
  await page.goto(`${base}/inline`);
  await page.waitForFunction(() => window.__input !== undefined);
  const navigation = await page.evaluate(() => window.__input);
  await page.goto(`${base}/manual`);
  const { init, work } = await page.evaluate(async () => {
    const t0 = performance.now();
    window.AsyncChat.init({ mode: 'inline', target: '#chat', session: window.fakeSession([]) });
    await window.whenInput();
    const work = performance.now() - t0;
    await new Promise((resolve) => requestAnimationFrame(resolve));
    return { init: performance.now() - t0, work };
  });
  await context.close();
  return { init, work, navigation };
}

/** deep-chat: element appended → its message box editable (to the next frame), its bundle loaded before. */
async function deepChatInput(browser) {
  const { context, page, base } = await openPage(browser, 'two chunks');
  await page.goto(`${base}/deep-chat`);
  await page.waitForFunction(() => customElements.get('deep-chat'));
  const timing = await page.evaluate(async () => {
    const t0 = performance.now();
    const chat = document.createElement('deep-chat');
    chat.demo = true;
    document.querySelector('#chat').append(chat);
    await new Promise((resolve) => {
      const ready = () => chat.shadowRoot?.querySelector('#text-input')?.isContentEditable;
      if (ready()) return resolve();
      const observer = new MutationObserver(() => {
        if (!ready()) return;
        observer.disconnect();
        resolve();
      });
      observer.observe(chat.shadowRoot ?? chat, { childList: true, subtree: true, attributes: true });
    });
    const work = performance.now() - t0;
    await new Promise((resolve) => requestAnimationFrame(resolve));
    return { init: performance.now() - t0, work };
  });
  await context.close();
  return timing;
}

/** History, heap, send and streamed chunks, with the panel's code loaded first. */
async function rendering(browser, variant) {
  const { context, page, cdp, base } = await openPage(browser, variant);
  const loadPanel = () =>
    page.evaluate(async () => {
      window.AsyncChat.init({ mode: 'inline', target: '#chat', session: window.fakeSession([]) });
      await window.whenInput('log');
      window.AsyncChat.destroy();
    });
  await page.goto(`${base}/manual`);
  await loadPanel();
  const history = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const session = window.fakeSession(window.history1000());
        const t0 = performance.now();
        window.AsyncChat.init({ mode: 'inline', target: '#chat', session });
        requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0)));
      }),
  );
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = (await cdp.send('Runtime.getHeapUsage')).usedSize / 1024 / 1024;

  const send = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const root = document.querySelector('async-chat').shadowRoot;
        const area = root.querySelector('textarea');
        area.value = 'How fast is this?';
        area.dispatchEvent(new Event('input', { bubbles: true }));
        setTimeout(() => {
          const t0 = performance.now();
          const done = () =>
            root.querySelector('.acw-thinking [role=status]') && root.querySelector('[role=log]').textContent.includes('How fast is this?');
          new MutationObserver((_, obs) => {
            if (done()) {
              obs.disconnect();
              requestAnimationFrame(() => resolve(performance.now() - t0));
            }
          }).observe(root, { childList: true, subtree: true, characterData: true });
          area.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
        }, 50);
      }),
  );

  await page.goto(`${base}/manual`);
  await loadPanel();
  const chunk = await page.evaluate(async () => {
    const question = { id: 'u1', role: 'user', content: 'Explain every step', delivery: 'sent', taskId: 't1' };
    const session = window.fakeSession([question]);
    session.$activeTask.set({ id: 't1', status: 'processing', statusMessage: 'AI is thinking…', error: null });
    window.AsyncChat.init({ mode: 'inline', target: '#chat', session });
    await window.whenInput('log');
    const log = document.querySelector('async-chat').shadowRoot.querySelector('[role=log]');
    const text = window.reply4000();
    const times = [];
    for (let n = 20; n <= text.length; n += 20) {
      const item = { id: 'reply:t1', role: 'assistant', content: text.slice(0, n), status: 'streaming', taskId: 't1' };
      const t0 = performance.now();
      // The mutation observer reports once Preact has committed the chunk (layout effects included).
      const done = new Promise((resolve) => {
        const observer = new MutationObserver(() => {
          observer.disconnect();
          resolve(performance.now() - t0);
        });
        observer.observe(log, { childList: true, subtree: true, characterData: true });
      });
      session.$messages.set([question, item]);
      const ms = await done;
      if (n > 3000) times.push(ms);
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    return times;
  });
  await context.close();
  return { history, heap, send, chunk };
}

const browser = await launchChromium();
const rows = ['startup', 'startupNav', 'startupSlow', 'init', 'initWork', 'initLate', 'nav', 'navLate', 'history', 'heap', 'send'];
const results = Object.fromEntries(Object.keys(VARIANTS).map((v) => [v, { ...Object.fromEntries(rows.map((r) => [r, []])), chunk: [] }]));
const version = browser.version();
const deepChat = [];
const deepChatWork = [];
try {
  for (let run = 0; run < RUNS; run++) {
    const deep = await deepChatInput(browser);
    deepChat.push(deep.init);
    deepChatWork.push(deep.work);
    // The variants take turns within each run, so a change in the machine's load hits both.
    for (const name of Object.keys(VARIANTS)) {
      const r = results[name];
      const fast = await startup(browser, name);
      r.startup.push(fast.script);
      r.startupNav.push(fast.navigation);
      r.startupSlow.push((await startup(browser, name, { cpuSlowdown: 4 })).script);
      const input = await timeToInput(browser, name);
      r.init.push(input.init);
      r.initWork.push(input.work);
      r.nav.push(input.navigation);
      const late = await timeToInput(browser, name, { latency: LATENCY_MS });
      r.initLate.push(late.init);
      r.navLate.push(late.navigation);
      const rendered = await rendering(browser, name);
      r.history.push(rendered.history);
      r.heap.push(rendered.heap);
      r.send.push(rendered.send);
      r.chunk.push(...rendered.chunk);
    }
  }
} finally {
  await browser.close();
  site.close();
}

const names = Object.keys(VARIANTS);
const kb = (code) => `${(code.length / 1024).toFixed(1)} KB`;
const line = (label, cells) => console.log(`  ${label.padEnd(48)}${cells.map((c) => c.padStart(16)).join('')}`);
const row = (label, key, show = fmt) =>
  line(
    label,
    names.map((n) => show(median(results[n][key]))),
  );
console.log(`@app/chat-widget benchmark — the script-tag bundle in Chromium ${version}, median of ${RUNS} runs`);
line('', names);
line(
  'JS before the launcher paints (minified)',
  names.map((n) => kb(VARIANTS[n]['/chat-widget.js'])),
);
row('bubble: script start → launcher interactive', 'startup');
row('bubble: navigation → launcher interactive', 'startupNav');
row('bubble: script start → launcher, CPU 4× slower', 'startupSlow');
/** deep-chat's median beside ours (the two-chunk build) for the same figure. */
const deepChatRow = (label, times, key) =>
  console.log(
    `  ${label.padEnd(48)}${`${fmt(median(times))} (ours ${(median(results['two chunks'][key]) / median(times)).toFixed(2)}×)`.padStart(32)}`,
  );
row('inline: init → enabled input', 'init');
deepChatRow(`inline: the same for deep-chat ${DEEP_CHAT_VERSION} (${kb(DEEP_CHAT)})`, deepChat, 'init');
// The figures above end at the next animation frame (the first that can show the box), so they
// move with where in its frame the work ended; these are the work alone.
row('inline: init → enabled input, before the frame', 'initWork');
deepChatRow(`inline: the same for deep-chat ${DEEP_CHAT_VERSION}, before the frame`, deepChatWork, 'initWork');
row(`inline: init → enabled input, files +${LATENCY_MS} ms`, 'initLate');
row('inline: navigation → enabled input', 'nav');
row(`inline: navigation → enabled input, files +${LATENCY_MS} ms`, 'navLate');
row('render 1,000-message history (to frame)', 'history');
row('JS heap after the 1,000 messages', 'heap', (mb) => `${mb.toFixed(1)} MB`);
row('Enter → user message + indicator shown', 'send');
line(
  'one chunk into a 4,000-character reply, median',
  names.map((n) => fmt(median(results[n].chunk))),
);
line(
  '                                          p95',
  names.map((n) => fmt(quantile(results[n].chunk, 0.95))),
);

// Markdown under hostile input: a reply is parsed whole on the page's main thread for every
// streamed chunk, and prompt injection can steer what it contains. The parser as shipped
// (dist/markdown.js, the same code the panel runs) parses 60 KB of unmatched delimiters and 60 KB
// of ordinary reply markdown in Chromium; minimum of 5 parses each.
async function benchHostileMarkdown() {
  const dist = new URL('../dist/', import.meta.url);
  const ordinary = [];
  for (let i = 0; ordinary.join('').length < 60_000; i++) {
    ordinary.push(
      `## Step ${i}\n\nThis part explains **step ${i}** with *some emphasis*, \`code\` and a [link](https://example.com/${i}).\n\n- one\n- two\n\n`,
    );
  }
  const inputs = { hostile: '*a '.repeat(20_000), brackets: '[a]('.repeat(15_000), ordinary: ordinary.join('').slice(0, 60_000) };
  const browser = await launchChromium();
  try {
    const context = await browser.newContext();
    await context.route(`${ORIGIN}/**`, (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === '/') return route.fulfill({ contentType: 'text/html', body: '<!doctype html><meta charset="utf-8"><body>' });
      return route.fulfill({ contentType: 'text/javascript', body: readFileSync(new URL(path.slice(1), dist), 'utf8') });
    });
    const page = await context.newPage();
    await page.goto(`${ORIGIN}/`);
    const ms = await page.evaluate(async (sources) => {
      const { parseMarkdown } = await import('/markdown.js');
      const once = (s) => {
        const t0 = performance.now();
        parseMarkdown(s);
        return performance.now() - t0;
      };
      const best = (s) => Math.min(...Array.from({ length: 5 }, () => once(s)));
      return Object.fromEntries(Object.entries(sources).map(([k, s]) => [k, best(s)]));
    }, inputs);
    console.log(`  parse 60 KB of \`*a \` (unmatched)         ${fmt(ms.hostile)}`);
    console.log(`  parse 60 KB of \`[a](\` (unclosed links)   ${fmt(ms.brackets)}`);
    console.log(`  parse 60 KB of ordinary reply markdown   ${fmt(ms.ordinary)}`);
  } finally {
    await browser.close();
  }
}
await benchHostileMarkdown();
