// Regenerates the screenshots in docs/widget.md from the built bundle (no server: a page-level
// fake session). Run after `pnpm build`: pnpm exec tsx scripts/screenshots.mjs
import { readFileSync } from 'node:fs';
import { launchChromium } from '@app/test-support';

const bundle = readFileSync(new URL('../dist/chat-widget.js', import.meta.url), 'utf8');
const out = (name) => new URL(`../screenshots/${name}`, import.meta.url).pathname;
const markdown = `Here is how to **reset your password**:\n\n1. Open *Settings → Security*.\n2. Choose \`Reset password\`.\n\n| Plan | Price |\n|:--|--:|\n| Free | 0 € |\n| Team | 12 € |\n\nMore at [the help centre](https://example.com/help).`;

const fake = (options, messages, task) => `
  function store(v){var l=[];return{get:function(){return v},set:function(n){v=n;l.forEach(function(f){f(v)})},subscribe:function(f){l.push(f);f(v);return function(){}}}}
  AsyncChat.init(Object.assign({ session: { $messages: store(${JSON.stringify(messages)}), $activeTask: store(${JSON.stringify(task)}),
    $connection: store('live'), $conversationId: store('c1'), $hasOlder: store(false), $problem: store(null),
    send: function(){}, stop: function(){}, retry: function(){}, loadOlder: function(){}, destroy: function(){} } }, ${JSON.stringify(options)}));`;

const shots = [
  {
    name: 'bubble-light.png',
    body: '<h1 style="font:600 28px system-ui;margin:40px">Your website</h1><p style="font:16px system-ui;margin:0 40px">The chat sits in the corner.</p>',
    script: fake(
      { title: 'Support', subtitle: 'Usually answers in a minute', open: true, theme: 'light' },
      [{ id: '1', role: 'user', content: 'How do I reset my password?', delivery: 'sent', taskId: 't' }],
      { id: 't', status: 'processing', statusMessage: 'Reading the conversation…', error: null },
    ),
  },
  {
    name: 'inline-dark.png',
    body: '<div id="chat" style="width:420px;margin:20px"></div>',
    script: fake(
      { title: 'Support', mode: 'inline', theme: 'dark', target: '#chat' },
      [
        { id: '1', role: 'user', content: 'How do I reset my password?', delivery: 'sent', taskId: 't' },
        { id: '2', role: 'assistant', content: markdown, taskId: 't' },
      ],
      null,
    ),
  },
  {
    name: 'streaming-light.png',
    body: '<div id="chat" style="width:420px;margin:20px"></div>',
    script: fake(
      { title: 'Support', mode: 'inline', theme: 'light', target: '#chat', themeVars: { '--acw-height': '360px' } },
      [
        { id: '1', role: 'user', content: 'How do I reset my password?', delivery: 'sent', taskId: 't', status: 'final' },
        {
          id: 'reply:t',
          role: 'assistant',
          content: 'Here is how to **reset your password**:\n\n1. Open *Settings → Security*.\n2. Choose',
          status: 'streaming',
          taskId: 't',
        },
      ],
      { id: 't', status: 'processing', statusMessage: 'AI is thinking…', error: null },
    ),
  },
];

const browser = await launchChromium();
try {
  for (const shot of shots) {
    const page = await browser.newPage({ viewport: { width: shot.name.startsWith('bubble') ? 900 : 460, height: 700 } });
    await page.route('http://shots.test/**', (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === '/')
        return route.fulfill({
          contentType: 'text/html',
          body: `<!doctype html><meta charset="utf-8"><body style="margin:0">${shot.body}<script src="/w.js" data-mount="manual"></script><script src="/s.js"></script></body>`,
        });
      if (path === '/w.js') return route.fulfill({ contentType: 'text/javascript', body: bundle });
      if (path === '/s.js') return route.fulfill({ contentType: 'text/javascript; charset=utf-8', body: shot.script });
      return route.fulfill({ status: 404 });
    });
    await page.goto('http://shots.test/');
    await page.getByRole('log').waitFor();
    await page.screenshot({ path: out(shot.name) });
    await page.close();
  }
} finally {
  await browser.close();
}
