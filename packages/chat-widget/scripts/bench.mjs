// `pnpm bench` for the widget: the built script-tag bundle in Chromium, median of several runs.
// - startup: from the script tag starting to the launcher being in the DOM and clickable
// - history: rendering a 1,000-message conversation (until the next frame), and JS heap after it
// - send: from pressing Enter to the user's message and the indicator being on screen
// - chunk: one streamed chunk (20 characters) into a reply of 3,000–4,000 characters of markdown:
//   from the store update to the DOM updated and laid out (the scroll pinning reads the layout),
//   the whole reply re-parsed each time; median and p95 over every chunk of every run
// The session is a page-level fake whose send() echoes at once (as the SDK's optimistic echo
// does), so the figures are the widget's own cost, not the network's.
import { readFileSync } from 'node:fs';
import { launchChromium } from '@app/test-support';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const bundle = readFileSync(new URL('../dist/chat-widget.js', import.meta.url), 'utf8');
const ORIGIN = 'http://bench.test';

const fakeSession = `
window.fakeSession = function (messages) {
  function store(v){var l=[];return{get:function(){return v},set:function(n){v=n;l.slice().forEach(function(f){f(v)})},subscribe:function(f){l.push(f);f(v);return function(){l=l.filter(function(x){return x!==f})}}}}
  var s = { $messages: store(messages), $activeTask: store(null), $connection: store('live'), $conversationId: store('c1'),
    $hasOlder: store(false), $problem: store(null), stop: function(){}, retry: function(){}, loadOlder: function(){}, destroy: function(){} };
  s.send = function (text) {
    s.$messages.set(s.$messages.get().concat([{ id: 'u' + Date.now(), role: 'user', content: text, delivery: 'sending', taskId: null }]));
    s.$activeTask.set({ id: 't' + Date.now(), status: 'pending', statusMessage: null, error: null });
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
window.history1000 = function () {
  var out = [];
  for (var i = 0; i < 500; i++) {
    out.push({ id: 'u' + i, role: 'user', content: 'Question ' + i + ': how does this work?', delivery: 'sent', taskId: 't' + i });
    out.push({ id: 'a' + i, role: 'assistant', content: 'Answer ' + i + ' with **bold**, a [link](https://example.com/' + i + ') and a list:\\n\\n- one\\n- two\\n\\n\`code\` too.', taskId: 't' + i });
  }
  return out;
};`;

const startupPage = `<!doctype html><meta charset="utf-8"><body>
<script src="/mark.js"></script><script src="/chat-widget.js" data-server-url="${ORIGIN}" async></script></body>`;
const mark = `window.__t0 = performance.now();
new MutationObserver(function (_, obs) {
  var el = document.querySelector('async-chat');
  var b = el && el.shadowRoot && el.shadowRoot.querySelector('.acw-launcher');
  if (b) { window.__ready = performance.now() - window.__t0; obs.disconnect(); }
}).observe(document.documentElement, { childList: true, subtree: true });`;
const manualPage = `<!doctype html><meta charset="utf-8"><body><div id="chat" style="height:600px;width:400px"></div>
<script src="/fake.js"></script><script src="/chat-widget.js" data-mount="manual"></script></body>`;

const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))];
const median = (xs) => quantile(xs, 0.5);
const fmt = (ms) => `${ms.toFixed(1)} ms`;

const browser = await launchChromium();
const results = { startup: [], history: [], heap: [], send: [], chunk: [] };
try {
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext();
    await context.route(`${ORIGIN}/**`, (route) => {
      const path = new URL(route.request().url()).pathname;
      const bodies = { '/': startupPage, '/manual': manualPage, '/mark.js': mark, '/fake.js': fakeSession, '/chat-widget.js': bundle };
      if (path in bodies) return route.fulfill({ contentType: path.endsWith('.js') ? 'text/javascript' : 'text/html', body: bodies[path] });
      return route.fulfill({ status: 404, body: '' });
    });
    const page = await context.newPage();

    await page.goto(`${ORIGIN}/`);
    await page.waitForFunction(() => window.__ready !== undefined);
    results.startup.push(await page.evaluate(() => window.__ready));

    await page.goto(`${ORIGIN}/manual`);
    results.history.push(
      await page.evaluate(
        () =>
          new Promise((resolve) => {
            const session = window.fakeSession(window.history1000());
            const t0 = performance.now();
            window.AsyncChat.init({ mode: 'inline', target: '#chat', session });
            requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0)));
          }),
      ),
    );
    const cdp = await context.newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    results.heap.push((await cdp.send('Runtime.getHeapUsage')).usedSize / 1024 / 1024);

    results.send.push(
      await page.evaluate(
        () =>
          new Promise((resolve) => {
            const root = document.querySelector('async-chat').shadowRoot;
            const area = root.querySelector('textarea');
            area.value = 'How fast is this?';
            area.dispatchEvent(new Event('input', { bubbles: true }));
            setTimeout(() => {
              const t0 = performance.now();
              const done = () =>
                root.querySelector('[role=status]') && root.querySelector('[role=log]').textContent.includes('How fast is this?');
              new MutationObserver((_, obs) => {
                if (done()) {
                  obs.disconnect();
                  requestAnimationFrame(() => resolve(performance.now() - t0));
                }
              }).observe(root, { childList: true, subtree: true, characterData: true });
              area.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
            }, 50);
          }),
      ),
    );

    await page.goto(`${ORIGIN}/manual`);
    results.chunk.push(
      ...(await page.evaluate(async () => {
        const question = { id: 'u1', role: 'user', content: 'Explain every step', delivery: 'sent', taskId: 't1' };
        const session = window.fakeSession([question]);
        session.$activeTask.set({ id: 't1', status: 'processing', statusMessage: 'AI is thinking…', error: null });
        window.AsyncChat.init({ mode: 'inline', target: '#chat', session });
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
      })),
    );
    await context.close();
  }
} finally {
  await browser.close();
}

console.log(
  `@app/chat-widget benchmark — built dist/chat-widget.js in ${(await browser.version?.()) ?? 'Chromium'}, median of ${RUNS} runs`,
);
console.log(`  script start → launcher interactive      ${fmt(median(results.startup))}`);
console.log(`  render 1,000-message history (to frame)  ${fmt(median(results.history))}`);
console.log(`  JS heap after the 1,000 messages         ${median(results.heap).toFixed(1)} MB`);
console.log(`  Enter → user message + indicator shown   ${fmt(median(results.send))}`);
console.log(
  `  one chunk into a 4,000-character reply   ${fmt(median(results.chunk))} median, ${fmt(quantile(results.chunk, 0.95))} p95 (${results.chunk.length} chunks)`,
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
